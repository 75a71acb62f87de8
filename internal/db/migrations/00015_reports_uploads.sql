-- An import's error report holds the rows that failed, ID and phone numbers
-- in full. From now on it is stored sealed (AES-256-GCM, like every other
-- personal number) and deleted by the server 30 days after the import. The
-- reports stored before were in the clear and cannot be sealed here (the key
-- is never in the database): they are removed; their imports stay, and a
-- file imported again gives a new report.
--
-- Evidence uploads have a daily quota per account, counted over the
-- account's uploads of the last 24 hours.

-- +goose Up
UPDATE import_batches SET report = NULL WHERE report IS NOT NULL;
CREATE INDEX import_batches_report_age ON import_batches (created_at) WHERE report IS NOT NULL;
CREATE INDEX uploads_account_time ON uploads (account_id, created_at);

-- +goose Down
-- Forward-only.
