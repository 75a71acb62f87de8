package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/checkin"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
)

// qrData is a QR code ready to inline: the SVG, the text it holds, and when
// the page should fetch a fresh one.
type qrData struct {
	SVG       template.HTML
	Text      string
	ExpiresAt time.Time
	Fragment  string // the route that renders a fresh qrData
	Lang      string
	Hint      string // the translated help line under the code
}

// newQR renders text as an inline SVG QR code. checkin.SVG emits only a
// fixed element structure with numbers, so it is safe to inline.
func newQR(text string, expires time.Time, fragment string) (qrData, error) {
	svg, err := checkin.SVG(text)
	if err != nil {
		return qrData{}, err
	}
	return qrData{SVG: template.HTML(svg), Text: text, ExpiresAt: expires, Fragment: fragment}, nil
}

// shiftCodeData is the leader's page showing a shift's check-in code.
type shiftCodeData struct {
	Shift  project.Shift
	QR     qrData
	Scan   *attendance.Scan // the last hand-entered scan, on success
	Roster []attendance.Present
}

// shiftQR is the current check-in code of the shift in the path.
func (s *Server) shiftQR(r *http.Request) (project.Shift, qrData, error) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		return project.Shift{}, qrData{}, errPageNotFound
	}
	ctx, pr := r.Context(), httpx.Principal(r)
	c, err := s.Attendance.ShiftCode(ctx, pr, id)
	if err != nil {
		return project.Shift{}, qrData{}, err
	}
	sh, err := s.Projects.Shift(ctx, pr, id)
	if err != nil {
		return sh, qrData{}, err
	}
	u, err := checkin.CheckinURL(s.cfg.BaseURL, c)
	if err != nil {
		return sh, qrData{}, err
	}
	q, err := newQR(u, c.ExpiresAt, "/shifts/"+r.PathValue("id")+"/code/fragment")
	return sh, q, err
}

func (s *Server) shiftCodePage(w http.ResponseWriter, r *http.Request) {
	s.showShiftCode(w, r, nil, nil)
}

// showShiftCode renders the leader's page, with the outcome of a
// hand-entered personal code if there was one.
func (s *Server) showShiftCode(w http.ResponseWriter, r *http.Request, sc *attendance.Scan, err error) {
	sh, q, qerr := s.shiftQR(r)
	if qerr != nil {
		s.fail(w, r, qerr)
		return
	}
	p := s.page(w, r, "checkin.leader_title")
	q.Lang, q.Hint = p.Lang, p.T("checkin.leader_hint")
	roster, rerr := s.Attendance.ShiftRoster(r.Context(), httpx.Principal(r), sh.ID)
	if rerr != nil {
		s.fail(w, r, rerr)
		return
	}
	p.Data = shiftCodeData{Shift: sh, QR: q, Scan: sc, Roster: roster}
	if err != nil {
		s.formError(w, r, "shift_code", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "shift_code", p)
}

func (s *Server) shiftCodeFragment(w http.ResponseWriter, r *http.Request) {
	_, q, err := s.shiftQR(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "checkin.leader_title")
	q.Lang, q.Hint = p.Lang, p.T("checkin.leader_hint")
	s.renderPartial(w, r, "qr", q)
}

func (s *Server) leaderScan(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	sc, err := s.Attendance.LeaderScan(r.Context(), httpx.Principal(r), id, strings.TrimSpace(r.PostFormValue("code")))
	if err != nil {
		s.showShiftCode(w, r, nil, err)
		return
	}
	s.showShiftCode(w, r, &sc, nil)
}

// checkinData is the page a shift's QR code opens on a volunteer's phone.
type checkinData struct {
	Code  string
	Shift *project.Shift   // nil when the code names no shift we can show
	Scan  *attendance.Scan // the outcome, after the button
	// Minutes is the length of the record a check-out created.
	Minutes int
}

func (s *Server) checkinPage(w http.ResponseWriter, r *http.Request) {
	s.showCheckin(w, r, nil, nil)
}

func (s *Server) showCheckin(w http.ResponseWriter, r *http.Request, sc *attendance.Scan, err error) {
	code := r.PathValue("code")
	d := checkinData{Code: code, Scan: sc}
	id, _ := s.Attendance.CodeShift(code)
	if sc != nil {
		id = sc.ShiftID
		d.Minutes = sc.Minutes
	}
	if id > 0 {
		if sh, serr := s.Projects.Shift(r.Context(), httpx.Principal(r), id); serr == nil {
			d.Shift = &sh
		}
	}
	title := "checkin.title"
	if sc != nil {
		title = "checkin.done_title"
	}
	p := s.page(w, r, title)
	p.Data = d
	if err != nil {
		s.formError(w, r, "checkin", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "checkin", p)
}

func (s *Server) checkin(w http.ResponseWriter, r *http.Request) {
	sc, err := s.Attendance.ScanCode(r.Context(), httpx.Principal(r), r.PathValue("code"), formLocation(r))
	if err != nil {
		s.showCheckin(w, r, nil, err)
		return
	}
	s.showCheckin(w, r, &sc, nil)
}

// formLocation reads the location the check-in page's script put in the
// form (static/geo.js), if any.
func formLocation(r *http.Request) *attendance.Location {
	lat, err1 := strconv.ParseFloat(r.PostFormValue("lat"), 64)
	lng, err2 := strconv.ParseFloat(r.PostFormValue("lng"), 64)
	if err1 != nil || err2 != nil {
		return nil
	}
	return &attendance.Location{Lat: lat, Lng: lng}
}

// enterAttendance is a leader recording a volunteer's times by hand, with a
// reason; the times are typed in Beijing time.
func (s *Server) enterAttendance(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	volunteerID, _ := strconv.ParseInt(r.PostFormValue("volunteer_id"), 10, 64)
	in := attendance.ManualAttendance{VolunteerID: volunteerID, CheckInAt: localRFC3339(r.PostFormValue("check_in_at")),
		CheckOutAt: localRFC3339(r.PostFormValue("check_out_at")), Reason: r.PostFormValue("reason")}
	sc, err := s.Attendance.EnterAttendance(r.Context(), httpx.Principal(r), id, in)
	if err != nil {
		s.showShiftCode(w, r, nil, err)
		return
	}
	s.showShiftCode(w, r, &sc, nil)
}

// localRFC3339 reads a datetime-local value ("2026-03-05T09:30") as Beijing
// time; anything else is passed on for the service to refuse.
func localRFC3339(v string) string {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), clock.Zone)
	if err != nil {
		return v
	}
	return t.Format(time.RFC3339)
}
