package attendance

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"zhiyuan/internal/db"
	"zhiyuan/internal/volunteer"
)

// shiftInfo is what attendance needs to know about a shift.
type shiftInfo struct {
	id, projectID, teamID   int64
	category                int64 // the project's, for the figures of a new record
	region                  string
	start, end              time.Time
	place, project, content string
	leader                  string
	lat, lng                float64 // geofence centre, when radius > 0
	radius                  int     // metres; 0 means no geofence
	suspended               bool    // the project's team is suspended: no hours recorded
}

const shiftSelect = `SELECT s.id, s.project_id, p.team_id, p.category_id, s.region_code, s.starts_at, s.ends_at,
	CASE WHEN s.place <> '' THEN s.place ELSE p.address END, p.name, p.content, p.contact_name,
	COALESCE(s.geofence_lat_e6, 0), COALESCE(s.geofence_lng_e6, 0), s.geofence_m, p.team_suspended`

// scanShift reads a row of shiftSelect and then the columns of extra.
func scanShift(row *sql.Row, extra ...any) (shiftInfo, error) {
	var s shiftInfo
	var start, end, lat, lng int64
	var suspended int
	err := row.Scan(append([]any{&s.id, &s.projectID, &s.teamID, &s.category, &s.region, &start, &end, &s.place, &s.project,
		&s.content, &s.leader, &lat, &lng, &s.radius, &suspended}, extra...)...)
	s.suspended = suspended != 0
	s.lat, s.lng = float64(lat)/1e6, float64(lng)/1e6
	if errors.Is(err, sql.ErrNoRows) {
		return s, db.ErrNotFound
	}
	s.start, s.end = time.Unix(start, 0), time.Unix(end, 0)
	return s, err
}

func loadShift(ctx context.Context, q db.Querier, id int64) (shiftInfo, error) {
	return scanShift(q.QueryRowContext(ctx, shiftSelect+` FROM shifts s JOIN projects p ON p.id = s.project_id WHERE s.id = $1`, id))
}

// standing is what a scan needs to know of the volunteer on the shift,
// read in one statement: whether they hold a confirmed seat (the condition
// is the live sign-ups index's own, so both engines look up one row), the
// attendance still open (no check-out yet), and how many check-ins they
// made on the project that day (the daily limit).
type standing struct {
	signedUp   bool
	openID     int64
	openIn     time.Time
	pairsToday int
}

func loadStanding(ctx context.Context, q db.Querier, sh shiftInfo, volunteerID int64, day string) (standing, error) {
	var st standing
	var status sql.NullString
	var openID, openAt sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT status FROM signups WHERE shift_id = $1 AND volunteer_id = $2 AND status <> 'cancelled'),
		(SELECT id FROM attendance WHERE shift_id = $1 AND volunteer_id = $2 AND check_out_at = 0 ORDER BY id DESC LIMIT 1),
		(SELECT check_in_at FROM attendance WHERE shift_id = $1 AND volunteer_id = $2 AND check_out_at = 0 ORDER BY id DESC LIMIT 1),
		(SELECT COUNT(*) FROM attendance WHERE volunteer_id = $2 AND project_id = $3 AND day = $4)`,
		sh.id, volunteerID, sh.projectID, day).Scan(&status, &openID, &openAt, &st.pairsToday)
	st.signedUp = status.String == "confirmed"
	if openID.Valid {
		st.openID, st.openIn = openID.Int64, time.Unix(openAt.Int64, 0)
	}
	return st, err
}

// loadScan is, for a scan by an account, the shift, the account's volunteer
// record (0 if it has none) and the volunteer's standing, in one statement.
func loadScan(ctx context.Context, q db.Querier, shiftID, accountID int64, day string) (shiftInfo, int64, standing, error) {
	var st standing
	var volunteerID int64
	var status sql.NullString
	var openID, openAt sql.NullInt64
	sh, err := scanShift(q.QueryRowContext(ctx, shiftSelect+`, COALESCE(v.id, 0),
		(SELECT status FROM signups WHERE shift_id = $1 AND volunteer_id = v.id AND status <> 'cancelled'),
		(SELECT id FROM attendance WHERE shift_id = $1 AND volunteer_id = v.id AND check_out_at = 0 ORDER BY id DESC LIMIT 1),
		(SELECT check_in_at FROM attendance WHERE shift_id = $1 AND volunteer_id = v.id AND check_out_at = 0 ORDER BY id DESC LIMIT 1),
		(SELECT COUNT(*) FROM attendance WHERE volunteer_id = v.id AND project_id = s.project_id AND day = $3)
		FROM shifts s JOIN projects p ON p.id = s.project_id`+volunteer.JoinOfAccountSQL("v", "$2")+`
		WHERE s.id = $1`, shiftID, accountID, day),
		&volunteerID, &status, &openID, &openAt, &st.pairsToday)
	st.signedUp = status.String == "confirmed"
	if openID.Valid {
		st.openID, st.openIn = openID.Int64, time.Unix(openAt.Int64, 0)
	}
	return sh, volunteerID, st, err
}

// insertCheckIn opens an attendance of the volunteer on the shift.
func insertCheckIn(ctx context.Context, q db.Querier, sh shiftInfo, volunteerID int64, day string, at time.Time, method, reason string,
	by int64, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO attendance (shift_id, volunteer_id, project_id, day, check_in_at, method, reason,
		recorded_by, region_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		sh.id, volunteerID, sh.projectID, day, at.Unix(), method, reason, db.NullID(by), sh.region, now.Unix())
	return err
}

// closeAttendance sets the check-out of attendance id.
func closeAttendance(ctx context.Context, q db.Querier, id int64, at time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE attendance SET check_out_at = $1 WHERE id = $2`, at.Unix(), id)
	return err
}

// hasAttendance says whether the volunteer has an attendance on the shift.
func hasAttendance(ctx context.Context, q db.Querier, shiftID, volunteerID int64) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM attendance WHERE volunteer_id = $1 AND shift_id = $2 LIMIT 1`, volunteerID, shiftID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// shiftRoster lists the shift's live sign-ups with their latest attendance.
func shiftRoster(ctx context.Context, q db.Querier, shiftID int64) ([]Present, error) {
	return db.QueryAll(ctx, q, func(row db.Scanner) (Present, error) {
		var x Present
		var in, out int64
		err := row.Scan(&x.VolunteerID, &x.Name, &x.No, &x.Signup, &in, &out)
		if in > 0 {
			x.CheckIn = time.Unix(in, 0)
		}
		if out > 0 {
			x.CheckOut = time.Unix(out, 0)
		}
		return x, err
	}, `SELECT v.id, v.real_name, v.volunteer_no, s.status,
		COALESCE((SELECT a.check_in_at FROM attendance a WHERE a.shift_id = s.shift_id AND a.volunteer_id = v.id ORDER BY a.id DESC LIMIT 1), 0),
		COALESCE((SELECT a.check_out_at FROM attendance a WHERE a.shift_id = s.shift_id AND a.volunteer_id = v.id ORDER BY a.id DESC LIMIT 1), 0)
		FROM signups s JOIN volunteers v ON v.id = s.volunteer_id
		WHERE s.shift_id = $1 AND s.status <> 'cancelled' ORDER BY s.status, s.id`, shiftID)
}
