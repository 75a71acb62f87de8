package pii

import (
	"fmt"
	"strings"
)

// NormalizePhone validates a mainland China phone number and returns it in
// canonical form. Spaces, dashes and parentheses are ignored, full-width
// characters are folded, and a +86 or 0086 country prefix is removed.
//
// Mobile numbers (1[3-9] and 9 more digits) are returned as 11 digits, e.g.
// "13812345678". Landlines (area code 0 + 2–3 digits, local number of 7–8
// digits) are returned as area code, dash, local number, e.g.
// "022-23456789"; the split is derived from the area code, not from where the
// caller put a dash. Extensions are not accepted. Errors wrap ErrPhoneFormat.
func NormalizePhone(raw string) (string, error) {
	s, ok := normalizeASCII(raw)
	if !ok {
		return "", fmt.Errorf("%w: unexpected character", ErrPhoneFormat)
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')':
			return -1
		}
		return r
	}, s)
	international := false
	for _, p := range []string{"+86", "0086"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s, international = rest, true
			break
		}
	}
	if s == "" || !allDigits(s) {
		return "", fmt.Errorf("%w: only digits are allowed", ErrPhoneFormat)
	}
	if s[0] == '1' {
		if len(s) == 11 && s[1] >= '3' {
			return s, nil
		}
		return "", fmt.Errorf("%w: mobile numbers have 11 digits starting 13–19", ErrPhoneFormat)
	}
	if international && s[0] != '0' {
		s = "0" + s // +86 22 2345 6789 drops the trunk prefix
	}
	return normalizeLandline(s)
}

// normalizeLandline splits a digit string starting with the trunk prefix 0
// into area code and local number. Area codes 010 and 020–029 have two digits
// after the 0; all others have three.
func normalizeLandline(s string) (string, error) {
	if len(s) < 3 || s[0] != '0' || s[1] == '0' || (s[1] == '1' && s[2] != '0') {
		return "", fmt.Errorf("%w: landlines need a valid area code starting with 0", ErrPhoneFormat)
	}
	area := 4
	if s[1] == '1' || s[1] == '2' {
		area = 3
	}
	if len(s) < area+7 || len(s) > area+8 || s[area] < '2' {
		return "", fmt.Errorf("%w: landline local numbers have 7 or 8 digits", ErrPhoneFormat)
	}
	return s[:area] + "-" + s[area:], nil
}
