package attendance

import "time"

// Attendance actions, as audited and as a Scan's Action.
const (
	ActionCheckIn  = "check_in"
	ActionCheckOut = "check_out"
)

// Rules of attendance.
const (
	CheckInOpensBefore = 30 * time.Minute // check-in opens this long before the shift starts
	CheckOutGrace      = 6 * time.Hour    // a forgotten check-out may still be scanned this long after the end
	MaxPairsPerDay     = 3                // in/out pairs a day per volunteer per project
)

// DefaultCheckOutAfter is CheckOutAfter unless configured.
const DefaultCheckOutAfter = time.Minute

// Scan is the outcome of a check-in code scan.
type Scan struct {
	Action      string
	At          time.Time
	ShiftID     int64
	VolunteerID int64
	RecordID    int64 // set on check-out
	Minutes     int   // the record's length, set on check-out
}

// Location is where a phone was at the moment of a scan. It is checked
// against the shift's geofence and not kept.
type Location struct {
	Lat, Lng float64
}

// ManualAttendance is a leader entering attendance by hand.
type ManualAttendance struct {
	VolunteerID int64  `json:"volunteer_id"`
	CheckInAt   string `json:"check_in_at"`
	CheckOutAt  string `json:"check_out_at"`
	Reason      string `json:"reason"`
}

// Present is one signed-up volunteer of a shift with their attendance.
type Present struct {
	VolunteerID int64
	Name        string
	No          string
	Signup      string
	CheckIn     time.Time
	CheckOut    time.Time
}
