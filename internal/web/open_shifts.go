package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhiyuan/internal/project"
)

// openShiftsData is the public list of shifts still taking sign-ups.
type openShiftsData struct {
	Shifts  []project.Shift
	Region  string
	Day     string
	NextURL string
}

// openShifts lists, for anyone, the coming shifts with a seat or a waiting
// place, soonest first; signing up happens on the project's page.
func (s *Server) openShifts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := openShiftsData{Region: strings.TrimSpace(q.Get("region_code")), Day: q.Get("date")}
	p := s.page(w, r, "shifts.open_title")
	p.Data = &d
	afterStart, afterID := parseShiftCursor(q.Get("after"))
	list, err := s.projects.OpenShifts(r.Context(), project.OpenQuery{RegionCode: d.Region, Day: d.Day,
		AfterStart: afterStart, AfterID: afterID, Limit: pageSize})
	if err != nil {
		s.formError(w, r, "open_shifts", p, err)
		return
	}
	d.Shifts = list
	if len(list) == pageSize {
		last := list[len(list)-1]
		v := url.Values{"after": {strconv.FormatInt(last.StartsAt.Unix(), 10) + "-" + strconv.FormatInt(last.ID, 10)}}
		if d.Region != "" {
			v.Set("region_code", d.Region)
		}
		if d.Day != "" {
			v.Set("date", d.Day)
		}
		d.NextURL = "/shifts?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, "open_shifts", p)
}

// parseShiftCursor reads "start-id"; anything else starts from the top.
func parseShiftCursor(s string) (start, id int64) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0
	}
	return start, id
}
