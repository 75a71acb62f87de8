package web

import (
	"errors"
	"html/template"
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
	Rows    template.HTML // the list, rendered by "open_shift_rows"
}

// openShifts lists, for anyone, the coming shifts with a seat or a waiting
// place, soonest first; signing up happens on the project's page. The list
// is the same for every visitor, so it is rendered once per language and
// kept with the service's cached list until a write changes it; only the
// page around it is rendered per request.
func (s *Server) openShifts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := openShiftsData{Region: strings.TrimSpace(q.Get("region_code")), Day: q.Get("date")}
	p := s.page(w, r, "shifts.open_title")
	p.Data = &d
	afterStart, afterID := parseShiftCursor(q.Get("after"))
	list, err := s.Projects.OpenShifts(r.Context(), project.OpenQuery{RegionCode: d.Region, Day: d.Day,
		AfterStart: afterStart, AfterID: afterID, Limit: pageSize})
	if err != nil {
		d.Rows = template.HTML(s.openShiftRows(p)) // the empty list under the error
		s.formError(w, r, "open_shifts", p, err)
		return
	}
	rows := list.Memo(p.Lang, func() string {
		d := openShiftsData{Shifts: list.Shifts, Region: d.Region, Day: d.Day}
		if len(d.Shifts) == pageSize {
			last := d.Shifts[len(d.Shifts)-1]
			v := url.Values{"after": {strconv.FormatInt(last.StartsAt.Unix(), 10) + "-" + strconv.FormatInt(last.ID, 10)}}
			if d.Region != "" {
				v.Set("region_code", d.Region)
			}
			if d.Day != "" {
				v.Set("date", d.Day)
			}
			d.NextURL = "/shifts?" + v.Encode()
		}
		rp := *p
		rp.Data = &d
		return s.openShiftRows(&rp)
	})
	if rows == "" {
		s.fail(w, r, errors.New("web: open shifts: the list did not render"))
		return
	}
	d.Rows = template.HTML(rows)
	s.render(w, r, http.StatusOK, "open_shifts", p)
}

// openShiftRows renders the list of p's openShiftsData; "" if the template
// fails (logged).
func (s *Server) openShiftRows(p *Page) string {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.tmpl["open_shifts"].ExecuteTemplate(buf, "open_shift_rows", p); err != nil {
		s.log.Error("template failed", "template", "open_shift_rows", "err", err)
		return ""
	}
	return buf.String()
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
