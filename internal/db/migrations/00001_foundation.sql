-- Foundation: accounts, role grants, sessions, login throttling, teams and
-- departments (as scopes), and the audit log. Times are unix seconds (UTC).

-- +goose Up
CREATE TABLE accounts (
    id                  {{id}},
    username            TEXT NOT NULL,
    display_name        TEXT NOT NULL DEFAULT '',
    password_hash       TEXT NOT NULL,
    locale              TEXT NOT NULL DEFAULT 'zh',
    region_code         TEXT NOT NULL DEFAULT '',
    disabled            SMALLINT NOT NULL DEFAULT 0,
    password_changed_at BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE UNIQUE INDEX accounts_username ON accounts (username);
CREATE INDEX accounts_region ON accounts (region_code, id);

CREATE TABLE teams (
    id          {{id}},
    name        TEXT NOT NULL,
    region_code TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX teams_region ON teams (region_code, id);

CREATE TABLE departments (
    id          {{id}},
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX departments_region ON departments (region_code, id);

CREATE TABLE role_grants (
    id            {{id}},
    account_id    BIGINT NOT NULL REFERENCES accounts (id),
    role          TEXT NOT NULL,
    region_code   TEXT NOT NULL DEFAULT '',
    team_id       BIGINT REFERENCES teams (id),
    department_id BIGINT REFERENCES departments (id),
    granted_by    BIGINT REFERENCES accounts (id),
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants
    (account_id, role, region_code, COALESCE(team_id, 0), COALESCE(department_id, 0));

CREATE TABLE sessions (
    id           {{id}},
    token_hash   {{blob}} NOT NULL,
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    kind         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id          {{id}},
    at          BIGINT NOT NULL,
    account_id  BIGINT,
    username    TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_region ON audit_log (region_code, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_account ON audit_log (account_id, id);

-- +goose Down
-- Forward-only: shipped migrations are never rolled back.
