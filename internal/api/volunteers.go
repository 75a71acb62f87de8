package api

import (
	"net/http"
	"strconv"
	"time"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/region"
	"zhiyuan/internal/volunteer"
)

// volunteerJSON is a volunteer as the API shows it: numbers masked, and the
// birth date only to the person and to those who may reveal the numbers
// (volunteer.SeesBirthDate); everyone gets the age.
type volunteerJSON struct {
	ID                int64     `json:"id"`
	VolunteerNo       string    `json:"volunteer_no"`
	RealName          string    `json:"real_name"`
	Gender            string    `json:"gender"`
	BirthDate         string    `json:"birth_date,omitempty"`
	Age               int       `json:"age"`
	IDType            string    `json:"id_type"`
	IDNumber          string    `json:"id_number"`
	Phone             string    `json:"phone"`
	RegionCode        string    `json:"region_code"`
	RegionName        string    `json:"region_name"`
	Skills            []string  `json:"skills"`
	ServiceCategories []string  `json:"service_categories"`
	Tags              []string  `json:"tags"`
	Languages         []string  `json:"languages"`
	AvailableTime     string    `json:"available_time"`
	GuardianName      string    `json:"guardian_name,omitempty"`
	GuardianPhone     string    `json:"guardian_phone,omitempty"`
	Claimed           bool      `json:"claimed"`
	Source            string    `json:"source"`
	TeamIDs           []int64   `json:"team_ids"`
	CreatedAt         time.Time `json:"created_at"`
}

func list[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

func toVolunteerJSON(v volunteer.Volunteer) volunteerJSON {
	return volunteerJSON{ID: v.ID, VolunteerNo: v.No, RealName: v.RealName, Gender: string(v.Gender), BirthDate: v.BirthDate, Age: v.Age,
		IDType: string(v.IDType), IDNumber: v.IDNumberMasked, Phone: v.PhoneMasked, RegionCode: v.RegionCode,
		RegionName: region.FullName(v.RegionCode), Skills: list(v.Skills), ServiceCategories: list(v.Categories),
		Tags: list(v.Tags), Languages: list(v.Languages), AvailableTime: v.AvailableTime, GuardianName: v.GuardianName,
		GuardianPhone: v.GuardianPhoneMasked, Claimed: v.Claimed(), Source: v.Source, TeamIDs: list(v.TeamIDs),
		CreatedAt: v.CreatedAt.UTC()}
}

func (s *Server) volunteerRegister(w http.ResponseWriter, r *http.Request) {
	var in volunteer.Registration
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Volunteers.Register(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/volunteers/"+strconv.FormatInt(v.ID, 10))
	writeJSON(w, http.StatusCreated, toVolunteerJSON(v))
}

// claimJSON is a pending claim as the claimant sees it.
type claimJSON struct {
	ClaimID   string    `json:"claim_id"`
	State     string    `json:"state"`
	ExpiresAt time.Time `json:"expires_at"`
}

// volunteerClaim opens a claim: 202, nobody logged in, the record not yet linked.
func (s *Server) volunteerClaim(w http.ResponseWriter, r *http.Request) {
	var in volunteer.Claim
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Volunteers.ClaimRecord(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, claimJSON{ClaimID: t.ID, State: t.State, ExpiresAt: t.ExpiresAt.UTC()})
}

func (s *Server) volunteerClaimConfirm(w http.ResponseWriter, r *http.Request) {
	var in volunteer.ClaimConfirm
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Volunteers.ConfirmClaim(r.Context(), r.PathValue("id"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toVolunteerJSON(v))
}

func (s *Server) volunteerClaimApprove(w http.ResponseWriter, r *http.Request) {
	v, err := s.Volunteers.ApproveClaim(r.Context(), httpx.Principal(r), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toVolunteerJSON(v))
}

// pendingClaimJSON is a pending claim as the registering team's admins see it.
type pendingClaimJSON struct {
	ClaimID     string    `json:"claim_id"`
	VolunteerID int64     `json:"volunteer_id"`
	VolunteerNo string    `json:"volunteer_no"`
	RealName    string    `json:"real_name"`
	Phone       string    `json:"phone"`
	Code        string    `json:"code"`
	CreatedAt   time.Time `json:"created_at"`
	ExpiresAt   time.Time `json:"expires_at"`
}

func (s *Server) teamClaims(w http.ResponseWriter, r *http.Request) {
	found, err := s.Volunteers.TeamClaims(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]pendingClaimJSON, 0, len(found))
	for _, c := range found {
		items = append(items, pendingClaimJSON{ClaimID: c.ID, VolunteerID: c.VolunteerID, VolunteerNo: c.VolunteerNo, RealName: c.RealName,
			Phone: c.PhoneMasked, Code: c.Code, CreatedAt: c.CreatedAt.UTC(), ExpiresAt: c.ExpiresAt.UTC()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) volunteerMe(w http.ResponseWriter, r *http.Request) {
	v, err := s.Volunteers.Mine(r.Context(), httpx.Principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toVolunteerJSON(v))
}

func (s *Server) volunteerCompleteProfile(w http.ResponseWriter, r *http.Request) {
	var in volunteer.Registration
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Volunteers.CompleteProfile(r.Context(), httpx.Principal(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toVolunteerJSON(v))
}

func (s *Server) volunteerUpdateProfile(w http.ResponseWriter, r *http.Request) {
	var in volunteer.ProfileUpdate
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Volunteers.UpdateProfile(r.Context(), httpx.Principal(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toVolunteerJSON(v))
}

func (s *Server) volunteerGet(w http.ResponseWriter, r *http.Request) {
	v, err := s.Volunteers.Get(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toVolunteerJSON(v))
}

type revealJSON struct {
	IDType        string `json:"id_type"`
	IDNumber      string `json:"id_number"`
	Phone         string `json:"phone"`
	GuardianPhone string `json:"guardian_phone,omitempty"`
}

func (s *Server) volunteerReveal(w http.ResponseWriter, r *http.Request) {
	out, err := s.Volunteers.RevealNumbers(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, revealJSON{IDType: string(out.IDType), IDNumber: out.IDNumber, Phone: out.Phone, GuardianPhone: out.GuardianPhone})
}

func (s *Server) volunteerList(w http.ResponseWriter, r *http.Request) {
	limit, after, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q, err := volunteer.QueryOf(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.After, q.Limit = after, limit
	found, err := s.Volunteers.Search(r.Context(), httpx.Principal(r), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]volunteerJSON, 0, len(found))
	for _, v := range found {
		items = append(items, toVolunteerJSON(v))
	}
	writeJSON(w, http.StatusOK, newPage(items, limit, func(v volunteerJSON) int64 { return v.ID }))
}
