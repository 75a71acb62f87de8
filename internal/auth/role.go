package auth

// Role is what an account may do; a grant pairs a role with a scope.
type Role string

// The roles of DESIGN.md.
const (
	RolePlatformAdmin   Role = "platform_admin"
	RoleOfficeAdmin     Role = "office_admin"
	RoleCommunityWorker Role = "community_worker"
	RoleTeamAdmin       Role = "team_admin"
	RoleVolunteer       Role = "volunteer"
	RoleResident        Role = "resident"
	RoleDepartmentStaff Role = "department_staff"
)

// Roles lists every role, most powerful first.
var Roles = []Role{
	RolePlatformAdmin, RoleOfficeAdmin, RoleCommunityWorker, RoleTeamAdmin,
	RoleDepartmentStaff, RoleVolunteer, RoleResident,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if k == r {
			return true
		}
	}
	return false
}

// ScopeKind says what a role's scope is made of.
type ScopeKind int

// The kinds of scope.
const (
	ScopeAll ScopeKind = iota
	ScopeRegion
	ScopeTeam
	ScopeDepartment
	ScopeSelf
)

// ScopeKind returns what kind of scope a grant of this role carries.
func (r Role) ScopeKind() ScopeKind {
	switch r {
	case RolePlatformAdmin:
		return ScopeAll
	case RoleOfficeAdmin, RoleCommunityWorker:
		return ScopeRegion
	case RoleTeamAdmin:
		return ScopeTeam
	case RoleDepartmentStaff:
		return ScopeDepartment
	}
	return ScopeSelf
}
