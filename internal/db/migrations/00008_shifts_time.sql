-- The public list of open shifts reads shifts in start order from now on,
-- over every region: without this index it would read every past shift.

-- +goose Up
CREATE INDEX shifts_time ON shifts (starts_at, id);

-- +goose Down
-- Forward-only.
