package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"zhiyuan/internal/db"
)

// SQL for accounts, grants, sessions and the login throttle. Every function
// takes the Querier to run on, so services decide the transaction.

const accountColumns = `id, username, display_name, locale, region_code, disabled, created_at`

func scanAccount(row interface{ Scan(...any) error }, extra ...any) (Account, error) {
	var a Account
	var disabled int
	var created int64
	dest := append([]any{&a.ID, &a.Username, &a.DisplayName, &a.Locale, &a.RegionCode, &disabled, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return a, err
	}
	a.Disabled = disabled != 0
	a.CreatedAt = time.Unix(created, 0)
	return a, nil
}

func insertAccount(ctx context.Context, q db.Querier, a Account, hash string, now int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO accounts
		(username, display_name, password_hash, locale, region_code, disabled, password_changed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $6) RETURNING id`,
		a.Username, a.DisplayName, hash, a.Locale, a.RegionCode, now).Scan(&id)
	return id, err
}

func accountByUsername(ctx context.Context, q db.Querier, username string) (Account, string, error) {
	var hash string
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+`, password_hash FROM accounts WHERE username = $1`, username), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return a, "", db.ErrNotFound
	}
	return a, hash, err
}

func accountByID(ctx context.Context, q db.Querier, id int64) (Account, string, error) {
	var hash string
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+`, password_hash FROM accounts WHERE id = $1`, id), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return a, "", db.ErrNotFound
	}
	return a, hash, err
}

// accountFilter selects accounts for a list.
type accountFilter struct {
	all     bool
	regions []string
	search  string
	after   int64
	limit   int
}

func listAccounts(ctx context.Context, q db.Querier, f accountFilter) ([]Account, error) {
	var c db.Conds
	if !f.all && !c.Scope("region_code", f.regions, "id", nil) {
		return nil, nil
	}
	if f.search != "" {
		c.Contains(f.search, "username", "display_name")
	}
	if f.after > 0 {
		c.Add("id > " + c.Arg(f.after))
	}
	rows, err := q.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE `+c.SQL()+` ORDER BY id LIMIT `+c.Arg(f.limit), c.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func updatePassword(ctx context.Context, q db.Querier, id int64, hash string, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE accounts SET password_hash = $1, password_changed_at = $2, updated_at = $2 WHERE id = $3`, hash, now, id)
	return err
}

func updateLocale(ctx context.Context, q db.Querier, id int64, locale string, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE accounts SET locale = $1, updated_at = $2 WHERE id = $3`, locale, now, id)
	return err
}

func setDisabled(ctx context.Context, q db.Querier, id int64, disabled bool, now int64) error {
	v := 0
	if disabled {
		v = 1
	}
	_, err := q.ExecContext(ctx, `UPDATE accounts SET disabled = $1, updated_at = $2 WHERE id = $3`, v, now, id)
	return err
}

func grantsOf(ctx context.Context, q db.Querier, accountID int64) ([]Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, role, region_code, COALESCE(team_id, 0), COALESCE(department_id, 0)
		FROM role_grants WHERE account_id = $1 ORDER BY id`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		if err := rows.Scan(&g.ID, &g.Role, &g.RegionCode, &g.TeamID, &g.DepartmentID); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func insertGrant(ctx context.Context, q db.Querier, accountID int64, g Grant, by int64, now int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO role_grants
		(account_id, role, region_code, team_id, department_id, granted_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		accountID, g.Role, g.RegionCode, db.NullID(g.TeamID), db.NullID(g.DepartmentID), db.NullID(by), now).Scan(&id)
	return id, err
}

// findGrant returns the id of the account's grant with g's role and scope, or 0.
func findGrant(ctx context.Context, q db.Querier, accountID int64, g Grant) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM role_grants WHERE account_id = $1 AND role = $2 AND region_code = $3
		AND COALESCE(team_id, 0) = $4 AND COALESCE(department_id, 0) = $5`,
		accountID, g.Role, g.RegionCode, g.TeamID, g.DepartmentID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func deleteGrant(ctx context.Context, q db.Querier, accountID, grantID int64) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM role_grants WHERE id = $1 AND account_id = $2`, grantID, accountID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// regionOf returns the region of a team or department, for scoping grants.
func regionOf(ctx context.Context, q db.Querier, table string, id int64) (string, error) {
	var code string
	err := q.QueryRowContext(ctx, `SELECT region_code FROM `+table+` WHERE id = $1`, id).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", db.ErrNotFound
	}
	return code, err
}

func insertSession(ctx context.Context, q db.Querier, tokenHash []byte, accountID int64, kind SessionKind, now, expires int64, m Meta) error {
	_, err := q.ExecContext(ctx, `INSERT INTO sessions
		(token_hash, account_id, kind, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`, tokenHash, accountID, kind, now, expires, m.IP, truncate(m.UserAgent, 256))
	return err
}

// sessionRow is a session joined with its account.
type sessionRow struct {
	id        int64
	kind      SessionKind
	expiresAt int64
	lastSeen  int64
	account   Account
}

func sessionByTokenHash(ctx context.Context, q db.Querier, tokenHash []byte) (sessionRow, error) {
	var s sessionRow
	var disabled int
	err := q.QueryRowContext(ctx, `SELECT s.id, s.kind, s.expires_at, s.last_seen_at,
		a.id, a.username, a.display_name, a.locale, a.region_code, a.disabled
		FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1`, tokenHash).
		Scan(&s.id, &s.kind, &s.expiresAt, &s.lastSeen, &s.account.ID, &s.account.Username, &s.account.DisplayName,
			&s.account.Locale, &s.account.RegionCode, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return s, db.ErrNotFound
	}
	s.account.Disabled = disabled != 0
	return s, err
}

func touchSession(ctx context.Context, q db.Querier, id, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, now, id)
	return err
}

func deleteSessionByHash(ctx context.Context, q db.Querier, tokenHash []byte) (int64, error) {
	var accountID int64
	err := q.QueryRowContext(ctx, `DELETE FROM sessions WHERE token_hash = $1 RETURNING account_id`, tokenHash).Scan(&accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, db.ErrNotFound
	}
	return accountID, err
}

func deleteSessionByID(ctx context.Context, q db.Querier, id int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id)
	return err
}

// deleteOtherSessions ends every session of the account except keepHash's.
func deleteOtherSessions(ctx context.Context, q db.Querier, accountID int64, keepHash []byte) error {
	if keepHash == nil {
		keepHash = []byte{}
	}
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2`, accountID, keepHash)
	return err
}

func deleteExpiredSessions(ctx context.Context, q db.Querier, now int64) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR (kind = 'web' AND last_seen_at <= $2)`,
		now, now-int64(IdleTimeout/time.Second))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func throttleRow(ctx context.Context, q db.Querier, key string) (failures int, windowStart, lockedUntil int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT failures, window_start, locked_until FROM login_throttle WHERE throttle_key = $1`, key).
		Scan(&failures, &windowStart, &lockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, 0, nil
	}
	return
}

func putThrottle(ctx context.Context, q db.Querier, key string, failures int, windowStart, lockedUntil int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until)
		VALUES ($1, $2, $3, $4) ON CONFLICT (throttle_key) DO UPDATE SET
		failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
		key, failures, windowStart, lockedUntil)
	return err
}

// countAttempt adds one attempt to key's count unless a wait is in force
// (ok false), starting the count again if its window began at or before
// windowFrom; it returns the new count. One statement, so that concurrent
// attempts each see the others' counts on both databases.
func countAttempt(ctx context.Context, q db.Querier, key string, now, windowFrom int64) (n int, ok bool, err error) {
	err = q.QueryRowContext(ctx, `INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until)
		VALUES ($1, 1, $2, 0) ON CONFLICT (throttle_key) DO UPDATE SET
		failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
		window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 ELSE login_throttle.window_start END
		WHERE login_throttle.locked_until <= $2
		RETURNING failures`, key, now, windowFrom).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return n, err == nil, err
}

// setThrottleWait refuses attempts on key until the given time.
func setThrottleWait(ctx context.Context, q db.Querier, key string, until int64) error {
	_, err := q.ExecContext(ctx, `UPDATE login_throttle SET locked_until = $1 WHERE throttle_key = $2`, until, key)
	return err
}

// uncountAttempt takes one attempt back off key's count, and the wait with
// it once fewer than free attempts are left.
func uncountAttempt(ctx context.Context, q db.Querier, key string, free int) error {
	_, err := q.ExecContext(ctx, `UPDATE login_throttle SET failures = failures - 1,
		locked_until = CASE WHEN failures - 1 < $2 THEN 0 ELSE locked_until END
		WHERE throttle_key = $1 AND failures > 0`, key, free)
	return err
}

// deleteStaleThrottles deletes the counters under the key prefixes whose
// window began at or before windowFrom and whose wait ended by now.
func deleteStaleThrottles(ctx context.Context, q db.Querier, prefixes []string, windowFrom, now int64) error {
	for _, p := range prefixes {
		_, err := q.ExecContext(ctx, `DELETE FROM login_throttle WHERE substr(throttle_key, 1, $1) = $2
			AND window_start <= $3 AND locked_until <= $4`, len(p), p, windowFrom, now)
		if err != nil {
			return err
		}
	}
	return nil
}

func deleteThrottle(ctx context.Context, q db.Querier, key string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM login_throttle WHERE throttle_key = $1`, key)
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
