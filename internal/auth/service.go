package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/db"
	"zhiyuan/internal/region"
)

// Service is accounts, sessions and grants, with the policy applied.
type Service struct {
	db  *db.DB
	log *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time
	// AddressFreeAttempts is how many login attempts one address makes
	// before waits begin (throttle.go); tests lower it.
	AddressFreeAttempts int
	// ResolveLogin, if set, maps what a person typed as their login (a phone
	// number, a volunteer number) to an account's username.
	ResolveLogin func(ctx context.Context, login string) (username string, ok bool, err error)
	// PasswordChanged, if set, runs in a password change's transaction: it
	// ends what the old password let out (the calendar feed's URL).
	PasswordChanged func(ctx context.Context, tx db.Querier, accountID int64) error

	sessions sessionCache
}

// NewService returns the auth service on d.
func NewService(d *db.DB, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, log: log, Now: time.Now, AddressFreeAttempts: AddressFreeAttempts}
}

// System is the principal of command-line administration: a platform admin
// without an account.
var System = &Principal{Username: "system", Grants: []Grant{{Role: RolePlatformAdmin}}}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{2,31}$`)

// NormalizeUsername trims and lower-cases a username.
func NormalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func newToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

var (
	errBadCredentials = apperr.New(apperr.Unauthenticated, "auth.bad_credentials")
	errDisabled       = apperr.New(apperr.Forbidden, "auth.disabled")
	errSessionEnded   = apperr.New(apperr.Unauthenticated, "auth.session_expired")
	errNotSignedIn    = apperr.New(apperr.Unauthenticated, "auth.not_signed_in")
	errForbidden      = apperr.New(apperr.Forbidden, "error.forbidden")
	errAccountMissing = apperr.New(apperr.NotFound, "account.not_found")
)

// Login checks the password and opens a session of the given kind. Attempts
// are counted before the password is checked and slowed down per (account,
// address) and per address (throttle.go); an unknown user takes as long as a
// wrong password and gets the same answer.
func (s *Service) Login(ctx context.Context, username, password string, kind SessionKind, m Meta) (Session, *Principal, error) {
	username = NormalizeUsername(username)
	if s.ResolveLogin != nil && username != "" {
		u, ok, err := s.ResolveLogin(ctx, username)
		if err != nil {
			return Session{}, nil, apperr.Wrap(err, "auth: resolve login")
		}
		if ok {
			username = u
		}
	}
	now := s.Now().Unix()
	wait, err := takeAttempts(ctx, s.db, s.loginRules(username, m.IP), now)
	if err != nil {
		return Session{}, nil, apperr.Wrap(err, "auth: throttle")
	}
	if wait > 0 {
		return Session{}, nil, throttledError(wait)
	}
	a, hash, err := accountByUsername(ctx, s.db.Read(), username)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return Session{}, nil, apperr.Wrap(err, "auth: login")
	}
	if errors.Is(err, db.ErrNotFound) || username == "" {
		_, _ = VerifyPassword(password, dummyHash)
		return Session{}, nil, s.failLogin(ctx, 0, "", m)
	}
	ok, err := VerifyPassword(password, hash)
	if err != nil {
		return Session{}, nil, apperr.Wrap(err, "auth: verify")
	}
	if !ok {
		return Session{}, nil, s.failLogin(ctx, a.ID, a.RegionCode, m)
	}
	if a.Disabled {
		return Session{}, nil, errDisabled
	}
	token, err := newToken()
	if err != nil {
		return Session{}, nil, apperr.Wrap(err, "auth: token")
	}
	life := WebLifetime
	if kind == SessionAPI {
		life = APILifetime
	}
	sess := Session{Token: token, AccountID: a.ID, Kind: kind, ExpiresAt: time.Unix(now, 0).Add(life)}
	actx := audit.WithActor(ctx, audit.Actor{AccountID: a.ID, Username: a.Username, IP: m.IP, RequestID: audit.ActorFrom(ctx).RequestID})
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := s.loginSucceeded(ctx, tx, username, m.IP); err != nil {
			return err
		}
		if err := insertSession(ctx, tx, hashToken(token), a.ID, kind, now, sess.ExpiresAt.Unix(), m); err != nil {
			return err
		}
		return audit.Write(actx, tx, audit.Entry{Action: "login", Entity: "account", EntityID: strconv.FormatInt(a.ID, 10),
			RegionCode: a.RegionCode, Detail: map[string]any{"kind": string(kind)}})
	})
	if err != nil {
		return Session{}, nil, apperr.Wrap(err, "auth: open session")
	}
	p, err := s.principal(ctx, a)
	if err != nil {
		return Session{}, nil, err
	}
	return sess, p, nil
}

// failLogin records a failed login (already counted by the throttle) and
// returns the error to show.
func (s *Service) failLogin(ctx context.Context, accountID int64, regionCode string, m Meta) error {
	if accountID != 0 {
		err := s.db.Tx(ctx, func(tx db.Querier) error {
			return audit.Write(ctx, tx, audit.Entry{Action: "login_failed", Entity: "account",
				EntityID: strconv.FormatInt(accountID, 10), RegionCode: regionCode})
		})
		if err != nil {
			return apperr.Wrap(err, "auth: record failure")
		}
	}
	s.log.InfoContext(ctx, "login failed", "account_id", accountID, "ip", m.IP)
	return errBadCredentials
}

// principal loads the grants of an account.
func (s *Service) principal(ctx context.Context, a Account) (*Principal, error) {
	grants, err := grantsOf(ctx, s.db.Read(), a.ID)
	if err != nil {
		return nil, apperr.Wrap(err, "auth: grants")
	}
	return &Principal{AccountID: a.ID, Username: a.Username, DisplayName: a.DisplayName,
		Locale: a.Locale, RegionCode: a.RegionCode, Grants: grants}, nil
}

// Authenticate returns the principal of a session token of the given kind.
// The session and grants are read at most once per SessionCacheTTL.
func (s *Service) Authenticate(ctx context.Context, token string, kind SessionKind) (*Principal, error) {
	if token == "" {
		return nil, errNotSignedIn
	}
	th := hashToken(token)
	key := string(th)
	clock := s.Now()
	e, ok := s.sessions.get(key, clock)
	if !ok {
		gen := s.sessions.generation()
		row, err := sessionByTokenHash(ctx, s.db.Read(), th)
		if errors.Is(err, db.ErrNotFound) {
			return nil, errSessionEnded
		}
		if err != nil {
			return nil, apperr.Wrap(err, "auth: session")
		}
		grants, err := grantsOf(ctx, s.db.Read(), row.account.ID)
		if err != nil {
			return nil, apperr.Wrap(err, "auth: grants")
		}
		e = cachedSession{row: row, grants: grants, read: clock}
		s.sessions.put(key, e, gen)
	}
	row, now := e.row, clock.Unix()
	idleOver := kind == SessionWeb && row.lastSeen <= now-int64(IdleTimeout/time.Second)
	if row.kind != kind || row.expiresAt <= now || idleOver || row.account.Disabled {
		if row.kind == kind {
			s.sessions.forgetToken(key)
			_ = deleteSessionByID(ctx, s.db.Write(), row.id)
		}
		return nil, errSessionEnded
	}
	if now-row.lastSeen >= int64(touchEvery/time.Second) {
		s.sessions.seen(key, now)
		if err := touchSession(ctx, s.db.Write(), row.id, now); err != nil {
			s.log.WarnContext(ctx, "session touch failed", "err", err)
		}
	}
	a := row.account
	return &Principal{AccountID: a.ID, Username: a.Username, DisplayName: a.DisplayName,
		Locale: a.Locale, RegionCode: a.RegionCode, Grants: slices.Clip(e.grants)}, nil
}

// ForgetSessions drops every session this process keeps, as if each were
// changed; for a change made to the database behind the service's back.
func (s *Service) ForgetSessions() { s.sessions.forgetAccount(0) }

// forgetAccount drops the account's kept sessions once q's transaction
// commits.
func (s *Service) forgetAccount(q db.Querier, accountID int64) {
	db.AfterCommit(q, func() { s.sessions.forgetAccount(accountID) })
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.db.Tx(ctx, func(tx db.Querier) error {
		th := hashToken(token)
		db.AfterCommit(tx, func() { s.sessions.forgetToken(string(th)) })
		accountID, err := deleteSessionByHash(ctx, tx, th)
		if errors.Is(err, db.ErrNotFound) {
			return nil
		}
		if err != nil {
			return apperr.Wrap(err, "auth: logout")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "logout", Entity: "account", EntityID: strconv.FormatInt(accountID, 10)})
	})
}

// PurgeExpiredSessions deletes ended sessions and returns how many; it also
// forgets login counts that no longer hold anyone up.
func (s *Service) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	now := s.Now().Unix()
	if err := purgeLoginCounts(ctx, s.db.Write(), now); err != nil {
		return 0, err
	}
	return deleteExpiredSessions(ctx, s.db.Write(), now)
}

// ChangePassword replaces the principal's password after checking the old one
// and ends their other sessions (keepToken's survives).
func (s *Service) ChangePassword(ctx context.Context, p *Principal, oldPW, newPW, keepToken string) error {
	if p == nil || p.AccountID == 0 {
		return errNotSignedIn
	}
	_, hash, err := accountByID(ctx, s.db.Read(), p.AccountID)
	if err != nil {
		return apperr.Wrap(err, "auth: change password")
	}
	if ok, _ := VerifyPassword(oldPW, hash); !ok {
		f := apperr.Fields{}
		f.Add("old_password", "mismatch", "auth.old_password_wrong")
		return f.Err()
	}
	if err := CheckPassword(newPW, p.Username, p.DisplayName); err != nil {
		return err
	}
	newHash, err := HashPassword(newPW)
	if err != nil {
		return apperr.Wrap(err, "auth: hash")
	}
	var keep []byte
	if keepToken != "" {
		keep = hashToken(keepToken)
	}
	return s.db.Tx(ctx, func(tx db.Querier) error {
		now := s.Now().Unix()
		if err := updatePassword(ctx, tx, p.AccountID, newHash, now); err != nil {
			return apperr.Wrap(err, "auth: update password")
		}
		if err := deleteOtherSessions(ctx, tx, p.AccountID, keep); err != nil {
			return apperr.Wrap(err, "auth: end sessions")
		}
		if s.PasswordChanged != nil {
			if err := s.PasswordChanged(ctx, tx, p.AccountID); err != nil {
				return err
			}
		}
		s.forgetAccount(tx, p.AccountID)
		return audit.Write(ctx, tx, audit.Entry{Action: "password_change", Entity: "account",
			EntityID: strconv.FormatInt(p.AccountID, 10), RegionCode: p.RegionCode})
	})
}

// SetLocale stores the principal's preferred language.
func (s *Service) SetLocale(ctx context.Context, p *Principal, locale string) error {
	if p == nil || p.AccountID == 0 {
		return errNotSignedIn
	}
	err := updateLocale(ctx, s.db.Write(), p.AccountID, locale, s.Now().Unix())
	s.forgetAccount(nil, p.AccountID)
	return apperr.Wrap(err, "auth: set locale")
}

// checkRegion validates an optional region code as a field error.
func checkRegion(f apperr.Fields, field, code string) {
	if code != "" && !region.Valid(code) {
		f.Add(field, "unknown", "region.unknown")
	}
}
