package auth_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
)

// signedIn creates an account with the given grant, logs it in and
// authenticates once, so that the session is kept by the service.
func signedIn(t *testing.T, s *auth.Service, username string, g auth.Grant) (string, *auth.Principal) {
	t.Helper()
	ctx := context.Background()
	mustCreate(t, s, auth.System, auth.NewAccount{Username: username, Grant: g})
	sess, _, err := s.Login(ctx, username, "password-123", auth.SessionAPI, auth.Meta{IP: "10.9.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Authenticate(ctx, sess.Token, auth.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	return sess.Token, p
}

func TestRevokedGrantTakesEffectAtOnce(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tok, p := signedIn(t, s, "office1", auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "120101"})
	if !p.Has(auth.RoleOfficeAdmin) || len(p.Grants) != 1 {
		t.Fatalf("grants before: %+v", p.Grants)
	}
	if err := s.RevokeGrant(ctx, auth.System, p.AccountID, p.Grants[0].ID); err != nil {
		t.Fatal(err)
	}
	again, err := s.Authenticate(ctx, tok, auth.SessionAPI)
	if err != nil || again.Has(auth.RoleOfficeAdmin) {
		t.Fatalf("revoked grant still held: %+v %v", again, err)
	}
	if _, err := s.AddGrant(ctx, auth.System, p.AccountID, auth.Grant{Role: auth.RoleVolunteer}); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Authenticate(ctx, tok, auth.SessionAPI); !again.Has(auth.RoleVolunteer) {
		t.Fatalf("new grant not seen: %+v", again.Grants)
	}
}

func TestGrantChangedInCallersTransaction(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	tok, p := signedIn(t, s, "member1", auth.Grant{Role: auth.RoleVolunteer})
	g := auth.Grant{Role: auth.RoleVolunteer}
	err := d.Tx(ctx, func(tx db.Querier) error {
		if err := s.RemoveGrantTx(ctx, tx, p.AccountID, g); err != nil {
			return err
		}
		// Not committed yet: this process still sees the grant.
		if mid, _ := s.Authenticate(ctx, tok, auth.SessionAPI); !mid.Has(auth.RoleVolunteer) {
			t.Error("grant gone before commit")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Authenticate(ctx, tok, auth.SessionAPI); after.Has(auth.RoleVolunteer) {
		t.Fatalf("removed grant still held after commit: %+v", after.Grants)
	}
	// A rolled-back grant is never seen.
	_ = d.Tx(ctx, func(tx db.Querier) error {
		if err := s.EnsureGrantTx(ctx, tx, auth.System, p.AccountID, g); err != nil {
			t.Fatal(err)
		}
		return apperr.New(apperr.Conflict, "error.conflict")
	})
	if after, _ := s.Authenticate(ctx, tok, auth.SessionAPI); after.Has(auth.RoleVolunteer) {
		t.Fatalf("rolled-back grant held: %+v", after.Grants)
	}
}

func TestDisabledAccountEndsAtOnce(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tok, p := signedIn(t, s, "dave", auth.Grant{Role: auth.RoleVolunteer})
	if _, err := s.SetDisabled(ctx, auth.System, p.AccountID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, tok, auth.SessionAPI); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("disabled account still signed in: %v", err)
	}
}

func TestLocaleChangeSeenAtOnce(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tok, p := signedIn(t, s, "erin", auth.Grant{Role: auth.RoleVolunteer})
	if err := s.SetLocale(ctx, p, "en"); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Authenticate(ctx, tok, auth.SessionAPI); again.Locale != "en" {
		t.Fatalf("locale = %q", again.Locale)
	}
}

// Another process on the same database (here: a second service) sees a
// logout within SessionCacheTTL, not at once.
func TestOtherProcessSeesLogoutWithinTTL(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	now := time.Now()
	other := auth.NewService(d, nil)
	other.Now = func() time.Time { return now }
	tok, _ := signedIn(t, s, "frank", auth.Grant{Role: auth.RoleVolunteer})
	if _, err := other.Authenticate(ctx, tok, auth.SessionAPI); err != nil {
		t.Fatal(err)
	}
	if err := s.Logout(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, tok, auth.SessionAPI); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("logout not seen by its own process: %v", err)
	}
	if _, err := other.Authenticate(ctx, tok, auth.SessionAPI); err != nil {
		t.Fatalf("kept session not reused within the TTL: %v", err)
	}
	now = now.Add(auth.SessionCacheTTL)
	if _, err := other.Authenticate(ctx, tok, auth.SessionAPI); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("logout not seen after the TTL: %v", err)
	}
}
