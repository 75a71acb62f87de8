package web

import (
	"net/http"
	"time"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
)

// todayShift is one of today's shifts with who signed up and who came.
type todayShift struct {
	Shift  project.Shift
	Roster []attendance.Present
}

// leaderToday is a leader's page for the day: the shifts of the projects
// they manage, each with its QR page and its attendance.
func (s *Server) leaderToday(w http.ResponseWriter, r *http.Request) {
	ctx, pr := r.Context(), httpx.Principal(r)
	shifts, err := s.Projects.ShiftsOn(ctx, pr, time.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var out []todayShift
	for _, sh := range shifts {
		roster, err := s.Attendance.ShiftRoster(ctx, pr, sh.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, todayShift{Shift: sh, Roster: roster})
	}
	p := s.page(w, r, "leader.today_title")
	p.Data = out
	s.render(w, r, http.StatusOK, "leader_today", p)
}
