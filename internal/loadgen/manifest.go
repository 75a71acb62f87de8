package loadgen

import (
	"encoding/json"
	"fmt"
	"os"
)

// Manifest is what the suite reads from the generator's manifest
// (`zhiyuan demo generate` writes it beside the database); unknown fields
// are ignored so that the two may grow apart a little.
type Manifest struct {
	City           string   `json:"city_code"`
	District       string   `json:"district_code"`
	Password       string   `json:"password"`
	Accounts       accounts `json:"accounts"`
	LeaderTeamID   int64    `json:"leader_team_id"`
	TeamIDs        []int64  `json:"team_ids"`
	BurstShiftID   int64    `json:"burst_shift_id"`
	BurstProjectID int64    `json:"burst_project_id"`
	BurstSignups   int      `json:"burst_signups"`
	OpenShiftIDs   []int64  `json:"open_shift_ids"`
	CertificateIDs []int64  `json:"certificate_ids"`
}

type accounts struct {
	Admin          string `json:"admin"`
	OfficeCity     string `json:"office_city"`
	OfficeDistrict string `json:"office_district"`
	Leader         string `json:"leader"`
	Volunteers     int    `json:"volunteers"`
}

// ReadManifest reads and checks a generator manifest.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", path, err)
	}
	a := &m.Accounts
	a.Admin = or(a.Admin, "admin")
	a.OfficeCity = or(a.OfficeCity, "office-city")
	a.OfficeDistrict = or(a.OfficeDistrict, "office-district")
	a.Leader = or(a.Leader, "leader")
	switch {
	case m.City == "" || m.District == "" || m.Password == "":
		return nil, fmt.Errorf("manifest %s: no city, district or password", path)
	case m.BurstShiftID == 0 || m.BurstSignups == 0:
		return nil, fmt.Errorf("manifest %s: no burst shift", path)
	case len(m.OpenShiftIDs) == 0 || m.LeaderTeamID == 0 || a.Volunteers == 0:
		return nil, fmt.Errorf("manifest %s: no open shifts, leader team or volunteer accounts", path)
	}
	return &m, nil
}

// Volunteer is the username of the n-th generated volunteer account (from 1).
func Volunteer(n int) string { return fmt.Sprintf("v%06d", n) }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
