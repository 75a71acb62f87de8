package pii

import (
	"strings"
	"unicode/utf8"
)

// normalizeASCII trims surrounding white space (including the ideographic
// space U+3000), folds full-width ASCII forms (U+FF01–U+FF5E, which Chinese
// input methods often produce) and inner ideographic spaces to ASCII and uppercases ASCII letters. It
// reports false if any other non-ASCII rune or invalid UTF-8 remains, so that
// callers never accept look-alike characters.
func normalizeASCII(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		if r >= utf8.RuneSelf {
			return "", false // includes utf8.RuneError from invalid bytes
		}
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteByte(byte(r))
	}
	return b.String(), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
