package pii

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"
)

// fuzzTypes maps the fuzzer's type selector to a document type; out of range
// selects an unknown type.
var fuzzTypes = []IDType{IDResident, IDPassport, IDHKMacaoPermit, IDTaiwanPermit, IDHKMTResidence, IDForeignPermanent}

func FuzzParseID(f *testing.F) {
	seeds := []struct {
		typ uint8
		raw string
	}{
		{0, "11010519491231002X"}, {0, "11010519491231002x"}, {0, "110105194902300020"},
		{0, "990105194912310023"}, {0, "320106209912310016"}, {0, "１１０１０５１９４９１２３１００２ｘ"},
		{1, "E12345678"}, {1, "g1234"}, {2, "H12345678"}, {2, "M1234567801"},
		{3, "12345678"}, {3, "1234567890"}, {4, "810000199001010019"},
		{5, "91184019850101001X"}, {5, "USA110085010100"}, {6, "11010519491231002X"},
		{0, ""}, {0, "\xff"}, {1, "\u3000ab\u3000"},
	}
	for _, s := range seeds {
		f.Add(s.typ, s.raw)
	}
	f.Fuzz(func(t *testing.T, sel uint8, raw string) {
		typ := IDType("unknown")
		if int(sel) < len(fuzzTypes) {
			typ = fuzzTypes[sel]
		}
		id, err := ParseID(typ, raw)
		if err != nil {
			if ErrorCode(err) == "" {
				t.Fatalf("error without code: %v", err)
			}
			if id != (ID{}) {
				t.Fatalf("non-zero ID with error: %#v", id)
			}
			return
		}
		if id.Type != typ || id.Number == "" {
			t.Fatalf("bad ID %#v", id)
		}
		for i := 0; i < len(id.Number); i++ {
			if c := id.Number[i]; !isDigit(c) && !isUpper(c) {
				t.Fatalf("number %q has character %q", id.Number, c)
			}
		}
		again, err := ParseID(typ, id.Number)
		if err != nil || again != id {
			t.Fatalf("re-parse of %q = %#v, %v; want %#v", id.Number, again, err, id)
		}
		if !id.BirthDate.IsZero() && (id.BirthDate.Before(minBirthDate) || id.Gender == GenderUnknown) {
			t.Fatalf("bad birth date or gender: %#v", id)
		}
		if m := MaskID(id.Number); utf8.RuneCountInString(m) != len(id.Number) || m == id.Number {
			t.Fatalf("MaskID(%q) = %q", id.Number, m)
		}
	})
}

func FuzzParseCreditCode(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "91350100m000100y43", "91350100M000100Y44", "913501000001000090",
		"91350100I000100Y43", "", "９１３５０１００Ｍ０００１００Ｙ４３", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		code, err := ParseCreditCode(raw)
		if err != nil {
			if !errors.Is(err, ErrCreditFormat) && !errors.Is(err, ErrCreditChecksum) {
				t.Fatalf("unexpected error %v", err)
			}
			if code != "" {
				t.Fatalf("non-empty code %q with error", code)
			}
			return
		}
		if len(code) != 18 {
			t.Fatalf("code %q has length %d", code, len(code))
		}
		if c, err := CreditCheckChar(code[:17]); err != nil || c != code[17] {
			t.Fatalf("CreditCheckChar(%q) = %q, %v", code[:17], c, err)
		}
		if again, err := ParseCreditCode(code); err != nil || again != code {
			t.Fatalf("re-parse of %q = %q, %v", code, again, err)
		}
	})
}

func FuzzOpen(f *testing.F) {
	k := testKeyring(f)
	for _, s := range []struct{ pt, aad string }{
		{"11010519491231002X", "volunteer.id_number"}, {"", ""}, {"13812341234", "volunteer.phone"},
	} {
		sealed, err := k.Seal(s.pt, s.aad)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(sealed, s.aad)
	}
	f.Add([]byte{}, "")
	f.Add([]byte{1}, "a")
	f.Add(bytes.Repeat([]byte{1}, 29), "a")
	f.Add(append([]byte{2}, make([]byte, 40)...), "a")
	f.Fuzz(func(t *testing.T, sealed []byte, aad string) {
		pt, err := k.Open(sealed, aad)
		if err != nil {
			if !errors.Is(err, ErrDecrypt) || pt != "" {
				t.Fatalf("Open = %q, %v", pt, err)
			}
		} else if len(sealed) != 1+12+len(pt)+16 || sealed[0] != 1 {
			t.Fatalf("Open accepted %d bytes for a %d-byte plaintext", len(sealed), len(pt))
		}
		// Whatever the input, sealing it as plaintext must round-trip.
		resealed, err := k.Seal(string(sealed), aad)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := k.Open(resealed, aad); err != nil || got != string(sealed) {
			t.Fatalf("round trip = %q, %v", got, err)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"13812341234", "+86 138-1234-1234", "022-23456789", "0755-8765432", "+86 22 2345 6789",
		"0", "021", "+86", "", "张三", "\xff", "(0)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_ = MaskID(raw)
		_ = MaskName(raw)
		masked := MaskPhone(raw)
		p, err := NormalizePhone(raw)
		if err != nil {
			if !errors.Is(err, ErrPhoneFormat) || p != "" {
				t.Fatalf("NormalizePhone = %q, %v", p, err)
			}
			return
		}
		if again, err := NormalizePhone(p); err != nil || again != p {
			t.Fatalf("re-normalise of %q = %q, %v", p, again, err)
		}
		if len(masked) != len(p) || masked == p {
			t.Fatalf("MaskPhone(%q) = %q for %q", raw, masked, p)
		}
	})
}
