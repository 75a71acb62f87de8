package clock

import (
	"testing"
	"time"
)

func TestDayBoundary(t *testing.T) {
	// 2026-03-04 23:59:59 in Beijing is 15:59:59 UTC; a second later is the 5th.
	last := time.Date(2026, 3, 4, 15, 59, 59, 0, time.UTC)
	if got := Day(last); got != "2026-03-04" {
		t.Errorf("Day(%v) = %s", last, got)
	}
	if got := DayOfUnix(last.Unix() + 1); got != "2026-03-05" {
		t.Errorf("a second later: %s", got)
	}
	if m := Midnight(last.Add(time.Second)); !m.Equal(last.Add(time.Second)) {
		t.Errorf("Midnight: %v", m)
	}
	if ShiftedUnix("at") != "(at + 28800)" {
		t.Errorf("ShiftedUnix: %s", ShiftedUnix("at"))
	}
}
