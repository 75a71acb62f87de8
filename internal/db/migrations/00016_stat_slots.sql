-- A counter of stat_counts may be held in several rows, its slots, summed on
-- read: on PostgreSQL each write transaction adds to one slot chosen at
-- random, so concurrent writers moving the same counter (a burst of
-- check-outs on one shift, all awaiting confirmation on the same day in the
-- same region) do not queue on one row's lock. The engine folds the slots
-- back into slot 0 in the background; the rebuild writes slot 0 only.

-- +goose Up
CREATE TABLE stat_counts_slotted (
    region_code TEXT NOT NULL,
    metric      TEXT NOT NULL,
    grain       TEXT NOT NULL,
    period      TEXT NOT NULL,
    dim         TEXT NOT NULL,
    slot        INTEGER NOT NULL DEFAULT 0,
    n           BIGINT NOT NULL,
    PRIMARY KEY (region_code, metric, grain, period, dim, slot)
);
INSERT INTO stat_counts_slotted (region_code, metric, grain, period, dim, slot, n)
SELECT region_code, metric, grain, period, dim, 0, n FROM stat_counts;
DROP TABLE stat_counts;
ALTER TABLE stat_counts_slotted RENAME TO stat_counts;

-- +goose Down
-- Forward-only.
