package record

import (
	"context"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

// CheckOut is a closed attendance on a shift, for its record.
type CheckOut struct {
	AttendanceID int64
	VolunteerID  int64
	TeamID       int64
	ProjectID    int64
	ShiftID      int64
	Category     int64 // the project's, for the figures
	RegionCode   string
	Activity     string
	Place        string
	Content      string
	LeaderName   string
	ShiftStart   time.Time
	ShiftEnd     time.Time
	In, Out      time.Time // the check-in and the check-out
	By           int64     // who recorded the check-out
}

// CreateAtCheckOut creates, in the check-out's transaction tx, the pending
// record of a closed attendance, clipped to the shift and rounded, with its
// figures, history and the volunteer's running totals; the caller audits.
// With no time on the shift it creates none and returns id 0. Time already
// in another record is refused (the attendance stays open: the leader
// closes it at a time that does not overlap, at the latest at its
// check-in, with no record). The caller holds the volunteer's row on
// PostgreSQL.
func (s *Service) CreateAtCheckOut(ctx context.Context, tx db.Querier, c CheckOut) (id int64, minutes int, err error) {
	now := s.Now()
	start, end := c.In, c.Out
	if start.Before(c.ShiftStart) {
		start = c.ShiftStart
	}
	if end.After(c.ShiftEnd) {
		end = c.ShiftEnd
	}
	if end.Before(start) {
		end = start
	}
	r := Record{VolunteerID: c.VolunteerID, TeamID: c.TeamID, ProjectID: c.ProjectID, ShiftID: c.ShiftID, RegionCode: c.RegionCode,
		Activity: c.Activity, Place: c.Place, Content: c.Content, StartsAt: start, EndsAt: end,
		Minutes: s.round(end.Sub(start)), LeaderName: c.LeaderName, State: StatePending, RecordedBy: c.By,
		DueAt: addWorkingDays(now, ConfirmWorkingDays)}
	if r.Minutes <= 0 {
		return 0, 0, nil
	}
	if err := checkOverlap(ctx, tx, c.VolunteerID, start, end, 0); err != nil {
		return 0, 0, err
	}
	id, err = insertRecordRow(ctx, tx, r, c.AttendanceID, now.Unix())
	if err != nil {
		return 0, 0, apperr.Wrap(err, "record: create")
	}
	var figures stats.Snapshot
	figures.Added(facts{volunteerID: c.VolunteerID, teamID: c.TeamID, region: c.RegionCode, category: c.Category,
		startsAt: start.Unix(), dueAt: r.DueAt.Unix(), minutes: int64(r.Minutes), state: r.State})
	if err := figures.Apply(ctx, tx); err != nil {
		return 0, 0, apperr.Wrap(err, "record: figures")
	}
	if err := insertHistory(ctx, tx, id, "create", "", "{}", recordJSON(r), c.By, now.Unix()); err != nil {
		return 0, 0, apperr.Wrap(err, "record: history")
	}
	if err := addHours(ctx, tx, c.VolunteerID, 0, int64(r.Minutes), now.Unix()); err != nil {
		return 0, 0, apperr.Wrap(err, "record: hours")
	}
	return id, r.Minutes, nil
}
