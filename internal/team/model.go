// Package team holds volunteer-service organisations (志愿服务组织): founding,
// review by the civilization office of the team's region, and membership
// with its join modes and team roles.
package team

import "time"

// States of a team.
const (
	StatePending   = "pending"
	StateApproved  = "approved"
	StateRejected  = "rejected"
	StateSuspended = "suspended"
)

// Join modes: anyone may join, a team admin approves, or by invitation only.
const (
	JoinOpen       = "open"
	JoinApproval   = "approval"
	JoinInvitation = "invitation"
)

// Team roles of a member.
const (
	RoleAdmin  = "admin"
	RoleLeader = "leader"
	RoleMember = "member"
)

// Membership states. Rows are never deleted: leaving and removal are states.
const (
	MemberActive  = "active"
	MemberPending = "pending"
	MemberInvited = "invited"
	MemberLeft    = "left"
	MemberRemoved = "removed"
)

// Types lists the kinds of organisation offered when founding a team.
var Types = []string{"社区志愿服务队", "社会组织", "企事业单位", "学校", "机关事业单位", "其他"}

// Team is a volunteer-service organisation.
type Team struct {
	ID                 int64
	Name               string
	RegionCode         string
	State              string
	Type               string
	CreditCode         string
	ParentID           int64
	ContactName        string
	ContactPhoneMasked string
	JoinMode           string
	Description        string
	FounderVolunteerID int64
	CreatedBy          int64
	RejectReason       string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	MemberCount        int
}

// NewTeam is the input for founding a team.
type NewTeam struct {
	Name         string `json:"name"`
	RegionCode   string `json:"region_code"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone"`
	Type         string `json:"type"`
	CreditCode   string `json:"credit_code"`
	ParentID     int64  `json:"parent_id"`
	JoinMode     string `json:"join_mode"`
	Description  string `json:"description"`
}

// Review is a decision on a team.
type Review struct {
	Decision string `json:"decision"` // approve, reject, suspend, reinstate
	Reason   string `json:"reason"`
}

// ReviewRecord is one entry of a team's review history.
type ReviewRecord struct {
	Decision   string
	FromState  string
	ToState    string
	Reason     string
	ReviewerID int64
	At         time.Time
}

// Member is a volunteer's membership of a team, with what lists show of them.
type Member struct {
	TeamID      int64
	VolunteerID int64
	VolunteerNo string
	RealName    string
	PhoneMasked string
	RegionCode  string
	Role        string
	Status      string
	JoinedAt    time.Time
	Claimed     bool
	AdminSince  time.Time // when an admin became one
	AppointedBy int64     // the account that made them admin (0: the system)
}

// Admin is one of a team's admins as its offices see them: since when they
// hold the role and which account appointed them.
type Admin struct {
	VolunteerID     int64
	VolunteerNo     string
	RealName        string
	Since           time.Time
	AppointedBy     int64  // 0: the system (demo data, imports from other registers)
	AppointedByName string // the appointer's display name and username
}
