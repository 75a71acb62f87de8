-- Registry: catalogues, volunteers (real-name, with encrypted ID and phone
-- numbers), teams with review history, membership, and import batches.

-- +goose Up
CREATE TABLE catalog_items (
    id         {{id}},
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    active     SMALLINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX catalog_items_kind_name ON catalog_items (kind, name);

INSERT INTO catalog_items (kind, name, name_en, sort) VALUES
    ('service_category', '社区服务', 'Community service', 1),
    ('service_category', '卫生健康', 'Health', 2),
    ('service_category', '应急救援', 'Emergency rescue', 3),
    ('service_category', '关爱老人', 'Care for the elderly', 4),
    ('service_category', '关爱儿童', 'Care for children', 5),
    ('service_category', '支教助学', 'Education support', 6),
    ('service_category', '阳光助残', 'Disability support', 7),
    ('service_category', '生态环保', 'Environment', 8),
    ('service_category', '文化艺术', 'Culture and arts', 9),
    ('service_category', '平安综治', 'Public safety', 10),
    ('service_category', '交通引导', 'Traffic guidance', 11),
    ('service_category', '法律服务', 'Legal aid', 12),
    ('service_category', '扶贫减贫', 'Poverty relief', 13),
    ('service_category', '其他', 'Other', 99),
    ('tag', '党员', 'Party member', 1),
    ('tag', '青年', 'Youth', 2),
    ('tag', '巾帼', 'Women', 3),
    ('tag', '平安', 'Public safety', 4),
    ('tag', '劳模', 'Model worker', 5),
    ('tag', '退役军人', 'Veteran', 6);

CREATE TABLE volunteers (
    id                    {{id}},
    volunteer_no          TEXT NOT NULL,
    account_id            BIGINT REFERENCES accounts (id),
    real_name             TEXT NOT NULL,
    gender                TEXT NOT NULL DEFAULT '',
    birth_date            TEXT NOT NULL DEFAULT '',
    id_type               TEXT NOT NULL,
    id_number_enc         {{blob}} NOT NULL,
    id_number_hash        {{blob}} NOT NULL,
    id_number_masked      TEXT NOT NULL,
    phone_enc             {{blob}},
    phone_hash            {{blob}},
    phone_masked          TEXT NOT NULL DEFAULT '',
    region_code           TEXT NOT NULL,
    skills                TEXT NOT NULL DEFAULT '[]',
    languages             TEXT NOT NULL DEFAULT '[]',
    available_time        TEXT NOT NULL DEFAULT '',
    guardian_name         TEXT NOT NULL DEFAULT '',
    guardian_phone_enc    {{blob}},
    guardian_phone_masked TEXT NOT NULL DEFAULT '',
    guardian_consent_at   BIGINT NOT NULL DEFAULT 0,
    publish_consent       SMALLINT NOT NULL DEFAULT 0,
    source                TEXT NOT NULL,
    registered_by_team_id BIGINT REFERENCES teams (id),
    claimed_at            BIGINT NOT NULL DEFAULT 0,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX volunteers_no ON volunteers (volunteer_no);
CREATE UNIQUE INDEX volunteers_id_number ON volunteers (id_number_hash);
CREATE UNIQUE INDEX volunteers_phone ON volunteers (phone_hash);
CREATE UNIQUE INDEX volunteers_account ON volunteers (account_id);
CREATE INDEX volunteers_region ON volunteers (region_code, id);
CREATE INDEX volunteers_name ON volunteers (real_name, id);

CREATE TABLE volunteer_tags (
    volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
    tag_id       BIGINT NOT NULL REFERENCES catalog_items (id),
    region_code  TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, tag_id)
);
CREATE INDEX volunteer_tags_search ON volunteer_tags (tag_id, region_code, volunteer_id);

CREATE TABLE volunteer_categories (
    volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
    category_id  BIGINT NOT NULL REFERENCES catalog_items (id),
    region_code  TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, category_id)
);
CREATE INDEX volunteer_categories_search ON volunteer_categories (category_id, region_code, volunteer_id);

CREATE TABLE volunteer_skills (
    volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
    skill        TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, skill)
);
CREATE INDEX volunteer_skills_search ON volunteer_skills (skill, region_code, volunteer_id);

ALTER TABLE teams ADD COLUMN team_type TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN credit_code TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN parent_id BIGINT REFERENCES teams (id);
ALTER TABLE teams ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN contact_phone_enc {{blob}};
ALTER TABLE teams ADD COLUMN contact_phone_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN join_mode TEXT NOT NULL DEFAULT 'approval';
ALTER TABLE teams ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN founder_volunteer_id BIGINT REFERENCES volunteers (id);
ALTER TABLE teams ADD COLUMN created_by BIGINT REFERENCES accounts (id);
ALTER TABLE teams ADD COLUMN reject_reason TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX teams_name_live ON teams (name) WHERE status <> 'rejected';
CREATE INDEX teams_status_region ON teams (status, region_code, id);

CREATE TABLE team_reviews (
    id          {{id}},
    team_id     BIGINT NOT NULL REFERENCES teams (id),
    decision    TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    reviewer_id BIGINT REFERENCES accounts (id),
    at          BIGINT NOT NULL
);
CREATE INDEX team_reviews_team ON team_reviews (team_id, id);

CREATE TABLE team_members (
    team_id      BIGINT NOT NULL REFERENCES teams (id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
    role         TEXT NOT NULL DEFAULT 'member',
    status       TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    joined_at    BIGINT NOT NULL DEFAULT 0,
    left_at      BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (team_id, volunteer_id)
);
CREATE INDEX team_members_volunteer ON team_members (volunteer_id, team_id);
CREATE INDEX team_members_status ON team_members (team_id, status, volunteer_id);

CREATE TABLE import_batches (
    id          {{id}},
    team_id     BIGINT NOT NULL REFERENCES teams (id),
    account_id  BIGINT REFERENCES accounts (id),
    filename    TEXT NOT NULL DEFAULT '',
    total_rows  INTEGER NOT NULL DEFAULT 0,
    saved_rows  INTEGER NOT NULL DEFAULT 0,
    failed_rows INTEGER NOT NULL DEFAULT 0,
    report      {{blob}},
    region_code TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX import_batches_team ON import_batches (team_id, id);

-- +goose Down
-- Forward-only.
