-- A team admin's second approval of a backfill or an amendment counts only
-- if they are independent of the person asking: they have held the role for
-- 30 days and were not appointed by that person. So a membership records
-- when its volunteer became the team's admin and which account appointed
-- them (none: the system, demo data or an import from another register).
-- Admins already in office count from their membership's creation.

-- +goose Up
ALTER TABLE team_members ADD COLUMN admin_since BIGINT NOT NULL DEFAULT 0;
ALTER TABLE team_members ADD COLUMN appointed_by BIGINT REFERENCES accounts (id);
UPDATE team_members SET admin_since = created_at WHERE role = 'admin';

-- +goose Down
-- Forward-only.
