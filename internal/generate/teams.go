package generate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
	"zhiyuan/internal/team"
)

// teamPlan is a team and its members.
type teamPlan struct {
	id       int64
	name     string
	region   string
	district int
	status   string
	created  int64
	category int
	members  []int32 // volunteer ids; members[0] is the admin
	state    []uint8 // per member: memberActive, memberPending or memberLeft
	admin    int64   // volunteer id of the admin, 0 for none
	current  int64   // id of its published current project, 0 for none
	projects []*proj
}

// Member states in a plan.
const (
	memberActive uint8 = iota
	memberPending
	memberLeft
)

// planTeams places the teams and deals the volunteers of each district out
// to its teams, heavy-tailed: a few large teams, many small ones.
func (g *gen) planTeams() {
	r := g.rng(4)
	year := int64(365 * 86400)
	names := map[string]int{}
	byDistrict := make([][]*teamPlan, len(g.geo.districts))
	for i := 0; i < g.o.Teams; i++ {
		di, code := g.geo.place(r, 0.15)
		if r.Float64() < 0.25 {
			code = g.geo.districts[di].code
		}
		t := &teamPlan{id: int64(i + 1), region: code, district: di, status: team.StateApproved, category: g.catW.draw(r)}
		switch x := r.Float64(); {
		case x < 0.05:
			t.status = team.StatePending
		case x < 0.06:
			t.status = team.StateRejected
		}
		if t.status == team.StateApproved && r.Float64() < 0.8 {
			t.created = g.now - 3*year - r.Int64N(6*year)
		} else {
			t.created = g.now - 30*86400 - r.Int64N(3*year-30*86400)
		}
		if t.status == team.StatePending {
			t.created = g.now - r.Int64N(30*86400)
		}
		t.name = teamName(r, code, names)
		g.teams = append(g.teams, t)
		if t.status == team.StateApproved {
			byDistrict[di] = append(byDistrict[di], t)
		}
	}
	pools := make([][]int32, len(g.geo.districts))
	for id := 1; id <= g.o.Volunteers; id++ {
		di := g.people.district[id]
		pools[di] = append(pools[di], int32(id))
	}
	for di, ts := range byDistrict {
		pool := pools[di]
		if len(ts) == 0 || len(pool) == 0 {
			continue
		}
		r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		raw := make([]float64, len(ts))
		sum := 0.0
		for i := range ts {
			raw[i] = math.Pow(1-r.Float64(), -1/1.3)
			sum += raw[i]
		}
		members := 0.8 * float64(len(pool))
		at := 0
		for i, t := range ts {
			size := max(3, int(raw[i]/sum*members))
			end := min(at+size, len(pool))
			t.members = pool[at:end:end]
			at = end
			for _, v := range t.members {
				g.people.team[v] = int32(t.id)
			}
			if len(t.members) > 0 {
				t.admin = int64(t.members[0])
			}
			t.state = make([]uint8, len(t.members))
			for i := 1; i < len(t.state); i++ {
				switch x := r.Float64(); {
				case x < 0.02:
					t.state[i] = memberPending
				case x < 0.04:
					t.state[i] = memberLeft
				}
			}
		}
	}
}

func teamName(r *rand.Rand, code string, used map[string]int) string {
	reg, _ := region.Lookup(code)
	base := strings.TrimSuffix(strings.TrimSuffix(reg.Name, "居委会"), "社区居民委员会") +
		teamKinds[r.IntN(len(teamKinds))] + teamSuffixes[r.IntN(len(teamSuffixes))]
	n := used[base]
	used[base] = n + 1
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s第%d分队", base, n+1)
}

func (g *gen) largestTeam() *teamPlan {
	best := g.teams[0]
	for _, t := range g.teams {
		if len(t.members) > len(best.members) {
			best = t
		}
	}
	return best
}

var (
	teamCols = []string{"id", "name", "region_code", "status", "created_at", "updated_at", "team_type", "credit_code",
		"contact_name", "contact_phone_enc", "contact_phone_masked", "join_mode", "description", "created_by", "reject_reason"}
	teamReviewCols = []string{"id", "team_id", "decision", "from_status", "to_status", "reason", "reviewer_id", "at"}
	memberCols     = []string{"team_id", "volunteer_id", "role", "status", "region_code", "joined_at", "left_at", "created_at", "updated_at"}
)

// creditCode draws a valid GB 32100 code of a social organisation
// registered with civil affairs in the team's district.
func creditCode(r *rand.Rand, districtCode string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	var b strings.Builder
	b.WriteString("5")
	b.WriteByte("129"[r.IntN(3)])
	b.WriteString(districtCode)
	b.WriteString("MJ")
	for range 7 {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	check, _ := pii.CreditCheckChar(b.String())
	return b.String() + string(check)
}

func (g *gen) writeTeams() error {
	r := g.rng(5)
	for _, t := range g.teams {
		contact := personName(r, r.Float64() < 0.5)
		phone := g.phone(r, t.id, 9_000_001)
		enc, err := g.a.Keys.Seal(phone, team.ContactPhoneAAD)
		if err != nil {
			return err
		}
		credit := ""
		if r.Float64() < 0.4 {
			credit = creditCode(r, g.geo.districts[t.district].code)
		}
		updated, reason := t.created, ""
		if t.status != team.StatePending {
			updated = t.created + 86400 + r.Int64N(10*86400)
		}
		if t.status == team.StateRejected {
			reason = "名称与已登记组织重复，请修改后重新提交"
		}
		desc := fmt.Sprintf("%s，立足%s，开展%s等志愿服务。", t.name, region.FullName(t.region), g.cats[t.category].Name)
		g.w.put("teams", teamCols, t.id, t.name, t.region, t.status, t.created, updated, team.Types[r.IntN(len(team.Types))],
			credit, contact, enc, pii.MaskPhone(phone), []string{team.JoinApproval, team.JoinOpen}[r.IntN(2)], desc,
			g.accounts.officeCity, reason)
		if t.status != team.StatePending {
			decision := "approve"
			if t.status == team.StateRejected {
				decision = "reject"
			}
			g.w.put("team_reviews", teamReviewCols, g.next("team_reviews"), t.id, decision, team.StatePending, t.status,
				reason, g.accounts.officeCity, updated)
		}
	}
	return nil
}

// writeMembers writes the memberships: the admin first, a few leaders,
// some who left or wait for approval.
func (g *gen) writeMembers() error {
	r := g.rng(6)
	for _, t := range g.teams {
		for i, v := range t.members {
			role, status := team.RoleMember, team.MemberActive
			switch {
			case i == 0:
				role = team.RoleAdmin
			case r.Float64() < 0.02:
				role = team.RoleLeader
			}
			switch t.state[i] {
			case memberPending:
				status = team.MemberPending
			case memberLeft:
				status = team.MemberLeft
			}
			joined := max(t.created, g.people.created[v]) + r.Int64N(30*86400)
			var left int64
			if status == team.MemberLeft {
				left = joined + r.Int64N(max(1, g.now-joined))
			}
			if status == team.MemberPending {
				joined = 0
			}
			created := max(t.created, g.people.created[v])
			g.w.put("team_members", memberCols, t.id, int64(v), role, status, t.region, joined, left, created, max(created, joined, left))
		}
		if err := g.w.maybeFlush(); err != nil {
			return err
		}
	}
	return nil
}
