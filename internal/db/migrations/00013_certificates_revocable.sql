-- Certificates can be revoked, and a suspended team stops working.
--
-- certificate_records names every confirmed record a certificate counted,
-- so voiding or lowering one of them revokes exactly the certificates that
-- counted it (read by record). A certificate keeps why and by whom it was
-- revoked, and the hash of what it counted: asking again for the same
-- content within a day returns the one already issued.
--
-- projects.team_suspended mirrors the team's suspension on each of its
-- projects, so the statements that already read the project (the public
-- lists, a sign-up, a check-in) see it without another query.

-- +goose Up
CREATE TABLE certificate_records (
    record_id      BIGINT NOT NULL REFERENCES service_records (id),
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    PRIMARY KEY (record_id, certificate_id)
);
ALTER TABLE certificates ADD COLUMN revoked_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN revoked_by BIGINT REFERENCES accounts (id);
ALTER TABLE certificates ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX certificates_content ON certificates (volunteer_id, content_hash, issued_at);

ALTER TABLE projects ADD COLUMN team_suspended SMALLINT NOT NULL DEFAULT 0;
UPDATE projects SET team_suspended = 1 WHERE team_id IN (SELECT id FROM teams WHERE status = 'suspended');

-- +goose Down
-- Forward-only.
