package project

import (
	"context"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
)

// MyShift is one of a volunteer's sign-ups with its shift and project.
type MyShift struct {
	SignupID    int64
	Status      string
	ShiftID     int64
	ProjectID   int64
	ProjectName string
	Place       string
	StartsAt    time.Time
	EndsAt      time.Time
}

// MyShifts lists the principal's live sign-ups, soonest first, from a day
// ago on (upcoming) or before that (past).
func (s *Service) MyShifts(ctx context.Context, p *auth.Principal, past bool) ([]MyShift, error) {
	id, err := s.volunteers.MyID(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.shiftsOf(ctx, id, past)
}

func (s *Service) shiftsOf(ctx context.Context, volunteerID int64, past bool) ([]MyShift, error) {
	query, args := s.shiftsQuery(volunteerID, past)
	list, err := db.QueryAll(ctx, s.db.Read(), scanMyShift, query, args...)
	return list, apperr.Wrap(err, "project: my shifts")
}

// shiftsQuery is the statement of shiftsOf.
func (s *Service) shiftsQuery(volunteerID int64, past bool) (string, []any) {
	cut := s.Now().Add(-24 * time.Hour).Unix()
	cond, order := `s.ends_at >= $2 AND p.team_suspended = 0`, `s.starts_at` // a suspended team runs none
	if past {
		cond, order = `s.ends_at < $2`, `s.starts_at DESC`
	}
	return `SELECT s.id, s.status, x.id, p.id, p.name,
		CASE WHEN x.place <> '' THEN x.place ELSE p.address END, x.starts_at, x.ends_at
		FROM signups s JOIN shifts x ON x.id = s.shift_id JOIN projects p ON p.id = x.project_id
		WHERE s.volunteer_id = $1 AND s.status <> 'cancelled' AND ` + cond + ` ORDER BY ` + order + ` LIMIT 500`, []any{volunteerID, cut}
}

func scanMyShift(row db.Scanner) (MyShift, error) {
	var m MyShift
	var start, end int64
	err := row.Scan(&m.SignupID, &m.Status, &m.ShiftID, &m.ProjectID, &m.ProjectName, &m.Place, &start, &end)
	m.StartsAt, m.EndsAt = time.Unix(start, 0), time.Unix(end, 0)
	return m, err
}
