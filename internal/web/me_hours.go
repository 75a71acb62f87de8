package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
	"zhiyuan/internal/team"

	"zhiyuan/internal/db"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/volunteer"
)

func (s *Server) myCodePage(w http.ResponseWriter, r *http.Request) {
	q, err := s.personalQR(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "checkin.my_code_title")
	q.Lang, q.Hint = p.Lang, p.T("checkin.my_code_hint")
	p.Data = q
	s.render(w, r, http.StatusOK, "me_code", p)
}

func (s *Server) myCodeFragment(w http.ResponseWriter, r *http.Request) {
	q, err := s.personalQR(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "checkin.my_code_title")
	q.Lang, q.Hint = p.Lang, p.T("checkin.my_code_hint")
	s.renderPartial(w, r, "qr", q)
}

// personalQR is the principal's current personal code, for a leader to scan.
func (s *Server) personalQR(r *http.Request) (qrData, error) {
	c, err := s.Attendance.PersonalCode(r.Context(), httpx.Principal(r))
	if err != nil {
		return qrData{}, err
	}
	return newQR(c.Value, c.ExpiresAt, "/me/code/fragment")
}

// teamRef names a team that recorded confirmed hours.
type teamRef struct {
	ID   int64
	Name string
}

// hoursData is a volunteer's own hours page.
type hoursData struct {
	Summary      record.Summary
	Records      []record.Record
	Teams        []teamRef // the teams that may issue a certificate
	Shifts       []project.MyShift
	CalendarURL  string
	Certificates []record.Issued
	RecordsHTML  template.HTML // the lines of Records, written by recordsHTML
	ShiftsHTML   template.HTML // the lines of Shifts
}

func (s *Server) myHours(w http.ResponseWriter, r *http.Request) {
	// The page only reads: each volunteer it needs is loaded once.
	s.showHours(w, r.WithContext(volunteer.WithMemo(r.Context())), nil)
}

// showHours renders the volunteer's hours, with err's message if asking for a
// certificate failed.
func (s *Server) showHours(w http.ResponseWriter, r *http.Request, err error) {
	ctx, pr := r.Context(), httpx.Principal(r)
	// The upcoming shifts are read in the same batch as the hours.
	var page db.Batch
	up, uerr := s.Projects.QueueMyUpcoming(ctx, pr, &page)
	if uerr != nil {
		s.fail(w, r, uerr)
		return
	}
	mine, merr := s.Records.MyHours(ctx, pr, &page)
	if merr != nil {
		s.fail(w, r, merr)
		return
	}
	list, shifts := mine.Records, up.Shifts
	d := hoursData{Summary: mine.Summary, Records: list, Shifts: shifts, Certificates: mine.Certificates,
		CalendarURL: s.cfg.BaseURL + "/api/v1/calendar/" + up.FeedToken()}
	seen := map[int64]bool{}
	for _, x := range list {
		if x.State == record.StateConfirmed && !seen[x.TeamID] {
			seen[x.TeamID] = true
			d.Teams = append(d.Teams, teamRef{ID: x.TeamID, Name: x.TeamName})
		}
	}
	p := s.page(w, r, "hours.title")
	buf := getBuffer()
	defer putBuffer(buf)
	d.RecordsHTML = recordsHTML(buf, p, list)
	d.ShiftsHTML = upcomingHTML(buf, p, shifts)
	p.Data = d
	if err != nil {
		s.formError(w, r, "me_hours", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "me_hours", p)
}

// renewCalendar ends the volunteer's calendar feed URL and issues a new one,
// back on the hours page.
func (s *Server) renewCalendar(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Projects.RenewFeed(r.Context(), httpx.Principal(r)); err != nil {
		s.showHours(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/hours?flash=flash.calendar_renewed", http.StatusSeeOther)
}

// issuedData is the page showing a certificate just issued.
type issuedData struct {
	ID           int64
	Serial       string
	TeamName     string
	TotalMinutes int
	VerifyURL    string
}

func (s *Server) myCertificate(w http.ResponseWriter, r *http.Request) {
	ctx, pr := r.Context(), httpx.Principal(r)
	v, err := s.Volunteers.Mine(ctx, pr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	teamID, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("team_id")), 10, 64)
	c, err := s.Records.IssueCertificate(ctx, pr, v.ID, teamID, s.cfg.BaseURL)
	if err != nil {
		s.showHours(w, r, err)
		return
	}
	p := s.page(w, r, "certificate.issued_title")
	p.Data = issuedData{ID: c.ID, Serial: c.Data.Serial, TeamName: c.Data.IssuerTeam, TotalMinutes: c.Data.TotalMinutes,
		VerifyURL: c.Data.VerifyURL}
	s.render(w, r, http.StatusOK, "certificate_issued", p)
}

// certificatePDF serves /certificates/{id}.pdf as a download.
func (s *Server) certificatePDF(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".pdf")
	id, err := strconv.ParseInt(name, 10, 64)
	if !ok || err != nil || id <= 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	c, pdf, err := s.Records.CertificatePDF(r.Context(), httpx.Principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendPDF(w, c.Data.Serial+".pdf", pdf)
}

// recordPageData is one service record with its history.
type recordPageData struct {
	Record    record.Record
	History   []record.HistoryEntry
	CanManage bool
	Own       bool // the volunteer's own record: they may ask for a correction
}

func (s *Server) recordPage(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	s.showRecord(w, r, id, nil)
}

// showRecord renders a record's page, with err's messages if confirming or
// voiding it failed.
func (s *Server) showRecord(w http.ResponseWriter, r *http.Request, id int64, err error) {
	ctx, pr := r.Context(), httpx.Principal(r)
	x, gerr := s.Records.Get(ctx, pr, id)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	hist, herr := s.Records.History(ctx, pr, id)
	if herr != nil {
		s.fail(w, r, herr)
		return
	}
	p := s.page(w, r, "record.title")
	myID, _ := s.Volunteers.MyID(ctx, pr)
	p.Data = recordPageData{Record: x, History: hist, CanManage: s.canAttend(pr, x.RegionCode, x.TeamID), Own: myID == x.VolunteerID}
	if err != nil {
		s.formError(w, r, "record", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "record", p)
}

func recordURL(id int64, suffix string) string {
	return "/records/" + strconv.FormatInt(id, 10) + suffix
}

// recordAction runs an action on the record in the path: on success back to
// the record with a flash, on failure the record page with the message.
func (s *Server) recordAction(flash string, act func(r *http.Request, id int64) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := httpx.PathID(r, "id")
		if id == 0 {
			s.fail(w, r, errPageNotFound)
			return
		}
		if err := act(r, id); err != nil {
			s.showRecord(w, r, id, err)
			return
		}
		http.Redirect(w, r, recordURL(id, "?flash="+flash), http.StatusSeeOther)
	}
}

func (s *Server) recordConfirm(r *http.Request, id int64) error {
	_, err := s.Records.Confirm(r.Context(), httpx.Principal(r), id)
	return err
}

func (s *Server) recordVoid(r *http.Request, id int64) error {
	_, err := s.Records.Void(r.Context(), httpx.Principal(r), id, strings.TrimSpace(r.PostFormValue("reason")))
	return err
}

// recordCorrection is a volunteer asking the team to correct their record.
func (s *Server) recordCorrection(r *http.Request, id int64) error {
	return s.Records.RequestCorrection(r.Context(), httpx.Principal(r), id, r.PostFormValue("reason"))
}

// cancelSignup gives up one's seat and returns to the page the form was on:
// the shifts page (back=shifts) or the hours page.
func (s *Server) cancelSignup(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	fromShifts := r.PostFormValue("back") == shiftsBack
	if err := s.Projects.Cancel(r.Context(), httpx.Principal(r), id); err != nil {
		if fromShifts {
			s.showShifts(w, r, err)
		} else {
			s.showHours(w, r, err)
		}
		return
	}
	if fromShifts {
		http.Redirect(w, r, "/me/shifts?flash=flash.signup_cancelled", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/me/hours?flash=flash.signup_cancelled", http.StatusSeeOther)
}

// teamRecordsData is a team's records waiting for confirmation.
type teamRecordsData struct {
	Team    team.Team
	Records []record.Record
	Now     time.Time
}

// teamRecords lists a team's records awaiting confirmation, overdue first.
func (s *Server) teamRecords(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	ctx, pr := r.Context(), httpx.Principal(r)
	t, err := s.Teams.Manageable(ctx, pr, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Records.Awaiting(ctx, pr, id, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "records.awaiting_title")
	p.Data = teamRecordsData{Team: t, Records: list, Now: time.Now()}
	s.render(w, r, http.StatusOK, "team_records", p)
}
