package auth_test

import (
	"context"
	"testing"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
)

// TestNoOfficeChangesAnAccountAboveIt: a district office may not disable,
// enable or change the roles of a platform admin whose account's region lies
// in its district (nor of anyone holding a role beyond its reach), as it may
// not revoke that admin's grant; it still manages its own district's
// accounts, and nobody disables themselves.
func TestNoOfficeChangesAnAccountAboveIt(t *testing.T) {
	s, d := newService(t)
	ctx := context.Background()
	heping := mustCreate(t, s, auth.System, auth.NewAccount{Username: "heping", RegionCode: "120101",
		Grant: auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "120101"}})
	hp := &auth.Principal{AccountID: heping.ID, Username: "heping", Grants: heping.Grants}
	admin := mustCreate(t, s, auth.System, auth.NewAccount{Username: "platform", RegionCode: "120101001",
		Grant: auth.Grant{Role: auth.RolePlatformAdmin}})
	hedongOffice := mustCreate(t, s, auth.System, auth.NewAccount{Username: "two-hats", RegionCode: "120101001",
		Grant: auth.Grant{Role: auth.RoleVolunteer}})
	if _, err := s.AddGrant(ctx, auth.System, hedongOffice.ID, auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "120102"}); err != nil {
		t.Fatal(err)
	}
	plain := mustCreate(t, s, auth.System, auth.NewAccount{Username: "plain", RegionCode: "120101001",
		Grant: auth.Grant{Role: auth.RoleVolunteer}})

	for _, id := range []int64{admin.ID, hedongOffice.ID} {
		for _, disabled := range []bool{true, false} {
			if _, err := s.SetDisabled(ctx, hp, id, disabled); apperr.From(err).Key != "account.above_reach" {
				t.Fatalf("office sets disabled=%v on account %d above it: %v", disabled, id, err)
			}
		}
		if _, err := s.AddGrant(ctx, hp, id, auth.Grant{Role: auth.RoleCommunityWorker, RegionCode: "120101001"}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("office adds a role to account %d above it: %v", id, err)
		}
	}
	var disabled int
	_ = d.Read().QueryRowContext(ctx, `SELECT disabled FROM accounts WHERE id = $1`, admin.ID).Scan(&disabled)
	if disabled != 0 {
		t.Fatal("the platform admin was disabled")
	}
	if a, err := s.SetDisabled(ctx, hp, plain.ID, true); err != nil || !a.Disabled {
		t.Fatalf("office disables an account of its district: %+v %v", a, err)
	}
	if a, err := s.SetDisabled(ctx, hp, plain.ID, false); err != nil || a.Disabled {
		t.Fatalf("office enables an account of its district: %+v %v", a, err)
	}
	if _, err := s.SetDisabled(ctx, hp, heping.ID, true); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("office disables itself: %v", err)
	}
	sys := &auth.Principal{AccountID: admin.ID, Username: "platform", Grants: admin.Grants}
	if _, err := s.SetDisabled(ctx, sys, admin.ID, true); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("platform admin disables itself: %v", err)
	}
	if _, err := s.SetDisabled(ctx, sys, heping.ID, true); err != nil {
		t.Fatalf("platform admin disables an office: %v", err)
	}
}
