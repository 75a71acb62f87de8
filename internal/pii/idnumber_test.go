package pii

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/clock"
)

// fixClock makes "now" 2025-06-15 12:00 Beijing time for the duration of t.
func fixClock(t *testing.T, now time.Time) {
	t.Helper()
	old := nowFunc
	nowFunc = func() time.Time { return now }
	t.Cleanup(func() { nowFunc = old })
}

var testNow = time.Date(2025, 6, 15, 12, 0, 0, 0, clock.Zone)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseID(t *testing.T) {
	fixClock(t, testNow)
	tests := []struct {
		name     string
		typ      IDType
		raw      string
		want     string // normalised number; "" when an error is expected
		wantCode string
		birth    time.Time
		gender   Gender
	}{
		// Resident identity card.
		{"resident valid", IDResident, "11010519491231002X", "11010519491231002X", "", date(1949, 12, 31), GenderFemale},
		{"resident lowercase x", IDResident, "11010519491231002x", "11010519491231002X", "", date(1949, 12, 31), GenderFemale},
		{"resident spaces trimmed", IDResident, "  11010519491231002X\n", "11010519491231002X", "", date(1949, 12, 31), GenderFemale},
		{"resident full-width", IDResident, "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "", date(1949, 12, 31), GenderFemale},
		{"resident ideographic space", IDResident, "\u300011010519491231002X", "11010519491231002X", "", date(1949, 12, 31), GenderFemale},
		{"resident male", IDResident, "110105194912310011", "110105194912310011", "", date(1949, 12, 31), GenderMale},
		{"resident leap day", IDResident, "440304200002291236", "440304200002291236", "", date(2000, 2, 29), GenderMale},
		{"resident 1900-01-01", IDResident, "650102190001010016", "650102190001010016", "", date(1900, 1, 1), GenderMale},
		{"resident born today", IDResident, withCheck("11010520250615001"), withCheck("11010520250615001"), "", date(2025, 6, 15), GenderMale},
		{"resident HK code", IDResident, "810000199001010019", "810000199001010019", "", date(1990, 1, 1), GenderMale},
		{"resident bad check digit", IDResident, "110105194912310021", "", "checksum", time.Time{}, ""},
		{"resident X check wrong", IDResident, "11010519491231001X", "", "checksum", time.Time{}, ""},
		{"resident Feb 30", IDResident, "110105194902300020", "", "birth_date", time.Time{}, ""},
		{"resident month 13", IDResident, withCheck("11010519491301002"), "", "birth_date", time.Time{}, ""},
		{"resident day 00", IDResident, withCheck("11010519491200002"), "", "birth_date", time.Time{}, ""},
		{"resident 1900 not leap", IDResident, "44030419000229123X", "", "birth_date", time.Time{}, ""},
		{"resident future", IDResident, "320106209912310016", "", "birth_date", time.Time{}, ""},
		{"resident tomorrow", IDResident, withCheck("11010520250616001"), "", "birth_date", time.Time{}, ""},
		{"resident before 1900", IDResident, "110105189912310015", "", "birth_date", time.Time{}, ""},
		{"resident bad province 99", IDResident, "990105194912310023", "", "region", time.Time{}, ""},
		{"resident bad province 10", IDResident, withCheck("10010519491231002"), "", "region", time.Time{}, ""},
		{"resident bad province 72", IDResident, withCheck("72010519491231002"), "", "region", time.Time{}, ""},
		{"resident too short", IDResident, "11010519491231002", "", "format", time.Time{}, ""},
		{"resident too long", IDResident, "11010519491231002X1", "", "format", time.Time{}, ""},
		{"resident old 15 digit", IDResident, "110105491231002", "", "format", time.Time{}, ""},
		{"resident X in the middle", IDResident, "1101051949123X002X", "", "format", time.Time{}, ""},
		{"resident other letter", IDResident, "11010519491231002Y", "", "format", time.Time{}, ""},
		{"resident inner space", IDResident, "110105 19491231002X", "", "format", time.Time{}, ""},
		{"resident non-ASCII", IDResident, "11010519491231002Ⅹ", "", "format", time.Time{}, ""},
		{"resident empty", IDResident, "", "", "format", time.Time{}, ""},

		// HK/Macao/Taiwan residence permit.
		{"hkmt HK", IDHKMTResidence, "810000199001010019", "810000199001010019", "", date(1990, 1, 1), GenderMale},
		{"hkmt Macao", IDHKMTResidence, "820000198512310029", "820000198512310029", "", date(1985, 12, 31), GenderFemale},
		{"hkmt Taiwan", IDHKMTResidence, "830000200111110036", "830000200111110036", "", date(2001, 11, 11), GenderMale},
		{"hkmt mainland prefix", IDHKMTResidence, "11010519491231002X", "", "region", time.Time{}, ""},
		{"hkmt 810100 prefix", IDHKMTResidence, withCheck("81010019900101001"), "", "region", time.Time{}, ""},
		{"hkmt bad check", IDHKMTResidence, "810000199001010018", "", "checksum", time.Time{}, ""},
		{"hkmt bad date", IDHKMTResidence, withCheck("81000019900231001"), "", "birth_date", time.Time{}, ""},
		{"hkmt short", IDHKMTResidence, "8100001990010100", "", "format", time.Time{}, ""},

		// Foreign permanent resident ID card.
		{"foreign new", IDForeignPermanent, "91184019850101001X", "91184019850101001X", "", date(1985, 1, 1), GenderMale},
		{"foreign new female", IDForeignPermanent, "911840198501010028", "911840198501010028", "", date(1985, 1, 1), GenderFemale},
		{"foreign new lowercase x", IDForeignPermanent, "91184019850101001x", "91184019850101001X", "", date(1985, 1, 1), GenderMale},
		{"foreign new bad check", IDForeignPermanent, "911840198501010011", "", "checksum", time.Time{}, ""},
		{"foreign new bad date", IDForeignPermanent, withCheck("91184019850230001"), "", "birth_date", time.Time{}, ""},
		{"foreign new not 9", IDForeignPermanent, "11010519491231002X", "", "format", time.Time{}, ""},
		{"foreign old", IDForeignPermanent, "USA110085010100", "USA110085010100", "", time.Time{}, GenderUnknown},
		{"foreign old lowercase", IDForeignPermanent, "usa110085010100", "USA110085010100", "", time.Time{}, GenderUnknown},
		{"foreign old digit in letters", IDForeignPermanent, "US1110085010100", "", "format", time.Time{}, ""},
		{"foreign old letter in digits", IDForeignPermanent, "USA11008501010A", "", "format", time.Time{}, ""},
		{"foreign wrong length", IDForeignPermanent, "USA1100850101", "", "format", time.Time{}, ""},

		// Passport.
		{"passport Chinese E", IDPassport, "E12345678", "E12345678", "", time.Time{}, GenderUnknown},
		{"passport lowercase", IDPassport, " g12345678 ", "G12345678", "", time.Time{}, GenderUnknown},
		{"passport 5 chars", IDPassport, "AB123", "AB123", "", time.Time{}, GenderUnknown},
		{"passport 17 chars", IDPassport, "ABCDEFGH123456789", "ABCDEFGH123456789", "", time.Time{}, GenderUnknown},
		{"passport 4 chars", IDPassport, "AB12", "", "format", time.Time{}, ""},
		{"passport 18 chars", IDPassport, "ABCDEFGH1234567890", "", "format", time.Time{}, ""},
		{"passport hyphen", IDPassport, "E1234-5678", "", "format", time.Time{}, ""},
		{"passport Cyrillic", IDPassport, "Е12345678", "", "format", time.Time{}, ""}, // Cyrillic Е

		// HK/Macao travel permit.
		{"hk permit", IDHKMacaoPermit, "H12345678", "H12345678", "", time.Time{}, GenderUnknown},
		{"macao permit lowercase", IDHKMacaoPermit, "m12345678", "M12345678", "", time.Time{}, GenderUnknown},
		{"hk permit 10 digits", IDHKMacaoPermit, "H1234567801", "H1234567801", "", time.Time{}, GenderUnknown},
		{"hk permit 9 digits", IDHKMacaoPermit, "H123456789", "", "format", time.Time{}, ""},
		{"hk permit wrong letter", IDHKMacaoPermit, "K12345678", "", "format", time.Time{}, ""},
		{"hk permit no letter", IDHKMacaoPermit, "12345678", "", "format", time.Time{}, ""},

		// Taiwan travel permit.
		{"taiwan 8 digits", IDTaiwanPermit, "12345678", "12345678", "", time.Time{}, GenderUnknown},
		{"taiwan 10 digits", IDTaiwanPermit, "1234567890", "1234567890", "", time.Time{}, GenderUnknown},
		{"taiwan 9 digits", IDTaiwanPermit, "123456789", "", "format", time.Time{}, ""},
		{"taiwan letter suffix", IDTaiwanPermit, "12345678AB", "", "format", time.Time{}, ""},

		// Type.
		{"unknown type", IDType("driver_licence"), "11010519491231002X", "", "type", time.Time{}, ""},
		{"empty type", IDType(""), "11010519491231002X", "", "type", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := ParseID(tt.typ, tt.raw)
			if tt.wantCode != "" {
				if err == nil {
					t.Fatalf("ParseID(%q, %q) = %v, want %s error", tt.typ, tt.raw, id, tt.wantCode)
				}
				if got := ErrorCode(err); got != tt.wantCode {
					t.Fatalf("ErrorCode(%v) = %q, want %q", err, got, tt.wantCode)
				}
				if id != (ID{}) {
					t.Errorf("ParseID returned non-zero ID %v with error", id)
				}
				if len(tt.raw) >= 8 && strings.Contains(err.Error(), strings.TrimSpace(tt.raw)) {
					t.Errorf("error %q leaks the number", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseID(%q, %q): %v", tt.typ, tt.raw, err)
			}
			want := ID{Type: tt.typ, Number: tt.want, BirthDate: tt.birth, Gender: tt.gender}
			if id != want {
				t.Fatalf("ParseID(%q, %q) = %#v, want %#v", tt.typ, tt.raw, id, want)
			}
			// The normalised number must parse to the same ID.
			if again, err := ParseID(tt.typ, id.Number); err != nil || again != id {
				t.Errorf("re-parse = %v, %v", again, err)
			}
		})
	}
}

// withCheck appends the GB 11643 check character to 17 digits.
func withCheck(first17 string) string {
	c, err := ResidentCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

func TestParseIDSentinels(t *testing.T) {
	fixClock(t, testNow)
	tests := []struct {
		typ  IDType
		raw  string
		want error
	}{
		{IDResident, "1101", ErrIDFormat},
		{IDResident, "110105194912310021", ErrIDChecksum},
		{IDResident, "110105194902300020", ErrIDBirthDate},
		{IDResident, "990105194912310023", ErrIDRegion},
		{"nope", "x", ErrIDType},
	}
	for _, tt := range tests {
		_, err := ParseID(tt.typ, tt.raw)
		if !errors.Is(err, tt.want) {
			t.Errorf("ParseID(%q, %q) error = %v, want %v", tt.typ, tt.raw, err, tt.want)
		}
	}
}

func TestParseIDTodayUsesBeijingTime(t *testing.T) {
	// 2025-06-15 20:00 UTC is already 2025-06-16 in Beijing.
	fixClock(t, time.Date(2025, 6, 15, 20, 0, 0, 0, time.UTC))
	if _, err := ParseID(IDResident, withCheck("11010520250616001")); err != nil {
		t.Errorf("born today (Beijing) rejected: %v", err)
	}
	if _, err := ParseID(IDResident, withCheck("11010520250617001")); ErrorCode(err) != "birth_date" {
		t.Errorf("born tomorrow (Beijing): err = %v, want birth_date", err)
	}
}

func TestResidentSingleDigitErrorsDetected(t *testing.T) {
	const valid = "11010519491231002X"
	for i := 0; i < 17; i++ {
		for c := byte('0'); c <= '9'; c++ {
			if c == valid[i] {
				continue
			}
			s := valid[:i] + string(c) + valid[i+1:]
			if _, err := ParseID(IDResident, s); err == nil {
				t.Errorf("substitution at %d accepted: %s", i, s)
			}
		}
	}
}

func TestResidentCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
		err  bool
	}{
		{"11010519491231002", 'X', false},
		{"11010519491231001", '1', false},
		{"44030420000229123", '6', false},
		{"1101051949123100", 0, true},
		{"110105194912310021", 0, true},
		{"1101051949123100A", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ResidentCheckChar(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ResidentCheckChar(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && ErrorCode(err) != "format" {
			t.Errorf("ResidentCheckChar(%q) error code = %q", tt.in, ErrorCode(err))
		}
	}
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{io.EOF, ""},
		{ErrDecrypt, ""},
		{ErrIDFormat, "format"},
		{ErrIDChecksum, "checksum"},
		{ErrIDBirthDate, "birth_date"},
		{ErrIDRegion, "region"},
		{ErrIDType, "type"},
		{ErrCreditFormat, "format"},
		{ErrCreditChecksum, "checksum"},
		{ErrPhoneFormat, "format"},
		{fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", ErrIDRegion)), "region"},
		{errors.Join(io.EOF, ErrIDBirthDate), "birth_date"},
	}
	for _, tt := range tests {
		if got := ErrorCode(tt.err); got != tt.want {
			t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestIDFormattingIsMasked(t *testing.T) {
	id, err := ParseID(IDResident, "11010519491231002X")
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		got := fmt.Sprintf(verb, id)
		if strings.Contains(got, "11010519491231002X") {
			t.Errorf("%s leaks the number: %s", verb, got)
		}
		if !strings.Contains(got, "110105********002X") {
			t.Errorf("%s = %s, want the masked number", verb, got)
		}
	}
}

func TestAgeOn(t *testing.T) {
	tests := []struct {
		birth, on time.Time
		want      int
	}{
		{date(2000, 6, 15), date(2018, 6, 14), 17},
		{date(2000, 6, 15), date(2018, 6, 15), 18},
		{date(2000, 6, 15), date(2018, 6, 16), 18},
		{date(2000, 6, 15), date(2018, 12, 31), 18},
		{date(2000, 6, 15), date(2019, 1, 1), 18},
		{date(2000, 2, 29), date(2018, 2, 28), 17},
		{date(2000, 2, 29), date(2018, 3, 1), 18},
		{date(2000, 2, 29), date(2020, 2, 28), 19},
		{date(2000, 2, 29), date(2020, 2, 29), 20},
		{date(2000, 3, 1), date(2020, 2, 29), 19},
		{date(1949, 12, 31), date(2025, 1, 1), 75},
		{date(2000, 1, 1), date(2000, 1, 1), 0},
		{date(2000, 1, 2), date(2000, 1, 1), 0}, // on before birth
		{date(2000, 6, 15), time.Date(2018, 6, 15, 23, 59, 59, 0, time.UTC), 18},
		{date(2000, 6, 15), time.Date(2018, 6, 15, 0, 30, 0, 0, clock.Zone), 18}, // dates taken in each location
	}
	for _, tt := range tests {
		if got := AgeOn(tt.birth, tt.on); got != tt.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", tt.birth.Format(time.DateOnly), tt.on.Format(time.DateTime), got, tt.want)
		}
	}
}
