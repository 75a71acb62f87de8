package generate

import (
	"fmt"
	"sort"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
)

// writeBenchShifts writes what the benchmark drives: open shifts in the
// coming days with free seats, one hour each and none overlapping (so one
// volunteer may sign up for all), and a shift under way now with the first
// volunteer accounts signed up for it (the check-in burst).
func (g *gen) writeBenchShifts() error {
	var current []*proj
	for _, t := range g.byLargest() {
		if p := t.currentProject(); p != nil {
			current = append(current, p)
		}
		if len(current) == 20 {
			break
		}
	}
	if len(current) == 0 {
		return fmt.Errorf("no team has a published project")
	}
	tomorrow := ((g.now+clock.OffsetSeconds)/day+1)*day - clock.OffsetSeconds
	for i := 0; i < OpenShifts; i++ {
		p := current[i%len(current)]
		start := tomorrow + int64(i/12)*day + int64(8+i%12)*3600
		id := g.next("shifts")
		g.w.put("shifts", shiftCols, id, p.id, p.region, start, start+3600, "", 500, 20, 0, 0, 0, start,
			nullable(p.adminAccount), g.now-day)
		g.m.OpenShiftIDs = append(g.m.OpenShiftIDs, id)
	}
	lead := g.largestTeam()
	p := lead.burstProject(g.now)
	if p == nil {
		p = current[0]
	}
	n := min(g.o.Accounts, 2*MinBurst)
	start, end := g.now-10*60, g.now+230*60
	id := g.next("shifts")
	g.w.put("shifts", shiftCols, id, p.id, p.region, start, end, "", n+100, 0, n, 0, 0, start, nullable(p.adminAccount), g.now-2*day)
	for v := 1; v <= n; v++ {
		at := g.now - day - int64(v)
		g.w.put("signups", signupCols, g.next("signups"), id, int64(v), project.SignupConfirmed, start, end, p.region, at, at)
	}
	g.m.BurstShiftID, g.m.BurstSignups, g.m.BurstProjectID = id, n, p.id
	return nil
}

// burstWindow is how far ahead of now the burst project must run: the
// benchmark's sign-up rush adds shifts on the next four days (loadgen), and
// a project refuses shifts outside its dates.
const burstWindow = 8 * day

// burstProject is the team's published project under way now that runs at
// least burstWindow more, else its current project (nil if it has none).
// The current project may end within the next four days (it did at tenth
// scale with seed 1), and then the rush shifts were refused.
func (t *teamPlan) burstProject(now int64) *proj {
	for _, p := range t.projects {
		if p.state == project.StatePublished && p.from <= now && p.to >= now+burstWindow {
			return p
		}
	}
	return t.currentProject()
}

func (t *teamPlan) currentProject() *proj {
	for _, p := range t.projects {
		if p.id == t.current {
			return p
		}
	}
	return nil
}

// byLargest returns the approved teams, largest first.
func (g *gen) byLargest() []*teamPlan {
	var out []*teamPlan
	for _, t := range g.teams {
		if t.status == "approved" && len(t.members) > 0 {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].members) > len(out[j].members) })
	return out
}

// issueCertificates issues certificates through the platform's own service
// (signed as the platform signs them) for some volunteers with confirmed
// hours: the first volunteer accounts first, then others.
func (g *gen) issueCertificates() error {
	want := min(2000, max(5, g.o.Volunteers/2000))
	for v := 1; v <= g.o.Volunteers && len(g.m.CertificateIDs) < want; v++ {
		ti := g.people.team[v]
		if ti == 0 || g.hours.confirmed[v] == 0 {
			continue
		}
		c, err := g.a.Records.IssueCertificate(g.ctx, auth.System, int64(v), g.teams[ti-1].id, g.o.BaseURL)
		if err != nil {
			return fmt.Errorf("generate: certificate for volunteer %d: %w", v, err)
		}
		g.m.CertificateIDs = append(g.m.CertificateIDs, c.ID)
	}
	return nil
}

// Manifest names what the benchmark driver needs from a generated database.
type Manifest struct {
	DB             string           `json:"db"`
	Dialect        string           `json:"dialect"`
	Seed           uint64           `json:"seed"`
	GeneratedAt    string           `json:"generated_at"`
	City           string           `json:"city_code"`
	District       string           `json:"district_code"`
	DistrictName   string           `json:"district_name"`
	Password       string           `json:"password"`
	Accounts       ManifestAccounts `json:"accounts"`
	LeaderTeamID   int64            `json:"leader_team_id"`
	TeamIDs        []int64          `json:"team_ids"`
	BurstShiftID   int64            `json:"burst_shift_id"`
	BurstProjectID int64            `json:"burst_project_id"`
	BurstSignups   int              `json:"burst_signups"`
	OpenShiftIDs   []int64          `json:"open_shift_ids"`
	CertificateIDs []int64          `json:"certificate_ids"`
	Counts         map[string]int64 `json:"counts"`
	Rows           int64            `json:"rows"`
	ElapsedSeconds float64          `json:"elapsed_seconds"`
	RowsPerSecond  float64          `json:"rows_per_second"`
}

// ManifestAccounts are the generated logins, all with the same password.
type ManifestAccounts struct {
	Admin          string `json:"admin"`
	OfficeCity     string `json:"office_city"`
	OfficeDistrict string `json:"office_district"`
	Leader         string `json:"leader"`
	VolunteerFirst string `json:"volunteer_first"`
	VolunteerLast  string `json:"volunteer_last"`
	Volunteers     int    `json:"volunteers"`
}

func (g *gen) manifest() *Manifest {
	m := &g.m
	dist := g.geo.districts[g.accounts.district]
	m.Dialect, m.Seed, m.City = string(g.d.Dialect), g.o.Seed, g.o.City
	m.GeneratedAt = g.o.Now.UTC().Format(time.RFC3339)
	m.District, m.DistrictName, m.Password = dist.code, dist.name, g.o.Password
	m.Accounts = ManifestAccounts{Admin: "admin", OfficeCity: "office-city", OfficeDistrict: "office-district", Leader: "leader",
		Volunteers: g.o.Accounts}
	if g.o.Accounts > 0 {
		m.Accounts.VolunteerFirst, m.Accounts.VolunteerLast = "v000001", fmt.Sprintf("v%06d", g.o.Accounts)
	}
	m.LeaderTeamID = g.largestTeam().id
	for _, t := range g.byLargest() {
		if len(m.TeamIDs) == 100 {
			break
		}
		m.TeamIDs = append(m.TeamIDs, t.id)
	}
	m.Counts = map[string]int64{}
	for t, n := range g.w.counts {
		m.Counts[t] = n
	}
	m.Counts["certificates"] = int64(len(m.CertificateIDs))
	m.Rows = g.w.total()
	m.ElapsedSeconds = time.Since(g.start).Seconds()
	m.RowsPerSecond = float64(m.Rows) / m.ElapsedSeconds
	return m
}
