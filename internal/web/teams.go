package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/team"
)

// pageSize is the length of one page of a list.
const pageSize = 50

// nextPage is the link to the page after the row with id after, keeping the
// list's filters.
func nextPage(path string, q url.Values, after int64) string {
	v := url.Values{}
	for k, x := range q {
		if k != "after" && len(x) > 0 && x[0] != "" {
			v.Set(k, x[0])
		}
	}
	v.Set("after", strconv.FormatInt(after, 10))
	return path + "?" + v.Encode()
}

// teamListData is the public list of teams and the review queue.
type teamListData struct {
	Teams   []team.Team
	Search  string
	Region  string
	NextURL string
}

func (s *Server) teamList(w http.ResponseWriter, r *http.Request) {
	s.listTeams(w, r, "", "team.list_title", "teams")
}

func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request) {
	s.listTeams(w, r, team.StatePending, "team.queue_title", "team_queue")
}

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request, state, titleKey, tmpl string) {
	q := r.URL.Query()
	after, err := apperr.QueryID(q, "after")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Teams.List(r.Context(), httpx.Principal(r), team.ListQuery{State: state, Name: q.Get("q"),
		RegionCode: q.Get("region_code"), After: after, Limit: pageSize})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := teamListData{Teams: list, Search: q.Get("q"), Region: q.Get("region_code")}
	if len(list) == pageSize {
		d.NextURL = nextPage(r.URL.Path, q, list[len(list)-1].ID)
	}
	p := s.page(w, r, titleKey)
	p.Data = d
	s.render(w, r, http.StatusOK, tmpl, p)
}

// teamFormData is what the form founding a team offers.
type teamFormData struct {
	Types     []string
	JoinModes []string
	Picker    regionLevel
}

func (s *Server) teamFormPage(w http.ResponseWriter, r *http.Request) *Page {
	p := s.page(w, r, "team.new_title")
	p.Data = teamFormData{Types: team.Types, JoinModes: []string{team.JoinOpen, team.JoinApproval, team.JoinInvitation},
		Picker: newRegionLevel(p, "")}
	return p
}

func (s *Server) teamNewForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "team_new", s.teamFormPage(w, r))
}

func (s *Server) teamCreate(w http.ResponseWriter, r *http.Request) {
	in := team.NewTeam{
		Name:         r.PostFormValue("name"),
		RegionCode:   regionFromForm(r),
		ContactName:  r.PostFormValue("contact_name"),
		ContactPhone: r.PostFormValue("contact_phone"),
		Type:         r.PostFormValue("type"),
		CreditCode:   r.PostFormValue("credit_code"),
		JoinMode:     r.PostFormValue("join_mode"),
		Description:  strings.TrimSpace(r.PostFormValue("description")),
	}
	t, err := s.Teams.Create(r.Context(), httpx.Principal(r), in)
	if err != nil {
		s.formError(w, r, "team_new", s.teamFormPage(w, r), err)
		return
	}
	http.Redirect(w, r, teamURL(t.ID, "?flash=flash.team_created"), http.StatusSeeOther)
}

func teamURL(id int64, suffix string) string {
	return "/teams/" + strconv.FormatInt(id, 10) + suffix
}

// teamPageData is a team's page with what the viewer may do there.
type teamPageData struct {
	Team       team.Team
	Reviews    []team.ReviewRecord
	Membership *team.Member // the viewer's own, if any
	Volunteer  bool         // the viewer may join teams
	CanManage  bool
	Decisions  []string     // the review decisions open to the viewer
	Admins     []team.Admin // for its managers and offices: who is admin, since when, appointed by whom
}

// decisionsFrom are the review decisions possible in each state.
var decisionsFrom = map[string][]string{
	team.StatePending:   {"approve", "reject"},
	team.StateApproved:  {"suspend"},
	team.StateSuspended: {"reinstate"},
}

func (s *Server) teamPage(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	s.showTeam(w, r, id, nil)
}

// showTeam renders a team's page, with err's messages if an action on it failed.
func (s *Server) showTeam(w http.ResponseWriter, r *http.Request, id int64, err error) {
	ctx, pr := r.Context(), httpx.Principal(r)
	t, gerr := s.Teams.Get(ctx, pr, id)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	target := auth.Target{RegionCode: t.RegionCode, TeamID: t.ID}
	d := teamPageData{Team: t, Volunteer: auth.Allowed(pr, auth.PermTeamJoin), CanManage: auth.Can(pr, auth.PermTeamManage, target)}
	if auth.Can(pr, auth.PermTeamReview, target) {
		d.Decisions = decisionsFrom[t.State]
	}
	if d.CanManage || auth.Can(pr, auth.PermTeamReview, target) {
		list, aerr := s.Teams.Admins(ctx, pr, id)
		if aerr != nil {
			s.fail(w, r, aerr)
			return
		}
		d.Admins = list
	}
	if pr != nil {
		// Reviews are for signed-in viewers, as in the API.
		if list, rerr := s.Teams.Reviews(ctx, pr, id); rerr == nil {
			d.Reviews = list
		}
	}
	if d.Volunteer {
		teams, ms, merr := s.Teams.Mine(ctx, pr)
		if merr != nil {
			s.fail(w, r, merr)
			return
		}
		for i := range teams {
			if teams[i].ID == id {
				d.Membership = &ms[i]
			}
		}
	}
	p := s.page(w, r, "team.page_title")
	p.Title = t.Name
	p.Data = d
	if err == nil {
		s.render(w, r, http.StatusOK, "team", p)
		return
	}
	if e := apperr.From(err); e.Key == "team.wrong_state" {
		err = e.With(map[string]any{"State": p.TeamState(t.State)})
	}
	s.formError(w, r, "team", p, err)
}

func (s *Server) teamJoin(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	m, err := s.Teams.Join(r.Context(), httpx.Principal(r), id)
	if err != nil {
		s.showTeam(w, r, id, err)
		return
	}
	flash := "flash.team_joined"
	if m.Status == team.MemberPending {
		flash = "flash.team_join_requested"
	}
	http.Redirect(w, r, teamURL(id, "?flash="+flash), http.StatusSeeOther)
}

func (s *Server) teamLeave(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	if err := s.Teams.Leave(r.Context(), httpx.Principal(r), id); err != nil {
		s.showTeam(w, r, id, err)
		return
	}
	http.Redirect(w, r, teamURL(id, "?flash=flash.team_left"), http.StatusSeeOther)
}

func (s *Server) teamReview(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	in := team.Review{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason")}
	if _, err := s.Teams.ReviewTeam(r.Context(), httpx.Principal(r), id, in); err != nil {
		s.showTeam(w, r, id, err)
		return
	}
	http.Redirect(w, r, teamURL(id, "?flash=flash.team_reviewed"), http.StatusSeeOther)
}

// myTeam is one of the viewer's teams with their membership.
type myTeam struct {
	Team   team.Team
	Member team.Member
}

func (s *Server) myTeams(w http.ResponseWriter, r *http.Request) {
	teams, ms, err := s.Teams.Mine(r.Context(), httpx.Principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list := make([]myTeam, len(teams))
	for i := range teams {
		list[i] = myTeam{Team: teams[i], Member: ms[i]}
	}
	p := s.page(w, r, "team.mine_title")
	p.Data = list
	s.render(w, r, http.StatusOK, "my_teams", p)
}
