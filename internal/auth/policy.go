package auth

import (
	"slices"

	"zhiyuan/internal/region"
)

// This file is the one place that decides who may do what. Routes name a
// Permission (checked by role before the handler runs); services check the
// same Permission against the record's scope with Can.

// Permission is an action that the policy decides.
type Permission string

// The permissions. A route that names none does not compile into the router.
const (
	PermPublic        Permission = "public"         // anyone, signed in or not
	PermSignedIn      Permission = "signed_in"      // any account
	PermAccountsView  Permission = "accounts:view"  // list and read accounts in scope
	PermAccountsAdmin Permission = "accounts:admin" // create accounts, grant and revoke roles in scope
	PermAuditView     Permission = "audit:view"     // read the audit log in scope

	PermVolunteerView        Permission = "volunteer:view"        // read a volunteer's profile (masked)
	PermVolunteerEdit        Permission = "volunteer:edit"        // change a volunteer's profile
	PermVolunteerReveal      Permission = "volunteer:reveal"      // see an ID or phone number in clear (audited)
	PermVolunteerSearch      Permission = "volunteer:search"      // search and export volunteer lists
	PermVolunteerPreregister Permission = "volunteer:preregister" // register someone else (unclaimed record)
	PermTeamCreate           Permission = "team:create"           // found a team (it then awaits review)
	PermTeamReview           Permission = "team:review"           // approve, reject or suspend teams
	PermTeamManage           Permission = "team:manage"           // members, roles, imports and rosters of a team
	PermTeamJoin             Permission = "team:join"             // join or leave teams as oneself
	PermCatalogManage        Permission = "catalog:manage"        // add and retire catalogue items
	PermProjectManage        Permission = "project:manage"        // draft and submit projects, add shifts
	PermProjectReview        Permission = "project:review"        // approve (认证) or reject projects
	PermSignup               Permission = "signup:self"           // sign up for shifts as oneself
	PermCheckin              Permission = "checkin:self"          // scan a shift's code, see one's hours, ask for certificates
	PermAttendanceManage     Permission = "attendance:manage"     // shift codes, leader scans, confirm and void records
	PermCertificateIssue     Permission = "certificate:issue"     // issue certificates for others
	PermStarsManage          Permission = "stars:manage"          // set a region's star-level thresholds
	PermStatsView            Permission = "stats:view"            // a region's dashboard and its workbook
)

// rolesFor says which roles hold each permission (in their own scope).
var rolesFor = map[Permission][]Role{
	PermAccountsView:  {RolePlatformAdmin, RoleOfficeAdmin},
	PermAccountsAdmin: {RolePlatformAdmin, RoleOfficeAdmin},
	PermAuditView:     {RolePlatformAdmin, RoleOfficeAdmin},

	PermVolunteerView:        {RolePlatformAdmin, RoleOfficeAdmin, RoleCommunityWorker, RoleTeamAdmin, RoleVolunteer},
	PermVolunteerEdit:        {RolePlatformAdmin, RoleOfficeAdmin, RoleVolunteer},
	PermVolunteerReveal:      {RolePlatformAdmin, RoleOfficeAdmin},
	PermVolunteerSearch:      {RolePlatformAdmin, RoleOfficeAdmin, RoleCommunityWorker, RoleTeamAdmin},
	PermVolunteerPreregister: {RolePlatformAdmin, RoleOfficeAdmin, RoleCommunityWorker, RoleTeamAdmin},
	PermTeamCreate:           {RolePlatformAdmin, RoleOfficeAdmin, RoleVolunteer},
	PermTeamReview:           {RolePlatformAdmin, RoleOfficeAdmin},
	PermTeamManage:           {RolePlatformAdmin, RoleOfficeAdmin, RoleTeamAdmin},
	PermTeamJoin:             {RoleVolunteer},
	PermCatalogManage:        {RolePlatformAdmin},
	PermProjectManage:        {RolePlatformAdmin, RoleOfficeAdmin, RoleTeamAdmin},
	PermProjectReview:        {RolePlatformAdmin, RoleOfficeAdmin},
	PermSignup:               {RoleVolunteer},
	PermCheckin:              {RoleVolunteer},
	PermAttendanceManage:     {RolePlatformAdmin, RoleOfficeAdmin, RoleTeamAdmin},
	PermCertificateIssue:     {RolePlatformAdmin, RoleOfficeAdmin, RoleTeamAdmin},
	PermStarsManage:          {RolePlatformAdmin, RoleOfficeAdmin},
	PermStatsView:            {RolePlatformAdmin, RoleOfficeAdmin},
}

// Known reports whether p is a permission the policy decides.
func (p Permission) Known() bool {
	if p == PermPublic || p == PermSignedIn {
		return true
	}
	_, ok := rolesFor[p]
	return ok
}

// Grant is one role held by an account within a scope.
type Grant struct {
	ID           int64
	Role         Role
	RegionCode   string // office admin, community worker: the region they cover
	TeamID       int64  // team admin
	DepartmentID int64  // department staff
}

// Principal is the signed-in account with its grants.
type Principal struct {
	AccountID   int64
	Username    string
	DisplayName string
	Locale      string
	RegionCode  string
	Grants      []Grant
}

// Target is the scope of the record an action touches.
type Target struct {
	RegionCode   string
	TeamID       int64
	TeamIDs      []int64 // for records that belong to several teams (a volunteer's memberships)
	DepartmentID int64
	AccountID    int64
}

// Has reports whether the principal holds the role anywhere.
func (p *Principal) Has(r Role) bool {
	if p == nil {
		return false
	}
	for _, g := range p.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// Allowed reports whether the principal may use a route guarded by perm at
// all, in some scope. Records are then checked one by one with Can.
func Allowed(p *Principal, perm Permission) bool {
	switch perm {
	case PermPublic:
		return true
	case PermSignedIn:
		return p != nil
	}
	if p == nil {
		return false
	}
	for _, g := range p.Grants {
		if slices.Contains(rolesFor[perm], g.Role) {
			return true
		}
	}
	return false
}

// Can reports whether the principal may do perm to a record with scope t.
func Can(p *Principal, perm Permission, t Target) bool {
	if !Allowed(p, perm) {
		return false
	}
	if perm == PermPublic || perm == PermSignedIn {
		return true
	}
	for _, g := range p.Grants {
		if slices.Contains(rolesFor[perm], g.Role) && g.covers(p, t) {
			return true
		}
	}
	return false
}

// covers reports whether one grant's scope includes the target.
func (g Grant) covers(p *Principal, t Target) bool {
	switch g.Role.ScopeKind() {
	case ScopeAll:
		return true
	case ScopeRegion:
		return t.RegionCode != "" && region.Covers(g.RegionCode, t.RegionCode)
	case ScopeTeam:
		return g.TeamID != 0 && (t.TeamID == g.TeamID || slices.Contains(t.TeamIDs, g.TeamID))
	case ScopeDepartment:
		return t.DepartmentID != 0 && t.DepartmentID == g.DepartmentID
	case ScopeSelf:
		return t.AccountID != 0 && t.AccountID == p.AccountID
	}
	return false
}

// RegionScopes returns the region prefixes within which the principal holds
// perm, for filtering lists; all is true when no filter applies.
func RegionScopes(p *Principal, perm Permission) (scopes []string, all bool) {
	if p == nil {
		return nil, false
	}
	for _, g := range p.Grants {
		if !slices.Contains(rolesFor[perm], g.Role) {
			continue
		}
		switch g.Role.ScopeKind() {
		case ScopeAll:
			return nil, true
		case ScopeRegion:
			scopes = append(scopes, g.RegionCode)
		}
	}
	return scopes, false
}

// TeamScopes returns the teams within which the principal holds perm through
// a team grant.
func TeamScopes(p *Principal, perm Permission) []int64 {
	if p == nil {
		return nil
	}
	var out []int64
	for _, g := range p.Grants {
		if g.Role.ScopeKind() == ScopeTeam && slices.Contains(rolesFor[perm], g.Role) {
			out = append(out, g.TeamID)
		}
	}
	return out
}

// CanGrant reports whether the principal may give (or take away) grant g,
// whose region is regionCode (for team and department grants, the region of
// the team or department). Nobody but a platform admin creates platform
// admins, and nobody grants beyond their own region.
func CanGrant(p *Principal, g Grant, regionCode string) bool {
	if p.Has(RolePlatformAdmin) {
		return true
	}
	if g.Role == RolePlatformAdmin {
		return false
	}
	return Can(p, PermAccountsAdmin, Target{RegionCode: regionCode})
}

// CanManageAccount reports whether the principal may change an account
// (disable, enable, grant or revoke its roles): the account must lie in the
// principal's scope, and so must every role it holds, by the rule of
// CanGrant. An office never reaches above itself, for instance to disable a
// platform admin whose account's region lies in its district.
func CanManageAccount(p *Principal, a Account) bool {
	if !Can(p, PermAccountsAdmin, Target{RegionCode: a.RegionCode}) {
		return false
	}
	for _, g := range a.Grants {
		scope := g.RegionCode
		if g.Role.ScopeKind() == ScopeSelf {
			scope = a.RegionCode
		}
		if !CanGrant(p, g, scope) {
			return false
		}
	}
	return true
}
