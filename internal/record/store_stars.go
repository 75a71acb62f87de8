package record

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"zhiyuan/internal/db"
)

// hoursOf is a volunteer's running totals, zero before any record.
func hoursOf(ctx context.Context, q db.Querier, volunteerID int64) (confirmed, pending int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT confirmed_minutes, pending_minutes FROM volunteer_hours WHERE volunteer_id = $1`, volunteerID).
		Scan(&confirmed, &pending)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return confirmed, pending, err
}

// hoursWithRegionQuery reads volunteer $1's region and running totals.
const hoursWithRegionQuery = `SELECT v.region_code, COALESCE(h.confirmed_minutes, 0), COALESCE(h.pending_minutes, 0)
	FROM volunteers v LEFT JOIN volunteer_hours h ON h.volunteer_id = v.id WHERE v.id = $1`

// starsOfVolunteerQuery reads the thresholds whose code begins volunteer
// $1's region code: its own and its ancestors' (nearestStars drops any
// other prefix).
const starsOfVolunteerQuery = `SELECT t.region_code, t.hours FROM star_thresholds t
	JOIN volunteers v ON substr(v.region_code, 1, length(t.region_code)) = t.region_code WHERE v.id = $1`

// starRow is a region's thresholds as stored (a JSON list of hours).
type starRow struct {
	code, hours string
}

func scanStarRow(row db.Scanner) (starRow, error) {
	var r starRow
	err := row.Scan(&r.code, &r.hours)
	return r, err
}

// starRowsOf reads the thresholds set by any of codes, in one statement.
func starRowsOf(ctx context.Context, q db.Querier, codes []any) ([]starRow, error) {
	marks := make([]string, len(codes))
	for i := range codes {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	return db.QueryAll(ctx, q, scanStarRow, `SELECT region_code, hours FROM star_thresholds WHERE region_code IN (`+
		strings.Join(marks, ", ")+`)`, codes...)
}

// setStarThresholds sets a region's thresholds (hours, a JSON list).
func setStarThresholds(ctx context.Context, q db.Querier, regionCode, hours string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO star_thresholds (region_code, hours) VALUES ($1, $2)
		ON CONFLICT (region_code) DO UPDATE SET hours = excluded.hours`, regionCode, hours)
	return err
}
