-- The dashboard counters are also kept by year (grain 'Y'), so a total
-- since the beginning reads a row per year rather than one per month.
-- Existing months are summed into their years here; from now on every
-- write keeps all three grains (internal/stats).

-- +goose Up
INSERT INTO stat_counts (region_code, metric, grain, period, dim, n)
SELECT region_code, metric, 'Y', substr(period, 1, 4), dim, SUM(n) FROM stat_counts
WHERE grain = 'M' GROUP BY region_code, metric, substr(period, 1, 4), dim;

-- +goose Down
-- Forward-only.
