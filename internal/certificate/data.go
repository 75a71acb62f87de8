package certificate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"zhiyuan/internal/clock"
)

// Data is everything a certificate shows. The language is always Chinese.
// Every field except Signature and KeyID is covered by the signature (see
// Payload).
type Data struct {
	Serial         string       // certificate number, e.g. "ZY-2026-000123"
	VerifyCode     string       // opaque random URL-safe code the verification page looks up
	VolunteerName  string       // real name
	IDTypeLabel    string       // e.g. "居民身份证"
	IDNumberMasked string       // the last four only, e.g. "**************002X" (pii.MaskIDTail)
	VolunteerNo    string       // 志愿者编号
	TotalMinutes   int          // confirmed service time; must equal the sum of Records and Rest
	Records        []RecordLine // the service records listed one by one, oldest first (at most MaxRecords)
	Rest           []RestLine   // the records not listed, summed by year and team, oldest first
	Summary        string       // 主要服务内容: a short summary of what the volunteer did
	IssuerTeam     string       // the team that recorded the hours and issues the certificate
	IssuerPerson   string       // the team's person in charge (负责人)
	IssuerContact  string       // a masked mobile number or a landline
	IssuedOn       time.Time    // shown, and signed, as a date in Asia/Shanghai
	VerifyURL      string       // full URL encoded in the QR code

	Signature []byte // Ed25519 signature of Payload(d), from (*Signer).Sign
	KeyID     string // KeyID of the signing key, from (*Signer).KeyID
}

// RecordLine is one service record as the certificate lists it.
type RecordLine struct {
	Date    string // service date in Asia/Shanghai, "2026-03-05"
	Project string // project name
	Content string // what was done
	Minutes int    // confirmed minutes
}

// MaxRecords is the most records a certificate lists one by one; the
// others are summed by year and team in Rest, so a certificate of
// thousands of records stays a few pages.
const MaxRecords = 200

// MaxRest is the most summary lines a certificate carries.
const MaxRest = 200

// RestLine sums the records of one year and team that a certificate does
// not list one by one.
type RestLine struct {
	Year    string // "2024"
	Team    string // the team that recorded them
	Records int    // how many
	Minutes int    // their confirmed minutes
	First   string // the first service date, "2024-01-05"
	Last    string // the last service date
}

// ErrInvalid is wrapped by every error Validate returns.
var ErrInvalid = errors.New("certificate: invalid data")

// dateLayout is the layout of RecordLine.Date and of the signed issue date.
const dateLayout = "2006-01-02"

// Validate reports the first missing or malformed field, wrapping ErrInvalid.
func (d Data) Validate() error {
	required := []struct{ name, v string }{
		{"Serial", d.Serial}, {"VerifyCode", d.VerifyCode}, {"VolunteerName", d.VolunteerName},
		{"IDTypeLabel", d.IDTypeLabel}, {"IDNumberMasked", d.IDNumberMasked},
		{"VolunteerNo", d.VolunteerNo}, {"IssuerTeam", d.IssuerTeam},
		{"IssuerPerson", d.IssuerPerson}, {"IssuerContact", d.IssuerContact},
		{"VerifyURL", d.VerifyURL},
	}
	for _, f := range required {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("%w: %s is empty", ErrInvalid, f.name)
		}
	}
	for _, f := range append(required, struct{ name, v string }{"Summary", d.Summary}) {
		if err := printable(f.v); err != nil {
			return fmt.Errorf("%w: %s %v", ErrInvalid, f.name, err)
		}
	}
	if d.IssuedOn.IsZero() {
		return fmt.Errorf("%w: IssuedOn is zero", ErrInvalid)
	}
	if d.TotalMinutes < 0 {
		return fmt.Errorf("%w: TotalMinutes is negative", ErrInvalid)
	}
	sum := 0
	for i, r := range d.Records {
		if _, err := time.Parse(dateLayout, r.Date); err != nil {
			return fmt.Errorf("%w: record %d: date %q is not YYYY-MM-DD", ErrInvalid, i+1, r.Date)
		}
		if r.Minutes < 0 {
			return fmt.Errorf("%w: record %d: negative minutes", ErrInvalid, i+1)
		}
		for _, s := range []string{r.Project, r.Content} {
			if err := printable(s); err != nil {
				return fmt.Errorf("%w: record %d: %v", ErrInvalid, i+1, err)
			}
		}
		sum += r.Minutes
	}
	if len(d.Records) > MaxRecords || len(d.Rest) > MaxRest {
		return fmt.Errorf("%w: %d records and %d summary lines, at most %d and %d", ErrInvalid, len(d.Records), len(d.Rest), MaxRecords, MaxRest)
	}
	for i, r := range d.Rest {
		_, err1 := time.Parse(dateLayout, r.First)
		_, err2 := time.Parse(dateLayout, r.Last)
		if err1 != nil || err2 != nil || r.Minutes < 0 || r.Records <= 0 {
			return fmt.Errorf("%w: summary line %d is malformed", ErrInvalid, i+1)
		}
		for _, s := range []string{r.Year, r.Team} {
			if err := printable(s); err != nil {
				return fmt.Errorf("%w: summary line %d: %v", ErrInvalid, i+1, err)
			}
		}
		sum += r.Minutes
	}
	if len(d.Records)+len(d.Rest) > 0 && sum != d.TotalMinutes {
		return fmt.Errorf("%w: TotalMinutes %d differs from the records' sum %d", ErrInvalid, d.TotalMinutes, sum)
	}
	return nil
}

// printable rejects invalid UTF-8 and control characters, which have no
// place on a printed page.
func printable(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("is not valid UTF-8")
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		return fmt.Errorf("has a control character at byte %d", i)
	}
	return nil
}

// Period returns the first and last service dates (listed or summed) ("2026-03-05"), or two
// empty strings when there are no records.
func (d Data) Period() (from, to string) {
	span := func(first, last string) {
		if from == "" || first < from {
			from = first
		}
		if last > to {
			to = last
		}
	}
	for _, r := range d.Rest {
		span(r.First, r.Last)
	}
	for _, r := range d.Records {
		span(r.Date, r.Date)
	}
	return from, to
}

// FormatHours shows minutes as hours with one decimal, rounding half up at
// the first decimal (125 → "2.1", 3 → "0.1", 7530 → "125.5"). Negative
// input is shown with a minus sign and rounded away from zero.
func FormatHours(minutes int) string {
	neg := minutes < 0
	if neg {
		minutes = -minutes
	}
	tenths := (minutes*10 + 30) / 60 // +30 = half of 60: round half up
	s := strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
	if neg {
		s = "-" + s
	}
	return s
}

// FormatDate shows t's date in Asia/Shanghai as "2026年3月5日".
func FormatDate(t time.Time) string {
	t = t.In(clock.Zone)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// formatISODate turns "2026-03-05" into "2026年3月5日"; input that does not
// parse is returned as it is.
func formatISODate(s string) string {
	t, err := time.ParseInLocation(dateLayout, s, clock.Zone)
	if err != nil {
		return s
	}
	return FormatDate(t)
}
