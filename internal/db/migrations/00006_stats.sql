-- Statistics rollups for the dashboards, kept current in the transaction of
-- every write that changes a figure (internal/stats), and rebuilt from the
-- raw tables by `zhiyuan stats rebuild`.
--
-- stat_counts holds additive counters for a region at every level of the
-- region it belongs to (province, city, county, street, community): grain
-- 'D' a day, 'M' a month (both written, so a period reads whole months and
-- its edge days), 'T' no period (the current state).
-- stat_active holds who was active (had a confirmed record) on a day or in a
-- month, as roaring bitmaps of ids split into chunks of 65,536 ids, so a
-- distinct count over any period is a union, never a scan of the records.

-- +goose Up
CREATE TABLE stat_counts (
    region_code TEXT NOT NULL,
    metric      TEXT NOT NULL,
    grain       TEXT NOT NULL,
    period      TEXT NOT NULL,
    dim         TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (region_code, metric, grain, period, dim)
);

CREATE TABLE stat_active (
    region_code TEXT NOT NULL,
    kind        TEXT NOT NULL,
    grain       TEXT NOT NULL,
    period      TEXT NOT NULL,
    chunk       BIGINT NOT NULL,
    bits        {{blob}} NOT NULL,
    PRIMARY KEY (region_code, kind, grain, period, chunk)
);

-- +goose Down
-- Forward-only.
