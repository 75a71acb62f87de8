package generate

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/volunteer"
)

// people is what later phases need to know about each volunteer, by id
// (index 0 unused): kept compact for millions of volunteers.
type people struct {
	district []uint8
	region   []string
	created  []int64
	account  []int32 // account id, 0 for none
	team     []int32 // index+1 of the volunteer's team, 0 for none
}

// accountPlan fixes the ids of the benchmark accounts.
type accountPlan struct {
	admin, officeCity, officeDistrict, leader int64
	district                                  int // index of the district with most volunteers
}

// Number and phone bodies are affine permutations of the volunteer id, so
// they are unique without a lookup and look random.
const (
	noSpan    = 90_000_000_000
	noFactor  = 7_777_777_777 // coprime with noSpan
	telSpan   = 100_000_000
	telFactor = 48_271 // coprime with telSpan
)

var mobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
	"156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "183", "185", "186", "187", "188", "189", "199"}

func (g *gen) volunteerNo(id int64) string {
	body := 10_000_000_000 + (noFactor*(id+int64(g.o.Seed%1000)))%noSpan
	no, _ := volunteer.NumberFor(body)
	return no
}

func (g *gen) phone(r *rand.Rand, id int64, salt int64) string {
	return mobilePrefixes[r.IntN(len(mobilePrefixes))] + fmt.Sprintf("%08d", (telFactor*(id+salt))%telSpan)
}

// planPeople places every volunteer and fixes when they registered.
func (g *gen) planPeople() {
	n := g.o.Volunteers
	r := g.rng(2)
	p := people{district: make([]uint8, n+1), region: make([]string, n+1), created: make([]int64, n+1),
		account: make([]int32, n+1), team: make([]int32, n+1)}
	counts := make([]int, len(g.geo.districts))
	year := int64(365 * 86400)
	for i := 1; i <= n; i++ {
		di, code := g.geo.place(r, 0.4)
		p.district[i], p.region[i] = uint8(di), code
		counts[di]++
		if r.Float64() < 0.85 {
			p.created[i] = g.now - 3*year - r.Int64N(5*year)
		} else {
			p.created[i] = g.now - 7*86400 - r.Int64N(3*year-7*86400)
		}
	}
	g.people = p
	best := 0
	for i, c := range counts {
		if c > counts[best] {
			best = i
		}
	}
	g.accounts = accountPlan{admin: 1, officeCity: 2, officeDistrict: 3, leader: 4, district: best}
	g.nextID["accounts"] = 4
}

// reg is a generated registration with what the row needs besides.
type reg struct {
	in      volunteer.Registration
	source  string
	teamID  int64
	created int64
	p       volunteer.Prepared
	err     error
}

// newRegistration draws one person.
func (g *gen) newRegistration(r *rand.Rand, ids *idNumbers, id int64) volunteer.Registration {
	male := r.Float64() < 0.48
	age := drawAge(r)
	birth := g.o.Now.AddDate(-age, 0, -1-r.IntN(364))
	birth = clampBirth(birth)
	county := g.geo.birthCounty(r, int(g.people.district[id]))
	idNo := ids.next(r, county, birth, male)
	in := volunteer.Registration{RealName: personName(r, male), IDType: string(pii.IDResident), IDNumber: idNo,
		Phone: g.phone(r, id, 0), RegionCode: g.people.region[id], PublishConsent: r.Float64() < 0.6}
	ageNow := pii.AgeOn(birth, g.o.Now)
	if ageNow < volunteer.AdultAge {
		in.GuardianName = surnames[r.IntN(20)] + givenMale[r.IntN(len(givenMale))]
		in.GuardianPhone = g.phone(r, id, 7_000_003)
		in.GuardianConsent = true
	}
	in.Tags = drawTags(r, male, ageNow)
	for range 1 + r.IntN(3) {
		in.ServiceCategories = append(in.ServiceCategories, g.cats[g.catW.draw(r)].Name)
	}
	if r.Float64() < 0.35 {
		for range 1 + r.IntN(2) {
			in.Skills = append(in.Skills, skills[r.IntN(len(skills))])
		}
	}
	if r.Float64() < 0.1 {
		in.Languages = []string{"英语"}
	}
	switch x := r.Float64(); {
	case x < 0.4:
		in.AvailableTime = "周末"
	case x < 0.6:
		in.AvailableTime = "工作日晚上"
	case x < 0.7:
		in.AvailableTime = "随时"
	}
	return in
}

func drawAge(r *rand.Rand) int {
	bands := []struct {
		lo, hi int
		share  float64
	}{{16, 17, 0.03}, {18, 24, 0.17}, {25, 34, 0.22}, {35, 44, 0.20}, {45, 54, 0.17}, {55, 64, 0.13}, {65, 75, 0.08}}
	x := r.Float64()
	for _, b := range bands {
		if x < b.share {
			return b.lo + r.IntN(b.hi-b.lo+1)
		}
		x -= b.share
	}
	return 40
}

func clampBirth(b time.Time) time.Time {
	lo := time.Date(1950, 1, 1, 0, 0, 0, 0, b.Location())
	hi := time.Date(2010, 12, 31, 0, 0, 0, 0, b.Location())
	switch {
	case b.Before(lo):
		return lo
	case b.After(hi):
		return hi
	}
	return b
}

func personName(r *rand.Rand, male bool) string {
	given := givenFemale
	if male {
		given = givenMale
	}
	// Frequent surnames more often: the list is in frequency order.
	s := surnames[min(int(float64(len(surnames))*r.Float64()*r.Float64()), len(surnames)-1)]
	name := s + given[r.IntN(len(given))]
	if r.Float64() < 0.75 {
		name += given[r.IntN(len(given))]
	}
	return name
}

func drawTags(r *rand.Rand, male bool, age int) []string {
	var out []string
	if age >= 18 && r.Float64() < tagShare["党员"] {
		out = append(out, "党员")
	}
	if age <= 35 && r.Float64() < 0.6 {
		out = append(out, "青年")
	}
	if !male && r.Float64() < 0.3 {
		out = append(out, "巾帼")
	}
	if r.Float64() < tagShare["平安"] {
		out = append(out, "平安")
	}
	if age >= 30 && r.Float64() < tagShare["劳模"] {
		out = append(out, "劳模")
	}
	if age >= 20 && ((male && r.Float64() < 0.07) || (!male && r.Float64() < 0.005)) {
		out = append(out, "退役军人")
	}
	return out
}

// idNumbers hands out GB 11643 numbers, unique by construction: the
// sequence code counts up per county, birth date and sex.
type idNumbers struct{ used map[uint64]uint16 }

func (ids *idNumbers) next(r *rand.Rand, county string, birth time.Time, male bool) string {
	date := birth.Format("20060102")
	sex := uint64(0)
	if male {
		sex = 1
	}
	var c uint64
	for i := 0; i < 6; i++ {
		c = c*10 + uint64(county[i]-'0')
	}
	key := (c*100_000_000+uint64(birth.Year()*10000+int(birth.Month())*100+birth.Day()))*2 + sex
	n := ids.used[key]
	ids.used[key] = n + 1
	seq := (2*(int(key%200)+int(n)) + int(sex)) % 1000
	first := county + date + fmt.Sprintf("%03d", seq)
	check, _ := pii.ResidentCheckChar(first)
	return first + string(check)
}

// writeVolunteers prepares (validates and seals, as registration does) and
// writes every volunteer with its lists and, for the first --accounts and
// for team admins, its account.
func (g *gen) writeVolunteers() error {
	r := g.rng(3)
	ids := &idNumbers{used: map[uint64]uint16{}}
	admins := map[int64]*teamPlan{}
	for _, t := range g.teams {
		if t.admin != 0 {
			admins[t.admin] = t
		}
	}
	const chunk = 4000
	for lo := 1; lo <= g.o.Volunteers; lo += chunk {
		hi := min(lo+chunk, g.o.Volunteers+1)
		regs := make([]reg, hi-lo)
		for i := range regs {
			id := int64(lo + i)
			regs[i].in = g.newRegistration(r, ids, id)
			regs[i].created = g.people.created[id]
			regs[i].source = volunteer.SourcePreregister
			if ti := g.people.team[id]; ti != 0 && r.Float64() < 0.7 {
				regs[i].source, regs[i].teamID = volunteer.SourceImport, g.teams[ti-1].id
			}
			if id <= int64(g.o.Accounts) || admins[id] != nil {
				regs[i].source, regs[i].teamID = volunteer.SourceSelf, 0
			}
		}
		g.prepare(regs)
		for i := range regs {
			if err := g.putVolunteer(int64(lo+i), &regs[i], admins[int64(lo+i)]); err != nil {
				return err
			}
		}
		if err := g.w.maybeFlush(); err != nil {
			return err
		}
	}
	return nil
}

// prepare seals a chunk on two goroutines: encryption is per row.
func (g *gen) prepare(regs []reg) {
	var wg sync.WaitGroup
	half := len(regs) / 2
	for _, part := range [][]reg{regs[:half], regs[half:]} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range part {
				part[i].p, part[i].err = g.vols.Prepare(g.ctx, part[i].in, part[i].source)
			}
		}()
	}
	wg.Wait()
}

var (
	accountCols = []string{"id", "username", "display_name", "password_hash", "locale", "region_code", "disabled",
		"password_changed_at", "created_at", "updated_at"}
	grantCols = []string{"id", "account_id", "role", "region_code", "team_id", "department_id", "granted_by", "created_at"}
	listCols  = map[string][]string{
		"volunteer_tags":       {"volunteer_id", "tag_id", "region_code"},
		"volunteer_categories": {"volunteer_id", "category_id", "region_code"},
		"volunteer_skills":     {"volunteer_id", "skill", "region_code"},
	}
)

func (g *gen) putAccount(username, name, regionCode string, at int64) int64 {
	id := g.next("accounts")
	g.w.put("accounts", accountCols, id, username, name, g.hash, "zh", regionCode, 0, at, at, at)
	return id
}

func (g *gen) putGrant(accountID int64, role auth.Role, regionCode string, teamID int64, at int64) {
	var team any
	if teamID != 0 {
		team = teamID
	}
	g.w.put("role_grants", grantCols, g.next("role_grants"), accountID, string(role), regionCode, team, nil, nil, at)
}

func (g *gen) putVolunteer(id int64, rg *reg, adminOf *teamPlan) error {
	if rg.err != nil {
		return fmt.Errorf("volunteer %d does not pass the platform's checks: %w", id, rg.err)
	}
	no := g.volunteerNo(id)
	region := g.people.region[id]
	var accountID int64
	if rg.source == volunteer.SourceSelf {
		username := "v" + no
		if id <= int64(g.o.Accounts) {
			username = fmt.Sprintf("v%06d", id)
		}
		accountID = g.putAccount(username, rg.p.RealName(), region, rg.created)
		g.people.account[id] = int32(accountID)
	}
	g.w.put("volunteers", volunteer.Columns, rg.p.Row(id, no, accountID, rg.teamID, rg.created)...)
	if accountID != 0 {
		g.putGrant(accountID, auth.RoleVolunteer, "", 0, rg.created)
		if adminOf != nil {
			g.putGrant(accountID, auth.RoleTeamAdmin, adminOf.region, adminOf.id, adminOf.created)
		}
	}
	tags, cats, sk := rg.p.Lists()
	for _, t := range tags {
		g.w.put("volunteer_tags", listCols["volunteer_tags"], id, t, region)
	}
	for _, c := range cats {
		g.w.put("volunteer_categories", listCols["volunteer_categories"], id, c, region)
	}
	for _, s := range sk {
		g.w.put("volunteer_skills", listCols["volunteer_skills"], id, s, region)
	}
	return nil
}

// writeFixedAccounts writes the benchmark's staff accounts; the leader's
// grant names a team, so the teams go in the same flush.
func (g *gen) writeFixedAccounts() {
	at := g.now - 4*365*86400
	dist := g.geo.districts[g.accounts.district]
	g.nextID["accounts"] = 0
	g.putAccount("admin", "平台管理员", "", at)
	g.putGrant(g.accounts.admin, auth.RolePlatformAdmin, "", 0, at)
	g.putAccount("office-city", "市文明办", g.o.City, at)
	g.putGrant(g.accounts.officeCity, auth.RoleOfficeAdmin, g.o.City, 0, at)
	g.putAccount("office-district", dist.name+"文明办", dist.code, at)
	g.putGrant(g.accounts.officeDistrict, auth.RoleOfficeAdmin, dist.code, 0, at)
	lead := g.largestTeam()
	g.putAccount("leader", lead.name+"负责人", lead.region, at)
	g.putGrant(g.accounts.leader, auth.RoleTeamAdmin, lead.region, lead.id, at)
}
