package record

import (
	"context"
	"database/sql"
	"errors"

	"zhiyuan/internal/db"
)

// insertUpload stores an evidence file of an account.
func insertUpload(ctx context.Context, q db.Querier, accountID int64, filename, contentType string, data, sha []byte, now int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO uploads (account_id, filename, content_type, size, sha256, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, db.NullID(accountID), filename, contentType, len(data),
		sha, data, now).Scan(&id)
	return id, err
}

// uploadOwner is the account that stored upload id (0 for none left).
func uploadOwner(ctx context.Context, q db.Querier, id int64) (int64, error) {
	var owner sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT account_id FROM uploads WHERE id = $1`, id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, db.ErrNotFound
	}
	return owner.Int64, err
}

// uploadsSince counts an account's uploads after since, and their bytes.
func uploadsSince(ctx context.Context, q db.Querier, accountID, since int64) (files int, bytes int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(size), 0) FROM uploads WHERE account_id = $1 AND created_at > $2`,
		accountID, since).Scan(&files, &bytes)
	return files, bytes, err
}

// linkEvidence names an upload as evidence of a record.
func linkEvidence(ctx context.Context, q db.Querier, recordID, uploadID int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO record_evidence (record_id, upload_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, recordID, uploadID)
	return err
}

// usedEvidence returns the first of uploads already backing a record, or 0.
func usedEvidence(ctx context.Context, q db.Querier, uploads []int64) (int64, error) {
	for _, up := range uploads {
		var rec int64
		err := q.QueryRowContext(ctx, `SELECT record_id FROM record_evidence WHERE upload_id = $1 LIMIT 1`, up).Scan(&rec)
		if err == nil {
			return up, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	return 0, nil
}
