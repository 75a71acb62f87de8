package auth_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

func newService(t *testing.T) (*auth.Service, *db.DB) {
	t.Helper()
	d := dbtest.New(t)
	return auth.NewService(d, nil), d
}

func mustCreate(t *testing.T, s *auth.Service, p *auth.Principal, in auth.NewAccount) auth.Account {
	t.Helper()
	if in.Password == "" {
		in.Password = "password-123"
	}
	a, err := s.CreateAccount(context.Background(), p, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Username, err)
	}
	return a
}

func TestLoginAuthenticateLogout(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "Alice", Grant: auth.Grant{Role: auth.RoleVolunteer}})

	sess, p, err := s.Login(ctx, " alice ", "password-123", auth.SessionWeb, auth.Meta{IP: "10.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Username != "alice" || !p.Has(auth.RoleVolunteer) {
		t.Fatalf("principal = %+v", p)
	}
	got, err := s.Authenticate(ctx, sess.Token, auth.SessionWeb)
	if err != nil || got.AccountID != p.AccountID {
		t.Fatalf("authenticate: %+v %v", got, err)
	}
	if _, err := s.Authenticate(ctx, sess.Token, auth.SessionAPI); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("web token accepted as API token: %v", err)
	}
	if err := s.Logout(ctx, sess.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sess.Token, auth.SessionWeb); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("token still valid after logout: %v", err)
	}
}

func TestWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "bob"})
	_, _, e1 := s.Login(ctx, "bob", "nope-nope", auth.SessionWeb, auth.Meta{IP: "1.1.1.1"})
	_, _, e2 := s.Login(ctx, "nobody", "nope-nope", auth.SessionWeb, auth.Meta{IP: "1.1.1.2"})
	a1, a2 := apperr.From(e1), apperr.From(e2)
	if a1.Kind != apperr.Unauthenticated || a1.Key != a2.Key || a1.Kind != a2.Kind {
		t.Fatalf("wrong password %v vs unknown user %v", e1, e2)
	}
}

// retryAfter is the Retry-After, in seconds, of a throttled login's error.
func retryAfter(err error) int64 {
	return int64(apperr.From(err).RetryAfter)
}

// TestLoginSlowsGuessingNotTheOwner: failures on one account from one
// address bring growing waits on that pair only (never over a minute), each
// refused at once with how long to wait; the owner on another address signs
// in at once, and so does the right password after the wait.
func TestLoginSlowsGuessingNotTheOwner(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "carol"})
	attacker := auth.Meta{IP: "2.2.2.2"}
	for i := range auth.PairFreeAttempts {
		if _, _, err := s.Login(ctx, "carol", "bad-password", auth.SessionWeb, attacker); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	var waits []int64
	for range 10 {
		_, _, err := s.Login(ctx, "carol", "bad-password", auth.SessionWeb, attacker)
		e := apperr.From(err)
		if e.Kind != apperr.Throttled || retryAfter(err) <= 0 || e.Key != "auth.login_wait" || e.Args["Seconds"] != retryAfter(err) {
			t.Fatalf("attempt during a wait: %v (retry after %d)", err, retryAfter(err))
		}
		waits = append(waits, retryAfter(err))
		now = now.Add(time.Duration(retryAfter(err)) * time.Second)
		if _, _, err := s.Login(ctx, "carol", "bad-password", auth.SessionWeb, attacker); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("attempt after its wait: %v", err)
		}
	}
	want := []int64{1, 2, 4, 8, 16, 32, 60, 60, 60, 60}
	if !slices.Equal(waits, want) {
		t.Fatalf("waits = %v, want %v", waits, want)
	}
	// The owner, elsewhere, is not held up at all.
	if _, _, err := s.Login(ctx, "carol", "password-123", auth.SessionWeb, auth.Meta{IP: "3.3.3.3"}); err != nil {
		t.Fatalf("owner on another address: %v", err)
	}
	// After the wait, the right password from the attacked address clears it.
	now = now.Add(auth.MaxLoginWait)
	if _, _, err := s.Login(ctx, "carol", "password-123", auth.SessionWeb, attacker); err != nil {
		t.Fatalf("right password after the wait: %v", err)
	}
	if _, _, err := s.Login(ctx, "carol", "bad-password", auth.SessionWeb, attacker); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("a success clears the pair's count: %v", err)
	}
}

// TestLoginSlowsAnAddressNotOthers: an address that fails on many accounts
// waits (at most a minute), even for an admin's right password; another
// address does not, and a new window starts afresh.
func TestLoginSlowsAnAddressNotOthers(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	s.AddressFreeAttempts = 20
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "admin", Grant: auth.Grant{Role: auth.RolePlatformAdmin}})
	office := auth.Meta{IP: "4.4.4.4"}
	fail := func(i int) {
		t.Helper()
		_, _, err := s.Login(ctx, fmt.Sprintf("ghost%d", i), "bad-password", auth.SessionWeb, office)
		if !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	for i := range s.AddressFreeAttempts - 1 {
		fail(i)
	}
	// Successful logins from a shared address do not count against it.
	for range 3 {
		if _, _, err := s.Login(ctx, "admin", "password-123", auth.SessionWeb, office); err != nil {
			t.Fatalf("successful logins from one address: %v", err)
		}
	}
	fail(s.AddressFreeAttempts)
	_, _, err := s.Login(ctx, "admin", "password-123", auth.SessionWeb, office)
	if e := apperr.From(err); e.Kind != apperr.Throttled || retryAfter(err) < 1 || retryAfter(err) > int64(auth.MaxLoginWait/time.Second) {
		t.Fatalf("address past its free attempts: %v (retry after %d)", err, retryAfter(err))
	}
	if _, _, err := s.Login(ctx, "admin", "password-123", auth.SessionWeb, auth.Meta{IP: "5.5.5.5"}); err != nil {
		t.Fatalf("admin from another address: %v", err)
	}
	now = now.Add(auth.MaxLoginWait)
	if _, _, err := s.Login(ctx, "admin", "password-123", auth.SessionWeb, office); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}

// TestLoginBurstGetsNoExtraGuesses sends 30 simultaneous attempts on one
// account from one address, 29 wrong and one right: every attempt is counted
// before its password is checked, so no more than the free attempts are
// checked at all, and the rest are refused with a wait.
func TestLoginBurstGetsNoExtraGuesses(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "erin"})
	const burst = 30
	errs := make([]error, burst)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pw := "bad-password"
			if i == burst/2 {
				pw = "password-123"
			}
			<-start
			_, _, errs[i] = s.Login(ctx, "erin", pw, auth.SessionAPI, auth.Meta{IP: "6.6.6.6"})
		}()
	}
	close(start)
	wg.Wait()
	checked := 0
	for i, err := range errs {
		switch {
		case err == nil || apperr.Is(err, apperr.Unauthenticated):
			checked++
		case apperr.Is(err, apperr.Throttled):
			if retryAfter(err) < 1 {
				t.Errorf("attempt %d refused without a wait: %v", i, err)
			}
		default:
			t.Errorf("attempt %d: %v", i, err)
		}
	}
	if checked > auth.PairFreeAttempts {
		t.Fatalf("%d of %d simultaneous attempts had their password checked, want at most %d", checked, burst, auth.PairFreeAttempts)
	}
}

func TestSessionExpiry(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "dave"})
	sess, _, err := s.Login(ctx, "dave", "password-123", auth.SessionAPI, auth.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(auth.APILifetime + time.Second)
	if _, err := s.Authenticate(ctx, sess.Token, auth.SessionAPI); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("expired token accepted: %v", err)
	}
	web, _, _ := s.Login(ctx, "dave", "password-123", auth.SessionWeb, auth.Meta{})
	now = now.Add(auth.IdleTimeout + time.Second)
	if _, err := s.Authenticate(ctx, web.Token, auth.SessionWeb); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("idle session accepted: %v", err)
	}
}

func TestOfficeAdminScope(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	heping := mustCreate(t, s, auth.System, auth.NewAccount{Username: "heping", RegionCode: "120101",
		Grant: auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "120101"}})
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "hedong-worker", RegionCode: "120102"})
	hp := &auth.Principal{AccountID: heping.ID, Username: "heping", Grants: heping.Grants}

	// Creating inside the district works; outside is refused and writes nothing.
	inside := mustCreate(t, s, hp, auth.NewAccount{Username: "heping-worker", RegionCode: "120101001",
		Grant: auth.Grant{Role: auth.RoleCommunityWorker, RegionCode: "120101001"}})
	_, err := s.CreateAccount(ctx, hp, auth.NewAccount{Username: "intruder", Password: "password-123", RegionCode: "120102"})
	if !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("create outside scope: %v", err)
	}
	// A grant outside scope rolls back the account created in the same call.
	_, err = s.CreateAccount(ctx, hp, auth.NewAccount{Username: "sneaky", Password: "password-123", RegionCode: "120101",
		Grant: auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "1201"}})
	if !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("grant wider scope: %v", err)
	}
	var n int
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE username IN ('intruder', 'sneaky')`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused accounts saved: %d %v", n, err)
	}

	list, err := s.ListAccounts(ctx, hp, auth.AccountQuery{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, a := range list {
		names[a.Username] = true
	}
	if !names["heping"] || !names["heping-worker"] || names["hedong-worker"] {
		t.Fatalf("office admin of 120101 sees %v", names)
	}
	if _, err := s.Account(ctx, hp, inside.ID); err != nil {
		t.Fatal(err)
	}
	var other int64
	if err := d.Read().QueryRowContext(ctx, `SELECT id FROM accounts WHERE username = 'hedong-worker'`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Account(ctx, hp, other); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("out-of-scope account readable: %v", err)
	}
	if _, err := s.AddGrant(ctx, hp, other, auth.Grant{Role: auth.RoleVolunteer}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("grant on out-of-scope account: %v", err)
	}

	// Every change left an audit entry; the office admin sees only its district's.
	entries, err := audit.List(ctx, d.Read(), audit.Filter{Regions: []string{"120101"}})
	if err != nil {
		t.Fatal(err)
	}
	var creates, grants int
	for _, e := range entries {
		if e.RegionCode[:6] != "120101" {
			t.Fatalf("entry outside scope: %+v", e)
		}
		switch e.Action {
		case "create":
			creates++
		case "grant":
			grants++
		}
	}
	if creates != 2 || grants != 2 {
		t.Fatalf("audit: %d creates, %d grants in 120101; want 2 and 2", creates, grants)
	}
}

func TestGrantValidation(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	a := mustCreate(t, s, auth.System, auth.NewAccount{Username: "erin", RegionCode: "120101"})
	cases := []struct {
		g     auth.Grant
		field string
	}{
		{auth.Grant{Role: "king"}, "role"},
		{auth.Grant{Role: auth.RoleOfficeAdmin}, "region_code"},
		{auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "999999"}, "region_code"},
		{auth.Grant{Role: auth.RoleTeamAdmin}, "team_id"},
		{auth.Grant{Role: auth.RoleTeamAdmin, TeamID: 999}, "team_id"},
		{auth.Grant{Role: auth.RoleDepartmentStaff, DepartmentID: 999}, "department_id"},
	}
	for _, c := range cases {
		_, err := s.AddGrant(ctx, auth.System, a.ID, c.g)
		e := apperr.From(err)
		if e.Kind != apperr.Invalid || e.Fields[c.field].Code == "" {
			t.Errorf("grant %+v: %v, want field error on %s", c.g, err, c.field)
		}
	}
	if _, err := s.AddGrant(ctx, auth.System, a.ID, auth.Grant{Role: auth.RoleVolunteer}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddGrant(ctx, auth.System, a.ID, auth.Grant{Role: auth.RoleVolunteer}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("duplicate grant: %v", err)
	}
}

func TestCreateAccountValidation(t *testing.T) {
	s, _ := newService(t)
	_, err := s.CreateAccount(context.Background(), auth.System, auth.NewAccount{Username: "x", Password: "short", RegionCode: "12345"})
	e := apperr.From(err)
	for _, f := range []string{"username", "password", "region_code"} {
		if _, ok := e.Fields[f]; !ok {
			t.Errorf("no error for %s: %v", f, err)
		}
	}
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "frank"})
	_, err = s.CreateAccount(context.Background(), auth.System, auth.NewAccount{Username: "FRANK", Password: "password-123"})
	if !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("duplicate username: %v", err)
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	mustCreate(t, s, auth.System, auth.NewAccount{Username: "gina"})
	s1, p, _ := s.Login(ctx, "gina", "password-123", auth.SessionWeb, auth.Meta{})
	s2, _, _ := s.Login(ctx, "gina", "password-123", auth.SessionWeb, auth.Meta{})
	if err := s.ChangePassword(ctx, p, "wrong-old", "new-password-1", s1.Token); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("wrong old password: %v", err)
	}
	if err := s.ChangePassword(ctx, p, "password-123", "new-password-1", s1.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, s1.Token, auth.SessionWeb); err != nil {
		t.Fatalf("current session ended: %v", err)
	}
	if _, err := s.Authenticate(ctx, s2.Token, auth.SessionWeb); err == nil {
		t.Fatal("other session survived a password change")
	}
	if _, _, err := s.Login(ctx, "gina", "new-password-1", auth.SessionWeb, auth.Meta{}); err != nil {
		t.Fatal(err)
	}
}

// TestCreateAccountAnswersCreationTime: the account returned by
// CreateAccount carries the time it was created, not the zero time.
func TestCreateAccountAnswersCreationTime(t *testing.T) {
	s, _ := newService(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	a := mustCreate(t, s, auth.System, auth.NewAccount{Username: "heidi"})
	if !a.CreatedAt.Equal(now) {
		t.Fatalf("created at %v, want %v", a.CreatedAt, now)
	}
	got, err := s.Account(context.Background(), auth.System, a.ID)
	if err != nil || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("stored %v, answered %v (%v)", got.CreatedAt, a.CreatedAt, err)
	}
}

// TestPurgeForgetsSpentLoginCounts: counts whose window has passed and
// whose wait is over are deleted with the expired sessions; others stay.
func TestPurgeForgetsSpentLoginCounts(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	_, _, _ = s.Login(ctx, "nobody", "bad-password", auth.SessionWeb, auth.Meta{IP: "7.7.7.7"})
	if _, err := d.Write().ExecContext(ctx, `INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until)
		VALUES ('other:x', 1, 0, 0)`); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		_ = d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM login_throttle`).Scan(&n)
		return n
	}
	if _, err := s.PurgeExpiredSessions(ctx); err != nil || count() != 3 {
		t.Fatalf("counts in their window purged: %d rows left, %v", count(), err)
	}
	now = now.Add(auth.ThrottleWindow)
	if _, err := s.PurgeExpiredSessions(ctx); err != nil || count() != 1 {
		t.Fatalf("spent counts kept: %d rows left, %v", count(), err)
	}
}
