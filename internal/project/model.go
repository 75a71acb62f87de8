// Package project holds volunteer-service projects (志愿服务项目): drafted by
// a team, reviewed (认证) by the civilization office of the project's region,
// published with shifts (班次) that volunteers sign up for.
package project

import "time"

// Project states.
const (
	StateDraft         = "draft"
	StatePendingReview = "pending_review"
	StatePublished     = "published"
	StateRejected      = "rejected"
	StateClosed        = "closed"
)

// Signup states.
const (
	SignupConfirmed  = "confirmed"
	SignupWaitlisted = "waitlisted"
	SignupCancelled  = "cancelled"
)

// MaxSpan is the longest a project may run.
const MaxSpan = 366 * 24 * time.Hour

// Project is a volunteer-service project.
type Project struct {
	ID                 int64
	TeamID             int64
	TeamName           string
	Name               string
	Category           string
	Content            string
	RegionCode         string
	Address            string
	Lat, Lng           *float64
	RecruitCount       int
	Requirements       string
	Risks              string
	Protections        string
	Insured            bool
	StartsOn, EndsOn   string
	ContactName        string
	ContactPhoneMasked string
	Theme              string
	State              string
	TeamSuspended      bool // the team is suspended: off the public lists, no sign-ups or shifts
	RejectReason       string
	PublishedAt        time.Time
	CreatedAt          time.Time
}

// NewProject is the input for drafting a project.
type NewProject struct {
	TeamID       int64    `json:"team_id"`
	Name         string   `json:"name"`
	Category     string   `json:"category"`
	Content      string   `json:"content"`
	RegionCode   string   `json:"region_code"`
	Address      string   `json:"address"`
	Lat          *float64 `json:"lat"`
	Lng          *float64 `json:"lng"`
	RecruitCount int      `json:"recruit_count"`
	Requirements string   `json:"requirements"`
	Risks        string   `json:"risks"`
	Protections  string   `json:"protections"`
	Insured      bool     `json:"insured"`
	StartsOn     string   `json:"starts_on"`
	EndsOn       string   `json:"ends_on"`
	ContactName  string   `json:"contact_name"`
	ContactPhone string   `json:"contact_phone"`
	Theme        string   `json:"theme"`
}

// Review is a decision on a submitted project.
type Review struct {
	Decision string `json:"decision"` // approve or reject
	Reason   string `json:"reason"`
}

// Shift is a time slot of a project with its seats.
type Shift struct {
	ID             int64
	ProjectID      int64
	ProjectName    string
	RegionCode     string
	StartsAt       time.Time
	EndsAt         time.Time
	Place          string
	Capacity       int
	Waitlist       int
	Taken          int
	Waiting        int
	SignupOpensAt  time.Time
	SignupClosesAt time.Time
	// Geofence, when Radius > 0: QR check-in only within Radius metres.
	GeofenceLat, GeofenceLng float64
	GeofenceRadius           int
}

// NewShift is the input for adding a shift.
type NewShift struct {
	StartsAt       string `json:"starts_at"`
	EndsAt         string `json:"ends_at"`
	Capacity       int    `json:"capacity"`
	Place          string `json:"place"`
	Waitlist       int    `json:"waitlist"`
	SignupOpensAt  string `json:"signup_opens_at"`
	SignupClosesAt string `json:"signup_closes_at"`
	// Optional geofence: the place's coordinates and a radius in metres.
	GeofenceLat    *float64 `json:"geofence_lat"`
	GeofenceLng    *float64 `json:"geofence_lng"`
	GeofenceRadius int      `json:"geofence_radius"`
}

// Signup is a volunteer's place on a shift.
type Signup struct {
	ID          int64
	ShiftID     int64
	ProjectID   int64
	VolunteerID int64
	Status      string
	StartsAt    time.Time
	EndsAt      time.Time
	CreatedAt   time.Time
}

// MaxShiftAhead is how far ahead a shift may start: a time of service lies
// between 2000-01-01 and two years from now.
const MaxShiftAhead = 2 * 366 * 24 * time.Hour

// MaxShiftLength is the longest a shift may last; the overlap check of a
// sign-up relies on it.
const MaxShiftLength = 24 * time.Hour

// SeatsLeft is how many confirmed seats the shift still has.
func (sh Shift) SeatsLeft() int { return max(sh.Capacity-sh.Taken, 0) }
