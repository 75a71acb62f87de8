package api

import (
	"net/http"
	"strconv"
	"time"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
	"zhiyuan/internal/region"
)

type projectJSON struct {
	ID           int64      `json:"id"`
	TeamID       int64      `json:"team_id"`
	TeamName     string     `json:"team_name"`
	Name         string     `json:"name"`
	Category     string     `json:"category"`
	Content      string     `json:"content"`
	RegionCode   string     `json:"region_code"`
	RegionName   string     `json:"region_name"`
	Address      string     `json:"address"`
	Lat          *float64   `json:"lat,omitempty"`
	Lng          *float64   `json:"lng,omitempty"`
	RecruitCount int        `json:"recruit_count"`
	Requirements string     `json:"requirements"`
	Risks        string     `json:"risks"`
	Protections  string     `json:"protections"`
	Insured      bool       `json:"insured"`
	StartsOn     string     `json:"starts_on"`
	EndsOn       string     `json:"ends_on"`
	ContactName  string     `json:"contact_name"`
	ContactPhone string     `json:"contact_phone"`
	Theme        string     `json:"theme,omitempty"`
	State        string     `json:"state"`
	RejectReason string     `json:"reject_reason,omitempty"`
	PublishedAt  *time.Time `json:"published_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
}

func toProjectJSON(p project.Project) projectJSON {
	j := projectJSON{ID: p.ID, TeamID: p.TeamID, TeamName: p.TeamName, Name: p.Name, Category: p.Category, Content: p.Content,
		RegionCode: p.RegionCode, RegionName: region.FullName(p.RegionCode), Address: p.Address, Lat: p.Lat, Lng: p.Lng,
		RecruitCount: p.RecruitCount, Requirements: p.Requirements, Risks: p.Risks, Protections: p.Protections,
		Insured: p.Insured, StartsOn: p.StartsOn, EndsOn: p.EndsOn, ContactName: p.ContactName,
		ContactPhone: p.ContactPhoneMasked, Theme: p.Theme, State: p.State, RejectReason: p.RejectReason,
		CreatedAt: p.CreatedAt.UTC()}
	if !p.PublishedAt.IsZero() {
		t := p.PublishedAt.UTC()
		j.PublishedAt = &t
	}
	return j
}

func (s *Server) projectCreate(w http.ResponseWriter, r *http.Request) {
	var in project.NewProject
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Projects.Create(r.Context(), httpx.Principal(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/projects/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, toProjectJSON(p))
}

func (s *Server) projectGet(w http.ResponseWriter, r *http.Request) {
	p, err := s.Projects.Get(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProjectJSON(p))
}

func (s *Server) projectSubmit(w http.ResponseWriter, r *http.Request) {
	p, err := s.Projects.Submit(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProjectJSON(p))
}

func (s *Server) projectReview(w http.ResponseWriter, r *http.Request) {
	var in project.Review
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Projects.ReviewProject(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProjectJSON(p))
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request) {
	limit, after, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	list, err := s.Projects.List(r.Context(), httpx.Principal(r), project.ListQuery{State: q.Get("state"), RegionCode: q.Get("region_code"),
		Category: q.Get("category"), Q: q.Get("q"), After: after, Limit: limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]projectJSON, 0, len(list))
	for _, p := range list {
		items = append(items, toProjectJSON(p))
	}
	writeJSON(w, http.StatusOK, newPage(items, limit, func(p projectJSON) int64 { return p.ID }))
}

type shiftJSON struct {
	ID             int64     `json:"id"`
	ProjectID      int64     `json:"project_id"`
	ProjectName    string    `json:"project_name"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	Place          string    `json:"place"`
	Capacity       int       `json:"capacity"`
	Waitlist       int       `json:"waitlist"`
	Taken          int       `json:"taken"`
	Waiting        int       `json:"waiting"`
	SignupClosesAt time.Time `json:"signup_closes_at"`
}

func toShiftJSON(sh project.Shift) shiftJSON {
	return shiftJSON{ID: sh.ID, ProjectID: sh.ProjectID, ProjectName: sh.ProjectName, StartsAt: sh.StartsAt.UTC(), EndsAt: sh.EndsAt.UTC(),
		Place: sh.Place, Capacity: sh.Capacity, Waitlist: sh.Waitlist, Taken: sh.Taken, Waiting: sh.Waiting,
		SignupClosesAt: sh.SignupClosesAt.UTC()}
}

func (s *Server) shiftCreate(w http.ResponseWriter, r *http.Request) {
	var in project.NewShift
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	sh, err := s.Projects.AddShift(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toShiftJSON(sh))
}

func (s *Server) shiftList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Projects.Shifts(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]shiftJSON, 0, len(list))
	for _, sh := range list {
		items = append(items, toShiftJSON(sh))
	}
	writeJSON(w, http.StatusOK, page[shiftJSON]{Items: items})
}

type signupJSON struct {
	ID          int64     `json:"id"`
	ShiftID     int64     `json:"shift_id"`
	VolunteerID int64     `json:"volunteer_id"`
	Status      string    `json:"status"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
}

func (s *Server) signupCreate(w http.ResponseWriter, r *http.Request) {
	su, err := s.Projects.SignUp(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, signupJSON{ID: su.ID, ShiftID: su.ShiftID, VolunteerID: su.VolunteerID, Status: su.Status,
		StartsAt: su.StartsAt.UTC(), EndsAt: su.EndsAt.UTC()})
}

func (s *Server) signupCancel(w http.ResponseWriter, r *http.Request) {
	if err := s.Projects.Cancel(r.Context(), httpx.Principal(r), httpx.PathID(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
