package loadgen

import (
	"fmt"
	"time"

	"zhiyuan/internal/pii"
)

// residentID is a valid 18-digit resident ID number (as apptest.ResidentID,
// without pulling the test harness into the load program).
func residentID(region6 string, birth time.Time, seq int) string {
	first17 := fmt.Sprintf("%s%s%03d", region6, birth.Format("20060102"), seq%1000)
	c, err := pii.ResidentCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}
