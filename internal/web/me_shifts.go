package web

import (
	"net/http"
	"strconv"
	"time"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
)

// shiftsBack is the form value that brings a cancellation back to /me/shifts.
const shiftsBack = "shifts"

// scheduleRow is one line of the shifts page with what the volunteer may do.
type scheduleRow struct {
	project.ScheduleLine
	CanCancel   bool      // the shift has not started
	CheckInOpen bool      // check-in (or check-out) is open now
	OpensAt     time.Time // when check-in opens, if not yet
}

// myShiftsData is the volunteer's upcoming and past shifts.
type myShiftsData struct {
	Upcoming []scheduleRow
	Past     []scheduleRow
	Page     int
	Prev     int // the newer page, 0 if none
	Next     int // the older page, 0 if none
}

// myShifts serves /me/shifts: upcoming shifts, then past ones, paged by ?page=.
func (s *Server) myShifts(w http.ResponseWriter, r *http.Request) {
	s.showShifts(w, r, nil)
}

// showShifts renders the shifts page, with err's message if cancelling failed.
func (s *Server) showShifts(w http.ResponseWriter, r *http.Request, err error) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 || n > 10000 {
			s.fail(w, r, errPageNotFound)
			return
		}
		page = n
	}
	sc, serr := s.projects.MySchedule(r.Context(), httpx.Principal(r), page)
	if serr != nil {
		s.fail(w, r, serr)
		return
	}
	now := s.projects.Now() // the clock MySchedule split the list by
	d := myShiftsData{Upcoming: rows(sc.Upcoming, now), Past: rows(sc.Past, now), Page: sc.Page}
	if sc.Page > 1 {
		d.Prev = sc.Page - 1
	}
	if sc.More {
		d.Next = sc.Page + 1
	}
	p := s.page(w, r, "myshifts.title")
	p.Data = d
	if err != nil {
		s.formError(w, r, "me_shifts", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "me_shifts", p)
}

func rows(lines []project.ScheduleLine, now time.Time) []scheduleRow {
	out := make([]scheduleRow, len(lines))
	for i, l := range lines {
		opens := l.StartsAt.Add(-record.CheckInOpensBefore)
		out[i] = scheduleRow{ScheduleLine: l, CanCancel: now.Before(l.StartsAt),
			CheckInOpen: !now.Before(opens) && now.Before(l.EndsAt.Add(record.CheckOutGrace)), OpensAt: opens}
	}
	return out
}
