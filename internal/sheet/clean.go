package sheet

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean normalises one cell the way every import field needs: full-width
// ASCII forms (U+FF01–U+FF5E, typed by Chinese input methods) become ASCII,
// zero-width and direction marks (U+200B–U+200F, U+2060, U+FEFF, U+00AD) and
// other control characters are dropped, every run of white space (including
// U+3000, NBSP, tabs and line breaks) becomes one space, and the ends are
// trimmed. Case is kept. Clean is idempotent.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case invisible(r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII without leading, trailing or
// doubled spaces, which Clean returns unchanged.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7F {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// invisible reports the format characters that hide in copied text.
func invisible(r rune) bool {
	return (r >= 0x200B && r <= 0x200F) || r == 0x2060 || r == 0xFEFF || r == 0x00AD
}

// joinHan removes the spaces between two Han characters of a cleaned string,
// so that "张 三" becomes "张三" and "天津市 和平区" becomes "天津市和平区",
// while "Li Ming" keeps its space.
func joinHan(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	for i, r := range s {
		if r == ' ' && unicode.Is(unicode.Han, prev) {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if unicode.Is(unicode.Han, next) {
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// cleanIDNumber cleans an ID number cell: Clean, then drop the leading
// apostrophe Excel users type to force text, and every space ("1101 0519…").
func cleanIDNumber(s string) string {
	s = strings.TrimPrefix(Clean(s), "'")
	return strings.ReplaceAll(s, " ", "")
}

// IDNumberLooksMangled reports whether a cleaned ID number has the shape
// Excel leaves after storing it as a number: scientific notation such as
// "1.10105E+17", or an integer of 16–18 digits whose digits after the 15th
// are all 0 ("110105194912310000"), because a numeric cell keeps only 15
// significant digits.
//
// The second shape is also, rarely, a genuine ID, so the Reader sets
// Row.Notes[FieldIDNumber] = NoteMangled for it only when the cell really was
// numeric; for a text cell the caller may still use this function to explain
// a failed checksum.
func IDNumberLooksMangled(cleaned string) bool {
	if isScientific(cleaned) {
		return true
	}
	n := len(cleaned)
	return n >= 16 && n <= 18 && allDigits(cleaned) && strings.Trim(cleaned[15:], "0") == ""
}

// isScientific reports whether s is a number in E notation, such as
// "1.10105E+17" or "1.1010519491231e17".
func isScientific(s string) bool {
	mant, exp, ok := strings.Cut(strings.ToUpper(s), "E")
	if !ok || mant == "" {
		return false
	}
	whole, frac, _ := strings.Cut(mant, ".")
	exp = strings.TrimLeft(exp, "+-")
	return whole != "" && allDigits(whole) && allDigits(frac) && exp != "" && allDigits(exp)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
