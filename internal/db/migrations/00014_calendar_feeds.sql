-- A volunteer's calendar feed token (the URL a phone's calendar app polls)
-- is a keyed hash of the volunteer id and the feed's generation: no token
-- is stored, only the generation, so the database does not hold a working
-- feed URL. Renewing the feed (its owner's button) or changing the
-- account's password moves the generation on, and every older URL stops
-- working. No row: generation 0, the URLs issued before this table.

-- +goose Up
CREATE TABLE calendar_feeds (
    volunteer_id BIGINT PRIMARY KEY REFERENCES volunteers (id),
    generation   BIGINT NOT NULL,
    renewed_at   BIGINT NOT NULL
);

-- +goose Down
-- Forward-only.
