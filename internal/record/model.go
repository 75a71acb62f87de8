// Package record keeps the legal record of service hours (志愿服务记录):
// records are created at a check-out (package attendance asks, in its own
// transaction) clipped to the shift, confirmed by the team within 10
// working days, never deleted (voided or amended with a reason and a
// history), and backfilled (补录) only with evidence and a second approver.
// It also gives a volunteer's hours, star level and certificates.
package record

import "time"

// Record states.
const (
	StatePending         = "pending"          // from attendance, awaiting the team's confirmation
	StatePendingApproval = "pending_approval" // a backfill awaiting its second approver
	StateConfirmed       = "confirmed"
	StateVoided          = "voided"
)

// ConfirmWorkingDays is how many working days the team has to confirm a
// record.
const ConfirmWorkingDays = 10

// Record is one entry of the record of service hours (办法 art. 7).
type Record struct {
	ID          int64
	VolunteerID int64
	TeamID      int64
	TeamName    string
	ProjectID   int64
	ShiftID     int64
	RegionCode  string
	Activity    string
	Place       string
	Content     string
	StartsAt    time.Time
	EndsAt      time.Time
	Minutes     int
	LeaderName  string
	State       string
	Backfilled  bool
	RecordedBy  int64
	ConfirmedAt time.Time
	DueAt       time.Time
	Version     int
}

// Summary is a volunteer's hours and star level.
type Summary struct {
	VolunteerID      int64
	TotalMinutes     int64 // all records not voided
	ConfirmedMinutes int64
	StarLevel        int
	NextStarMinutes  int64 // confirmed minutes needed for the next star, 0 at the top
}

// Backfill is a record entered after the fact.
type Backfill struct {
	VolunteerID       int64   `json:"volunteer_id"`
	ProjectID         int64   `json:"project_id"`
	StartsAt          string  `json:"starts_at"`
	EndsAt            string  `json:"ends_at"`
	Content           string  `json:"content"`
	Place             string  `json:"place"`
	EvidenceUploadIDs []int64 `json:"evidence_upload_ids"`
}

// HistoryEntry is one change of a record.
type HistoryEntry struct {
	Action string
	Reason string
	Before string
	After  string
	By     int64
	At     time.Time
}
