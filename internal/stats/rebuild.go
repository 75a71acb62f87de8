package stats

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"zhiyuan/internal/db"
)

// Rebuild recomputes every rollup from the raw tables in one transaction,
// replacing what was there: the repair behind `zhiyuan stats rebuild`, and
// the reference the incremental rollups are tested against.
// Its statements are as large as the tables they read, so the write
// connection keeps their journals and temporary tables on disk meanwhile.
func Rebuild(ctx context.Context, d *db.DB) (err error) {
	if len(Registered()) == 0 { // it would leave every figure at zero
		return errors.New("stats: rebuild: no contribution registered")
	}
	if err := d.Dialect.SetWriterUse(ctx, d.Write(), db.LargeStatements); err != nil {
		return fmt.Errorf("stats: rebuild: %w", err)
	}
	defer func() {
		if rerr := d.Dialect.SetWriterUse(context.WithoutCancel(ctx), d.Write(), db.ShortWrites); rerr != nil && err == nil {
			err = fmt.Errorf("stats: rebuild: restore the write connection: %w", rerr)
		}
	}()
	return d.TxAlone(ctx, func(tx db.Querier) error {
		for _, table := range []string{"stat_counts", "stat_active"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
				return fmt.Errorf("stats: clear %s: %w", table, err)
			}
		}
		if err := rebuildCounts(ctx, tx, d.Dialect); err != nil {
			return err
		}
		return rebuildActive(ctx, tx, d.Dialect)
	})
}

func rebuildCounts(ctx context.Context, tx db.Querier, d db.Dialect) error {
	var dated []string
	for _, c := range Registered() {
		for _, q := range c.Rebuild {
			if _, err := tx.ExecContext(ctx, `INSERT INTO stat_counts (region_code, metric, grain, period, dim, n) `+expandDays(q, d)); err != nil {
				return fmt.Errorf("stats: rebuild %s: %w", c.Kind, err)
			}
		}
		dated = append(dated, c.Dated...)
	}
	// Sum each level into the one above, from the bottom, so that a row
	// holds both what is recorded at its own code and below it.
	for i := len(levelWidths) - 1; i > 0; i-- {
		w, below := levelWidths[i-1], levelWidths[i]
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO stat_counts (region_code, metric, grain, period, dim, n)
			SELECT substr(region_code, 1, %d), metric, grain, period, dim, SUM(n) FROM stat_counts
			WHERE length(region_code) = %d GROUP BY substr(region_code, 1, %d), metric, grain, period, dim
			ON CONFLICT (region_code, metric, grain, period, dim, slot) DO UPDATE SET n = stat_counts.n + excluded.n`,
			w, below, w)); err != nil {
			return fmt.Errorf("stats: rebuild level %d: %w", w, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stat_counts (region_code, metric, grain, period, dim, n)
		SELECT region_code, metric, 'M', substr(period, 1, 7), dim, SUM(n) FROM stat_counts
		WHERE grain = 'D' AND metric IN ('`+strings.Join(dated, "', '")+`')
		GROUP BY region_code, metric, substr(period, 1, 7), dim`); err != nil {
		return fmt.Errorf("stats: rebuild months: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stat_counts (region_code, metric, grain, period, dim, n)
		SELECT region_code, metric, 'Y', substr(period, 1, 4), dim, SUM(n) FROM stat_counts
		WHERE grain = 'M' GROUP BY region_code, metric, substr(period, 1, 4), dim`); err != nil {
		return fmt.Errorf("stats: rebuild years: %w", err)
	}
	return nil
}

// expandDays replaces {day:column} with the dialect's Beijing date of it.
func expandDays(q string, d db.Dialect) string {
	for {
		i := strings.Index(q, "{day:")
		if i < 0 {
			return q
		}
		j := strings.Index(q[i:], "}")
		q = q[:i] + d.BeijingDay(q[i+5:i+j]) + q[i+j+1:]
	}
}

// rebuildActive writes every registered contribution's active sets.
func rebuildActive(ctx context.Context, tx db.Querier, d db.Dialect) error {
	for _, c := range Registered() {
		if c.Activity == nil {
			continue
		}
		if err := rebuildActivity(ctx, tx, d, c.Activity); err != nil {
			return fmt.Errorf("stats: rebuild %s active: %w", c.Kind, err)
		}
	}
	return nil
}

// rebuildActivity reads the rows that make ids active one stored region
// code at a time, in code order, and writes the active sets; the sets of a
// street and its communities are written when the reading leaves the
// street, those above it at the end. (Reading is finished before writing: a
// PostgreSQL connection cannot write while a query on it is open.)
func rebuildActivity(ctx context.Context, tx db.Querier, d db.Dialect, a *Activity) error {
	codes, err := db.QueryAll(ctx, tx, scanText, a.Codes)
	if err != nil {
		return err
	}
	sets := map[chunkKey]*roaring.Bitmap{}
	flush := func(all bool) error {
		var batch []chunkKey
		for k := range sets {
			if all || len(k.region) > 6 {
				batch = append(batch, k)
			}
		}
		for len(batch) > 0 {
			n := min(len(batch), chunkInsertRows)
			if err := insertChunks(ctx, tx, batch[:n], sets); err != nil {
				return err
			}
			for _, k := range batch[:n] {
				delete(sets, k)
			}
			batch = batch[n:]
		}
		return nil
	}
	street, rows := "", expandDays(a.Rows, d)
	for _, code := range codes {
		if s := prefix(code, 9); s != street {
			if err := flush(false); err != nil {
				return err
			}
			street = s
		}
		recs, err := db.QueryAll(ctx, tx, scanActivity(len(a.Kinds)), rows, code)
		if err != nil {
			return err
		}
		for _, r := range recs {
			for _, reg := range levels(code) {
				for _, g := range [...]struct{ grain, period string }{{grainDay, r.day}, {grainMonth, r.day[:7]}} {
					for i, kind := range a.Kinds {
						put(sets, chunkKey{reg, kind, g.grain, g.period, r.ids[i] >> 16}, r.ids[i])
					}
				}
			}
		}
	}
	return flush(true)
}

// activity is a row making ids active on a day, one id per kind.
type activity struct {
	day string
	ids []int64
}

func scanActivity(kinds int) func(row db.Scanner) (activity, error) {
	return func(row db.Scanner) (activity, error) {
		a := activity{ids: make([]int64, kinds)}
		dest := []any{&a.day}
		for i := range a.ids {
			dest = append(dest, &a.ids[i])
		}
		err := row.Scan(dest...)
		return a, err
	}
}

func scanText(row db.Scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

func put(sets map[chunkKey]*roaring.Bitmap, k chunkKey, id int64) {
	b := sets[k]
	if b == nil {
		b = roaring.New()
		sets[k] = b
	}
	b.Add(uint32(id & 0xffff))
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// chunkInsertRows is how many activity sets one INSERT writes: a round
// trip per row would make the rebuild on PostgreSQL wait on the network.
const chunkInsertRows = 200

// insertChunks writes the sets of keys in one multi-row INSERT.
func insertChunks(ctx context.Context, tx db.Querier, keys []chunkKey, sets map[chunkKey]*roaring.Bitmap) error {
	var c db.Conds
	rows := make([]string, len(keys))
	for i, k := range keys {
		b := sets[k]
		b.RunOptimize()
		bits, err := b.ToBytes()
		if err != nil {
			return err
		}
		rows[i] = "(" + c.Arg(k.region) + ", " + c.Arg(k.kind) + ", " + c.Arg(k.grain) + ", " + c.Arg(k.period) + ", " +
			c.Arg(k.chunk) + ", " + c.Arg(bits) + ")"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO stat_active (region_code, kind, grain, period, chunk, bits) VALUES `+
		strings.Join(rows, ", "), c.Args...)
	return err
}
