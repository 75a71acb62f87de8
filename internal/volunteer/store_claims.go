package volunteer

import (
	"context"
	"database/sql"
	"errors"

	"zhiyuan/internal/db"
)

// claimTarget is what a claim needs of the record it names.
type claimTarget struct {
	id        int64
	accountID int64
	phoneHash []byte
	teamID    int64
	region    string
}

func claimTargetBy(ctx context.Context, q db.Querier, idHash []byte) (claimTarget, error) {
	var t claimTarget
	var acc, team sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, account_id, phone_hash, registered_by_team_id, region_code
		FROM volunteers WHERE id_number_hash = $1`, idHash).Scan(&t.id, &acc, &t.phoneHash, &team, &t.region)
	if errors.Is(err, sql.ErrNoRows) {
		return t, db.ErrNotFound
	}
	t.accountID, t.teamID = acc.Int64, team.Int64
	return t, err
}

// claimRow is a stored claim.
type claimRow struct {
	id           int64
	publicID     string
	volunteerID  int64
	teamID       int64
	region       string
	codeHash     []byte
	codeEnc      []byte
	passwordHash string
	state        string
	attempts     int
	createdAt    int64
	expiresAt    int64
}

const claimColumns = `id, public_id, volunteer_id, team_id, region_code, code_hash, code_enc, password_hash, state, attempts, created_at, expires_at`

func scanClaim(row db.Scanner) (claimRow, error) {
	var c claimRow
	var team sql.NullInt64
	err := row.Scan(&c.id, &c.publicID, &c.volunteerID, &team, &c.region, &c.codeHash, &c.codeEnc, &c.passwordHash,
		&c.state, &c.attempts, &c.createdAt, &c.expiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return c, db.ErrNotFound
	}
	c.teamID = team.Int64
	return c, err
}

func claimByPublicID(ctx context.Context, q db.Querier, publicID string) (claimRow, error) {
	return scanClaim(q.QueryRowContext(ctx, `SELECT `+claimColumns+` FROM volunteer_claims WHERE public_id = $1`, publicID))
}

func insertClaim(ctx context.Context, q db.Querier, c claimRow, ip string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO volunteer_claims (public_id, volunteer_id, team_id, region_code, ip, code_hash,
		code_enc, password_hash, state, attempts, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11)`,
		c.publicID, c.volunteerID, nullInt(c.teamID), c.region, ip, c.codeHash, c.codeEnc, c.passwordHash, c.state, c.createdAt, c.expiresAt)
	return err
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// cancelPendingClaims ends the record's pending claims (a new claim replaces them).
func cancelPendingClaims(ctx context.Context, q db.Querier, volunteerID, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE volunteer_claims SET state = $1, decided_at = $2 WHERE volunteer_id = $3 AND state = $4`,
		ClaimCancelled, now, volunteerID, ClaimPending)
	return err
}

// takeClaimAttempt counts one confirmation attempt of a pending claim that
// has attempts left; it reports the attempts used, or ok false if none were left.
func takeClaimAttempt(ctx context.Context, q db.Querier, id int64) (attempts int, ok bool, err error) {
	err = q.QueryRowContext(ctx, `UPDATE volunteer_claims SET attempts = attempts + 1
		WHERE id = $1 AND state = $2 AND attempts < $3 RETURNING attempts`, id, ClaimPending, MaxClaimAttempts).Scan(&attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return attempts, err == nil, err
}

// endClaim moves a pending claim to state; ok is false if it was no longer pending.
func endClaim(ctx context.Context, q db.Querier, id int64, state string, now, by, accountID int64) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE volunteer_claims SET state = $1, decided_at = $2, decided_by = $3, account_id = $4
		WHERE id = $5 AND state = $6`, state, now, nullInt(by), nullInt(accountID), id, ClaimPending)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// pendingClaimsOf lists a team's pending, unexpired claims with their records, newest first.
func pendingClaimsOf(ctx context.Context, q db.Querier, teamID, now int64) ([]claimListed, error) {
	return db.QueryAll(ctx, q, func(row db.Scanner) (claimListed, error) {
		var c claimListed
		err := row.Scan(&c.row.id, &c.row.publicID, &c.row.volunteerID, &c.row.codeEnc, &c.row.createdAt, &c.row.expiresAt,
			&c.no, &c.name, &c.phoneMasked)
		return c, err
	}, `SELECT c.id, c.public_id, c.volunteer_id, c.code_enc, c.created_at, c.expires_at, v.volunteer_no, v.real_name, v.phone_masked
		FROM volunteer_claims c JOIN volunteers v ON v.id = c.volunteer_id
		WHERE c.team_id = $1 AND c.state = $2 AND c.expires_at > $3 ORDER BY c.id DESC LIMIT 200`, teamID, ClaimPending, now)
}

type claimListed struct {
	row         claimRow
	no, name    string
	phoneMasked string
}
