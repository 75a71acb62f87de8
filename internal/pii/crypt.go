package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"sync"
)

// MasterKeySize is the required length in bytes of a Keyring master key.
const MasterKeySize = 32

// sealVersion is the first byte of every sealed value.
const sealVersion byte = 1

// HKDF info labels. Derive prefixes caller purposes with deriveLabelPrefix so
// that no purpose string can reproduce the encryption or lookup key.
const (
	encryptionLabel   = "zhiyuan pii encryption v1"
	lookupLabel       = "zhiyuan pii lookup v1"
	deriveLabelPrefix = "zhiyuan subkey v1\x00"
)

var (
	// ErrKeySize reports a master key that is not exactly MasterKeySize bytes.
	ErrKeySize = errors.New("pii: master key must be 32 bytes")
	// ErrNoKeyring reports use of a nil or zero Keyring.
	ErrNoKeyring = errors.New("pii: keyring not initialised")
	// ErrDecrypt reports a sealed value that cannot be opened: tampered,
	// truncated, of unknown version, sealed under another key or another aad.
	ErrDecrypt = errors.New("pii: cannot decrypt value")
)

// Keyring holds the keys derived from the PII master key. It is safe for
// concurrent use. Create it with NewKeyring.
type Keyring struct {
	prk     []byte      // HKDF pseudorandom key extracted from the master key
	aead    cipher.AEAD // AES-256-GCM with random 96-bit nonces
	hashKey []byte      // HMAC-SHA256 key for LookupHash
	macs    sync.Pool   // keyed HMAC states for LookupHash, reset after use
}

// NewKeyring derives the encryption and lookup keys from a 32-byte master
// key using HKDF-SHA256. The master slice is not retained.
func NewKeyring(master []byte) (*Keyring, error) {
	if len(master) != MasterKeySize {
		return nil, fmt.Errorf("%w, got %d", ErrKeySize, len(master))
	}
	prk, err := hkdf.Extract(sha256.New, master, nil)
	if err != nil {
		return nil, fmt.Errorf("pii: hkdf extract: %w", err)
	}
	encKey, err := hkdf.Expand(sha256.New, prk, encryptionLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("pii: hkdf expand: %w", err)
	}
	hashKey, err := hkdf.Expand(sha256.New, prk, lookupLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("pii: hkdf expand: %w", err)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("pii: aes: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("pii: gcm: %w", err)
	}
	return &Keyring{prk: prk, aead: aead, hashKey: hashKey}, nil
}

// Derive returns a 32-byte subkey for another subsystem (CSRF tokens, QR code
// signing, ...), independent of the PII keys and of other purposes. Use a
// fixed, versioned purpose such as "csrf v1". It returns nil only for a nil or
// zero Keyring.
func (k *Keyring) Derive(purpose string) []byte {
	if k == nil || k.prk == nil {
		return nil
	}
	key, err := hkdf.Expand(sha256.New, k.prk, deriveLabelPrefix+purpose, 32)
	if err != nil { // unreachable: 32 bytes is far below the HKDF limit
		return nil
	}
	return key
}

// Seal encrypts plaintext with AES-256-GCM under a fresh random nonce and
// returns version byte 1 || 12-byte nonce || ciphertext || 16-byte tag. The
// aad (e.g. "volunteer.id_number") is authenticated but not stored: Open must
// be given the same aad, which stops values being swapped between columns.
// The version byte is authenticated too.
func (k *Keyring) Seal(plaintext, aad string) ([]byte, error) {
	if k == nil || k.aead == nil {
		return nil, ErrNoKeyring
	}
	out := make([]byte, 1, 1+k.aead.Overhead()+len(plaintext))
	out[0] = sealVersion
	return k.aead.Seal(out, nil, []byte(plaintext), additionalData(sealVersion, aad)), nil
}

// Open decrypts a value produced by Seal with the same aad. Every failure
// (tampering, truncation, unknown version, wrong key, wrong aad) returns an
// error wrapping ErrDecrypt; no partial plaintext is ever returned.
func (k *Keyring) Open(sealed []byte, aad string) (string, error) {
	if k == nil || k.aead == nil {
		return "", ErrNoKeyring
	}
	if len(sealed) < 1+k.aead.Overhead() {
		return "", fmt.Errorf("%w: too short", ErrDecrypt)
	}
	if sealed[0] != sealVersion {
		return "", fmt.Errorf("%w: unknown version %d", ErrDecrypt, sealed[0])
	}
	pt, err := k.aead.Open(nil, nil, sealed[1:], additionalData(sealed[0], aad))
	if err != nil {
		return "", fmt.Errorf("%w: authentication failed", ErrDecrypt)
	}
	return string(pt), nil
}

// additionalData is the GCM additional data: the version byte followed by aad.
func additionalData(version byte, aad string) []byte {
	ad := make([]byte, 1+len(aad))
	ad[0] = version
	copy(ad[1:], aad)
	return ad
}

// LookupHash returns HMAC-SHA256(lookup key, kind + "\x00" + normalized), a
// deterministic 32-byte value for unique indexes and equality search over
// encrypted columns. kind names the value's domain (e.g. "id:resident",
// "phone") and must not contain NUL; normalized must be the canonical form
// from ParseID or NormalizePhone so that equal values hash equally. It
// returns nil only for a nil or zero Keyring.
func (k *Keyring) LookupHash(kind, normalized string) []byte {
	if k == nil || k.hashKey == nil {
		return nil
	}
	// Keying an HMAC costs two compressions and a few allocations; a used
	// state is reset to the keyed one instead (an import hashes two values
	// a row).
	m, _ := k.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, k.hashKey)
	}
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(normalized))
	sum := m.Sum(make([]byte, 0, sha256.Size))
	m.Reset()
	k.macs.Put(m)
	return sum
}
