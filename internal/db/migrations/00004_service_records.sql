-- Attendance and the legal record of service hours (志愿服务记录), its
-- history, evidence uploads, certificates and star-level thresholds.

-- +goose Up
CREATE TABLE attendance (
    id            {{id}},
    shift_id      BIGINT NOT NULL REFERENCES shifts (id),
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers (id),
    project_id    BIGINT NOT NULL REFERENCES projects (id),
    day           TEXT NOT NULL,
    check_in_at   BIGINT NOT NULL,
    check_out_at  BIGINT NOT NULL DEFAULT 0,
    method        TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    recorded_by   BIGINT REFERENCES accounts (id),
    region_code   TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX attendance_volunteer_shift ON attendance (volunteer_id, shift_id, id);
CREATE INDEX attendance_volunteer_day ON attendance (volunteer_id, project_id, day);
CREATE INDEX attendance_shift ON attendance (shift_id, id);

CREATE TABLE uploads (
    id           {{id}},
    account_id   BIGINT REFERENCES accounts (id),
    filename     TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       {{blob}} NOT NULL,
    data         {{blob}} NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE service_records (
    id             {{id}},
    volunteer_id   BIGINT NOT NULL REFERENCES volunteers (id),
    team_id        BIGINT NOT NULL REFERENCES teams (id),
    project_id     BIGINT NOT NULL REFERENCES projects (id),
    shift_id       BIGINT REFERENCES shifts (id),
    attendance_id  BIGINT REFERENCES attendance (id),
    region_code    TEXT NOT NULL,
    activity       TEXT NOT NULL,
    place          TEXT NOT NULL DEFAULT '',
    content        TEXT NOT NULL DEFAULT '',
    starts_at      BIGINT NOT NULL,
    ends_at        BIGINT NOT NULL,
    minutes        INTEGER NOT NULL,
    leader_name    TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    backfilled     SMALLINT NOT NULL DEFAULT 0,
    recorded_by    BIGINT REFERENCES accounts (id),
    approved_by    BIGINT REFERENCES accounts (id),
    confirmed_by   BIGINT REFERENCES accounts (id),
    confirmed_at   BIGINT NOT NULL DEFAULT 0,
    due_at         BIGINT NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CHECK (minutes >= 0),
    CHECK (ends_at >= starts_at)
);
CREATE UNIQUE INDEX service_records_attendance ON service_records (attendance_id);
CREATE INDEX service_records_volunteer ON service_records (volunteer_id, starts_at);
CREATE INDEX service_records_team_state ON service_records (team_id, state, due_at);
CREATE INDEX service_records_region ON service_records (region_code, starts_at);

CREATE TABLE service_record_history (
    id         {{id}},
    record_id  BIGINT NOT NULL REFERENCES service_records (id),
    action     TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '{}',
    after_json  TEXT NOT NULL DEFAULT '{}',
    by_account BIGINT REFERENCES accounts (id),
    at         BIGINT NOT NULL
);
CREATE INDEX service_record_history_record ON service_record_history (record_id, id);

CREATE TABLE record_evidence (
    record_id BIGINT NOT NULL REFERENCES service_records (id),
    upload_id BIGINT NOT NULL REFERENCES uploads (id),
    PRIMARY KEY (record_id, upload_id)
);

CREATE TABLE volunteer_hours (
    volunteer_id      BIGINT PRIMARY KEY REFERENCES volunteers (id),
    confirmed_minutes BIGINT NOT NULL DEFAULT 0,
    pending_minutes   BIGINT NOT NULL DEFAULT 0,
    updated_at        BIGINT NOT NULL
);

CREATE TABLE star_thresholds (
    region_code TEXT PRIMARY KEY,
    hours       TEXT NOT NULL
);

CREATE TABLE certificates (
    id            {{id}},
    serial        TEXT NOT NULL,
    verify_code   TEXT NOT NULL,
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers (id),
    team_id       BIGINT REFERENCES teams (id),
    region_code   TEXT NOT NULL,
    total_minutes BIGINT NOT NULL,
    payload       TEXT NOT NULL,
    signature     {{blob}} NOT NULL,
    issued_by     BIGINT REFERENCES accounts (id),
    issued_at     BIGINT NOT NULL,
    revoked_at    BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX certificates_serial ON certificates (serial);
CREATE UNIQUE INDEX certificates_verify ON certificates (verify_code);
CREATE INDEX certificates_volunteer ON certificates (volunteer_id, id);

-- +goose Down
-- Forward-only.
