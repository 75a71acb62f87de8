package stats

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"zhiyuan/internal/db"
)

// Subject is a row whose changes move figures: a registered
// contribution's kind and the row's id.
type Subject struct {
	kind string
	id   int64
}

// Of names a subject; each domain's figures.go offers its own (for
// instance volunteer.FiguresOf).
func Of(kind string, id int64) Subject { return Subject{kind, id} }

// facts loads a subject's facts through its contribution.
func (s Subject) facts(ctx context.Context, q db.Querier) (Facts, bool, error) {
	c, err := contribution(s.kind)
	if err != nil {
		return nil, false, err
	}
	return c.Facts(ctx, q, s.id)
}

// Snapshot holds subjects' facts from before a change, to be compared with
// their facts after it by Apply, in the same transaction.
type Snapshot struct {
	subjects []Subject
	before   []Facts // nil where the subject did not exist
	added    []Facts // new rows whose facts the caller gave
}

// Take reads the subjects' facts before a change.
func Take(ctx context.Context, q db.Querier, subjects ...Subject) (*Snapshot, error) {
	s := &Snapshot{}
	return s, s.Take(ctx, q, subjects...)
}

// Take adds subjects, read before a change, to the snapshot.
func (s *Snapshot) Take(ctx context.Context, q db.Querier, subjects ...Subject) error {
	for _, sub := range subjects {
		f, ok, err := sub.facts(ctx, q)
		if err != nil {
			return fmt.Errorf("stats: read facts: %w", err)
		}
		s.subjects = append(s.subjects, sub)
		if ok {
			s.before = append(s.before, f)
		} else {
			s.before = append(s.before, nil)
		}
	}
	return nil
}

// Created adds subjects that did not exist before the change.
func (s *Snapshot) Created(subjects ...Subject) {
	for _, sub := range subjects {
		s.subjects = append(s.subjects, sub)
		s.before = append(s.before, nil)
	}
}

// Added adds the facts of a row inserted in this transaction that the
// caller holds (a check-out's record, an import's volunteer), sparing the
// read of it.
func (s *Snapshot) Added(f Facts) {
	s.added = append(s.added, f)
}

// Created is a snapshot of subjects new in this transaction; Apply it after
// writing them.
func Created(subjects ...Subject) *Snapshot {
	s := &Snapshot{}
	s.Created(subjects...)
	return s
}

// Apply reads the subjects' facts after the change and writes the
// difference to the rollups. Call it in the same transaction, after the
// change.
func (s *Snapshot) Apply(ctx context.Context, q db.Querier) error {
	d := newDelta()
	for _, f := range s.added {
		f.Contribute(d, 1)
	}
	for i, sub := range s.subjects {
		if b := s.before[i]; b != nil {
			b.Contribute(d, -1)
		}
		f, ok, err := sub.facts(ctx, q)
		if err != nil {
			return fmt.Errorf("stats: read facts: %w", err)
		}
		if ok {
			f.Contribute(d, 1)
		}
	}
	return d.write(ctx, q, len(s.subjects) == 0)
}

// delta is the net change to the rollups of one transaction.
type delta struct {
	counts map[count]int64
	marks  map[mark]int64
}

func newDelta() *delta {
	return &delta{counts: map[count]int64{}, marks: map[mark]int64{}}
}

func (d *delta) add(c count, n int64)    { d.counts[c] += n }
func (d *delta) mark(m mark, sign int64) { d.marks[m] += sign }

// write applies the delta, in key order so that concurrent transactions on
// PostgreSQL lock rows in the same order.
//
// There a delta made only of facts its caller gave (a check-out's record, an
// import's volunteers: spread) adds its counters to one slot of their rows,
// chosen at random past slot 0, so that writers moving the same counters at
// once seldom wait on each other; Fold gathers the slots again. A delta that
// read subjects' facts writes slot 0: the counters its writers share order
// them, so that what one reads (a volunteer's hours, whether an id is still
// active) includes what the one before it committed.
func (d *delta) write(ctx context.Context, q db.Querier, spread bool) error {
	keys := make([]count, 0, len(d.counts))
	for k, n := range d.counts {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareCount)
	slot := 0
	if spread && db.Parallel(q) {
		slot = 1 + rand.IntN(slots-1)
	}
	// The counters are added in statements of up to upsertRows rows: a
	// check-out moves five (one per region level), a confirmation dozens.
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), upsertRows)]
		keys = keys[len(chunk):]
		text, args := upsertCounts(len(chunk)), []any(nil)
		if d.oneChain(chunk) {
			text, args = upsertChainTexts[len(chunk)], d.chainArgs(chunk, slot)
		} else {
			args = d.upsertArgs(chunk, slot)
		}
		if _, err := q.ExecContext(ctx, text, args...); err != nil {
			return fmt.Errorf("stats: write %s: %w", chunk[0].metric, err)
		}
		for _, k := range chunk {
			if d.counts[k] >= 0 {
				continue
			}
			if _, err := q.ExecContext(ctx, `DELETE FROM stat_counts WHERE region_code = $1 AND metric = $2
				AND grain = $3 AND period = $4 AND dim = $5 AND slot = $6 AND n = 0`, k.region, k.metric, k.grain, k.period, k.dim, slot); err != nil {
				return fmt.Errorf("stats: clear %s: %w", k.metric, err)
			}
		}
	}
	return writeMarks(ctx, q, d.marks)
}

// slots is how many rows a counter may be spread over on PostgreSQL: slot
// 0, where the rebuild and Fold write, and one for about each writer that
// runs at once (the write pool's connections), so that two rarely meet.
const slots = 16

// upsertRows bounds the rows of one counter statement (7 parameters each).
const upsertRows = 64

// upsertCounts is the statement adding n counters; the keys of one
// statement are distinct (they come from a map), as PostgreSQL requires.
func upsertCounts(n int) string { return upsertTexts[n] }

var upsertTexts = func() (t [upsertRows + 1]string) {
	for n := 1; n <= upsertRows; n++ {
		t[n] = upsertText(n)
	}
	return t
}()

func upsertText(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO stat_counts (region_code, metric, grain, period, dim, slot, n) VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", 7*i+1, 7*i+2, 7*i+3, 7*i+4, 7*i+5, 7*i+6, 7*i+7)
	}
	b.WriteString(` ON CONFLICT (region_code, metric, grain, period, dim, slot) DO UPDATE SET n = stat_counts.n + excluded.n`)
	return b.String()
}

func (d *delta) upsertArgs(keys []count, slot int) []any {
	args := make([]any, 0, 7*len(keys))
	for _, k := range keys {
		args = append(args, k.region, k.metric, k.grain, k.period, k.dim, slot, d.counts[k])
	}
	return args
}

// A chain is one counter moved by the same amount at several levels of a
// region (a check-out's records awaiting confirmation, five levels): its
// statement binds the metric, period, dimension and amount once, not once
// a row (the binding costs as much as the upsert itself).
const chainRows = len(levelWidths)

// oneChain reports whether the keys, all of them, differ only in region.
func (d *delta) oneChain(keys []count) bool {
	if len(keys) < 2 || len(keys) > chainRows {
		return false
	}
	k0, n0 := keys[0], d.counts[keys[0]]
	for _, k := range keys[1:] {
		if k.metric != k0.metric || k.grain != k0.grain || k.period != k0.period || k.dim != k0.dim || d.counts[k] != n0 {
			return false
		}
	}
	return true
}

func (d *delta) chainArgs(keys []count, slot int) []any {
	k0 := keys[0]
	args := make([]any, 0, 6+len(keys))
	args = append(args, k0.metric, k0.grain, k0.period, k0.dim, d.counts[k0], slot)
	for _, k := range keys {
		args = append(args, k.region)
	}
	return args
}

// upsertChainTexts are the statements adding one amount to a chain of n
// counters, the regions in the order given ("WHERE true" tells SQLite's
// parser that ON CONFLICT is the upsert's, not a join's).
var upsertChainTexts = func() (t [chainRows + 1]string) {
	for n := 2; n <= chainRows; n++ {
		var b strings.Builder
		b.WriteString(`INSERT INTO stat_counts (region_code, metric, grain, period, dim, n, slot)
		SELECT r.column1, $1, $2, $3, $4, CAST($5 AS BIGINT), CAST($6 AS INTEGER) FROM (VALUES `)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "($%d)", 7+i)
		}
		b.WriteString(`) AS r WHERE true
		ON CONFLICT (region_code, metric, grain, period, dim, slot) DO UPDATE SET n = stat_counts.n + excluded.n`)
		t[n] = b.String()
	}
	return t
}()

func compareCount(a, b count) int {
	return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.metric, b.metric),
		cmp.Compare(a.grain, b.grain), cmp.Compare(a.period, b.period), cmp.Compare(a.dim, b.dim))
}
