package api

import (
	"encoding/json"
	"net/http"
	"time"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/checkin"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/record"
)

type codeJSON struct {
	Code      string    `json:"code"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) toCodeJSON(c checkin.Code) (codeJSON, error) {
	u, err := checkin.CheckinURL(s.cfg.BaseURL, c)
	return codeJSON{Code: c.Value, URL: u, ExpiresAt: c.ExpiresAt.UTC()}, err
}

func (s *Server) shiftCode(w http.ResponseWriter, r *http.Request) {
	c, err := s.Attendance.ShiftCode(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.toCodeJSON(c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) personalCode(w http.ResponseWriter, r *http.Request) {
	c, err := s.Attendance.PersonalCode(r.Context(), httpx.Principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, codeJSON{Code: c.Value, ExpiresAt: c.ExpiresAt.UTC()})
}

type scanRequest struct {
	Code string   `json:"code"`
	Lat  *float64 `json:"lat"`
	Lng  *float64 `json:"lng"`
}

// location is the scan's location, if the phone gave one.
func (in scanRequest) location() *attendance.Location {
	if in.Lat == nil || in.Lng == nil {
		return nil
	}
	return &attendance.Location{Lat: *in.Lat, Lng: *in.Lng}
}

type scanJSON struct {
	Action      string    `json:"action"`
	At          time.Time `json:"at"`
	ShiftID     int64     `json:"shift_id"`
	VolunteerID int64     `json:"volunteer_id"`
	RecordID    int64     `json:"record_id,omitempty"`
}

func toScanJSON(sc attendance.Scan) scanJSON {
	return scanJSON{Action: sc.Action, At: sc.At.UTC(), ShiftID: sc.ShiftID, VolunteerID: sc.VolunteerID, RecordID: sc.RecordID}
}

func (s *Server) checkin(w http.ResponseWriter, r *http.Request) {
	var in scanRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	sc, err := s.Attendance.ScanCode(r.Context(), httpx.Principal(r), in.Code, in.location())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toScanJSON(sc))
}

func (s *Server) leaderScan(w http.ResponseWriter, r *http.Request) {
	var in scanRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	sc, err := s.Attendance.LeaderScan(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toScanJSON(sc))
}

type recordJSON struct {
	ID          int64      `json:"id"`
	VolunteerID int64      `json:"volunteer_id"`
	TeamID      int64      `json:"team_id"`
	TeamName    string     `json:"team_name"`
	ProjectID   int64      `json:"project_id"`
	ShiftID     int64      `json:"shift_id,omitempty"`
	Activity    string     `json:"activity"`
	Place       string     `json:"place"`
	Content     string     `json:"content"`
	StartsAt    time.Time  `json:"starts_at"`
	EndsAt      time.Time  `json:"ends_at"`
	Minutes     int        `json:"minutes"`
	LeaderName  string     `json:"leader_name"`
	State       string     `json:"state"`
	Backfilled  bool       `json:"backfilled"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	Version     int        `json:"version"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func toRecordJSON(x record.Record) recordJSON {
	return recordJSON{ID: x.ID, VolunteerID: x.VolunteerID, TeamID: x.TeamID, TeamName: x.TeamName, ProjectID: x.ProjectID,
		ShiftID: x.ShiftID, Activity: x.Activity, Place: x.Place, Content: x.Content, StartsAt: x.StartsAt.UTC(), EndsAt: x.EndsAt.UTC(),
		Minutes: x.Minutes, LeaderName: x.LeaderName, State: x.State, Backfilled: x.Backfilled, DueAt: optTime(x.DueAt),
		ConfirmedAt: optTime(x.ConfirmedAt), Version: x.Version}
}

func (s *Server) volunteerRecords(w http.ResponseWriter, r *http.Request) {
	list, err := s.Records.OfVolunteer(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]recordJSON, 0, len(list))
	for _, x := range list {
		items = append(items, toRecordJSON(x))
	}
	writeJSON(w, http.StatusOK, page[recordJSON]{Items: items})
}

type historyJSON struct {
	Action string          `json:"action"`
	Reason string          `json:"reason"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
	By     int64           `json:"by"`
	At     time.Time       `json:"at"`
}

type recordDetailJSON struct {
	recordJSON
	History []historyJSON `json:"history"`
	// PendingAmendment is an amendment raising the confirmed minutes that
	// waits for a second person's approval (POST .../approve).
	PendingAmendment *amendmentJSON `json:"pending_amendment,omitempty"`
}

type amendmentJSON struct {
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
	Content  string `json:"content"`
	Reason   string `json:"reason"`
}

func (s *Server) recordGet(w http.ResponseWriter, r *http.Request) {
	ctx, p, id := r.Context(), httpx.Principal(r), httpx.PathID(r, "id")
	x, err := s.Records.Get(ctx, p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hist, err := s.Records.History(ctx, p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, pending, err := s.Records.PendingAmendment(ctx, p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := recordDetailJSON{recordJSON: toRecordJSON(x), History: []historyJSON{}}
	if pending {
		out.PendingAmendment = &amendmentJSON{StartsAt: a.StartsAt, EndsAt: a.EndsAt, Content: a.Content, Reason: a.Reason}
	}
	for _, h := range hist {
		out.History = append(out.History, historyJSON{Action: h.Action, Reason: h.Reason, Before: json.RawMessage(h.Before),
			After: json.RawMessage(h.After), By: h.By, At: h.At.UTC()})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) recordConfirm(w http.ResponseWriter, r *http.Request) {
	x, err := s.Records.Confirm(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRecordJSON(x))
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) recordVoid(w http.ResponseWriter, r *http.Request) {
	var in reasonRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := s.Records.Void(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRecordJSON(x))
}

type summaryJSON struct {
	VolunteerID      int64 `json:"volunteer_id"`
	TotalMinutes     int64 `json:"total_minutes"`
	ConfirmedMinutes int64 `json:"confirmed_minutes"`
	StarLevel        int   `json:"star_level"`
	NextStarMinutes  int64 `json:"next_star_minutes"`
}

func (s *Server) volunteerSummary(w http.ResponseWriter, r *http.Request) {
	sum, err := s.Records.Summary(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, summaryJSON{VolunteerID: sum.VolunteerID, TotalMinutes: sum.TotalMinutes,
		ConfirmedMinutes: sum.ConfirmedMinutes, StarLevel: sum.StarLevel, NextStarMinutes: sum.NextStarMinutes})
}

type starsRequest struct {
	Hours []int64 `json:"hours"`
}

func (s *Server) setStars(w http.ResponseWriter, r *http.Request) {
	var in starsRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Records.SetStarHours(r.Context(), httpx.Principal(r), r.PathValue("code"), in.Hours); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
