package record

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/volunteer"
)

const recordColumns = `r.id, r.volunteer_id, r.team_id, t.name, r.project_id, COALESCE(r.shift_id, 0), r.region_code, r.activity,
	r.place, r.content, r.starts_at, r.ends_at, r.minutes, r.leader_name, r.state, r.backfilled, COALESCE(r.recorded_by, 0),
	r.confirmed_at, r.due_at, r.version`

// recordsOfQuery lists the records of volunteer $1, newest first.
const recordsOfQuery = `SELECT ` + recordColumns + ` FROM service_records r JOIN teams t ON t.id = r.team_id
	WHERE r.volunteer_id = $1 ORDER BY r.starts_at DESC, r.id DESC LIMIT 1000`

// unconfirmedOfTeamQuery lists team $1's records awaiting confirmation or
// approval whose deadline is before $2, oldest deadline first.
const unconfirmedOfTeamQuery = `SELECT ` + recordColumns + ` FROM service_records r JOIN teams t ON t.id = r.team_id
	WHERE r.team_id = $1 AND r.state IN ('` + StatePending + `', '` + StatePendingApproval + `') AND r.due_at < $2
	ORDER BY r.due_at, r.id LIMIT 1000`

// amendedOfTeamQuery lists team $1's records with an amendment awaiting
// approval, in the order the amendments were asked for.
const amendedOfTeamQuery = `SELECT ` + recordColumns + ` FROM service_record_amendments a
	JOIN service_records r ON r.id = a.record_id JOIN teams t ON t.id = r.team_id
	WHERE a.team_id = $1 AND a.state = 'pending' ORDER BY a.id LIMIT 1000`

func scanRecord(row db.Scanner) (Record, error) {
	var r Record
	var start, end, confirmed, due int64
	var backfilled int
	err := row.Scan(&r.ID, &r.VolunteerID, &r.TeamID, &r.TeamName, &r.ProjectID, &r.ShiftID, &r.RegionCode, &r.Activity,
		&r.Place, &r.Content, &start, &end, &r.Minutes, &r.LeaderName, &r.State, &backfilled, &r.RecordedBy,
		&confirmed, &due, &r.Version)
	r.StartsAt, r.EndsAt = time.Unix(start, 0), time.Unix(end, 0)
	if confirmed > 0 {
		r.ConfirmedAt = time.Unix(confirmed, 0)
	}
	if due > 0 {
		r.DueAt = time.Unix(due, 0)
	}
	r.Backfilled = backfilled != 0
	return r, err
}

func recordByID(ctx context.Context, q db.Querier, id int64) (Record, error) {
	r, err := scanRecord(q.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM service_records r JOIN teams t ON t.id = r.team_id WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, db.ErrNotFound
	}
	return r, err
}

func insertRecord(ctx context.Context, q db.Querier, r Record, attendanceID int64, now int64) (int64, error) {
	id, err := insertRecordRow(ctx, q, r, attendanceID, now)
	if err != nil {
		return 0, err
	}
	return id, stats.Created(figuresOf(id)).Apply(ctx, q)
}

// insertRecordRow inserts the record without moving the figures: the
// caller does, with stats.Snapshot.Added.
func insertRecordRow(ctx context.Context, q db.Querier, r Record, attendanceID int64, now int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO service_records (volunteer_id, team_id, project_id, shift_id, attendance_id, region_code,
		activity, place, content, starts_at, ends_at, minutes, leader_name, state, backfilled, recorded_by, due_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
		r.VolunteerID, r.TeamID, r.ProjectID, db.NullID(r.ShiftID), db.NullID(attendanceID), r.RegionCode, r.Activity, r.Place,
		r.Content, r.StartsAt.Unix(), r.EndsAt.Unix(), r.Minutes, r.LeaderName, r.State, boolInt(r.Backfilled),
		db.NullID(r.RecordedBy), r.DueAt.Unix(), now).Scan(&id)
	return id, err
}

// MinutesByShiftSQL is, for another package's statement, the minutes of
// the records of the volunteer given by the SQL volunteerSQL, summed by
// shift: columns shift_id, confirmed and pending (awaiting confirmation or
// approval); voided records count in neither.
func MinutesByShiftSQL(volunteerSQL string) string {
	return `SELECT shift_id,
		SUM(CASE WHEN state = '` + StateConfirmed + `' THEN minutes ELSE 0 END) AS confirmed,
		SUM(CASE WHEN state IN ('` + StatePending + `', '` + StatePendingApproval + `') THEN minutes ELSE 0 END) AS pending
		FROM service_records WHERE volunteer_id = ` + volunteerSQL + ` AND shift_id IS NOT NULL GROUP BY shift_id`
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addHours moves minutes in a volunteer's running totals.
func addHours(ctx context.Context, q db.Querier, volunteerID, confirmed, pending, now int64) error {
	var snap *stats.Snapshot
	if confirmed != 0 { // confirmed hours move the volunteer's star level
		var err error
		if snap, err = stats.Take(ctx, q, volunteer.FiguresOf(volunteerID)); err != nil {
			return err
		}
	}
	_, err := q.ExecContext(ctx, `INSERT INTO volunteer_hours (volunteer_id, confirmed_minutes, pending_minutes, updated_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (volunteer_id) DO UPDATE SET
		confirmed_minutes = volunteer_hours.confirmed_minutes + excluded.confirmed_minutes,
		pending_minutes = volunteer_hours.pending_minutes + excluded.pending_minutes, updated_at = excluded.updated_at`,
		volunteerID, confirmed, pending, now)
	if err != nil || snap == nil {
		return err
	}
	return snap.Apply(ctx, q)
}

// historyOf lists record id's changes, oldest first.
func historyOf(ctx context.Context, q db.Querier, id int64) ([]HistoryEntry, error) {
	return db.QueryAll(ctx, q, func(row db.Scanner) (HistoryEntry, error) {
		var h HistoryEntry
		var at int64
		err := row.Scan(&h.Action, &h.Reason, &h.Before, &h.After, &h.By, &at)
		h.At = time.Unix(at, 0)
		return h, err
	}, `SELECT action, reason, before_json, after_json, COALESCE(by_account, 0), at
		FROM service_record_history WHERE record_id = $1 ORDER BY id`, id)
}

func insertHistory(ctx context.Context, q db.Querier, recordID int64, action, reason, before, after string, by, at int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO service_record_history (record_id, action, reason, before_json, after_json, by_account, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, recordID, action, reason, before, after, db.NullID(by), at)
	return err
}

// setRecordState moves record id, still at version, to state to.
func setRecordState(ctx context.Context, q db.Querier, id int64, version int, to string, by, now int64) (bool, error) {
	snap, err := stats.Take(ctx, q, figuresOf(id))
	if err != nil {
		return false, err
	}
	res, err := q.ExecContext(ctx, `UPDATE service_records SET state = $1, version = version + 1, updated_at = $2,
		confirmed_by = CASE WHEN $1 = 'confirmed' THEN $3 ELSE confirmed_by END,
		confirmed_at = CASE WHEN $1 = 'confirmed' THEN $2 ELSE confirmed_at END
		WHERE id = $4 AND version = $5`, to, now, db.NullID(by), id, version)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	return true, snap.Apply(ctx, q)
}

// amendRecord writes r's times, minutes and content over the record, still
// at version.
func amendRecord(ctx context.Context, q db.Querier, r Record, version int, now int64) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE service_records SET starts_at = $1, ends_at = $2, minutes = $3, content = $4,
		version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7`,
		r.StartsAt.Unix(), r.EndsAt.Unix(), r.Minutes, r.Content, now, r.ID, version)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// insertAmendment keeps r's new values as the record's pending amendment.
func insertAmendment(ctx context.Context, q db.Querier, teamID int64, r Record, reason string, by, now int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO service_record_amendments (record_id, team_id, starts_at, ends_at, minutes, content,
		reason, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, teamID, r.StartsAt.Unix(), r.EndsAt.Unix(), r.Minutes, r.Content, reason, db.NullID(by), now)
	return err
}

// pendingAmendment reads record r's amendment waiting for approval, applied
// to a copy of r; ok is false when none waits.
func pendingAmendment(ctx context.Context, q db.Querier, r Record) (a Amendment, next Record, by int64, ok bool, err error) {
	var id, start, end int64
	var reqBy sql.NullInt64
	next = r
	err = q.QueryRowContext(ctx, `SELECT id, starts_at, ends_at, minutes, content, reason, requested_by
		FROM service_record_amendments WHERE record_id = $1 AND state = 'pending'`, r.ID).
		Scan(&id, &start, &end, &next.Minutes, &next.Content, &a.Reason, &reqBy)
	if errors.Is(err, sql.ErrNoRows) {
		return a, r, 0, false, nil
	}
	next.StartsAt, next.EndsAt = time.Unix(start, 0), time.Unix(end, 0)
	a.StartsAt, a.EndsAt, a.Content = next.StartsAt.Format(time.RFC3339), next.EndsAt.Format(time.RFC3339), next.Content
	return a, next, reqBy.Int64, err == nil, err
}

// decideAmendment closes record id's pending amendment: approved or withdrawn.
func decideAmendment(ctx context.Context, q db.Querier, recordID int64, state string, by, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE service_record_amendments SET state = $1, decided_by = $2, decided_at = $3
		WHERE record_id = $4 AND state = 'pending'`, state, db.NullID(by), now, recordID)
	return err
}

// withdrawAmendment withdraws record id's pending amendment, if any.
func withdrawAmendment(ctx context.Context, q db.Querier, recordID, by, now int64) error {
	return decideAmendment(ctx, q, recordID, "withdrawn", by, now)
}

// overlapping returns a record of volunteerID, not voided and other than
// except, whose time overlaps [start, end); ok is false when none does.
// Records last at most 24 hours, so the index range starts a day earlier.
func overlapping(ctx context.Context, q db.Querier, volunteerID int64, start, end time.Time, except int64) (r Record, ok bool, err error) {
	r, err = scanRecord(q.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM service_records r JOIN teams t ON t.id = r.team_id
		WHERE r.volunteer_id = $1 AND r.starts_at > $2 AND r.starts_at < $3 AND r.ends_at > $4 AND r.state <> 'voided' AND r.id <> $5
		ORDER BY r.starts_at LIMIT 1`, volunteerID, start.Add(-24*time.Hour).Unix(), end.Unix(), start.Unix(), except))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}
