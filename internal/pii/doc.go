// Package pii validates, normalises, masks, encrypts and hashes the
// sensitive personal information (PIPL art. 28) handled by the platform:
// identity document numbers, phone numbers and names.
//
// Storage model: a value is normalised (ParseID, NormalizePhone), stored
// encrypted with Keyring.Seal bound to its column through the aad, indexed
// with Keyring.LookupHash for uniqueness and equality search, and shown to
// people only through the Mask* functions.
package pii
