package auth

import "testing"

func TestCanByRoleAndScope(t *testing.T) {
	office := &Principal{AccountID: 10, Grants: []Grant{{Role: RoleOfficeAdmin, RegionCode: "120101"}}}
	city := &Principal{AccountID: 11, Grants: []Grant{{Role: RoleOfficeAdmin, RegionCode: "1201"}}}
	platform := &Principal{AccountID: 1, Grants: []Grant{{Role: RolePlatformAdmin}}}
	team := &Principal{AccountID: 12, Grants: []Grant{{Role: RoleTeamAdmin, TeamID: 7, RegionCode: "120101"}}}
	volunteer := &Principal{AccountID: 13, Grants: []Grant{{Role: RoleVolunteer}}}
	cases := []struct {
		name string
		p    *Principal
		perm Permission
		t    Target
		want bool
	}{
		{"office sees own district", office, PermAccountsView, Target{RegionCode: "120101001"}, true},
		{"office blind to sibling district", office, PermAccountsView, Target{RegionCode: "120102001"}, false},
		{"office blind to other city", office, PermAccountsView, Target{RegionCode: "110105"}, false},
		{"office blind to its parent", office, PermAccountsView, Target{RegionCode: "1201"}, false},
		{"office blind to unscoped record", office, PermAccountsView, Target{}, false},
		{"city office covers districts", city, PermAccountsAdmin, Target{RegionCode: "120116"}, true},
		{"platform sees all", platform, PermAuditView, Target{RegionCode: "110105"}, true},
		{"platform sees unscoped", platform, PermAuditView, Target{}, true},
		{"team admin has no account admin", team, PermAccountsAdmin, Target{RegionCode: "120101"}, false},
		{"volunteer has no audit", volunteer, PermAuditView, Target{AccountID: 13}, false},
		{"anonymous denied", nil, PermAccountsView, Target{RegionCode: "120101"}, false},
		{"anonymous public", nil, PermPublic, Target{}, true},
		{"anonymous not signed in", nil, PermSignedIn, Target{}, false},
		{"volunteer signed in", volunteer, PermSignedIn, Target{}, true},
	}
	for _, c := range cases {
		if got := Can(c.p, c.perm, c.t); got != c.want {
			t.Errorf("%s: Can = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSelfTeamAndDepartmentScopes(t *testing.T) {
	p := &Principal{AccountID: 5, Grants: []Grant{
		{Role: RoleTeamAdmin, TeamID: 7}, {Role: RoleDepartmentStaff, DepartmentID: 3}, {Role: RoleVolunteer},
	}}
	cases := []struct {
		g    Grant
		t    Target
		want bool
	}{
		{p.Grants[0], Target{TeamID: 7}, true},
		{p.Grants[0], Target{TeamID: 8}, false},
		{p.Grants[0], Target{}, false},
		{p.Grants[1], Target{DepartmentID: 3}, true},
		{p.Grants[1], Target{DepartmentID: 4}, false},
		{p.Grants[2], Target{AccountID: 5}, true},
		{p.Grants[2], Target{AccountID: 6}, false},
	}
	for i, c := range cases {
		if got := c.g.covers(p, c.t); got != c.want {
			t.Errorf("case %d: covers = %v, want %v", i, got, c.want)
		}
	}
}

func TestCanGrantStaysInsideScope(t *testing.T) {
	office := &Principal{AccountID: 10, Grants: []Grant{{Role: RoleOfficeAdmin, RegionCode: "120101"}}}
	platform := &Principal{Grants: []Grant{{Role: RolePlatformAdmin}}}
	if CanGrant(office, Grant{Role: RolePlatformAdmin}, "") {
		t.Error("office admin granted platform_admin")
	}
	if !CanGrant(office, Grant{Role: RoleCommunityWorker, RegionCode: "120101001"}, "120101001") {
		t.Error("office admin cannot grant inside its district")
	}
	if CanGrant(office, Grant{Role: RoleOfficeAdmin, RegionCode: "1201"}, "1201") {
		t.Error("office admin granted a wider scope than its own")
	}
	if CanGrant(office, Grant{Role: RoleCommunityWorker, RegionCode: "120102001"}, "120102001") {
		t.Error("office admin granted in another district")
	}
	if !CanGrant(platform, Grant{Role: RolePlatformAdmin}, "") {
		t.Error("platform admin cannot grant platform_admin")
	}
}

func TestRegionScopes(t *testing.T) {
	p := &Principal{Grants: []Grant{{Role: RoleOfficeAdmin, RegionCode: "120101"}, {Role: RoleOfficeAdmin, RegionCode: "120102"}, {Role: RoleVolunteer}}}
	scopes, all := RegionScopes(p, PermAccountsView)
	if all || len(scopes) != 2 {
		t.Fatalf("scopes = %v all=%v", scopes, all)
	}
	if _, all := RegionScopes(&Principal{Grants: []Grant{{Role: RolePlatformAdmin}}}, PermAccountsView); !all {
		t.Fatal("platform admin is not unrestricted")
	}
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("正确的密码 horse")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyPassword("正确的密码 horse", h); !ok || err != nil {
		t.Fatalf("right password rejected: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword("wrong", h); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("正确的密码 horse")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA"} {
		if _, err := VerifyPassword("x", bad); err == nil {
			t.Errorf("VerifyPassword accepted malformed hash %q", bad)
		}
	}
}
