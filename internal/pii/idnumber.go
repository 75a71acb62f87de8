package pii

import (
	"fmt"
	"time"

	"zhiyuan/internal/clock"
)

// IDType identifies the kind of identity document a number belongs to.
type IDType string

// Supported identity document types. The string values are stable and may be
// stored in the database.
const (
	// IDResident is the mainland resident identity card (居民身份证, GB 11643-1999).
	IDResident IDType = "resident"
	// IDPassport is a passport of any country (护照).
	IDPassport IDType = "passport"
	// IDHKMacaoPermit is the Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证).
	IDHKMacaoPermit IDType = "hk_macao_permit"
	// IDTaiwanPermit is the Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证).
	IDTaiwanPermit IDType = "taiwan_permit"
	// IDHKMTResidence is the Residence Permit for Hong Kong, Macao and Taiwan Residents (港澳台居民居住证).
	IDHKMTResidence IDType = "hkmt_residence"
	// IDForeignPermanent is the Foreign Permanent Resident ID Card (外国人永久居留身份证), old and 2023 formats.
	IDForeignPermanent IDType = "foreign_permanent"
)

// Gender is the sex encoded in an ID number.
type Gender string

// Gender values; GenderUnknown is used when the document does not encode it.
const (
	// GenderUnknown means the document type does not encode the holder's sex.
	GenderUnknown Gender = ""
	// GenderMale is encoded by an odd 17th digit.
	GenderMale Gender = "M"
	// GenderFemale is encoded by an even 17th digit.
	GenderFemale Gender = "F"
)

// ID is a validated, normalised identity document number.
type ID struct {
	// Type is the document type the number was validated as.
	Type IDType
	// Number is the normalised number: trimmed, ASCII, upper case.
	Number string
	// BirthDate is midnight UTC of the encoded birth date, or zero if the type does not encode one.
	BirthDate time.Time
	// Gender is the encoded sex, or GenderUnknown.
	Gender Gender
}

// String returns the type and the masked number, so that an ID that ends up
// in a log line or error message does not leak the full number.
func (id ID) String() string {
	return string(id.Type) + ":" + MaskID(id.Number)
}

// GoString is like String, so that %#v does not leak the number either.
func (id ID) GoString() string { return "pii.ID{" + id.String() + "}" }

// residentWeights are the GB 11643-1999 ISO 7064 MOD 11-2 weights.
var residentWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const residentCheckChars = "10X98765432"

// nowFunc is the clock used for the not-in-the-future check; tests replace it.
var nowFunc = time.Now

// minBirthDate is the earliest birth date accepted.
var minBirthDate = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)

// ResidentCheckChar returns the GB 11643-1999 check character ('0'–'9' or
// 'X') for the first 17 digits of an 18-character ID number.
func ResidentCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 || !allDigits(first17) {
		return 0, fmt.Errorf("%w: check character needs exactly 17 digits", ErrIDFormat)
	}
	return residentCheck(first17), nil
}

// residentCheck computes the check character; first17 must be 17 digits.
func residentCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * residentWeights[i]
	}
	return residentCheckChars[sum%11]
}

// ParseID validates raw as a number of document type t and returns it
// normalised. Surrounding white space is trimmed, full-width characters are
// folded to ASCII and letters are uppercased (so a trailing "x" is accepted).
// Errors wrap ErrIDType, ErrIDFormat, ErrIDRegion, ErrIDBirthDate or
// ErrIDChecksum and never contain the number itself.
func ParseID(t IDType, raw string) (ID, error) {
	switch t {
	case IDResident, IDPassport, IDHKMacaoPermit, IDTaiwanPermit, IDHKMTResidence, IDForeignPermanent:
	default:
		return ID{}, fmt.Errorf("%w %q", ErrIDType, string(t))
	}
	s, ok := normalizeASCII(raw)
	if !ok {
		return ID{}, fmt.Errorf("%w: only letters and digits are allowed", ErrIDFormat)
	}
	id := ID{Type: t, Number: s}
	var err error
	switch t {
	case IDResident:
		id.BirthDate, id.Gender, err = parseGB11643(s, residentRegion)
	case IDHKMTResidence:
		id.BirthDate, id.Gender, err = parseGB11643(s, hkmtRegion)
	case IDForeignPermanent:
		id.BirthDate, id.Gender, err = parseForeignPermanent(s)
	case IDPassport:
		err = checkPassport(s)
	case IDHKMacaoPermit:
		err = checkHKMacaoPermit(s)
	case IDTaiwanPermit:
		err = checkTaiwanPermit(s)
	}
	if err != nil {
		return ID{}, err
	}
	return id, nil
}

// parseGB11643 validates an 18-character GB 11643 number: format, then the
// region via region, then the birth date, then the check character.
func parseGB11643(s string, region func(string) error) (time.Time, Gender, error) {
	if len(s) != 18 {
		return time.Time{}, "", fmt.Errorf("%w: want 18 characters, got %d", ErrIDFormat, len(s))
	}
	if !allDigits(s[:17]) || !(isDigit(s[17]) || s[17] == 'X') {
		return time.Time{}, "", fmt.Errorf("%w: want 17 digits and a digit or X", ErrIDFormat)
	}
	if err := region(s); err != nil {
		return time.Time{}, "", err
	}
	birth, err := parseBirthDate(s[6:14])
	if err != nil {
		return time.Time{}, "", err
	}
	if residentCheck(s[:17]) != s[17] {
		return time.Time{}, "", fmt.Errorf("%w: last character does not match", ErrIDChecksum)
	}
	gender := GenderFemale
	if (s[16]-'0')%2 == 1 {
		gender = GenderMale
	}
	return birth, gender, nil
}

// residentRegion accepts the province-level codes listed by GB/T 2260 plus
// 81–83 (Hong Kong, Macao, Taiwan) and 91.
func residentRegion(s string) error {
	p := int(s[0]-'0')*10 + int(s[1]-'0')
	switch {
	case 11 <= p && p <= 15, 21 <= p && p <= 23, 31 <= p && p <= 37,
		41 <= p && p <= 46, 50 <= p && p <= 54, 61 <= p && p <= 65,
		p == 71, p == 81, p == 82, p == 83, p == 91:
		return nil
	}
	return fmt.Errorf("%w: unknown province code %02d", ErrIDRegion, p)
}

// hkmtRegion accepts only the address codes used on HK/Macao/Taiwan residence permits.
func hkmtRegion(s string) error {
	switch s[:6] {
	case "810000", "820000", "830000":
		return nil
	}
	return fmt.Errorf("%w: residence permit must start with 810000, 820000 or 830000", ErrIDRegion)
}

// parseBirthDate parses an 8-digit YYYYMMDD date and checks that it is a real
// calendar date between 1900-01-01 and today (Beijing time) inclusive.
func parseBirthDate(s string) (time.Time, error) {
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := time.Month(int(s[4]-'0')*10 + int(s[5]-'0'))
	d := int(s[6]-'0')*10 + int(s[7]-'0')
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if ty, tm, td := t.Date(); ty != y || tm != m || td != d {
		return time.Time{}, fmt.Errorf("%w: not a calendar date", ErrIDBirthDate)
	}
	if t.Before(minBirthDate) {
		return time.Time{}, fmt.Errorf("%w: before 1900-01-01", ErrIDBirthDate)
	}
	ny, nm, nd := nowFunc().In(clock.Zone).Date()
	if t.After(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)) {
		return time.Time{}, fmt.Errorf("%w: in the future", ErrIDBirthDate)
	}
	return t, nil
}

// parseForeignPermanent validates both Foreign Permanent Resident ID formats:
// the pre-2023 one (3 letters + 12 digits, nothing decoded) and the 2023 one
// (18 characters, "9" + GB 11643 layout: birth date in characters 7–14, sex in
// the 17th digit, MOD 11-2 check character).
func parseForeignPermanent(s string) (time.Time, Gender, error) {
	switch len(s) {
	case 15:
		if !isUpper(s[0]) || !isUpper(s[1]) || !isUpper(s[2]) || !allDigits(s[3:]) {
			return time.Time{}, "", fmt.Errorf("%w: want 3 letters and 12 digits", ErrIDFormat)
		}
		return time.Time{}, GenderUnknown, nil
	case 18:
		if s[0] != '9' {
			return time.Time{}, "", fmt.Errorf("%w: 18-character number must start with 9", ErrIDFormat)
		}
		return parseGB11643(s, func(string) error { return nil })
	}
	return time.Time{}, "", fmt.Errorf("%w: want 15 or 18 characters, got %d", ErrIDFormat, len(s))
}

// checkPassport accepts 5–17 letters and digits.
func checkPassport(s string) error {
	if len(s) < 5 || len(s) > 17 {
		return fmt.Errorf("%w: want 5 to 17 characters, got %d", ErrIDFormat, len(s))
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && !isUpper(s[i]) {
			return fmt.Errorf("%w: only letters and digits are allowed", ErrIDFormat)
		}
	}
	return nil
}

// checkHKMacaoPermit accepts H or M followed by 8 digits, or by 10 digits
// (older permits with a 2-digit issue counter).
func checkHKMacaoPermit(s string) error {
	if (len(s) == 9 || len(s) == 11) && (s[0] == 'H' || s[0] == 'M') && allDigits(s[1:]) {
		return nil
	}
	return fmt.Errorf("%w: want H or M followed by 8 or 10 digits", ErrIDFormat)
}

// checkTaiwanPermit accepts 8 digits (current permits) or 10 digits (older ones).
func checkTaiwanPermit(s string) error {
	if (len(s) == 8 || len(s) == 10) && allDigits(s) {
		return nil
	}
	return fmt.Errorf("%w: want 8 or 10 digits", ErrIDFormat)
}

// AgeOn returns the age in whole years on the date of on for someone born on
// the date of birth, each date taken in its own time's location. A birthday
// on 29 February is reached on 1 March in common years. It returns 0 if on is
// before birth.
func AgeOn(birth, on time.Time) int {
	by, bm, bd := birth.Date()
	oy, om, od := on.Date()
	age := oy - by
	if om < bm || (om == bm && od < bd) {
		age--
	}
	if age < 0 {
		return 0
	}
	return age
}
