package apptest

import (
	"fmt"
	"time"

	"zhiyuan/internal/pii"
)

// ResidentID returns a valid 18-digit resident ID number for a person born
// on birth in the county region6, with a sequence number whose parity gives
// the gender (odd male, even female).
func ResidentID(region6 string, birth time.Time, seq int) string {
	first17 := fmt.Sprintf("%s%s%03d", region6, birth.Format("20060102"), seq%1000)
	c, err := pii.ResidentCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

// BornYearsAgo returns a birth date years (and days) before now.
func BornYearsAgo(years, days int) time.Time {
	return time.Now().AddDate(-years, 0, -days)
}

// Mobile returns a distinct valid mobile number for n.
func Mobile(n int) string { return fmt.Sprintf("137%08d", n%100000000) }
