package record

import "time"

// DueAt is when the team must have confirmed a record created at t: ten
// working days later, as for a record from a check-out. For writers that
// store records in bulk (the data generator).
func DueAt(t time.Time) time.Time { return addWorkingDays(t, ConfirmWorkingDays) }
