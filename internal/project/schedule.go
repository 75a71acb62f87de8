package project

import (
	"context"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
)

// ScheduleLine is one of a volunteer's live sign-ups on their shifts page,
// with what came of it: whether they checked in and the minutes credited.
type ScheduleLine struct {
	MyShift
	Attended         bool  // at least one check-in on the shift
	ConfirmedMinutes int64 // of service records the team confirmed
	PendingMinutes   int64 // of service records awaiting confirmation
}

// Schedule is a volunteer's shifts page: the shifts not yet over, soonest
// first (on the first page only), and one page of the ended ones, latest first.
type Schedule struct {
	Upcoming []ScheduleLine
	Past     []ScheduleLine
	Page     int  // of the past shifts, from 1
	More     bool // an older page of past shifts exists
}

// SchedulePageSize is the number of past shifts on a page.
const SchedulePageSize = 20

// maxUpcoming bounds the upcoming list; nobody is signed up to more.
const maxUpcoming = 200

// scheduleQuery reads one part of a volunteer's live sign-ups; $1 is the
// volunteer, $2 the present. The correlated reads go through
// attendance_volunteer_shift and service_records_volunteer.
const scheduleQuery = `SELECT s.id, s.status, x.id, p.id, p.name,
	CASE WHEN x.place <> '' THEN x.place ELSE p.address END, x.starts_at, x.ends_at,
	CASE WHEN EXISTS (SELECT 1 FROM attendance a WHERE a.volunteer_id = s.volunteer_id AND a.shift_id = s.shift_id) THEN 1 ELSE 0 END,
	COALESCE((SELECT SUM(r.minutes) FROM service_records r WHERE r.volunteer_id = s.volunteer_id AND r.shift_id = s.shift_id
		AND r.state = 'confirmed'), 0),
	COALESCE((SELECT SUM(r.minutes) FROM service_records r WHERE r.volunteer_id = s.volunteer_id AND r.shift_id = s.shift_id
		AND r.state IN ('pending', 'pending_approval')), 0)
	FROM signups s JOIN shifts x ON x.id = s.shift_id JOIN projects p ON p.id = x.project_id
	WHERE s.volunteer_id = $1 AND s.status <> 'cancelled' AND `

// MySchedule returns the principal's shifts page: page counts the past
// shifts' pages from 1; the upcoming shifts come with the first page only.
func (s *Service) MySchedule(ctx context.Context, p *auth.Principal, page int) (Schedule, error) {
	id, err := s.volunteers.MyID(ctx, p)
	if err != nil {
		return Schedule{}, err
	}
	page = max(page, 1)
	out := Schedule{Page: page}
	now := s.Now().Unix()
	q := s.db.Read()
	if page == 1 {
		if out.Upcoming, err = db.QueryAll(ctx, q, scanSchedule,
			scheduleQuery+`s.ends_at >= $2 ORDER BY s.starts_at, s.id LIMIT $3`, id, now, maxUpcoming); err != nil {
			return out, apperr.Wrap(err, "project: my schedule")
		}
	}
	if out.Past, err = db.QueryAll(ctx, q, scanSchedule,
		scheduleQuery+`s.ends_at < $2 ORDER BY s.starts_at DESC, s.id DESC LIMIT $3 OFFSET $4`,
		id, now, SchedulePageSize+1, (page-1)*SchedulePageSize); err != nil {
		return out, apperr.Wrap(err, "project: my schedule")
	}
	if len(out.Past) > SchedulePageSize {
		out.Past, out.More = out.Past[:SchedulePageSize], true
	}
	return out, nil
}

func scanSchedule(row db.Scanner) (ScheduleLine, error) {
	var l ScheduleLine
	var start, end, attended int64
	err := row.Scan(&l.SignupID, &l.Status, &l.ShiftID, &l.ProjectID, &l.ProjectName, &l.Place, &start, &end,
		&attended, &l.ConfirmedMinutes, &l.PendingMinutes)
	l.StartsAt, l.EndsAt, l.Attended = time.Unix(start, 0), time.Unix(end, 0), attended != 0
	return l, err
}
