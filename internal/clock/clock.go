// Package clock is the platform's one idea of local time: the zone its
// people live in and the day a moment falls on, in Go and in SQL, kept
// equal. (Services still carry their own Now, which tests replace.)
package clock

import (
	"strconv"
	"time"
)

// OffsetSeconds is China Standard Time's offset from UTC: eight hours, with
// no daylight saving since 1991.
const OffsetSeconds = 8 * 60 * 60

// Zone is Asia/Shanghai, fixed at UTC+8 so that it needs no tzdata: every
// time is stored in UTC and shown, and cut into days, in this zone.
var Zone = time.FixedZone("CST", OffsetSeconds)

// Day is the date (YYYY-MM-DD) of t in Zone.
func Day(t time.Time) string { return t.In(Zone).Format(time.DateOnly) }

// DayOfUnix is Day of a unix time in seconds.
func DayOfUnix(unix int64) string { return Day(time.Unix(unix, 0)) }

// Midnight is the start of t's day in Zone.
func Midnight(t time.Time) time.Time {
	y, m, d := t.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Zone)
}

// ShiftedUnix is the SQL expression of a unix-seconds column moved into
// Zone, from which a database's UTC date functions give Day: the one place
// SQL learns the offset (db.Dialect.BeijingDay uses it).
func ShiftedUnix(column string) string {
	return "(" + column + " + " + strconv.Itoa(OffsetSeconds) + ")"
}
