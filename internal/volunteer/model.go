package volunteer

import (
	"time"

	"zhiyuan/internal/pii"
)

// Volunteer is a volunteer as shown to users: ID and phone numbers masked.
// What one viewer sees is decided in shown.go: BirthDate is empty and
// IDNumberMasked keeps only the last four characters unless the viewer is
// the person or may reveal the numbers.
type Volunteer struct {
	ID        int64
	No        string
	AccountID int64
	RealName  string
	Gender    pii.Gender
	// BirthDate is "2006-01-02", or empty when the viewer may not see it.
	BirthDate string
	// Age is the age in whole years on the day it was read (Asia/Shanghai).
	Age                 int
	IDType              pii.IDType
	IDNumberMasked      string
	PhoneMasked         string
	RegionCode          string
	Skills              []string
	Languages           []string
	Categories          []string
	Tags                []string
	AvailableTime       string
	GuardianName        string
	GuardianPhoneMasked string
	PublishConsent      bool
	Source              string
	CreatedAt           time.Time
	TeamIDs             []int64 // the teams they are an active member of: the teams that may see them
}

// Claimed reports whether a person has taken the record over with an account.
func (v Volunteer) Claimed() bool { return v.AccountID != 0 }

// Sources of a volunteer record.
const (
	SourceSelf        = "self"
	SourceImport      = "import"
	SourcePreregister = "preregister"
)

// Age limits (志愿服务条例 and the platform's rules).
const (
	MinSelfRegisterAge = 14
	AdultAge           = 18
)

// Registration is the input for registering a volunteer, from a form, JSON,
// or a row of an import.
type Registration struct {
	RealName          string   `json:"real_name"`
	IDType            string   `json:"id_type"`
	IDNumber          string   `json:"id_number"`
	Phone             string   `json:"phone"`
	RegionCode        string   `json:"region_code"`
	Password          string   `json:"password"`
	Gender            string   `json:"gender"`
	BirthDate         string   `json:"birth_date"`
	Skills            []string `json:"skills"`
	ServiceCategories []string `json:"service_categories"`
	Tags              []string `json:"tags"`
	Languages         []string `json:"languages"`
	AvailableTime     string   `json:"available_time"`
	GuardianName      string   `json:"guardian_name"`
	GuardianPhone     string   `json:"guardian_phone"`
	GuardianConsent   bool     `json:"guardian_consent"`
	PublishConsent    bool     `json:"publish_consent"`
}

// Reveal is a volunteer's ID and phone numbers in clear.
type Reveal struct {
	IDType        pii.IDType
	IDNumber      string
	Phone         string
	GuardianPhone string
}
