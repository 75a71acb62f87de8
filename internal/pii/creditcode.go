package pii

import (
	"fmt"
	"strings"
)

// creditAlphabet is the GB 32100-2015 character set (no I, O, S, V, Z); a
// character's index is its numeric value.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the GB 32100-2015 weights (3^i mod 31).
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditValue returns the numeric value of c, or -1 if c is not in the alphabet.
func creditValue(c byte) int {
	return strings.IndexByte(creditAlphabet, c)
}

// CreditCheckChar returns the GB 32100-2015 check character for the first 17
// characters of a unified social credit code (统一社会信用代码). first17 must
// already be upper case.
func CreditCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("%w: check character needs exactly 17 characters", ErrCreditFormat)
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := creditValue(first17[i])
		if v < 0 {
			return 0, fmt.Errorf("%w: character %d is not allowed", ErrCreditFormat, i+1)
		}
		sum += v * creditWeights[i]
	}
	return creditAlphabet[(31-sum%31)%31], nil
}

// ParseCreditCode validates raw as an 18-character unified social credit code
// (GB 32100-2015) and returns it normalised: trimmed, full-width folded and
// upper case. Errors wrap ErrCreditFormat or ErrCreditChecksum.
func ParseCreditCode(raw string) (string, error) {
	s, ok := normalizeASCII(raw)
	if !ok {
		return "", fmt.Errorf("%w: only letters and digits are allowed", ErrCreditFormat)
	}
	if len(s) != 18 {
		return "", fmt.Errorf("%w: want 18 characters, got %d", ErrCreditFormat, len(s))
	}
	if creditValue(s[17]) < 0 {
		return "", fmt.Errorf("%w: character 18 is not allowed", ErrCreditFormat)
	}
	want, err := CreditCheckChar(s[:17])
	if err != nil {
		return "", err
	}
	if want != s[17] {
		return "", fmt.Errorf("%w: last character does not match", ErrCreditChecksum)
	}
	return s, nil
}
