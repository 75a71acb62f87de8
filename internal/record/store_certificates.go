package record

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/db"
)

// holdHours takes the volunteer's hours row for the transaction: confirming,
// voiding and amending a confirmed record all move it.
func holdHours(ctx context.Context, tx db.Querier, volunteerID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE volunteer_hours SET updated_at = updated_at WHERE volunteer_id = $1`, volunteerID)
	return err
}

// countedRecords reads a volunteer's confirmed records (of one team, or
// all), oldest first.
func countedRecords(ctx context.Context, q db.Querier, volunteerID, teamID int64) ([]countedRecord, error) {
	query := `SELECT r.id, r.version, r.starts_at, r.activity, r.content, t.name, r.minutes FROM service_records r
		JOIN teams t ON t.id = r.team_id WHERE r.volunteer_id = $1 AND r.state = '` + StateConfirmed + `'`
	args := []any{volunteerID}
	if teamID != 0 {
		query += ` AND r.team_id = $2`
		args = append(args, teamID)
	}
	list, err := db.QueryAll(ctx, q, func(row db.Scanner) (countedRecord, error) {
		var c countedRecord
		err := row.Scan(&c.id, &c.version, &c.startsAt, &c.activity, &c.content, &c.team, &c.minutes)
		return c, err
	}, query+` ORDER BY r.starts_at, r.id`, args...)
	return list, apperr.Wrap(err, "certificate: records")
}

// insertCertificateRow stores a certificate before it is signed: its
// serial is the verify code until sealCertificateRow.
func insertCertificateRow(ctx context.Context, tx db.Querier, code string, volunteerID, teamID int64, region string, minutes int,
	by, at int64, hash string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO certificates (serial, verify_code, volunteer_id, team_id, region_code, total_minutes,
		payload, signature, issued_by, issued_at, content_hash) VALUES ($1, $1, $2, $3, $4, $5, '{}', $6, $7, $8, $9) RETURNING id`,
		code, volunteerID, db.NullID(teamID), region, minutes, []byte{0}, db.NullID(by), at, hash).Scan(&id)
	return id, err
}

// sealCertificateRow writes a certificate's serial, signed payload and
// signature.
func sealCertificateRow(ctx context.Context, tx db.Querier, id int64, serial, payload string, signature []byte) error {
	_, err := tx.ExecContext(ctx, `UPDATE certificates SET serial = $1, payload = $2, signature = $3 WHERE id = $4`,
		serial, payload, signature, id)
	return err
}

// linkCounted links a certificate to the volunteer's confirmed records it
// counts (of one team, or all).
func linkCounted(ctx context.Context, tx db.Querier, certificateID, volunteerID, teamID int64) error {
	q := `INSERT INTO certificate_records (record_id, certificate_id) SELECT id, $1 FROM service_records
		WHERE volunteer_id = $2 AND state = '` + StateConfirmed + `'`
	args := []any{certificateID, volunteerID}
	if teamID != 0 {
		q += ` AND team_id = $3`
		args = append(args, teamID)
	}
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

// recentCertificateID is the volunteer's latest certificate of the content
// hash issued after since and not revoked.
func recentCertificateID(ctx context.Context, q db.Querier, volunteerID int64, hash string, since int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM certificates WHERE volunteer_id = $1 AND content_hash = $2 AND issued_at > $3
		AND revoked_at = 0 ORDER BY id DESC LIMIT 1`, volunteerID, hash, since).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, db.ErrNotFound
	}
	return id, err
}

// certificateRow reads a certificate by a column, with its payload as
// stored.
func certificateRow(ctx context.Context, q db.Querier, column string, value any) (Certificate, string, error) {
	var c Certificate
	var payload string
	var team sql.NullInt64
	var revoked int64
	err := q.QueryRowContext(ctx, `SELECT id, volunteer_id, team_id, region_code, payload, revoked_at, revoked_reason FROM certificates WHERE `+column+` = $1`, value).
		Scan(&c.ID, &c.VolunteerID, &team, &c.RegionCode, &payload, &revoked, &c.RevokedReason)
	if errors.Is(err, sql.ErrNoRows) {
		return c, "", db.ErrNotFound
	}
	c.TeamID, c.Revoked = team.Int64, revoked > 0
	if c.Revoked {
		c.RevokedAt = time.Unix(revoked, 0)
	}
	return c, payload, err
}

// revokedCertificate is a certificate revokeCounting revoked.
type revokedCertificate struct {
	id, volunteerID int64
	serial, region  string
}

// revokeCounting revokes the certificates still standing that count the
// record.
func revokeCounting(ctx context.Context, tx db.Querier, recordID int64, reason string, by, now int64) ([]revokedCertificate, error) {
	return db.QueryAll(ctx, tx, func(row db.Scanner) (revokedCertificate, error) {
		var r revokedCertificate
		err := row.Scan(&r.id, &r.volunteerID, &r.serial, &r.region)
		return r, err
	}, `UPDATE certificates SET revoked_at = $1, revoked_reason = $2, revoked_by = $3
		WHERE revoked_at = 0 AND id IN (SELECT certificate_id FROM certificate_records WHERE record_id = $4)
		RETURNING id, volunteer_id, serial, region_code`, now, reason, db.NullID(by), recordID)
}

// certificatesOfQuery lists the certificates of volunteer $1, newest first.
const certificatesOfQuery = `SELECT id, serial, team_id, total_minutes, issued_at, revoked_at, revoked_reason FROM certificates
	WHERE volunteer_id = $1 ORDER BY id DESC LIMIT 200`

func scanIssued(row db.Scanner) (Issued, error) {
	var c Issued
	var team sql.NullInt64
	var at, revoked int64
	err := row.Scan(&c.ID, &c.Serial, &team, &c.TotalMinutes, &at, &revoked, &c.RevokedReason)
	c.TeamID, c.IssuedAt, c.Revoked = team.Int64, time.Unix(at, 0), revoked > 0
	return c, err
}
