package stats

import (
	"context"
	"fmt"
	"time"

	"zhiyuan/internal/db"
)

// FoldEvery is how often a server gathers the counters' slots: until then
// the dashboards read (and sum) the rows a burst of writes spread a counter
// over.
const FoldEvery = time.Minute

// Fold gathers the counters' slots into slot 0 and removes the counters it
// leaves at zero, in one transaction; it returns how many counters it
// gathered. Only PostgreSQL spreads counters over slots (see delta.write);
// on SQLite there is nothing to gather.
//
// It skips the slot rows a transaction holds (they are gathered next time),
// so it waits only on writers of slot 0, taking slot 0's rows in key order
// as they do, and for at most 100 ms (then it gives up until next time), so
// that a writer never waits long on it nor is chosen to end a deadlock. A
// writer that reaches a row it took waits for its commit and adds to a new
// row. One server folds at a time (an advisory lock; the others skip their
// turn).
func Fold(ctx context.Context, d *db.DB) (int64, error) {
	if d.Dialect != db.Postgres {
		return 0, nil
	}
	var n int64
	err := d.Tx(ctx, func(tx db.Querier) error {
		var mine bool
		if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock(hashtext('zhiyuan stats fold'))`).Scan(&mine); err != nil || !mine {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '100ms'`); err != nil {
			return err
		}
		zeros, err := db.QueryAll(ctx, tx, scanCount, `WITH moved AS (
				DELETE FROM stat_counts WHERE (region_code, metric, grain, period, dim, slot) IN (
					SELECT region_code, metric, grain, period, dim, slot FROM stat_counts WHERE slot > 0 FOR UPDATE SKIP LOCKED)
				RETURNING region_code, metric, grain, period, dim, n)
			INSERT INTO stat_counts (region_code, metric, grain, period, dim, slot, n)
			SELECT region_code, metric, grain, period, dim, 0, SUM(n) FROM moved GROUP BY 1, 2, 3, 4, 5
			ORDER BY 1, 2, 3, 4, 5
			ON CONFLICT (region_code, metric, grain, period, dim, slot) DO UPDATE SET n = stat_counts.n + excluded.n
			RETURNING region_code, metric, grain, period, dim, n`)
		if err != nil {
			return err
		}
		n = int64(len(zeros))
		for _, z := range zeros {
			if z.n != 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM stat_counts WHERE region_code = $1 AND metric = $2
				AND grain = $3 AND period = $4 AND dim = $5 AND slot = 0 AND n = 0`, z.region, z.metric, z.grain, z.period, z.dim); err != nil {
				return err
			}
		}
		return nil
	})
	if db.IsLockTimeout(err) {
		return 0, nil // a writer held a row of slot 0 too long: next time
	}
	if err != nil {
		return 0, fmt.Errorf("stats: fold: %w", err)
	}
	return n, nil
}

// gathered is a counter's key and its amount in slot 0 after a fold.
type gathered struct {
	count
	n int64
}

func scanCount(row db.Scanner) (gathered, error) {
	var g gathered
	err := row.Scan(&g.region, &g.metric, &g.grain, &g.period, &g.dim, &g.n)
	return g, err
}
