package api

import (
	"net/http"
	"time"

	"zhiyuan/internal/httpx"
)

type myShiftJSON struct {
	SignupID    int64     `json:"signup_id"`
	Status      string    `json:"status"`
	ShiftID     int64     `json:"shift_id"`
	ProjectID   int64     `json:"project_id"`
	ProjectName string    `json:"project_name"`
	Place       string    `json:"place"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
}

type myShiftsJSON struct {
	Items   []myShiftJSON `json:"items"`
	ICalURL string        `json:"ical_url"`
}

func (s *Server) myShifts(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), httpx.Principal(r)
	list, err := s.Projects.MyShifts(ctx, p, r.URL.Query().Get("past") == "1")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token, err := s.Projects.FeedToken(ctx, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := myShiftsJSON{Items: []myShiftJSON{}, ICalURL: s.cfg.BaseURL + "/api/v1/calendar/" + token}
	for _, m := range list {
		out.Items = append(out.Items, myShiftJSON{SignupID: m.SignupID, Status: m.Status, ShiftID: m.ShiftID, ProjectID: m.ProjectID,
			ProjectName: m.ProjectName, Place: m.Place, StartsAt: m.StartsAt.UTC(), EndsAt: m.EndsAt.UTC()})
	}
	writeJSON(w, http.StatusOK, out)
}

// renewCalendar ends the caller's calendar feed URL and answers the new one.
func (s *Server) renewCalendar(w http.ResponseWriter, r *http.Request) {
	token, err := s.Projects.RenewFeed(r.Context(), httpx.Principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"ical_url": s.cfg.BaseURL + "/api/v1/calendar/" + token})
}

func (s *Server) calendar(w http.ResponseWriter, r *http.Request) {
	ics, err := s.Projects.Feed(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write([]byte(ics))
}
