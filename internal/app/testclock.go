package app

import (
	"os"
	"strings"
	"time"
)

// fileClock is the service-record clock of a server driven by a load or
// browser test (ZHIYUAN_TEST_CLOCK_FILE): the wall clock moved on by the
// duration written in the file ("2m"), read at every call, so the test
// advances the server's clock between a check-in and a check-out as the
// in-process tests advance Records.Now and Attendance.Now. A missing or unreadable file is no
// offset.
func fileClock(path string) func() time.Time {
	return func() time.Time {
		b, err := os.ReadFile(path)
		if err != nil {
			return time.Now()
		}
		d, err := time.ParseDuration(strings.TrimSpace(string(b)))
		if err != nil {
			return time.Now()
		}
		return time.Now().Add(d)
	}
}
