package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
	"zhiyuan/internal/team"
)

// projectListData is the public list of published projects.
type projectListData struct {
	Projects   []project.Project
	Categories []catalog.Item
	Search     string
	Region     string
	Category   string
	State      string
	States     []string // the states the viewer may list, if more than published
	NextURL    string
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	cats, err := s.Catalog.List(ctx, catalog.ServiceCategory)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr := httpx.Principal(r)
	d := projectListData{Categories: cats, Search: q.Get("q"), Region: q.Get("region_code"), Category: q.Get("category"), State: q.Get("state")}
	if auth.Allowed(pr, auth.PermProjectManage) || auth.Allowed(pr, auth.PermProjectReview) {
		d.States = []string{project.StatePublished, project.StateDraft, project.StatePendingReview, project.StateRejected, project.StateClosed}
	}
	p := s.page(w, r, "project.list_title")
	p.Data = &d
	after, err := apperr.QueryID(q, "after")
	if err != nil {
		s.formError(w, r, "projects", p, err)
		return
	}
	list, err := s.Projects.List(ctx, pr, project.ListQuery{State: d.State, RegionCode: d.Region, Category: d.Category,
		Q: d.Search, After: after, Limit: pageSize})
	if err != nil {
		s.formError(w, r, "projects", p, err)
		return
	}
	d.Projects = list
	if len(list) == pageSize {
		d.NextURL = nextPage(r.URL.Path, q, list[len(list)-1].ID)
	}
	s.render(w, r, http.StatusOK, "projects", p)
}

func projectURL(id int64, suffix string) string {
	return "/projects/" + strconv.FormatInt(id, 10) + suffix
}

// projectPageData is a project's page with its shifts and what the viewer
// may do there.
type projectPageData struct {
	Project   project.Project
	Shifts    []project.Shift
	CanManage bool // add shifts, submit a draft
	CanReview bool // decide on a pending project
	CanSignup bool
	CanAttend bool // open the shifts' check-in codes
}

func (s *Server) projectPage(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	s.showProject(w, r, id, nil)
}

// showProject renders a project's page, with err's messages if an action on
// it (or one of its shifts) failed.
func (s *Server) showProject(w http.ResponseWriter, r *http.Request, id int64, err error) {
	ctx, pr := r.Context(), httpx.Principal(r)
	pj, gerr := s.Projects.Get(ctx, pr, id)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	shifts, serr := s.Projects.Shifts(ctx, pr, id)
	if serr != nil {
		s.fail(w, r, serr)
		return
	}
	target := auth.Target{RegionCode: pj.RegionCode, TeamID: pj.TeamID}
	d := projectPageData{Project: pj, Shifts: shifts,
		CanManage: auth.Can(pr, auth.PermProjectManage, target),
		CanReview: pj.State == project.StatePendingReview && auth.Can(pr, auth.PermProjectReview, target),
		CanSignup: pj.State == project.StatePublished && auth.Allowed(pr, auth.PermSignup),
		CanAttend: auth.Can(pr, auth.PermAttendanceManage, target)}
	p := s.page(w, r, "project.page_title")
	p.Title = pj.Name
	p.Data = d
	if err == nil {
		s.render(w, r, http.StatusOK, "project", p)
		return
	}
	if e := apperr.From(err); e.Key == "project.wrong_state" {
		err = e.With(map[string]any{"State": p.ProjectState(pj.State)})
	}
	s.formError(w, r, "project", p, err)
}

// projectFormData is what the form drafting a project offers.
type projectFormData struct {
	Teams      []team.Team // the teams the principal administers, if a volunteer
	Categories []catalog.Item
	Picker     regionLevel
}

func (s *Server) projectFormPage(w http.ResponseWriter, r *http.Request) (*Page, error) {
	ctx, pr := r.Context(), httpx.Principal(r)
	cats, err := s.Catalog.List(ctx, catalog.ServiceCategory)
	if err != nil {
		return nil, err
	}
	d := projectFormData{Categories: cats}
	if teams, ms, terr := s.Teams.Mine(ctx, pr); terr == nil {
		for i := range teams {
			if ms[i].Role == team.RoleAdmin && ms[i].Status == team.MemberActive {
				d.Teams = append(d.Teams, teams[i])
			}
		}
	}
	p := s.page(w, r, "project.new_title")
	d.Picker = newRegionLevel(p, "")
	p.Data = d
	return p, nil
}

func (s *Server) projectNewForm(w http.ResponseWriter, r *http.Request) {
	p, err := s.projectFormPage(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "project_new", p)
}

func (s *Server) projectCreate(w http.ResponseWriter, r *http.Request) {
	f := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	teamID, _ := strconv.ParseInt(f("team_id"), 10, 64)
	recruit, _ := strconv.Atoi(f("recruit_count"))
	in := project.NewProject{TeamID: teamID, Name: f("name"), Category: f("category"), Content: f("content"),
		RegionCode: regionFromForm(r), Address: f("address"), RecruitCount: recruit, Requirements: f("requirements"),
		Risks: f("risks"), Protections: f("protections"), Insured: f("insured") == "1", StartsOn: f("starts_on"),
		EndsOn: f("ends_on"), ContactName: f("contact_name"), ContactPhone: f("contact_phone"), Theme: f("theme")}
	pj, err := s.Projects.Create(r.Context(), httpx.Principal(r), in)
	if err != nil {
		p, perr := s.projectFormPage(w, r)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.formError(w, r, "project_new", p, err)
		return
	}
	http.Redirect(w, r, projectURL(pj.ID, "?flash=flash.project_created"), http.StatusSeeOther)
}

func (s *Server) projectSubmit(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	if _, err := s.Projects.Submit(r.Context(), httpx.Principal(r), id); err != nil {
		s.showProject(w, r, id, err)
		return
	}
	http.Redirect(w, r, projectURL(id, "?flash=flash.project_submitted"), http.StatusSeeOther)
}

func (s *Server) projectReview(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	in := project.Review{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason")}
	if _, err := s.Projects.ReviewProject(r.Context(), httpx.Principal(r), id, in); err != nil {
		s.showProject(w, r, id, err)
		return
	}
	http.Redirect(w, r, projectURL(id, "?flash=flash.project_reviewed"), http.StatusSeeOther)
}

// localTime turns a datetime-local value (2026-03-05T09:00, Beijing time)
// into the RFC 3339 time the service expects; other text passes unchanged
// for the service to reject.
func localTime(v string) string {
	v = strings.TrimSpace(v)
	if len(v) == len("2006-01-02T15:04") {
		return v + ":00+08:00"
	}
	if len(v) == len("2006-01-02T15:04:05") {
		return v + "+08:00"
	}
	return v
}

func (s *Server) shiftCreate(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	capacity, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("capacity")))
	waitlist, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("waitlist")))
	in := project.NewShift{StartsAt: localTime(r.PostFormValue("starts_at")), EndsAt: localTime(r.PostFormValue("ends_at")),
		Capacity: capacity, Waitlist: waitlist, Place: strings.TrimSpace(r.PostFormValue("place"))}
	if _, err := s.Projects.AddShift(r.Context(), httpx.Principal(r), id, in); err != nil {
		s.showProject(w, r, id, err)
		return
	}
	http.Redirect(w, r, projectURL(id, "?flash=flash.shift_added"), http.StatusSeeOther)
}

func (s *Server) shiftSignup(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	ctx, pr := r.Context(), httpx.Principal(r)
	su, err := s.Projects.SignUp(ctx, pr, id)
	if err != nil {
		// Refused: the project's page says why (the shift is read again
		// only then; a shift the volunteer may not see is a 404).
		sh, serr := s.Projects.Shift(ctx, pr, id)
		if serr != nil {
			s.fail(w, r, serr)
			return
		}
		s.showProject(w, r, sh.ProjectID, err)
		return
	}
	flash := "flash.signed_up"
	if su.Status == project.SignupWaitlisted {
		flash = "flash.waitlisted"
	}
	http.Redirect(w, r, projectURL(su.ProjectID, "?flash="+flash), http.StatusSeeOther)
}
