package pii

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
)

// testMaster is the fixed master key 00 01 02 … 1f used for golden values.
func testMaster() []byte {
	m := make([]byte, MasterKeySize)
	for i := range m {
		m[i] = byte(i)
	}
	return m
}

func testKeyring(t testing.TB) *Keyring {
	t.Helper()
	k, err := NewKeyring(testMaster())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestNewKeyringKeySize(t *testing.T) {
	for _, n := range []int{0, 1, 16, 24, 31, 33, 64} {
		if k, err := NewKeyring(make([]byte, n)); !errors.Is(err, ErrKeySize) || k != nil {
			t.Errorf("NewKeyring(%d bytes) = %v, %v; want ErrKeySize", n, k, err)
		}
	}
	if _, err := NewKeyring(nil); !errors.Is(err, ErrKeySize) {
		t.Errorf("NewKeyring(nil) error = %v", err)
	}
}

func TestNewKeyringDoesNotRetainMaster(t *testing.T) {
	master := testMaster()
	k, err := NewKeyring(master)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := k.Seal("x", "a")
	clear(master)
	if got, err := k.Open(sealed, "a"); err != nil || got != "x" {
		t.Fatalf("Open after clearing master = %q, %v", got, err)
	}
}

// Golden values pin the key derivation and wire format: changing them would
// make every stored ciphertext and lookup hash unreadable. They were checked
// against an independent Python implementation (hmac/hashlib + cryptography).
func TestGolden(t *testing.T) {
	k := testKeyring(t)
	const wantHash = "b9eba30e4161ce1d878d8a71c5486fa3dc00f267e8b730ab6041eccc4384622e"
	if got := hex.EncodeToString(k.LookupHash("id:resident", "11010519491231002X")); got != wantHash {
		t.Errorf("LookupHash = %s, want %s", got, wantHash)
	}
	const wantCSRF = "807d8f8218fc54b22c530726b1262b3cf0fecd1f97305ecd19834485a1720e7e"
	if got := hex.EncodeToString(k.Derive("csrf v1")); got != wantCSRF {
		t.Errorf("Derive = %s, want %s", got, wantCSRF)
	}
	sealed := mustHex("013bca304c2683abe449d0eeab7642aac29a23db9d63ce4a7da7c71bb01dd256a73390eaf0c1eb92f88c28d7506f1b")
	if got, err := k.Open(sealed, "volunteer.id_number"); err != nil || got != "11010519491231002X" {
		t.Errorf("Open(golden) = %q, %v", got, err)
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := testKeyring(t)
	for _, pt := range []string{"", "11010519491231002X", "13812341234", "张三", strings.Repeat("\x00\xff", 5000)} {
		sealed, err := k.Seal(pt, "volunteer.id_number")
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 + 12 + len(pt) + 16; len(sealed) != want {
			t.Errorf("len(Seal(%d bytes)) = %d, want %d", len(pt), len(sealed), want)
		}
		if sealed[0] != 1 {
			t.Errorf("version byte = %d", sealed[0])
		}
		if len(pt) > 4 && bytes.Contains(sealed, []byte(pt)) {
			t.Errorf("ciphertext contains the plaintext")
		}
		got, err := k.Open(sealed, "volunteer.id_number")
		if err != nil || got != pt {
			t.Errorf("Open(Seal(%q)) = %q, %v", pt, got, err)
		}
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	k := testKeyring(t)
	seen := map[string]bool{}
	for range 1000 {
		s, err := k.Seal("same", "aad")
		if err != nil {
			t.Fatal(err)
		}
		nonce := string(s[1:13])
		if seen[nonce] {
			t.Fatal("nonce repeated")
		}
		seen[nonce] = true
	}
}

func TestOpenDetectsTampering(t *testing.T) {
	k := testKeyring(t)
	sealed, err := k.Seal("11010519491231002X", "volunteer.id_number")
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		for bit := range 8 {
			tampered := bytes.Clone(sealed)
			tampered[i] ^= 1 << bit
			if got, err := k.Open(tampered, "volunteer.id_number"); !errors.Is(err, ErrDecrypt) || got != "" {
				t.Fatalf("flip byte %d bit %d: Open = %q, %v; want ErrDecrypt", i, bit, got, err)
			}
		}
	}
	for n := range len(sealed) {
		if _, err := k.Open(sealed[:n], "volunteer.id_number"); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("truncated to %d bytes: err = %v", n, err)
		}
	}
	if _, err := k.Open(append(bytes.Clone(sealed), 0), "volunteer.id_number"); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("extended: err = %v", err)
	}
	if _, err := k.Open(nil, "volunteer.id_number"); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("nil: err = %v", err)
	}
}

func TestOpenUnknownVersion(t *testing.T) {
	k := testKeyring(t)
	sealed, _ := k.Seal("x", "a")
	for _, v := range []byte{0, 2, 255} {
		s := bytes.Clone(sealed)
		s[0] = v
		if _, err := k.Open(s, "a"); !errors.Is(err, ErrDecrypt) || !strings.Contains(err.Error(), "version") {
			t.Errorf("version %d: err = %v", v, err)
		}
	}
}

func TestOpenAADMismatch(t *testing.T) {
	k := testKeyring(t)
	sealed, _ := k.Seal("11010519491231002X", "volunteer.id_number")
	for _, aad := range []string{"volunteer.phone", "", "volunteer.id_number ", "Volunteer.id_number"} {
		if _, err := k.Open(sealed, aad); !errors.Is(err, ErrDecrypt) {
			t.Errorf("Open with aad %q: err = %v, want ErrDecrypt", aad, err)
		}
	}
}

func TestOpenWrongKey(t *testing.T) {
	k := testKeyring(t)
	other := testMaster()
	other[0] ^= 1
	k2, err := NewKeyring(other)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := k.Seal("secret", "a")
	if _, err := k2.Open(sealed, "a"); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Open with wrong key: err = %v", err)
	}
}

func TestZeroKeyring(t *testing.T) {
	for _, k := range []*Keyring{nil, {}} {
		if _, err := k.Seal("x", "a"); !errors.Is(err, ErrNoKeyring) {
			t.Errorf("Seal: err = %v", err)
		}
		if _, err := k.Open([]byte{1, 2, 3}, "a"); !errors.Is(err, ErrNoKeyring) {
			t.Errorf("Open: err = %v", err)
		}
		if h := k.LookupHash("a", "b"); h != nil {
			t.Errorf("LookupHash = %x, want nil", h)
		}
		if d := k.Derive("a"); d != nil {
			t.Errorf("Derive = %x, want nil", d)
		}
	}
}

func TestLookupHash(t *testing.T) {
	k := testKeyring(t)
	h := k.LookupHash("phone", "13812341234")
	if len(h) != 32 {
		t.Fatalf("len = %d", len(h))
	}
	if !bytes.Equal(h, k.LookupHash("phone", "13812341234")) {
		t.Error("not deterministic")
	}
	distinct := [][2]string{
		{"phone", "13812341235"},
		{"id:resident", "13812341234"},
		{"phone1", "3812341234"}, // the NUL separator keeps kind and value apart
		{"", "phone13812341234"},
	}
	for _, d := range distinct {
		if bytes.Equal(h, k.LookupHash(d[0], d[1])) {
			t.Errorf("LookupHash(%q, %q) collides", d[0], d[1])
		}
	}
	other := testMaster()
	other[31] ^= 0x80
	k2, _ := NewKeyring(other)
	if bytes.Equal(h, k2.LookupHash("phone", "13812341234")) {
		t.Error("hash does not depend on the key")
	}
}

func TestDerivedKeysAreIndependent(t *testing.T) {
	k := testKeyring(t)
	encKey, err := hkdf.Expand(sha256.New, k.prk, encryptionLabel, 32)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string][]byte{
		"encryption": encKey,
		"lookup":     k.hashKey,
		"csrf":       k.Derive("csrf v1"),
		"qr":         k.Derive("qr v1"),
		"empty":      k.Derive(""),
		// A purpose equal to an internal label must not reproduce that key.
		"enc-label":    k.Derive(encryptionLabel),
		"lookup-label": k.Derive(lookupLabel),
	}
	seen := map[string]string{}
	for name, key := range keys {
		if len(key) != 32 {
			t.Errorf("%s: len = %d", name, len(key))
		}
		if prev, ok := seen[string(key)]; ok {
			t.Errorf("%s and %s share a key", name, prev)
		}
		seen[string(key)] = name
	}
	if !bytes.Equal(k.Derive("csrf v1"), keys["csrf"]) {
		t.Error("Derive not deterministic")
	}
	if bytes.Equal(k.Derive("csrf v1"), testMaster()) {
		t.Error("Derive returned the master key")
	}
}

func TestKeyringConcurrentUse(t *testing.T) {
	k := testKeyring(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				s, err := k.Seal("11010519491231002X", "c")
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := k.Open(s, "c"); err != nil || got != "11010519491231002X" {
					t.Errorf("Open = %q, %v", got, err)
					return
				}
				_ = k.LookupHash("id", "x")
			}
		})
	}
	wg.Wait()
}
