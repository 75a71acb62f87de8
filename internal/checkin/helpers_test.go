package checkin

import (
	"bytes"
	"testing"
	"time"
)

// testStart is the start of a window for the default period.
var testStart = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// testCodes returns Codes with a fixed key and a clock at testStart.
func testCodes(tb testing.TB) (*Codes, *clock) {
	tb.Helper()
	clk := &clock{t: testStart}
	c, err := NewCodes(bytes.Repeat([]byte{0x42}, MinKeySize), 0, clk.now)
	if err != nil {
		tb.Fatal(err)
	}
	return c, clk
}
