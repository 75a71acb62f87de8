package record

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

// The service records' counters and active sets (read by the dashboard,
// internal/stats).
const (
	metricMinutes     = "minutes"      // confirmed minutes by service day, dim category id
	metricRecords     = "records"      // confirmed records by service day, dim ""
	metricTeamMinutes = "team_minutes" // no period, confirmed minutes, dim team id
	metricAwaiting    = "awaiting"     // pending records by due day (days only)

	activeVolunteers = "volunteer" // volunteers with a confirmed record, by service day
	activeTeams      = "team"      // teams with a confirmed record, by service day
)

const figuresKind = "record"

// figuresOf names record id as a subject of the figures.
func figuresOf(id int64) stats.Subject { return stats.Of(figuresKind, id) }

// Figures is the service records' contribution to the figures.
var Figures = stats.Contribution{
	Kind:  figuresKind,
	Facts: recordFacts,
	Dated: []string{metricMinutes, metricRecords},
	Rebuild: []string{
		`SELECT r.region_code, 'minutes', 'D', {day:r.starts_at}, CAST(p.category_id AS TEXT), SUM(r.minutes)
			FROM service_records r JOIN projects p ON p.id = r.project_id WHERE r.state = 'confirmed'
			GROUP BY 1, 4, 5 HAVING SUM(r.minutes) <> 0`,
		`SELECT region_code, 'records', 'D', {day:starts_at}, '', COUNT(*) FROM service_records WHERE state = 'confirmed' GROUP BY 1, 4`,
		`SELECT region_code, 'team_minutes', 'T', '', CAST(team_id AS TEXT), SUM(minutes) FROM service_records
			WHERE state = 'confirmed' GROUP BY 1, 5 HAVING SUM(minutes) <> 0`,
		`SELECT region_code, 'awaiting', 'D', {day:due_at}, '', COUNT(*) FROM service_records
			WHERE state = 'pending' AND due_at > 0 GROUP BY 1, 4`,
	},
	Activity: &stats.Activity{
		Kinds: []string{activeVolunteers, activeTeams},
		Codes: `SELECT DISTINCT region_code FROM service_records ORDER BY region_code`,
		Rows:  `SELECT {day:starts_at}, volunteer_id, team_id FROM service_records WHERE region_code = $1 AND state = 'confirmed'`,
		Still: stillActive,
	},
}

// facts is what the figures know of a service record.
type facts struct {
	volunteerID int64
	teamID      int64
	region      string
	category    int64 // the project's
	startsAt    int64
	minutes     int64
	state       string
	dueAt       int64
}

func recordFacts(ctx context.Context, q db.Querier, id int64) (stats.Facts, bool, error) {
	var r facts
	err := q.QueryRowContext(ctx, `SELECT r.volunteer_id, r.team_id, r.region_code, p.category_id, r.starts_at, r.minutes, r.state, r.due_at
		FROM service_records r JOIN projects p ON p.id = r.project_id WHERE r.id = $1`, id).
		Scan(&r.volunteerID, &r.teamID, &r.region, &r.category, &r.startsAt, &r.minutes, &r.state, &r.dueAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return r, err == nil, err
}

// Contribute counts a confirmed record's minutes on its service day and
// marks its volunteer and team active then; a pending one awaits
// confirmation on its due day.
func (r facts) Contribute(s stats.Sink, sign int64) {
	switch r.state {
	case StateConfirmed:
		day := stats.DayOf(r.startsAt)
		stats.Dated(s, r.region, metricMinutes, day, strconv.FormatInt(r.category, 10), sign*r.minutes)
		stats.Dated(s, r.region, metricRecords, day, "", sign)
		stats.Current(s, r.region, metricTeamMinutes, strconv.FormatInt(r.teamID, 10), sign*r.minutes)
		stats.Active(s, r.region, activeVolunteers, day, r.volunteerID, sign)
		stats.Active(s, r.region, activeTeams, day, r.teamID, sign)
	case StatePending:
		if r.dueAt > 0 {
			stats.Daily(s, r.region, metricAwaiting, stats.DayOf(r.dueAt), "", sign)
		}
	}
}

// stillActive tells whether a volunteer or team still has a confirmed
// record in the regions [regionLo, regionHi) starting within [from, to).
func stillActive(ctx context.Context, q db.Querier, kind string, id, from, to int64, regionLo, regionHi string) (bool, error) {
	column := "volunteer_id"
	if kind == activeTeams {
		column = "team_id"
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM service_records WHERE `+column+` = $1 AND state = $2
		AND starts_at >= $3 AND starts_at < $4 AND region_code >= $5 AND region_code < $6 LIMIT 1`,
		id, StateConfirmed, from, to, regionLo, regionHi).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
