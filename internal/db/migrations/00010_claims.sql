-- Rate limits and claims of team-registered records.
--
-- rate_limits counts attempts per key in fixed windows (auth.Take): claims,
-- claim confirmations and registrations per address and per target. It is
-- kept apart from login_throttle, whose counts and rules are the login's.
--
-- volunteer_claims are the claims of records a team or an office registered
-- (volunteer.Service.Claim): a claim is pending until the claimant confirms
-- it with the one-time code or an admin of the registering team approves it.
-- The code is sealed (shown to the team's admins until SMS exists) and kept
-- as a keyed hash for the check; the claimant's password only as its hash.

-- +goose Up
CREATE TABLE rate_limits (
    limit_key    TEXT PRIMARY KEY,
    hits         INTEGER NOT NULL,
    window_start BIGINT NOT NULL
);

CREATE TABLE volunteer_claims (
    id            {{id}},
    public_id     TEXT NOT NULL,
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers (id),
    team_id       BIGINT,
    region_code   TEXT NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    code_hash     {{blob}} NOT NULL,
    code_enc      {{blob}} NOT NULL,
    password_hash TEXT NOT NULL,
    state         TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    decided_at    BIGINT NOT NULL DEFAULT 0,
    decided_by    BIGINT,
    account_id    BIGINT
);
CREATE UNIQUE INDEX volunteer_claims_public ON volunteer_claims (public_id);
CREATE INDEX volunteer_claims_volunteer ON volunteer_claims (volunteer_id, state);
CREATE INDEX volunteer_claims_team ON volunteer_claims (team_id, state, id);

-- +goose Down
-- Forward-only.
