package web

import (
	"net/http"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/team"
)

// membersData is a team's member management page.
type membersData struct {
	Team     team.Team
	Members  []team.Member
	Status   string
	Statuses []string
	Roles    []string
	NextURL  string
}

// memberFilters are the states the member list can be narrowed to.
var memberFilters = []string{team.MemberActive, team.MemberPending, team.MemberInvited}

func (s *Server) memberList(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	s.showMembers(w, r, id, nil)
}

// showMembers renders the member list, with err's message if an action on a
// member failed.
func (s *Server) showMembers(w http.ResponseWriter, r *http.Request, id int64, err error) {
	ctx, pr := r.Context(), httpx.Principal(r)
	t, terr := s.Teams.Manageable(ctx, pr, id)
	if terr != nil {
		s.fail(w, r, terr)
		return
	}
	q := r.URL.Query()
	status := q.Get("status")
	after, aerr := apperr.QueryID(q, "after")
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	list, lerr := s.Teams.Members(ctx, pr, id, status, after, pageSize)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	d := membersData{Team: t, Members: list, Status: status, Statuses: memberFilters,
		Roles: []string{team.RoleAdmin, team.RoleLeader, team.RoleMember}}
	if len(list) == pageSize {
		d.NextURL = nextPage(r.URL.Path, q, list[len(list)-1].VolunteerID)
	}
	p := s.page(w, r, "team.members_title")
	p.Data = d
	if err != nil {
		s.formError(w, r, "team_members", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "team_members", p)
}

// memberAction runs an action on one member and returns to the list.
func (s *Server) memberAction(flash string, act func(r *http.Request, teamID, volunteerID int64) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := httpx.PathID(r, "id")
		if id == 0 {
			s.fail(w, r, errPageNotFound)
			return
		}
		vid := httpx.PathID(r, "volunteer")
		if vid == 0 {
			s.fail(w, r, errPageNotFound)
			return
		}
		if err := act(r, id, vid); err != nil {
			s.showMembers(w, r, id, err)
			return
		}
		http.Redirect(w, r, teamURL(id, "/members?flash="+flash), http.StatusSeeOther)
	}
}

func (s *Server) memberApprove() http.HandlerFunc {
	return s.memberAction("flash.member_approved", func(r *http.Request, id, vid int64) error {
		return s.Teams.Approve(r.Context(), httpx.Principal(r), id, vid)
	})
}

func (s *Server) memberSetRole() http.HandlerFunc {
	return s.memberAction("flash.member_role_set", func(r *http.Request, id, vid int64) error {
		return s.Teams.SetRole(r.Context(), httpx.Principal(r), id, vid, r.PostFormValue("role"))
	})
}

func (s *Server) memberRemove() http.HandlerFunc {
	return s.memberAction("flash.member_removed", func(r *http.Request, id, vid int64) error {
		return s.Teams.Remove(r.Context(), httpx.Principal(r), id, vid)
	})
}

// preregisterData is the form registering a volunteer on a team's behalf.
type preregisterData struct {
	regChoices
	Team team.Team
}

func (s *Server) preregisterForm(w http.ResponseWriter, r *http.Request) {
	s.showPreregister(w, r, nil)
}

// showPreregister renders the form, with err's messages if registering failed.
func (s *Server) showPreregister(w http.ResponseWriter, r *http.Request, err error) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	t, terr := s.Teams.Manageable(r.Context(), httpx.Principal(r), id)
	if terr != nil {
		s.fail(w, r, terr)
		return
	}
	p := s.page(w, r, "team.preregister_title")
	c, cerr := s.regChoices(r.Context(), p)
	if cerr != nil {
		s.fail(w, r, cerr)
		return
	}
	p.Data = preregisterData{regChoices: c, Team: t}
	if err != nil {
		s.formError(w, r, "team_member_new", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "team_member_new", p)
}

func (s *Server) preregister(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	if _, err := s.Teams.Preregister(r.Context(), httpx.Principal(r), id, registrationFromForm(r)); err != nil {
		s.showPreregister(w, r, err)
		return
	}
	http.Redirect(w, r, teamURL(id, "/members?flash=flash.member_preregistered"), http.StatusSeeOther)
}
