// Package pii validates, normalises, masks, encrypts and hashes the
// sensitive personal information (PIPL art. 28) handled by the platform:
// identity document numbers, phone numbers and names.
//
// Storage model: a value is normalised (ParseID, NormalizePhone), stored
// encrypted with Keyring.Seal bound to its column through the aad, indexed
// with Keyring.LookupHash for uniqueness and equality search, and shown to
// people only through the Mask* functions.
//
// # Masking: what each role sees of a volunteer
//
// An 18-digit ID number is region (6) + birth date (8) + sequence (3) +
// check character: the first six and last four together with the birth date
// are the whole number. So the stored mask (MaskID, "110105********002X")
// and the birth date go only to those who may know the number anyway; to
// everyone else the number shows its last four characters (MaskIDTail,
// "**************002X") and the person's age in years replaces the birth
// date. Gender and the age in years are shown: with the region of residence
// they narrow the birth date to a year, not a day. The volunteer package
// applies the rule in one place (volunteer.SeesBirthDate); every page, API
// answer and export shows what it returns.
//
//	viewer                                  name     ID number              birth date / age   phone
//	the volunteer themself                  full     110105********002X     date and age       138****1234
//	platform admin; office admin in scope   full     110105********002X,    date and age       138****1234,
//	  (volunteer:reveal)                             in clear by the audited reveal             in clear by the reveal
//	community worker in scope; admin of a   full     **************002X     age only           138****1234
//	  team the volunteer belongs to
//	another volunteer, resident, department —        —                      —                  —
//	  staff, an office out of scope          (the volunteer is not found)
//	anyone: certificate verification page   张*      —                      —                  —
//	a certificate (handed to third parties) full     **************002X     —                  —
//
// Guardian: name and masked phone to those who see the volunteer. Public
// statistics never show a count from 1 to 4 (see the stats package).
package pii
