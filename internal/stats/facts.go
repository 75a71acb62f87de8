package stats

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"zhiyuan/internal/db"
)

// volunteerFacts is what the figures know of a volunteer.
type volunteerFacts struct {
	region           string
	createdAt        int64
	gender           string
	birthYear        string
	tags             []int64
	confirmedMinutes int64
}

type teamFacts struct {
	region    string
	createdAt int64
	status    string
}

type projectFacts struct {
	region    string
	createdAt int64
	state     string
	category  int64
}

type recordFacts struct {
	volunteerID int64
	teamID      int64
	region      string
	category    int64
	startsAt    int64
	minutes     int64
	state       string
	dueAt       int64
}

// facts loads a subject's facts; ok is false when the subject does not exist.
func (s Subject) facts(ctx context.Context, q db.Querier) (f any, ok bool, err error) {
	switch s.kind {
	case subjectVolunteer:
		var v volunteerFacts
		err = q.QueryRowContext(ctx, `SELECT v.region_code, v.created_at, v.gender, v.birth_date, COALESCE(h.confirmed_minutes, 0)
			FROM volunteers v LEFT JOIN volunteer_hours h ON h.volunteer_id = v.id WHERE v.id = $1`, s.id).
			Scan(&v.region, &v.createdAt, &v.gender, &v.birthYear, &v.confirmedMinutes)
		if err == nil {
			v.birthYear = birthYear(v.birthYear)
			v.tags, err = db.QueryAll(ctx, q, scanID, `SELECT tag_id FROM volunteer_tags WHERE volunteer_id = $1 ORDER BY tag_id`, s.id)
		}
		f = v
	case subjectTeam:
		var t teamFacts
		err = q.QueryRowContext(ctx, `SELECT region_code, created_at, status FROM teams WHERE id = $1`, s.id).
			Scan(&t.region, &t.createdAt, &t.status)
		f = t
	case subjectProject:
		var p projectFacts
		err = q.QueryRowContext(ctx, `SELECT region_code, created_at, state, category_id FROM projects WHERE id = $1`, s.id).
			Scan(&p.region, &p.createdAt, &p.state, &p.category)
		f = p
	case subjectRecord:
		var r recordFacts
		err = q.QueryRowContext(ctx, `SELECT r.volunteer_id, r.team_id, r.region_code, p.category_id, r.starts_at, r.minutes, r.state, r.due_at
			FROM service_records r JOIN projects p ON p.id = r.project_id WHERE r.id = $1`, s.id).
			Scan(&r.volunteerID, &r.teamID, &r.region, &r.category, &r.startsAt, &r.minutes, &r.state, &r.dueAt)
		f = r
	default:
		return nil, false, errors.New("stats: unknown subject")
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return f, true, nil
}

func scanID(row db.Scanner) (int64, error) {
	var id int64
	err := row.Scan(&id)
	return id, err
}

// birthYear is the year of a YYYY-MM-DD birth date, or "" when unknown.
func birthYear(date string) string {
	if len(date) < 4 {
		return ""
	}
	if _, err := strconv.Atoi(date[:4]); err != nil {
		return ""
	}
	return date[:4]
}
