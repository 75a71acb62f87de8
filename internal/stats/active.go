package stats

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
)

// chunkKey names one row of stat_active: the ids id>>16 == chunk of a set.
type chunkKey struct {
	region, kind, grain, period string
	chunk                       int64
}

func compareChunk(a, b chunkKey) int {
	return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.kind, b.kind),
		cmp.Compare(a.grain, b.grain), cmp.Compare(a.period, b.period), cmp.Compare(a.chunk, b.chunk))
}

// chunkChange is what a transaction adds to and removes from one chunk.
type chunkChange struct {
	add, remove []uint32
}

// writeMarks applies net marks: a positive mark adds the id to the set; a
// negative one removes it unless another confirmed record still makes the
// id active in that region and period (checked on the rows as they are now).
func writeMarks(ctx context.Context, q db.Querier, marks map[mark]int64) error {
	changes := map[chunkKey]*chunkChange{}
	for m, n := range marks {
		if n == 0 {
			continue
		}
		if n < 0 {
			still, err := stillActive(ctx, q, m)
			if err != nil {
				return err
			}
			if still {
				continue
			}
		}
		k := chunkKey{m.region, m.kind, m.grain, m.period, m.id >> 16}
		c := changes[k]
		if c == nil {
			c = &chunkChange{}
			changes[k] = c
		}
		low := uint32(m.id & 0xffff)
		if n > 0 {
			c.add = append(c.add, low)
		} else {
			c.remove = append(c.remove, low)
		}
	}
	keys := make([]chunkKey, 0, len(changes))
	for k := range changes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareChunk)
	for _, k := range keys {
		if err := changeChunk(ctx, q, k, changes[k]); err != nil {
			return fmt.Errorf("stats: active set: %w", err)
		}
	}
	return nil
}

// changeChunk rewrites one chunk's bitmap under a row lock (the no-op
// UPDATE takes it on PostgreSQL; SQLite has one writer).
func changeChunk(ctx context.Context, q db.Querier, k chunkKey, c *chunkChange) error {
	args := []any{k.region, k.kind, k.grain, k.period, k.chunk}
	where := `region_code = $1 AND kind = $2 AND grain = $3 AND period = $4 AND chunk = $5`
	if len(c.add) > 0 {
		empty, _ := roaring.New().ToBytes()
		if _, err := q.ExecContext(ctx, `INSERT INTO stat_active (region_code, kind, grain, period, chunk, bits)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (region_code, kind, grain, period, chunk) DO NOTHING`,
			append(args, empty)...); err != nil {
			return err
		}
	}
	if _, err := q.ExecContext(ctx, `UPDATE stat_active SET chunk = chunk WHERE `+where, args...); err != nil {
		return err
	}
	var bits []byte
	err := q.QueryRowContext(ctx, `SELECT bits FROM stat_active WHERE `+where, args...).Scan(&bits)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // only removals, from a set that is already empty
	}
	if err != nil {
		return err
	}
	bm := roaring.New()
	if err := bm.UnmarshalBinary(bits); err != nil {
		return fmt.Errorf("read bitmap: %w", err)
	}
	bm.AddMany(c.add)
	for _, v := range c.remove {
		bm.Remove(v)
	}
	if bm.IsEmpty() {
		_, err = q.ExecContext(ctx, `DELETE FROM stat_active WHERE `+where, args...)
		return err
	}
	bm.RunOptimize()
	if bits, err = bm.ToBytes(); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE stat_active SET bits = $6 WHERE `+where, append(args, bits)...)
	return err
}

// stillActive tells whether the id is still active in the mark's region
// and period, asking the contribution whose rows make it so.
func stillActive(ctx context.Context, q db.Querier, m mark) (bool, error) {
	a, err := activityOf(m.kind)
	if err != nil {
		return false, err
	}
	lo, hi := periodRange(m.grain, m.period)
	rlo, rhi := db.PrefixRange(m.region)
	return a.Still(ctx, q, m.kind, m.id, lo, hi, rlo, rhi)
}

// periodRange is the unix-time range [lo, hi) of a day or month.
func periodRange(grain, period string) (lo, hi int64) {
	if grain == grainMonth {
		t, _ := time.ParseInLocation("2006-01", period, clock.Zone)
		return t.Unix(), t.AddDate(0, 1, 0).Unix()
	}
	t, _ := time.ParseInLocation(time.DateOnly, period, clock.Zone)
	return t.Unix(), t.AddDate(0, 0, 1).Unix()
}
