package generate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"zhiyuan/internal/clock"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/region"
)

var (
	projectCols = []string{"id", "team_id", "name", "category_id", "content", "region_code", "address", "recruit_count",
		"requirements", "risks", "protections", "insured", "starts_on", "ends_on", "contact_name", "contact_phone_enc",
		"contact_phone_masked", "theme", "state", "reject_reason", "created_by", "published_at", "created_at", "updated_at"}
	projectReviewCols = []string{"id", "project_id", "decision", "from_state", "to_state", "reason", "reviewer_id", "at"}
	shiftCols         = []string{"id", "project_id", "region_code", "starts_at", "ends_at", "place", "capacity", "waitlist",
		"taken", "waiting", "signup_opens_at", "signup_closes_at", "created_by", "created_at"}
	signupCols     = []string{"id", "shift_id", "volunteer_id", "status", "starts_at", "ends_at", "region_code", "created_at", "updated_at"}
	attendanceCols = []string{"id", "shift_id", "volunteer_id", "project_id", "day", "check_in_at", "check_out_at", "method",
		"reason", "recorded_by", "region_code", "created_at"}
	recordCols = []string{"id", "volunteer_id", "team_id", "project_id", "shift_id", "attendance_id", "region_code", "activity",
		"place", "content", "starts_at", "ends_at", "minutes", "leader_name", "state", "backfilled", "recorded_by", "approved_by",
		"confirmed_by", "confirmed_at", "due_at", "version", "created_at", "updated_at"}
	historyCols = []string{"id", "record_id", "action", "reason", "before_json", "after_json", "by_account", "at"}
	hoursCols   = []string{"volunteer_id", "confirmed_minutes", "pending_minutes", "updated_at"}
)

const day = int64(86400)

// hours are the running totals per volunteer, as volunteer_hours keeps them.
type hours struct {
	confirmed, pending []int64
	any                []bool
}

// proj is a project being written.
type proj struct {
	id, teamID               int64
	name, content, address   string
	region, leader           string
	from, to                 int64 // window, unix
	state                    string
	team                     *teamPlan
	adminAccount, teamRegion int64
}

// days caches per-day strings and deadlines: millions of records share a
// thousand days.
type days struct {
	date map[int64]string
	due  map[int64]int64
}

func (c *days) dayOf(t int64) int64 { return (t + clock.OffsetSeconds) / day }

func (c *days) dateOf(t int64) string {
	k := c.dayOf(t)
	s, ok := c.date[k]
	if !ok {
		s = time.Unix(t, 0).UTC().Add(clock.OffsetSeconds * time.Second).Format("2006-01-02")
		c.date[k] = s
	}
	return s
}

// dueOf is the confirmation deadline of a record created at t, by the
// record package's rule; the time of day is kept.
func (c *days) dueOf(t int64) int64 {
	k := c.dayOf(t)
	d, ok := c.due[k]
	if !ok {
		start := k*day - clock.OffsetSeconds
		d = record.DueAt(time.Unix(start, 0)).Unix() - start
		c.due[k] = d
	}
	return t + d
}

// writeActivity writes every team's projects with their shifts, sign-ups,
// attendance and service records over the last three years.
func (g *gen) writeActivity() error {
	r := g.rng(7)
	n := g.o.Volunteers + 1
	g.hours = hours{confirmed: make([]int64, n), pending: make([]int64, n), any: make([]bool, n)}
	c := &days{date: map[int64]string{}, due: map[int64]int64{}}
	stamp := make([]int64, n) // last shift each volunteer was drawn for
	total := 0
	for _, t := range g.teams {
		if t.status == "approved" {
			total += len(t.members)
		}
	}
	budget := 0.0
	for _, t := range g.teams {
		if err := g.teamProjects(r, t); err != nil {
			return err
		}
		if t.status != "approved" || len(t.members) == 0 || total == 0 {
			continue
		}
		budget += float64(g.o.Records) * float64(len(t.members)) / float64(total)
		want := int(math.Floor(budget))
		budget -= float64(want)
		if err := g.teamRecords(r, t, want, c, stamp); err != nil {
			return err
		}
		if err := g.w.maybeFlush(); err != nil {
			return err
		}
	}
	// Rounding leaves a few records over: give them to the largest team.
	if rest := g.o.Records - int(g.w.counts["service_records"]); rest > 0 {
		if err := g.teamRecords(r, g.largestTeam(), rest, c, stamp); err != nil {
			return err
		}
	}
	return nil
}

// windows of the team's project tracks: consecutive projects of at most a
// year each from three years ago (or the team's founding) to two months
// ahead.
func (g *gen) windows(r *rand.Rand, t *teamPlan) [][2]int64 {
	var out [][2]int64
	from := max(t.created, g.now-3*365*day-30*day)
	end := g.now + 60*day
	for from < end {
		to := min(from+(240+r.Int64N(120))*day, end)
		if end-to < 30*day {
			to = end
		}
		if to-from > 365*day {
			to = from + 365*day
		}
		out = append(out, [2]int64{from, to})
		from = to + day
	}
	return out
}

// teamProjects writes a team's projects: tracks of consecutive projects for
// approved teams (the last one published, earlier ones mostly closed), and
// now and then one in another state.
func (g *gen) teamProjects(r *rand.Rand, t *teamPlan) error {
	t.projects = nil
	if t.status != "approved" || len(t.members) == 0 {
		return nil
	}
	tracks := 1 + min(len(t.members)/150, 5)
	for k := 0; k < tracks; k++ {
		cat := t.category
		if k > 0 || r.Float64() < 0.4 {
			cat = g.catW.draw(r)
		}
		for _, w := range g.windows(r, t) {
			state := project.StatePublished
			if w[1] < g.now && r.Float64() < 0.7 {
				state = project.StateClosed
			}
			p, err := g.putProject(r, t, cat, w, state)
			if err != nil {
				return err
			}
			if state == project.StatePublished && w[1] >= g.now && t.current == 0 {
				t.current = p.id
			}
			t.projects = append(t.projects, p)
		}
	}
	if x := r.Float64(); x < 0.08 {
		state := []string{project.StateDraft, project.StatePendingReview, project.StatePendingReview, project.StateRejected}[r.IntN(4)]
		if _, err := g.putProject(r, t, g.catW.draw(r), [2]int64{g.now + 10*day, g.now + 100*day}, state); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) putProject(r *rand.Rand, t *teamPlan, cat int, w [2]int64, state string) (*proj, error) {
	catName := g.cats[cat].Name
	acts := activities[catName]
	if len(acts) == 0 {
		acts = activities["其他"]
	}
	act := acts[r.IntN(len(acts))]
	year := time.Unix(w[0], 0).In(clock.Zone).Year()
	reg, _ := region.Lookup(t.region)
	p := &proj{id: g.next("projects"), teamID: t.id, team: t, region: t.region, from: w[0], to: w[1], state: state,
		name:    fmt.Sprintf("%d年%s%s", year, reg.Name, act),
		content: fmt.Sprintf("组织志愿者开展%s，服务%s居民。", act, reg.Name),
		address: region.FullName(t.region) + places[r.IntN(len(places))],
		leader:  personName(r, r.Float64() < 0.5)}
	if t.admin != 0 {
		p.adminAccount = int64(g.people.account[t.admin])
	}
	phone := g.phone(r, p.id, 11_000_007)
	enc, err := g.a.Keys.Seal(phone, project.ContactPhoneAAD)
	if err != nil {
		return nil, err
	}
	created := w[0] - (3+r.Int64N(20))*day
	published, updated, reason := int64(0), created, ""
	if state == project.StatePublished || state == project.StateClosed || state == project.StateRejected {
		updated = created + (1+r.Int64N(3))*day
		decision, to := "approve", project.StatePublished
		if state == project.StateRejected {
			decision, to, reason = "reject", project.StateRejected, "活动内容与安全保障措施需补充说明"
		} else {
			published = updated
		}
		g.w.put("project_reviews", projectReviewCols, g.next("project_reviews"), p.id, decision, project.StatePendingReview,
			to, reason, g.accounts.officeCity, updated)
	}
	if state == project.StateClosed {
		updated = w[1] + day
	}
	date := func(t int64) string {
		return time.Unix(t, 0).UTC().Add(clock.OffsetSeconds * time.Second).Format("2006-01-02")
	}
	g.w.put("projects", projectCols, p.id, t.id, p.name, g.cats[cat].ID, p.content, p.region, p.address, 10+r.IntN(190),
		"身体健康，服从安排", "户外活动注意防暑防寒", "活动期间购买志愿者保险", []int{0, 1, 1, 1}[r.IntN(4)], date(w[0]), date(w[1]),
		p.leader, enc, pii.MaskPhone(phone), "", state, reason, nullable(p.adminAccount), published, created, updated)
	return p, nil
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
