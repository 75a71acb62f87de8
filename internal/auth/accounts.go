package auth

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/db"
	"zhiyuan/internal/region"
)

// NewAccount is the input for creating an account, from a form, JSON or the CLI.
type NewAccount struct {
	Username    string
	DisplayName string
	Password    string
	RegionCode  string
	Locale      string
	// Grant, if its Role is set, is given in the same transaction.
	Grant Grant
}

// Validate checks the input and returns field errors keyed by input name.
func (in *NewAccount) Validate() error {
	in.Username = NormalizeUsername(in.Username)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.RegionCode = strings.TrimSpace(in.RegionCode)
	f := apperr.Fields{}
	if !usernamePattern.MatchString(in.Username) {
		f.Add("username", "format", "account.username_format")
	}
	if len([]rune(in.DisplayName)) > 64 {
		f.Add("display_name", "too_long", "account.display_name_too_long")
	}
	if err := CheckPassword(in.Password, in.Username, in.DisplayName); err != nil {
		for k, v := range apperr.From(err).Fields {
			f[k] = v
		}
	}
	checkRegion(f, "region_code", in.RegionCode)
	if in.Locale == "" {
		in.Locale = "zh"
	}
	return f.Err()
}

// CreateAccount creates an account (and its first grant, if given). The
// account's region must be inside the creator's scope.
func (s *Service) CreateAccount(ctx context.Context, p *Principal, in NewAccount) (Account, error) {
	if err := in.Validate(); err != nil {
		return Account{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return Account{}, apperr.Wrap(err, "auth: hash")
	}
	var a Account
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		a, err = s.CreateAccountTx(ctx, tx, p, in, hash)
		return err
	})
	return a, err
}

// CreateAccountTx creates a validated account inside the caller's
// transaction, with the password already hashed (hashing is slow and must not
// hold a write transaction open). Other services use it to create an account
// together with their own record.
func (s *Service) CreateAccountTx(ctx context.Context, tx db.Querier, p *Principal, in NewAccount, passwordHash string) (Account, error) {
	if !Can(p, PermAccountsAdmin, Target{RegionCode: in.RegionCode}) {
		return Account{}, apperr.New(apperr.Forbidden, "account.region_out_of_scope")
	}
	if in.Locale == "" {
		in.Locale = "zh"
	}
	now := s.Now().Unix()
	a := Account{Username: in.Username, DisplayName: in.DisplayName, RegionCode: in.RegionCode, Locale: in.Locale,
		CreatedAt: time.Unix(now, 0)}
	id, err := insertAccount(ctx, tx, a, passwordHash, now)
	if db.IsUniqueViolation(err) {
		f := apperr.Fields{}
		f.Add("username", "taken", "account.username_taken")
		e := apperr.From(f.Err())
		e.Kind = apperr.Conflict
		return a, e
	}
	if err != nil {
		return a, apperr.Wrap(err, "auth: insert account")
	}
	a.ID = id
	if err := audit.Write(ctx, tx, audit.Entry{Action: "create", Entity: "account", EntityID: strconv.FormatInt(id, 10),
		RegionCode: a.RegionCode, Detail: map[string]any{"username": a.Username}}); err != nil {
		return a, err
	}
	if in.Grant.Role == "" {
		return a, nil
	}
	g, err := s.addGrant(ctx, tx, p, a, in.Grant)
	a.Grants = []Grant{g}
	return a, err
}

// EnsureGrantTx gives an account a role inside the caller's transaction,
// doing nothing if the account already holds it with that scope. Other
// services use it when a role follows from their records (a team's admin).
func (s *Service) EnsureGrantTx(ctx context.Context, tx db.Querier, p *Principal, accountID int64, g Grant) error {
	a, _, err := accountByID(ctx, tx, accountID)
	if err != nil {
		return apperr.Wrap(err, "auth: grant")
	}
	if _, err := s.normalizeGrant(ctx, tx, a, &g); err != nil {
		return err
	}
	if id, err := findGrant(ctx, tx, accountID, g); err != nil || id != 0 {
		return apperr.Wrap(err, "auth: find grant")
	}
	_, err = s.addGrant(ctx, tx, p, a, g)
	return err
}

// RemoveGrantTx takes away the account's grant of g's role and scope inside
// the caller's transaction, doing nothing if it holds none.
func (s *Service) RemoveGrantTx(ctx context.Context, tx db.Querier, accountID int64, g Grant) error {
	a, _, err := accountByID(ctx, tx, accountID)
	if err != nil {
		return apperr.Wrap(err, "auth: revoke")
	}
	if _, err := s.normalizeGrant(ctx, tx, a, &g); err != nil {
		return err
	}
	id, err := findGrant(ctx, tx, accountID, g)
	if err != nil || id == 0 {
		return apperr.Wrap(err, "auth: find grant")
	}
	if _, err := deleteGrant(ctx, tx, accountID, id); err != nil {
		return apperr.Wrap(err, "auth: revoke")
	}
	s.forgetAccount(tx, accountID)
	return audit.Write(ctx, tx, audit.Entry{Action: "revoke", Entity: "account", EntityID: strconv.FormatInt(accountID, 10),
		RegionCode: a.RegionCode, Detail: grantDetail(g)})
}

// Account returns an account with its grants, if it is in the principal's scope.
func (s *Service) Account(ctx context.Context, p *Principal, id int64) (Account, error) {
	a, _, err := accountByID(ctx, s.db.Read(), id)
	if errors.Is(err, db.ErrNotFound) {
		return a, errAccountMissing
	}
	if err != nil {
		return a, apperr.Wrap(err, "auth: account")
	}
	if !canSeeAccount(p, a) {
		return Account{}, errAccountMissing // out of scope reads as absent
	}
	if a.Grants, err = grantsOf(ctx, s.db.Read(), id); err != nil {
		return a, apperr.Wrap(err, "auth: grants")
	}
	return a, nil
}

func canSeeAccount(p *Principal, a Account) bool {
	return p != nil && (p.AccountID == a.ID || Can(p, PermAccountsView, Target{RegionCode: a.RegionCode}))
}

// AccountQuery selects a page of accounts.
type AccountQuery struct {
	Search string
	After  int64
	Limit  int
}

// ListAccounts returns the accounts in the principal's scope, by id.
func (s *Service) ListAccounts(ctx context.Context, p *Principal, q AccountQuery) ([]Account, error) {
	if !Allowed(p, PermAccountsView) {
		return nil, errForbidden
	}
	regions, all := RegionScopes(p, PermAccountsView)
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	list, err := listAccounts(ctx, s.db.Read(), accountFilter{all: all, regions: regions,
		search: strings.TrimSpace(q.Search), after: q.After, limit: q.Limit})
	return list, apperr.Wrap(err, "auth: list accounts")
}

// errAboveReach refuses a change to an account that holds a role beyond
// the principal's reach.
var errAboveReach = apperr.New(apperr.Forbidden, "account.above_reach")

// managedAccount returns an account the principal may change (CanManageAccount).
func (s *Service) managedAccount(ctx context.Context, p *Principal, accountID int64) (Account, error) {
	a, err := s.Account(ctx, p, accountID)
	if err != nil {
		return a, err
	}
	if !CanManageAccount(p, a) {
		return Account{}, errAboveReach
	}
	return a, nil
}

// AddGrant gives an account a role with a scope.
func (s *Service) AddGrant(ctx context.Context, p *Principal, accountID int64, g Grant) (Grant, error) {
	a, err := s.managedAccount(ctx, p, accountID)
	if err != nil {
		return Grant{}, err
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		g, err = s.addGrant(ctx, tx, p, a, g)
		return err
	})
	return g, err
}

// addGrant validates and stores a grant inside the caller's transaction.
func (s *Service) addGrant(ctx context.Context, tx db.Querier, p *Principal, a Account, g Grant) (Grant, error) {
	scopeRegion, err := s.normalizeGrant(ctx, tx, a, &g)
	if err != nil {
		return g, err
	}
	if !CanGrant(p, g, scopeRegion) {
		return g, apperr.New(apperr.Forbidden, "grant.out_of_scope")
	}
	g.ID, err = insertGrant(ctx, tx, a.ID, g, p.AccountID, s.Now().Unix())
	if db.IsUniqueViolation(err) {
		return g, apperr.New(apperr.Conflict, "grant.duplicate")
	}
	if err != nil {
		return g, apperr.Wrap(err, "auth: insert grant")
	}
	s.forgetAccount(tx, a.ID)
	return g, audit.Write(ctx, tx, audit.Entry{Action: "grant", Entity: "account", EntityID: strconv.FormatInt(a.ID, 10),
		RegionCode: a.RegionCode, Detail: grantDetail(g)})
}

// normalizeGrant checks that the grant carries exactly the scope its role
// needs and returns the region that scope lies in.
func (s *Service) normalizeGrant(ctx context.Context, q db.Querier, a Account, g *Grant) (string, error) {
	f := apperr.Fields{}
	if !g.Role.Valid() {
		f.Add("role", "unknown", "grant.role_unknown")
		return "", f.Err()
	}
	switch g.Role.ScopeKind() {
	case ScopeAll:
		*g = Grant{Role: g.Role}
		return "", nil
	case ScopeRegion:
		g.TeamID, g.DepartmentID = 0, 0
		if g.RegionCode == "" {
			f.Add("region_code", "required", "grant.region_required")
		} else if !region.Valid(g.RegionCode) {
			f.Add("region_code", "unknown", "region.unknown")
		}
		return g.RegionCode, f.Err()
	case ScopeTeam, ScopeDepartment:
		table, id, field := "teams", g.TeamID, "team_id"
		if g.Role.ScopeKind() == ScopeDepartment {
			table, id, field = "departments", g.DepartmentID, "department_id"
		}
		if id == 0 {
			f.Add(field, "required", "grant."+field+"_required")
			return "", f.Err()
		}
		code, err := regionOf(ctx, q, table, id)
		if errors.Is(err, db.ErrNotFound) {
			f.Add(field, "unknown", "grant."+field+"_unknown")
			return "", f.Err()
		}
		if err != nil {
			return "", apperr.Wrap(err, "auth: scope of grant")
		}
		g.RegionCode = code
		return code, nil
	}
	*g = Grant{Role: g.Role}
	return a.RegionCode, nil
}

// RevokeGrant takes a grant away from an account.
func (s *Service) RevokeGrant(ctx context.Context, p *Principal, accountID, grantID int64) error {
	a, err := s.managedAccount(ctx, p, accountID)
	if err != nil {
		return err
	}
	var g Grant
	for _, x := range a.Grants {
		if x.ID == grantID {
			g = x
		}
	}
	if g.ID == 0 {
		return apperr.New(apperr.NotFound, "grant.not_found")
	}
	scope := g.RegionCode
	if g.Role.ScopeKind() == ScopeSelf {
		scope = a.RegionCode
	}
	if !CanGrant(p, g, scope) {
		return apperr.New(apperr.Forbidden, "grant.out_of_scope")
	}
	return s.db.Tx(ctx, func(tx db.Querier) error {
		if _, err := deleteGrant(ctx, tx, accountID, grantID); err != nil {
			return apperr.Wrap(err, "auth: revoke")
		}
		s.forgetAccount(tx, accountID)
		return audit.Write(ctx, tx, audit.Entry{Action: "revoke", Entity: "account", EntityID: strconv.FormatInt(accountID, 10),
			RegionCode: a.RegionCode, Detail: grantDetail(g)})
	})
}

// SetDisabled disables or re-enables an account the principal may change
// (CanManageAccount), never its own; disabling ends its sessions. It
// returns the account as it now is.
func (s *Service) SetDisabled(ctx context.Context, p *Principal, accountID int64, disabled bool) (Account, error) {
	a, err := s.managedAccount(ctx, p, accountID)
	if err != nil {
		return Account{}, err
	}
	if a.ID == p.AccountID {
		return Account{}, apperr.New(apperr.Conflict, "account.cannot_disable_self")
	}
	action := "enable"
	if disabled {
		action = "disable"
	}
	a.Disabled = disabled
	return a, s.db.Tx(ctx, func(tx db.Querier) error {
		if err := setDisabled(ctx, tx, a.ID, disabled, s.Now().Unix()); err != nil {
			return apperr.Wrap(err, "auth: disable")
		}
		s.forgetAccount(tx, a.ID)
		if disabled {
			if err := deleteOtherSessions(ctx, tx, a.ID, nil); err != nil {
				return apperr.Wrap(err, "auth: end sessions")
			}
		}
		return audit.Write(ctx, tx, audit.Entry{Action: action, Entity: "account", EntityID: strconv.FormatInt(a.ID, 10), RegionCode: a.RegionCode})
	})
}

func grantDetail(g Grant) map[string]any {
	d := map[string]any{"role": string(g.Role)}
	if g.RegionCode != "" {
		d["region_code"] = g.RegionCode
	}
	if g.TeamID != 0 {
		d["team_id"] = g.TeamID
	}
	if g.DepartmentID != 0 {
		d["department_id"] = g.DepartmentID
	}
	return d
}
