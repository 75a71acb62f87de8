package web

import (
	"bytes"
	"html"
	"html/template"
	"net/http"
	"strconv"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/certificate"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
)

// shiftsBack is the form value that brings a cancellation back to /me/shifts.
const shiftsBack = "shifts"

// shiftRow is one line of the shifts page, every text ready. The page is
// the volunteer's most visited and html/template costs a reflected call per
// action (its escaper): the lines are written here, escaped, and the template
// puts each list in with one action.
type shiftRow struct {
	ShiftID     string
	SignupID    string
	ProjectID   string
	ProjectName string
	When        string // start to end, Asia/Shanghai
	Place       string
	Badge       string
	BadgeClass  string
	CheckedIn   bool   // an upcoming shift the volunteer has checked in to
	CheckIn     bool   // check-in (or check-out) is open now
	Opens       string // when check-in opens, if it is not open yet
	CanCancel   bool   // the shift has not started
	Credited    string // confirmed hours, past shifts
	Pending     string // hours awaiting confirmation, past shifts
}

// shiftLabels are the page's translated words, looked up once a request.
type shiftLabels struct {
	Upcoming, Past, NoneUpcoming, NonePast, Cancel, CheckIn, CheckedIn, Older, Newer, Find, Hours, PageNo string
}

// myShiftsData is the volunteer's upcoming and past shifts.
type myShiftsData struct {
	L        shiftLabels
	Upcoming template.HTML // the <li> lines
	Past     template.HTML
	First    bool   // the first page: it shows the upcoming shifts
	PrevURL  string // the newer page of past shifts, if any
	NextURL  string // the older page, if any
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
	sc, serr := s.Projects.MySchedule(r.Context(), httpx.Principal(r), page)
	if serr != nil {
		s.fail(w, r, serr)
		return
	}
	p := s.page(w, r, "myshifts.title")
	d := &myShiftsData{First: sc.Page == 1, L: shiftLabels{Upcoming: p.T("myshifts.upcoming"), Past: p.T("myshifts.past"),
		NoneUpcoming: p.T("shifts.none"), NonePast: p.T("myshifts.none_past"), Cancel: p.T("shifts.cancel"),
		CheckIn: p.T("myshifts.checkin"), CheckedIn: p.T("myshifts.checked_in"), Older: p.T("myshifts.older"),
		Newer: p.T("myshifts.newer"), Find: p.T("myshifts.find"), Hours: p.T("nav.my_hours")}}
	if sc.Page > 1 {
		d.L.PageNo = p.T("myshifts.page", "Page", sc.Page)
		d.PrevURL = "/me/shifts"
		if sc.Page > 2 {
			d.PrevURL += "?page=" + strconv.Itoa(sc.Page-1)
		}
	}
	if sc.More {
		d.NextURL = "/me/shifts?page=" + strconv.Itoa(sc.Page+1)
	}
	now := s.Projects.Now() // the clock MySchedule split the list by
	word := newWords(p).get // each badge is translated once a page
	buf := getBuffer()
	defer putBuffer(buf)
	if len(sc.Upcoming) == 0 {
		buf.WriteString("<li>" + html.EscapeString(d.L.NoneUpcoming) + "</li>")
	}
	for _, l := range sc.Upcoming {
		row := newShiftRow(l)
		if l.Status == project.SignupWaitlisted {
			row.Badge, row.BadgeClass = word("shifts.waitlisted"), "state-pending"
		} else {
			row.Badge, row.BadgeClass = word("myshifts.confirmed"), "state-approved"
			opens := l.StartsAt.Add(-attendance.CheckInOpensBefore)
			row.CheckIn = !now.Before(opens) && now.Before(l.EndsAt.Add(attendance.CheckOutGrace))
			if !row.CheckIn && now.Before(opens) {
				row.Opens = p.T("myshifts.checkin_opens", "Time", p.Time(opens))
			}
		}
		row.CheckedIn, row.CanCancel = l.Attended, now.Before(l.StartsAt)
		row.upcomingHTML(buf, &d.L, p.CSRF)
	}
	d.Upcoming = template.HTML(buf.String())
	buf.Reset()
	if len(sc.Past) == 0 {
		buf.WriteString("<li>" + html.EscapeString(d.L.NonePast) + "</li>")
	}
	credited, pending := newFiller(p, "myshifts.credited", "Hours"), newFiller(p, "myshifts.pending", "Hours")
	for _, l := range sc.Past {
		row := newShiftRow(l)
		if l.Attended {
			row.Badge, row.BadgeClass = word("myshifts.attended"), "state-approved"
		} else {
			row.Badge = word("myshifts.absent")
		}
		if l.ConfirmedMinutes > 0 {
			row.Credited = credited.fill(certificate.FormatHours(int(l.ConfirmedMinutes)))
		}
		if l.PendingMinutes > 0 {
			row.Pending = pending.fill(certificate.FormatHours(int(l.PendingMinutes)))
		}
		row.pastHTML(buf)
	}
	d.Past = template.HTML(buf.String())
	p.Data = d
	if err != nil {
		s.formError(w, r, "me_shifts", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "me_shifts", p)
}

// newShiftRow fills the texts every line has.
func newShiftRow(l project.ScheduleLine) shiftRow {
	start, end := l.StartsAt.In(clock.Zone), l.EndsAt.In(clock.Zone)
	when := clockTime(start) + " – " + end.Format("15:04")
	if end.YearDay() != start.YearDay() || end.Year() != start.Year() {
		when = clockTime(start) + " – " + clockTime(end)
	}
	return shiftRow{ShiftID: strconv.FormatInt(l.ShiftID, 10), SignupID: strconv.FormatInt(l.SignupID, 10),
		ProjectID: strconv.FormatInt(l.ProjectID, 10), ProjectName: l.ProjectName, When: when, Place: l.Place}
}

// upcomingHTML writes the line of an upcoming shift.
func (r *shiftRow) upcomingHTML(b *bytes.Buffer, l *shiftLabels, csrf string) {
	b.WriteString(`<li class="card" data-testid="upcoming-` + r.ShiftID + `"><a href="/projects/` + r.ProjectID + `"><strong>`)
	b.WriteString(html.EscapeString(r.ProjectName))
	b.WriteString(`</strong></a> <span class="badge ` + r.BadgeClass + `">` + html.EscapeString(r.Badge) + `</span>`)
	if r.CheckedIn {
		b.WriteString(` <span class="badge">` + html.EscapeString(l.CheckedIn) + `</span>`)
	}
	b.WriteString(`<span class="muted">` + r.When + `</span><span class="muted">` + html.EscapeString(r.Place) + `</span><div class="actions">`)
	if r.CheckIn {
		b.WriteString(`<a class="button" href="/me/code" data-testid="checkin-` + r.ShiftID + `">` + html.EscapeString(l.CheckIn) + `</a>`)
	} else if r.Opens != "" {
		b.WriteString(`<span class="help">` + html.EscapeString(r.Opens) + `</span>`)
	}
	if r.CanCancel {
		b.WriteString(`<form method="post" action="/signups/` + r.SignupID + `/cancel"><input type="hidden" name="csrf" value="` +
			html.EscapeString(csrf) + `"><input type="hidden" name="back" value="` + shiftsBack +
			`"><button type="submit" class="link danger">` + html.EscapeString(l.Cancel) + `</button></form>`)
	}
	b.WriteString("</div></li>\n")
}

// pastHTML writes the line of a past shift.
func (r *shiftRow) pastHTML(b *bytes.Buffer) {
	b.WriteString(`<li class="card" data-testid="past-` + r.ShiftID + `"><a href="/projects/` + r.ProjectID + `"><strong>`)
	b.WriteString(html.EscapeString(r.ProjectName))
	b.WriteString(`</strong></a> <span class="badge ` + r.BadgeClass + `">` + html.EscapeString(r.Badge) + `</span>`)
	b.WriteString(`<span class="muted">` + r.When + ` · ` + html.EscapeString(r.Place) + `</span>`)
	if r.Credited != "" {
		b.WriteString(`<span class="muted" data-testid="credited">` + html.EscapeString(r.Credited) + `</span>`)
	}
	if r.Pending != "" {
		b.WriteString(`<span class="muted">` + html.EscapeString(r.Pending) + `</span>`)
	}
	b.WriteString("</li>\n")
}
