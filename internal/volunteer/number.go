package volunteer

import (
	"crypto/rand"
	"encoding/binary"
	"math"
	"strconv"
)

// Volunteer numbers (志愿者编号) are 12 digits: 11 random digits, the first
// not zero, and a Luhn check digit, so a mistyped number is caught before a
// lookup. Random rather than sequential, so a number tells nothing about the
// size of the register or the order of registration.

// NoLength is the length of a volunteer number.
const NoLength = 12

func newNumber() (string, error) {
	// The body is uniform over [10^10, 10^11): eight random bytes, drawn
	// again in the rare case they fall in the incomplete last span.
	const lo, span uint64 = 1e10, 9e10
	const limit = math.MaxUint64 - math.MaxUint64%span
	var b [8]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		if v := binary.LittleEndian.Uint64(b[:]); v < limit {
			digits := strconv.AppendUint(make([]byte, 0, NoLength), lo+v%span, 10)
			return string(append(digits, luhnDigit(string(digits)))), nil
		}
	}
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
