-- An amendment that raises a confirmed record's minutes waits for a second
-- person's approval (like a backfill): the record keeps its old values until
-- then, and the proposal waits here, at most one per record. Decided
-- proposals stay (approved or withdrawn) beside the record's history.
-- Evidence is looked up by upload too: one upload backs one backfill.

-- +goose Up
CREATE TABLE service_record_amendments (
    id           {{id}},
    record_id    BIGINT NOT NULL REFERENCES service_records (id),
    team_id      BIGINT NOT NULL REFERENCES teams (id),
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT NOT NULL,
    minutes      INTEGER NOT NULL,
    content      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    requested_by BIGINT REFERENCES accounts (id),
    requested_at BIGINT NOT NULL,
    decided_by   BIGINT REFERENCES accounts (id),
    decided_at   BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX service_record_amendments_pending ON service_record_amendments (record_id) WHERE state = 'pending';
CREATE INDEX service_record_amendments_team ON service_record_amendments (team_id, id) WHERE state = 'pending';
CREATE INDEX record_evidence_upload ON record_evidence (upload_id);

-- +goose Down
-- Forward-only.
