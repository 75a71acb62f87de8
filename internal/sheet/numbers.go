package sheet

import (
	"strconv"
	"strings"
)

// columnNumber returns the 1-based column of a cell reference such as
// "AB12": 1 to 18278 for one to three letters, 0 for anything else.
func columnNumber(ref string) int {
	n, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		n = n*26 + int(c-'a'+1)
	}
	if i == 0 || i > 3 {
		return 0
	}
	return n
}

// expandInteger writes a stored number such as "1.1010519491231E+17" or
// "13800138000" as the exact integer it denotes ("110105194912310000"). It
// reports false for anything that is not a non-negative integer.
func expandInteger(raw string) (string, bool) {
	mant, exp, hasExp := strings.Cut(strings.ToUpper(strings.TrimSpace(raw)), "E")
	e := 0
	if hasExp {
		var err error
		if e, err = strconv.Atoi(exp); err != nil || e < -30 || e > 30 {
			return "", false
		}
	}
	whole, frac, _ := strings.Cut(strings.TrimPrefix(mant, "+"), ".")
	digits := whole + frac
	if digits == "" || !allDigits(digits) {
		return "", false
	}
	point := len(whole) + e
	switch {
	case point < 0:
		point = 0
		fallthrough
	case point <= len(digits):
		if strings.Trim(digits[point:], "0") != "" {
			return "", false
		}
		digits = digits[:point]
	default:
		digits += strings.Repeat("0", point-len(digits))
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		digits = "0"
	}
	return digits, true
}

// formatNumber writes a stored number as Excel's General format would,
// except that integers are written in full: "110105194912310021" stays so,
// where Excel and excelize show "1.10105E+17". Other numbers keep 15
// significant digits ("0.1" for 0.1000000000000000055).
func formatNumber(v string) string {
	if d, ok := expandInteger(v); ok {
		return d
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// isDateFormat reports whether a number format shows a date or time: one of
// the built-in date formats, or a format code with date or time letters
// outside quotes, escapes and [brackets].
func isDateFormat(id int, code string) bool {
	if code == "" {
		return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58)
	}
	if strings.EqualFold(code, "General") {
		return false
	}
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case quoted:
			quoted = c != '"'
		case bracket:
			bracket = c != ']'
		case c == '"':
			quoted = true
		case c == '[':
			bracket = true
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal, padding or fill
		case strings.IndexByte("yYmMdDhHsS", c) >= 0:
			return true
		}
	}
	return false
}

// stylesXML is what the Reader needs of xl/styles.xml.
type stylesXML struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Xfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// dateStyles returns, by cell style index, whether the style shows a date.
func (s *stylesXML) dateStyles() []bool {
	codes := make(map[int]string, len(s.NumFmts))
	for _, f := range s.NumFmts {
		codes[f.ID] = f.Code
	}
	dates := make([]bool, len(s.Xfs))
	for i, xf := range s.Xfs {
		dates[i] = isDateFormat(xf.NumFmtID, codes[xf.NumFmtID])
	}
	return dates
}
