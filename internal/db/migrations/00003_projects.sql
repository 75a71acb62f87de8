-- Projects, shifts and sign-ups: a team's project is reviewed (认证) by the
-- office of its region before it is published; shifts have a capacity kept
-- in a counter so the last seat goes to exactly one person.

-- +goose Up
CREATE TABLE projects (
    id                   {{id}},
    team_id              BIGINT NOT NULL REFERENCES teams (id),
    name                 TEXT NOT NULL,
    category_id          BIGINT NOT NULL REFERENCES catalog_items (id),
    content              TEXT NOT NULL,
    region_code          TEXT NOT NULL,
    address              TEXT NOT NULL,
    lat_e6               BIGINT,
    lng_e6               BIGINT,
    recruit_count        INTEGER NOT NULL,
    requirements         TEXT NOT NULL DEFAULT '',
    risks                TEXT NOT NULL DEFAULT '',
    protections          TEXT NOT NULL DEFAULT '',
    insured              SMALLINT NOT NULL DEFAULT 0,
    starts_on            TEXT NOT NULL,
    ends_on              TEXT NOT NULL,
    contact_name         TEXT NOT NULL,
    contact_phone_enc    {{blob}},
    contact_phone_masked TEXT NOT NULL DEFAULT '',
    theme                TEXT NOT NULL DEFAULT '',
    state                TEXT NOT NULL,
    reject_reason        TEXT NOT NULL DEFAULT '',
    created_by           BIGINT REFERENCES accounts (id),
    published_at         BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX projects_state_region ON projects (state, region_code, id);
CREATE INDEX projects_team ON projects (team_id, id);

CREATE TABLE project_reviews (
    id          {{id}},
    project_id  BIGINT NOT NULL REFERENCES projects (id),
    decision    TEXT NOT NULL,
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    reviewer_id BIGINT REFERENCES accounts (id),
    at          BIGINT NOT NULL
);
CREATE INDEX project_reviews_project ON project_reviews (project_id, id);

CREATE TABLE shifts (
    id               {{id}},
    project_id       BIGINT NOT NULL REFERENCES projects (id),
    region_code      TEXT NOT NULL,
    starts_at        BIGINT NOT NULL,
    ends_at          BIGINT NOT NULL,
    place            TEXT NOT NULL DEFAULT '',
    capacity         INTEGER NOT NULL,
    waitlist         INTEGER NOT NULL DEFAULT 0,
    taken            INTEGER NOT NULL DEFAULT 0,
    waiting          INTEGER NOT NULL DEFAULT 0,
    signup_opens_at  BIGINT NOT NULL DEFAULT 0,
    signup_closes_at BIGINT NOT NULL DEFAULT 0,
    created_by       BIGINT REFERENCES accounts (id),
    created_at       BIGINT NOT NULL,
    CHECK (taken >= 0 AND taken <= capacity),
    CHECK (ends_at > starts_at)
);
CREATE INDEX shifts_project ON shifts (project_id, starts_at);
CREATE INDEX shifts_region_time ON shifts (region_code, starts_at);

CREATE TABLE signups (
    id           {{id}},
    shift_id     BIGINT NOT NULL REFERENCES shifts (id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
    status       TEXT NOT NULL,
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT NOT NULL,
    region_code  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX signups_live ON signups (shift_id, volunteer_id) WHERE status <> 'cancelled';
CREATE INDEX signups_volunteer_time ON signups (volunteer_id, starts_at);
CREATE INDEX signups_shift_status ON signups (shift_id, status, id);

-- +goose Down
-- Forward-only.
