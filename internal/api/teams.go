package api

import (
	"net/http"
	"strconv"
	"time"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/region"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

type teamJSON struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	RegionCode   string    `json:"region_code"`
	RegionName   string    `json:"region_name"`
	State        string    `json:"state"`
	Type         string    `json:"type"`
	CreditCode   string    `json:"credit_code,omitempty"`
	ParentID     int64     `json:"parent_id,omitempty"`
	ContactName  string    `json:"contact_name"`
	ContactPhone string    `json:"contact_phone"`
	JoinMode     string    `json:"join_mode"`
	Description  string    `json:"description"`
	RejectReason string    `json:"reject_reason,omitempty"`
	MemberCount  int       `json:"member_count"`
	CreatedAt    time.Time `json:"created_at"`
}

func toTeamJSON(t team.Team) teamJSON {
	return teamJSON{ID: t.ID, Name: t.Name, RegionCode: t.RegionCode, RegionName: region.FullName(t.RegionCode), State: t.State,
		Type: t.Type, CreditCode: t.CreditCode, ParentID: t.ParentID, ContactName: t.ContactName, ContactPhone: t.ContactPhoneMasked,
		JoinMode: t.JoinMode, Description: t.Description, RejectReason: t.RejectReason, MemberCount: t.MemberCount,
		CreatedAt: t.CreatedAt.UTC()}
}

func (s *Server) teamCreate(w http.ResponseWriter, r *http.Request) {
	var in team.NewTeam
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Teams.Create(r.Context(), httpx.Principal(r), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/teams/"+strconv.FormatInt(t.ID, 10))
	writeJSON(w, http.StatusCreated, toTeamJSON(t))
}

func (s *Server) teamGet(w http.ResponseWriter, r *http.Request) {
	t, err := s.Teams.Get(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toTeamJSON(t))
}

func (s *Server) teamList(w http.ResponseWriter, r *http.Request) {
	limit, after, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	found, err := s.Teams.List(r.Context(), httpx.Principal(r), team.ListQuery{State: q.Get("state"), RegionCode: q.Get("region_code"),
		Name: q.Get("q"), After: after, Limit: limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]teamJSON, 0, len(found))
	for _, t := range found {
		items = append(items, toTeamJSON(t))
	}
	writeJSON(w, http.StatusOK, newPage(items, limit, func(t teamJSON) int64 { return t.ID }))
}

type myTeamJSON struct {
	teamJSON
	MemberRole   string `json:"member_role"`
	MemberStatus string `json:"member_status"`
}

func (s *Server) teamMine(w http.ResponseWriter, r *http.Request) {
	teams, ms, err := s.Teams.Mine(r.Context(), httpx.Principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]myTeamJSON, 0, len(teams))
	for i, t := range teams {
		items = append(items, myTeamJSON{teamJSON: toTeamJSON(t), MemberRole: ms[i].Role, MemberStatus: ms[i].Status})
	}
	writeJSON(w, http.StatusOK, page[myTeamJSON]{Items: items})
}

func (s *Server) teamReview(w http.ResponseWriter, r *http.Request) {
	var in team.Review
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Teams.ReviewTeam(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toTeamJSON(t))
}

type reviewJSON struct {
	Decision   string    `json:"decision"`
	From       string    `json:"from_state"`
	To         string    `json:"to_state"`
	Reason     string    `json:"reason"`
	ReviewerID int64     `json:"reviewer_id"`
	At         time.Time `json:"at"`
}

func (s *Server) teamReviews(w http.ResponseWriter, r *http.Request) {
	list, err := s.Teams.Reviews(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]reviewJSON, 0, len(list))
	for _, x := range list {
		items = append(items, reviewJSON{Decision: x.Decision, From: x.FromState, To: x.ToState, Reason: x.Reason, ReviewerID: x.ReviewerID, At: x.At.UTC()})
	}
	writeJSON(w, http.StatusOK, page[reviewJSON]{Items: items})
}

type memberJSON struct {
	VolunteerID int64      `json:"volunteer_id"`
	VolunteerNo string     `json:"volunteer_no,omitempty"`
	RealName    string     `json:"real_name,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	RegionCode  string     `json:"region_code,omitempty"`
	Role        string     `json:"role"`
	Status      string     `json:"status"`
	Claimed     bool       `json:"claimed"`
	JoinedAt    *time.Time `json:"joined_at,omitempty"`
	AdminSince  *time.Time `json:"admin_since,omitempty"`
	AppointedBy int64      `json:"appointed_by,omitempty"`
}

func toMemberJSON(m team.Member) memberJSON {
	j := memberJSON{VolunteerID: m.VolunteerID, VolunteerNo: m.VolunteerNo, RealName: m.RealName, Phone: m.PhoneMasked,
		RegionCode: m.RegionCode, Role: m.Role, Status: m.Status, Claimed: m.Claimed}
	if !m.JoinedAt.IsZero() {
		t := m.JoinedAt.UTC()
		j.JoinedAt = &t
	}
	if m.Role == team.RoleAdmin && !m.AdminSince.IsZero() {
		t := m.AdminSince.UTC()
		j.AdminSince, j.AppointedBy = &t, m.AppointedBy
	}
	return j
}

func (s *Server) teamMembers(w http.ResponseWriter, r *http.Request) {
	limit, after, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Teams.Members(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), r.URL.Query().Get("status"), after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]memberJSON, 0, len(list))
	for _, m := range list {
		items = append(items, toMemberJSON(m))
	}
	writeJSON(w, http.StatusOK, newPage(items, limit, func(m memberJSON) int64 { return m.VolunteerID }))
}

type addMemberRequest struct {
	VolunteerID int64 `json:"volunteer_id"`
}

func (s *Server) teamAddMember(w http.ResponseWriter, r *http.Request) {
	var in addMemberRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.Teams.AddMember(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in.VolunteerID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toMemberJSON(m))
}

func (s *Server) teamPreregister(w http.ResponseWriter, r *http.Request) {
	var in volunteer.Registration
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Teams.Preregister(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toVolunteerJSON(v))
}

func (s *Server) teamJoin(w http.ResponseWriter, r *http.Request) {
	m, err := s.Teams.Join(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toMemberJSON(m))
}

func (s *Server) teamLeave(w http.ResponseWriter, r *http.Request) {
	if err := s.Teams.Leave(r.Context(), httpx.Principal(r), httpx.PathID(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) teamApproveMember(w http.ResponseWriter, r *http.Request) {
	if err := s.Teams.Approve(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), httpx.PathID(r, "volunteer")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) teamRemoveMember(w http.ResponseWriter, r *http.Request) {
	if err := s.Teams.Remove(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), httpx.PathID(r, "volunteer")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type roleRequest struct {
	Role string `json:"role"`
}

func (s *Server) teamSetRole(w http.ResponseWriter, r *http.Request) {
	var in roleRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Teams.SetRole(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), httpx.PathID(r, "volunteer"), in.Role); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type catalogJSON struct {
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
}

func (s *Server) catalogList(w http.ResponseWriter, r *http.Request) {
	items, err := s.Catalog.List(r.Context(), catalogKind(r.PathValue("kind")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if items == nil && !knownCatalog(r.PathValue("kind")) {
		s.fail(w, r, errNoRoute)
		return
	}
	out := make([]catalogJSON, 0, len(items))
	for _, it := range items {
		out = append(out, catalogJSON{Name: it.Name, NameEn: it.NameEn})
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, page[catalogJSON]{Items: out})
}

type catalogRequest struct {
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
}

func (s *Server) catalogAdd(w http.ResponseWriter, r *http.Request) {
	if !knownCatalog(r.PathValue("kind")) {
		s.fail(w, r, errNoRoute)
		return
	}
	var in catalogRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	it, err := s.Catalog.AddItem(r.Context(), httpx.Principal(r), catalogKind(r.PathValue("kind")), in.Name, in.NameEn)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, catalogJSON{Name: it.Name, NameEn: it.NameEn})
}

func (s *Server) catalogRemove(w http.ResponseWriter, r *http.Request) {
	if !knownCatalog(r.PathValue("kind")) {
		s.fail(w, r, errNoRoute)
		return
	}
	if err := s.Catalog.RemoveItem(r.Context(), httpx.Principal(r), catalogKind(r.PathValue("kind")), r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
