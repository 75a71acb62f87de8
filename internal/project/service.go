package project

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

const aadContactPhone = "projects.contact_phone"

// Service is projects, their shifts and sign-ups.
type Service struct {
	db         *db.DB
	keys       *pii.Keyring
	catalog    *catalog.Catalog
	teams      *team.Service
	volunteers *volunteer.Service
	feedKey    []byte
	log        *slog.Logger
	open       openCache // the open-shift lists, forgotten on writes
	checkedIn  CheckedInFunc
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// NewService returns the project service.
func NewService(d *db.DB, keys *pii.Keyring, c *catalog.Catalog, t *team.Service, v *volunteer.Service, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{db: d, keys: keys, catalog: c, teams: t, volunteers: v, log: log, Now: time.Now}
	if t != nil {
		t.OnSuspension(s.teamSuspended)
	}
	return s
}

// teamSuspended follows a team's suspension or reinstatement onto its
// projects, in the team's review transaction.
func (s *Service) teamSuspended(ctx context.Context, tx db.Querier, teamID int64, suspended bool) error {
	db.AfterCommit(tx, s.open.forget) // its shifts leave or rejoin the open list
	return apperr.Wrap(setTeamSuspended(ctx, tx, teamID, suspended), "project: team suspension")
}

// CheckedInFunc says, inside a transaction, whether a volunteer has checked
// in on a shift; attendance is not this package's, and the app wires it.
type CheckedInFunc func(ctx context.Context, q db.Querier, shiftID, volunteerID int64) (bool, error)

// SetCheckedIn names the attendance owner's check, which keeps a sign-up
// whose volunteer has checked in from being cancelled.
func (s *Service) SetCheckedIn(f CheckedInFunc) { s.checkedIn = f }

var (
	errNotFound  = apperr.New(apperr.NotFound, "project.not_found")
	errForbidden = apperr.New(apperr.Forbidden, "error.forbidden")
)

func projectTarget(p Project) auth.Target {
	return auth.Target{RegionCode: p.RegionCode, TeamID: p.TeamID}
}

func (s *Service) today() time.Time {
	y, m, d := s.Now().In(clock.Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, clock.Zone)
}

// Create drafts a project for a team the principal manages.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in NewProject) (Project, error) {
	c, err := validate(in, s.today())
	f := apperr.Fields{}
	if err != nil {
		f = apperr.From(err).Fields
	}
	cats, _, cerr := s.catalog.Resolve(ctx, catalog.ServiceCategory, []string{in.Category})
	if cerr != nil {
		return Project{}, apperr.Wrap(cerr, "project: category")
	}
	if len(cats) == 0 {
		if f == nil {
			f = apperr.Fields{}
		}
		f.Add("category", "unknown", "project.category_unknown")
	}
	if len(f) > 0 {
		return Project{}, apperr.Fields(f).Err()
	}
	t, err := s.teams.Manageable(ctx, p, c.TeamID)
	if err != nil {
		return Project{}, err
	}
	if t.State != team.StateApproved {
		return Project{}, apperr.New(apperr.Conflict, "team.not_approved")
	}
	enc, err := s.keys.Seal(c.phone, aadContactPhone)
	if err != nil {
		return Project{}, apperr.Wrap(err, "project: seal")
	}
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		id, err = insertProject(ctx, tx, c, cats[0].ID, enc, pii.MaskPhone(c.phone), p.AccountID, s.Now().Unix())
		if err != nil {
			return apperr.Wrap(err, "project: insert")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "create", Entity: "project", EntityID: strconv.FormatInt(id, 10),
			RegionCode: c.RegionCode, Detail: map[string]any{"team_id": c.TeamID, "name": c.Name}})
	})
	if err != nil {
		return Project{}, err
	}
	return s.get(ctx, id)
}

func (s *Service) get(ctx context.Context, id int64) (Project, error) {
	p, err := projectByID(ctx, s.db.Read(), id)
	if errors.Is(err, db.ErrNotFound) {
		return p, errNotFound
	}
	return p, apperr.Wrap(err, "project: get")
}

// Get returns a project: published ones to anyone, others to their team and
// the offices of their region.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Project, error) {
	pr, err := s.get(ctx, id)
	if err != nil {
		return pr, err
	}
	if s.visible(p, pr) {
		return pr, nil
	}
	return Project{}, errNotFound
}

// visible reports whether p may see the project: published and closed ones
// anyone, others their team and the offices of their region.
func (s *Service) visible(p *auth.Principal, pr Project) bool {
	return pr.State == StatePublished || pr.State == StateClosed || s.canManage(p, pr) || auth.Can(p, auth.PermProjectReview, projectTarget(pr))
}

func (s *Service) canManage(p *auth.Principal, pr Project) bool {
	return auth.Can(p, auth.PermProjectManage, projectTarget(pr))
}

// manageable returns a project the principal may manage.
func (s *Service) manageable(ctx context.Context, p *auth.Principal, id int64) (Project, error) {
	pr, err := s.Get(ctx, p, id)
	if err != nil {
		return pr, err
	}
	if !s.canManage(p, pr) {
		return pr, errForbidden
	}
	return pr, nil
}

// Submit sends a draft (or a rejected project, after changes) for review.
func (s *Service) Submit(ctx context.Context, p *auth.Principal, id int64) (Project, error) {
	pr, err := s.manageable(ctx, p, id)
	if err != nil {
		return pr, err
	}
	if pr.State != StateDraft && pr.State != StateRejected {
		return pr, apperr.New(apperr.Conflict, "project.wrong_state").With(map[string]any{"State": pr.State})
	}
	if pr.TeamSuspended {
		return pr, errTeamSuspended
	}
	if pr.EndsOn < s.today().Format("2006-01-02") {
		return pr, apperr.New(apperr.Conflict, "project.already_ended")
	}
	return s.move(ctx, p, pr, "submit", pr.State, StatePendingReview, "")
}

// ReviewProject is the office's decision: approve publishes the project,
// reject sends it back with a reason the team sees.
func (s *Service) ReviewProject(ctx context.Context, p *auth.Principal, id int64, r Review) (Project, error) {
	pr, err := s.Get(ctx, p, id)
	if err != nil {
		return pr, err
	}
	if !auth.Can(p, auth.PermProjectReview, projectTarget(pr)) {
		return pr, apperr.New(apperr.Forbidden, "project.review_out_of_scope")
	}
	r.Decision, r.Reason = strings.TrimSpace(r.Decision), strings.TrimSpace(r.Reason)
	f := apperr.Fields{}
	to := map[string]string{"approve": StatePublished, "reject": StateRejected}[r.Decision]
	if to == "" {
		f.Add("decision", "unknown", "project.decision_unknown")
	}
	if r.Decision == "reject" && r.Reason == "" {
		f.Add("reason", "required", "team.reason_required")
	}
	if utf8.RuneCountInString(r.Reason) > 500 {
		f.Add("reason", "too_long", "team.reason_too_long")
	}
	if err := f.Err(); err != nil {
		return pr, err
	}
	if pr.State != StatePendingReview {
		return pr, apperr.New(apperr.Conflict, "project.wrong_state").With(map[string]any{"State": pr.State})
	}
	if to == StatePublished && pr.EndsOn < s.today().Format("2006-01-02") {
		return pr, apperr.New(apperr.Conflict, "project.already_ended")
	}
	reason := ""
	if to == StateRejected {
		reason = r.Reason
	}
	return s.move(ctx, p, pr, r.Decision, StatePendingReview, to, reason)
}

// move changes a project's state, recording the step in its review history.
func (s *Service) move(ctx context.Context, p *auth.Principal, pr Project, decision, from, to, reason string) (Project, error) {
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		db.AfterCommit(tx, s.open.forget) // published or closed: its shifts come or go
		now := s.Now().Unix()
		ok, err := setProjectState(ctx, tx, pr.ID, from, to, reason, now)
		if err != nil {
			return apperr.Wrap(err, "project: state")
		}
		if !ok {
			return apperr.New(apperr.Conflict, "project.wrong_state").With(map[string]any{"State": pr.State})
		}
		if err := insertProjectReview(ctx, tx, pr.ID, decision, from, to, reason, p.AccountID, now); err != nil {
			return apperr.Wrap(err, "project: review record")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: decision, Entity: "project", EntityID: strconv.FormatInt(pr.ID, 10),
			RegionCode: pr.RegionCode, Detail: map[string]any{"from": from, "to": to, "reason": reason}})
	})
	if err != nil {
		return pr, err
	}
	return s.get(ctx, pr.ID)
}

// ListQuery selects projects.
type ListQuery struct {
	State      string
	RegionCode string
	Category   string
	Q          string
	After      int64
	Limit      int
}

// List returns published projects to anyone (by region prefix, category and
// name); other states only within the principal's scope.
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) ([]Project, error) {
	f := listFilter{state: q.State, region: strings.TrimSpace(q.RegionCode), name: strings.TrimSpace(q.Q), after: q.After, limit: q.Limit}
	if f.limit <= 0 || f.limit > 200 {
		f.limit = 50
	}
	if f.state == "" {
		f.state = StatePublished
	}
	if f.state == StatePublished || f.state == StateClosed {
		f.all = true
	} else {
		regions, all := auth.RegionScopes(p, auth.PermProjectReview)
		f.all, f.regions, f.teamIDs = all, regions, auth.TeamScopes(p, auth.PermProjectManage)
	}
	if c := strings.TrimSpace(q.Category); c != "" {
		cats, _, err := s.catalog.Resolve(ctx, catalog.ServiceCategory, []string{c})
		if err != nil {
			return nil, apperr.Wrap(err, "project: category")
		}
		if len(cats) == 0 {
			fe := apperr.Fields{}
			fe.Add("category", "unknown", "project.category_unknown")
			return nil, fe.Err()
		}
		f.categoryID = cats[0].ID
	}
	list, err := listProjects(ctx, s.db.Read(), f)
	return list, apperr.Wrap(err, "project: list")
}
