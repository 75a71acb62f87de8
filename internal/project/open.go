package project

import (
	"context"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/region"
)

// OpenQuery filters the public list of shifts open for sign-up.
type OpenQuery struct {
	RegionCode string // a prefix: a district lists its streets' shifts
	Day        string // YYYY-MM-DD (Beijing): only shifts starting that day
	AfterStart int64  // keyset: continue after this start time …
	AfterID    int64  // … and shift id
	Limit      int
}

// OpenShifts lists anyone the shifts of published projects that have not
// started and still have a seat or a waiting place, soonest first. Lists
// are kept in memory between writes (see openCache): the list is the same
// for everyone and read far more often than a seat is taken.
func (s *Service) OpenShifts(ctx context.Context, q OpenQuery) (*OpenList, error) {
	f := apperr.Fields{}
	if q.RegionCode != "" && !region.Valid(q.RegionCode) {
		f.Add("region_code", "unknown", "region.unknown")
	}
	var day time.Time
	if q.Day != "" {
		var err error
		if day, err = time.ParseInLocation(time.DateOnly, q.Day, clock.Zone); err != nil {
			f.Add("date", "bad_date", "shifts.bad_date")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	if q.AfterID <= 0 {
		q.AfterStart, q.AfterID = 0, 0
	}
	now := s.Now()
	l, gen := s.open.get(q, now)
	if l != nil {
		return l, nil
	}
	list, err := s.readOpenShifts(ctx, q, day, now)
	if err != nil {
		return nil, err
	}
	l = &OpenList{Shifts: list, until: now.Add(openTTL)}
	if len(list) > 0 && list[0].StartsAt.Before(l.until) {
		l.until = list[0].StartsAt // it leaves the list when it starts
	}
	s.open.put(q, l, gen)
	return l, nil
}

// readOpenShifts reads one page of open shifts from the database.
func (s *Service) readOpenShifts(ctx context.Context, q OpenQuery, day, now time.Time) ([]Shift, error) {
	var c db.Conds
	c.Add("p.state = " + c.Arg(StatePublished))
	c.Add("p.team_suspended = 0")
	c.Add("s.starts_at > " + c.Arg(now.Unix()))
	c.Add("(s.taken < s.capacity OR s.waiting < s.waitlist)")
	if q.RegionCode != "" {
		c.Prefix("s.region_code", q.RegionCode)
	}
	if !day.IsZero() {
		c.Add("s.starts_at >= " + c.Arg(day.Unix()) + " AND s.starts_at < " + c.Arg(day.AddDate(0, 0, 1).Unix()))
	}
	if q.AfterID > 0 {
		start := c.Arg(q.AfterStart)
		c.Add("(s.starts_at > " + start + " OR (s.starts_at = " + start + " AND s.id > " + c.Arg(q.AfterID) + "))")
	}
	// CROSS JOIN keeps SQLite reading shifts in start order from now (the
	// index shifts_time) instead of every published project's past shifts;
	// PostgreSQL plans it as any join.
	c.Add("p.id = s.project_id")
	list, err := db.QueryAll(ctx, s.db.Read(), scanShift, `SELECT `+shiftColumns+` FROM shifts s CROSS JOIN projects p
		WHERE `+c.SQL()+` ORDER BY s.starts_at, s.id LIMIT `+c.Arg(q.Limit), c.Args...)
	return list, apperr.Wrap(err, "project: open shifts")
}
