package volunteer

import (
	"crypto/rand"
	"math/big"
)

// Volunteer numbers (志愿者编号) are 12 digits: 11 random digits, the first
// not zero, and a Luhn check digit, so a mistyped number is caught before a
// lookup. Random rather than sequential, so a number tells nothing about the
// size of the register or the order of registration.

// NoLength is the length of a volunteer number.
const NoLength = 12

func newNumber() (string, error) {
	b := make([]byte, NoLength-1)
	for i := range b {
		lo := int64(0)
		if i == 0 {
			lo = 1
		}
		n, err := rand.Int(rand.Reader, big.NewInt(10-lo))
		if err != nil {
			return "", err
		}
		b[i] = byte('0' + lo + n.Int64())
	}
	return string(b) + string(luhnDigit(string(b))), nil
}

// luhnDigit returns the Luhn check digit for a string of digits.
func luhnDigit(digits string) byte {
	sum := 0
	double := true
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// ValidNo reports whether s is a well-formed volunteer number.
func ValidNo(s string) bool {
	if len(s) != NoLength || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return luhnDigit(s[:NoLength-1]) == s[NoLength-1]
}
