package stats

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"zhiyuan/internal/db"
)

// sums adds up metrics over a period for several regions at once:
// result[region][metric][dim].
func sums(ctx context.Context, q db.Querier, regions, metrics []string, from, to time.Time) (map[string]map[string]map[string]int64, error) {
	out := map[string]map[string]map[string]int64{}
	for _, r := range regions {
		out[r] = map[string]map[string]int64{}
		for _, m := range metrics {
			out[r][m] = map[string]int64{}
		}
	}
	if len(regions) == 0 {
		return out, nil
	}
	var c db.Conds
	rp := make([]string, len(regions))
	for i, r := range regions {
		rp[i] = c.Arg(r)
	}
	mp := make([]string, len(metrics))
	for i, m := range metrics {
		mp[i] = c.Arg(m)
	}
	head := `SELECT region_code, metric, dim, SUM(n) FROM stat_counts WHERE region_code IN (` + strings.Join(rp, ", ") +
		`) AND metric IN (` + strings.Join(mp, ", ") + `)`
	for _, s := range countSpans(from, to) {
		sc := db.Conds{Args: slices.Clone(c.Args)} // the shared arguments, then this span's own
		query := head + ` AND grain = ` + sc.Arg(s.grain) + ` AND period >= ` + sc.Arg(s.lo) + ` AND period <= ` + sc.Arg(s.hi) +
			` GROUP BY region_code, metric, dim HAVING SUM(n) <> 0`
		rows, err := q.QueryContext(ctx, query, sc.Args...)
		if err != nil {
			return nil, fmt.Errorf("stats: read: %w", err)
		}
		for rows.Next() {
			var region, metric, dim string
			var n int64
			if err := rows.Scan(&region, &metric, &dim, &n); err != nil {
				rows.Close()
				return nil, err
			}
			out[region][metric][dim] += n
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// current reads a metric without a period: dim → n.
func currentCounts(ctx context.Context, q db.Querier, region, metric string) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT dim, SUM(n) FROM stat_counts WHERE region_code = $1 AND metric = $2 AND grain = 'T' AND period = ''
		GROUP BY dim HAVING SUM(n) <> 0`,
		region, metric)
	if err != nil {
		return nil, fmt.Errorf("stats: read: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var dim string
		var n int64
		if err := rows.Scan(&dim, &n); err != nil {
			return nil, err
		}
		out[dim] = n
	}
	return out, rows.Err()
}

// byMonth gives a metric's sum (all dims) for each month of the period,
// the edge months counting only their days inside it.
func byMonth(ctx context.Context, q db.Querier, region, metric string, from, to time.Time) (map[string]int64, error) {
	out := map[string]int64{}
	for _, s := range spans(from, to) {
		rows, err := q.QueryContext(ctx, `SELECT substr(period, 1, 7), SUM(n) FROM stat_counts WHERE region_code = $1 AND metric = $2
			AND grain = $3 AND period >= $4 AND period <= $5 GROUP BY substr(period, 1, 7) HAVING SUM(n) <> 0`, region, metric, s.grain, s.lo, s.hi)
		if err != nil {
			return nil, fmt.Errorf("stats: read: %w", err)
		}
		for rows.Next() {
			var month string
			var n int64
			if err := rows.Scan(&month, &n); err != nil {
				rows.Close()
				return nil, err
			}
			out[month] += n
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// activeCount is how many distinct ids of a kind were active in the region
// during the period: the union of its days' and months' sets.
func activeCount(ctx context.Context, q db.Querier, region, kind string, from, to time.Time) (int64, error) {
	chunks := map[int64]*roaring.Bitmap{}
	for _, s := range spans(from, to) {
		rows, err := q.QueryContext(ctx, `SELECT chunk, bits FROM stat_active WHERE region_code = $1 AND kind = $2
			AND grain = $3 AND period >= $4 AND period <= $5`, region, kind, s.grain, s.lo, s.hi)
		if err != nil {
			return 0, fmt.Errorf("stats: read active: %w", err)
		}
		for rows.Next() {
			var chunk int64
			var bits []byte
			if err := rows.Scan(&chunk, &bits); err != nil {
				rows.Close()
				return 0, err
			}
			b := roaring.New()
			if _, err := b.FromBuffer(bits); err != nil { // no copy: bits is this row's own buffer
				rows.Close()
				return 0, fmt.Errorf("stats: read active: %w", err)
			}
			if have := chunks[chunk]; have != nil {
				have.Or(b)
			} else {
				chunks[chunk] = b
			}
		}
		if err := rows.Close(); err != nil {
			return 0, err
		}
	}
	var n int64
	for _, b := range chunks {
		n += int64(b.GetCardinality())
	}
	return n, nil
}
