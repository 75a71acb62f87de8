package team

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
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/volunteer"
)

const aadContactPhone = "teams.contact_phone"

// Service is teams, their review and their membership.
type Service struct {
	db         *db.DB
	keys       *pii.Keyring
	auth       *auth.Service
	volunteers *volunteer.Service
	log        *slog.Logger
	suspension []SuspensionHook
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// NewService returns the team service.
func NewService(d *db.DB, keys *pii.Keyring, a *auth.Service, v *volunteer.Service, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, keys: keys, auth: a, volunteers: v, log: log, Now: time.Now}
}

var (
	errNotFound      = apperr.New(apperr.NotFound, "team.not_found")
	errForbidden     = apperr.New(apperr.Forbidden, "error.forbidden")
	errNameTaken     = apperr.New(apperr.Conflict, "team.name_taken")
	errNotVolunteer  = apperr.New(apperr.Forbidden, "team.need_volunteer_record")
	errNotApproved   = apperr.New(apperr.Conflict, "team.not_approved")
	errInviteOnly    = apperr.New(apperr.Forbidden, "team.invitation_only")
	errAlreadyMember = apperr.New(apperr.Conflict, "team.already_member")
	errNotMember     = apperr.New(apperr.NotFound, "team.not_member")
	errUnclaimedLead = apperr.New(apperr.Conflict, "team.admin_must_be_claimed")
	errLastAdmin     = apperr.New(apperr.Conflict, "team.last_admin")
)

// ErrOthersRecord refuses to attach an unclaimed record that another team
// registered: the person has not consented, and only the registering team
// or the office speaks for the record until they claim it.
var ErrOthersRecord = apperr.New(apperr.Forbidden, "team.others_record")

func teamTarget(t Team) auth.Target { return auth.Target{RegionCode: t.RegionCode, TeamID: t.ID} }

// Create founds a team. A volunteer founds it as themself and becomes its
// admin once it is approved; an office admin may register one in its region.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in NewTeam) (Team, error) {
	c, err := validate(in)
	if err != nil {
		return Team{}, err
	}
	if !auth.Allowed(p, auth.PermTeamCreate) {
		return Team{}, errForbidden
	}
	var founder int64
	if !auth.Can(p, auth.PermTeamCreate, auth.Target{RegionCode: c.RegionCode}) {
		// Not an office of that region: only a volunteer founding as themself.
		v, err := s.volunteers.Mine(ctx, p)
		if err != nil {
			return Team{}, apperr.Mask(err, errNotVolunteer)
		}
		founder = v.ID
	} else if v, err := s.volunteers.Mine(ctx, p); err == nil {
		founder = v.ID
	}
	if c.ParentID != 0 {
		parent, err := teamByID(ctx, s.db.Read(), c.ParentID)
		if err != nil || parent.State != StateApproved {
			f := apperr.Fields{}
			f.Add("parent_id", "unknown", "team.parent_unknown")
			return Team{}, f.Err()
		}
	}
	enc, err := s.keys.Seal(c.phone, aadContactPhone)
	if err != nil {
		return Team{}, apperr.Wrap(err, "team: seal")
	}
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		now := s.Now().Unix()
		id, err = insertTeam(ctx, tx, c, enc, pii.MaskPhone(c.phone), founder, p.AccountID, now)
		if db.IsUniqueViolation(err) {
			return errNameTaken
		}
		if err != nil {
			return apperr.Wrap(err, "team: insert")
		}
		if founder != 0 {
			if err := putMember(ctx, tx, id, founder, RoleAdmin, MemberPending, c.RegionCode, now); err != nil {
				return apperr.Wrap(err, "team: founder")
			}
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "create", Entity: "team", EntityID: strconv.FormatInt(id, 10),
			RegionCode: c.RegionCode, Detail: map[string]any{"name": c.Name}})
	})
	if err != nil {
		return Team{}, err
	}
	return s.get(ctx, id)
}

func (s *Service) get(ctx context.Context, id int64) (Team, error) {
	t, err := teamByID(ctx, s.db.Read(), id)
	if errors.Is(err, db.ErrNotFound) {
		return t, errNotFound
	}
	return t, apperr.Wrap(err, "team: get")
}

// canSee says who may see a team: anyone once approved; before that, its
// founder, its admins and the offices of its region.
func (s *Service) canSee(ctx context.Context, p *auth.Principal, t Team) bool {
	if t.State == StateApproved {
		return true
	}
	if auth.Can(p, auth.PermTeamManage, teamTarget(t)) || auth.Can(p, auth.PermTeamReview, teamTarget(t)) {
		return true
	}
	if p != nil && t.CreatedBy == p.AccountID {
		return true
	}
	return false
}

// Get returns a team the principal may see.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Team, error) {
	t, err := s.get(ctx, id)
	if err != nil {
		return t, err
	}
	if !s.canSee(ctx, p, t) {
		return Team{}, errNotFound
	}
	return t, nil
}

// Reviews returns a team's review history, for those who may see the team.
func (s *Service) Reviews(ctx context.Context, p *auth.Principal, id int64) ([]ReviewRecord, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	list, err := reviewsOf(ctx, s.db.Read(), id)
	return list, apperr.Wrap(err, "team: reviews")
}

// SuspensionHook follows a team's suspension (true) or reinstatement
// (false) in the review's transaction: the packages that keep the team's
// state beside their own rows (a project's team_suspended) register one.
type SuspensionHook func(ctx context.Context, tx db.Querier, teamID int64, suspended bool) error

// OnSuspension registers a hook run on every suspension and reinstatement.
// Call it while wiring the services, before any request.
func (s *Service) OnSuspension(h SuspensionHook) { s.suspension = append(s.suspension, h) }

// transitions maps a decision to the state it leaves from and goes to.
var transitions = map[string][2]string{
	"approve":   {StatePending, StateApproved},
	"reject":    {StatePending, StateRejected},
	"suspend":   {StateApproved, StateSuspended},
	"reinstate": {StateSuspended, StateApproved},
}

// ReviewTeam records an office's decision on a team in its region. On
// approval the founder becomes the team's admin.
func (s *Service) ReviewTeam(ctx context.Context, p *auth.Principal, id int64, r Review) (Team, error) {
	t, err := s.Get(ctx, p, id)
	if err != nil {
		return t, err
	}
	if !auth.Can(p, auth.PermTeamReview, teamTarget(t)) {
		return t, apperr.New(apperr.Forbidden, "team.review_out_of_scope")
	}
	r.Decision, r.Reason = strings.TrimSpace(r.Decision), strings.TrimSpace(r.Reason)
	tr, ok := transitions[r.Decision]
	f := apperr.Fields{}
	if !ok {
		f.Add("decision", "unknown", "team.decision_unknown")
	}
	if (r.Decision == "reject" || r.Decision == "suspend") && r.Reason == "" {
		f.Add("reason", "required", "team.reason_required")
	}
	if utf8.RuneCountInString(r.Reason) > 500 {
		f.Add("reason", "too_long", "team.reason_too_long")
	}
	if err := f.Err(); err != nil {
		return t, err
	}
	if t.State != tr[0] {
		return t, apperr.New(apperr.Conflict, "team.wrong_state").With(map[string]any{"State": t.State})
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		now := s.Now()
		reason := ""
		if tr[1] == StateRejected || tr[1] == StateSuspended {
			reason = r.Reason
		}
		moved, err := setState(ctx, tx, id, tr[0], tr[1], reason, now.Unix())
		if err != nil {
			return apperr.Wrap(err, "team: review")
		}
		if !moved {
			return apperr.New(apperr.Conflict, "team.wrong_state").With(map[string]any{"State": t.State})
		}
		if err := insertReview(ctx, tx, id, ReviewRecord{Decision: r.Decision, FromState: tr[0], ToState: tr[1],
			Reason: r.Reason, ReviewerID: p.AccountID, At: now}); err != nil {
			return apperr.Wrap(err, "team: review record")
		}
		if r.Decision == "suspend" || r.Decision == "reinstate" {
			for _, h := range s.suspension {
				if err := h(ctx, tx, id, r.Decision == "suspend"); err != nil {
					return err
				}
			}
		}
		if r.Decision == "approve" && t.FounderVolunteerID != 0 {
			if err := s.setMember(ctx, tx, t, t.FounderVolunteerID, RoleAdmin, MemberActive, p.AccountID); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "review", Entity: "team", EntityID: strconv.FormatInt(id, 10),
			RegionCode: t.RegionCode, Detail: map[string]any{"decision": r.Decision, "reason": r.Reason}})
	})
	if err != nil {
		return t, err
	}
	return s.get(ctx, id)
}

// ListQuery selects teams.
type ListQuery struct {
	State      string
	RegionCode string
	Name       string
	After      int64
	Limit      int
}

// List returns teams: approved teams for anyone; other states only within
// the principal's review or management scope (the review queue is
// State=pending).
func (s *Service) List(ctx context.Context, p *auth.Principal, q ListQuery) ([]Team, error) {
	f := listFilter{state: q.State, region: strings.TrimSpace(q.RegionCode), name: strings.TrimSpace(q.Name), after: q.After, limit: q.Limit}
	if f.limit <= 0 || f.limit > 200 {
		f.limit = 50
	}
	if f.state == "" || f.state == StateApproved {
		f.state, f.all = StateApproved, true
	} else {
		regions, all := auth.RegionScopes(p, auth.PermTeamReview)
		f.all, f.regions, f.ids = all, regions, auth.TeamScopes(p, auth.PermTeamManage)
	}
	list, err := listTeams(ctx, s.db.Read(), f)
	return list, apperr.Wrap(err, "team: list")
}
