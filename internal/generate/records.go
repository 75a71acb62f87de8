package generate

import (
	"math"
	"math/rand/v2"

	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
)

var (
	shiftHours = []int64{8, 8, 9, 9, 10, 14, 14, 15, 18, 19}
	shiftLen   = []int64{1, 2, 2, 2, 3, 3, 4, 4, 6, 8}
)

// teamRecords writes about want service records of a team: most from
// shifts (with the sign-up and attendance behind each), a few backfilled.
func (g *gen) teamRecords(r *rand.Rand, t *teamPlan, want int, c *days, stamp []int64) error {
	var elig []int32
	for i, v := range t.members {
		if t.state[i] != memberPending {
			elig = append(elig, v)
		}
	}
	if len(elig) == 0 || want == 0 {
		return nil
	}
	last := g.now - 2*day
	var spans []float64
	sum := 0.0
	for _, p := range t.projects {
		s := float64(max(0, min(p.to, last)-p.from))
		spans = append(spans, s)
		sum += s
	}
	if sum == 0 {
		return nil
	}
	lastWith := 0
	for i, s := range spans {
		if s > 0 {
			lastWith = i
		}
	}
	carry, made := 0.0, 0
	for i, p := range t.projects {
		carry += float64(want) * spans[i] / sum
		n := int(math.Floor(carry))
		carry -= float64(n)
		if i == lastWith {
			n = want - made
		}
		made += n
		for n > 0 {
			if r.Float64() < 0.03 {
				g.backfill(r, p, elig, c)
				n--
				continue
			}
			n -= g.shift(r, p, elig, min(n, 1+r.IntN(min(len(elig), 20))), c, stamp)
		}
	}
	return nil
}

// shift writes one past shift of p with k participants (fewer when the
// team has not that many members registered by then) and returns how many
// records it made (at least one, so the caller's loop ends).
func (g *gen) shift(r *rand.Rand, p *proj, elig []int32, k int, c *days, stamp []int64) int {
	last := min(p.to, g.now-2*day)
	dayStart := ((p.from+r.Int64N(max(1, last-p.from))+clock.OffsetSeconds)/day)*day - clock.OffsetSeconds
	start := dayStart + shiftHours[r.IntN(len(shiftHours))]*3600
	end := start + shiftLen[r.IntN(len(shiftLen))]*3600
	id := g.next("shifts")
	var picked []int32
	for range k {
		for try := 0; try < 8; try++ {
			v := elig[int(float64(len(elig))*math.Pow(r.Float64(), 1.8))]
			if stamp[v] != id && g.people.created[v] < start {
				stamp[v] = id
				picked = append(picked, v)
				break
			}
		}
	}
	if len(picked) == 0 {
		picked = append(picked, elig[0]) // the admin, registered with the team
	}
	place := ""
	if r.Float64() < 0.5 {
		place = p.address
	}
	created := start - (2+r.Int64N(12))*day
	g.w.put("shifts", shiftCols, id, p.id, p.region, start, end, place, len(picked)+r.IntN(10), r.IntN(6), len(picked), 0,
		0, start, nullable(p.adminAccount), created)
	for _, v := range picked {
		g.attend(r, p, id, int64(v), start, end, created, c)
	}
	return len(picked)
}

// attend writes one volunteer's sign-up, check-in and check-out, and the
// record made from it, in the state its age makes likely.
func (g *gen) attend(r *rand.Rand, p *proj, shiftID, v, start, end, created int64, c *days) {
	signed := created + r.Int64N(max(1, start-created))
	g.w.put("signups", signupCols, g.next("signups"), shiftID, v, project.SignupConfirmed, start, end, p.region, signed, signed)
	in := start - r.Int64N(20*60)
	out := end - 10*60 + r.Int64N(25*60)
	if r.Float64() < 0.1 {
		out = end - r.Int64N(60*60)
	}
	method, by := "qr", int64(g.people.account[v])
	if by == 0 {
		method, by = "leader_scan", p.adminAccount
	}
	att := g.next("attendance")
	g.w.put("attendance", attendanceCols, att, shiftID, v, p.id, c.dateOf(in), in, out, method, "", nullable(by), p.region, in)
	from, to := max(in, start), min(out, end)
	minutes := max(0, (to-from)/60)
	g.putRecord(r, p, v, shiftID, att, from, max(to, from), minutes, out, by, false, c)
}

// backfill writes a record entered after the fact, approved by the office.
func (g *gen) backfill(r *rand.Rand, p *proj, elig []int32, c *days) {
	v := int64(elig[r.IntN(len(elig))])
	last := min(p.to, g.now-2*day)
	start := ((p.from+r.Int64N(max(1, last-p.from))+clock.OffsetSeconds)/day)*day - clock.OffsetSeconds + 9*3600
	minutes := 60 + r.Int64N(180)
	end := start + minutes*60
	g.putRecord(r, p, v, 0, 0, start, end, minutes, end+(1+r.Int64N(5))*day, p.adminAccount, true, c)
}

// putRecord writes a record created at createdAt: recent ones mostly await
// confirmation; older ones are confirmed, a few overdue or voided.
func (g *gen) putRecord(r *rand.Rand, p *proj, v, shiftID, att, start, end, minutes, createdAt, by int64, backfilled bool, c *days) {
	createdAt = min(createdAt, g.now-60)
	due := c.dueOf(createdAt)
	state := record.StateConfirmed
	age := g.now - createdAt
	x := r.Float64()
	switch {
	case age < 14*day && x < 0.75:
		state = record.StatePending
	case age >= 14*day && x < 0.012:
		state = record.StatePending // overdue
	case age >= 14*day && x < 0.02:
		state = record.StateVoided
	}
	if backfilled && state == record.StatePending {
		state = record.StatePendingApproval
	}
	var confirmedBy, approvedBy any
	confirmedAt, updated, version := int64(0), createdAt, 1
	if backfilled {
		approvedBy = g.accounts.officeCity
	}
	switch state {
	case record.StateConfirmed:
		confirmedAt = min(createdAt+3600+r.Int64N(max(1, due-createdAt-3600)), g.now-1)
		confirmedBy, updated, version = nullable(p.adminAccount), confirmedAt, 2
		g.hours.confirmed[v] += minutes
	case record.StatePending, record.StatePendingApproval:
		g.hours.pending[v] += minutes
	case record.StateVoided:
		updated, version = min(createdAt+r.Int64N(10*day), g.now-1), 2
	}
	g.hours.any[v] = true
	id := g.next("service_records")
	place := p.address
	g.w.put("service_records", recordCols, id, v, p.teamID, p.id, nullable(shiftID), nullable(att), p.region, p.name, place,
		p.content, start, end, minutes, p.leader, state, boolInt(backfilled), nullable(by), approvedBy, confirmedBy,
		confirmedAt, due, version, createdAt, updated)
	if state == record.StateVoided {
		g.w.put("service_record_history", historyCols, g.next("service_record_history"), id, "void",
			voidReasons[r.IntN(len(voidReasons))], `{"state":"pending"}`, `{"state":"voided"}`, nullable(p.adminAccount), updated)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeHours writes volunteer_hours for everyone with a record, equal to
// the sums of their records.
func (g *gen) writeHours() error {
	for v := 1; v <= g.o.Volunteers; v++ {
		if g.hours.any[v] {
			g.w.put("volunteer_hours", hoursCols, int64(v), g.hours.confirmed[v], g.hours.pending[v], g.now)
			if err := g.w.maybeFlush(); err != nil {
				return err
			}
		}
	}
	return nil
}
