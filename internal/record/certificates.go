package record

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/certificate"
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
)

// Certificates (志愿服务证明, 办法 art. 14–17) are issued by the team that
// recorded the hours (谁记录谁证明) — or, across teams, by an office — free,
// for the volunteer themself or by those who manage them. Each is signed
// with Ed25519 so it can be checked without trusting the web page.

// Certificate is an issued certificate.
type Certificate struct {
	ID          int64
	Data        certificate.Data
	VolunteerID int64
	TeamID      int64
	RegionCode  string
	Revoked     bool
}

var (
	errNoHours        = apperr.New(apperr.Conflict, "certificate.no_hours")
	errCertMissing    = apperr.New(apperr.NotFound, "certificate.not_found")
	errTeamNeeded     = &apperr.Error{Kind: apperr.Invalid, Key: "certificate.team_required", Fields: map[string]apperr.Field{"team_id": {Code: "required", Key: "certificate.team_required"}}}
	errCertOutOfReach = apperr.New(apperr.Forbidden, "certificate.not_allowed")
	idTypeLabels      = map[pii.IDType]string{pii.IDResident: "居民身份证", pii.IDPassport: "护照", pii.IDHKMacaoPermit: "港澳居民来往内地通行证", pii.IDTaiwanPermit: "台湾居民来往大陆通行证", pii.IDHKMTResidence: "港澳台居民居住证", pii.IDForeignPermanent: "外国人永久居留身份证"}
)

// SetSigner gives the service the certificate signing key.
func (s *Service) SetSigner(sig *certificate.Signer) { s.signer = sig }

// PublicKey is the key anyone can check certificates with.
func (s *Service) PublicKey() (ed25519.PublicKey, string) {
	return s.signer.PublicKey(), s.signer.KeyID()
}

// IssueCertificate issues a certificate of a volunteer's confirmed hours:
// those recorded by teamID, or (teamID 0, an office only) all of them.
// baseURL is the platform's public address, for the verification QR code.
func (s *Service) IssueCertificate(ctx context.Context, p *auth.Principal, volunteerID, teamID int64, baseURL string) (Certificate, error) {
	v, err := s.volunteers.Get(ctx, p, volunteerID)
	if err != nil {
		return Certificate{}, err
	}
	own := p != nil && v.AccountID == p.AccountID && v.AccountID != 0
	var issuer, person, contact, scopeRegion string
	if teamID != 0 {
		var teamRegion, phoneMasked string
		err := s.db.Read().QueryRowContext(ctx, `SELECT name, region_code, contact_name, contact_phone_masked FROM teams WHERE id = $1`, teamID).
			Scan(&issuer, &teamRegion, &person, &phoneMasked)
		if errors.Is(err, sql.ErrNoRows) {
			return Certificate{}, errTeamNeeded
		}
		if err != nil {
			return Certificate{}, apperr.Wrap(err, "certificate: team")
		}
		if !own && !auth.Can(p, auth.PermCertificateIssue, auth.Target{TeamID: teamID, RegionCode: teamRegion}) {
			return Certificate{}, errCertOutOfReach
		}
		contact, scopeRegion = phoneMasked, teamRegion
		if person == "" {
			person = p.DisplayName
		}
		if contact == "" {
			contact = "—"
		}
	} else {
		regions, all := auth.RegionScopes(p, auth.PermCertificateIssue)
		if !all && !coveredBy(regions, v.RegionCode) {
			return Certificate{}, errTeamNeeded
		}
		scopeRegion = v.RegionCode
		if len(regions) > 0 {
			scopeRegion = regions[0]
		}
		issuer = region.FullName(scopeRegion) + "文明办"
		person, contact = p.DisplayName, "—"
	}
	if person == "" {
		person = p.Username
	}
	lines, total, err := s.confirmedLines(ctx, v.ID, teamID)
	if err != nil {
		return Certificate{}, err
	}
	if total == 0 {
		return Certificate{}, errNoHours
	}
	code := randomCode()
	d := certificate.Data{VerifyCode: code, VolunteerName: v.RealName, IDTypeLabel: idTypeLabels[v.IDType],
		IDNumberMasked: pii.MaskIDTail(v.IDNumberMasked), VolunteerNo: v.No, TotalMinutes: total, Records: lines,
		Summary: summaryOf(lines), IssuerTeam: issuer, IssuerPerson: person, IssuerContact: contact,
		IssuedOn: s.Now(), VerifyURL: strings.TrimRight(baseURL, "/") + "/verify/" + code}
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO certificates (serial, verify_code, volunteer_id, team_id, region_code, total_minutes,
			payload, signature, issued_by, issued_at) VALUES ($1, $1, $2, $3, $4, $5, '{}', $6, $7, $8) RETURNING id`,
			code, v.ID, db.NullID(teamID), v.RegionCode, total, []byte{0}, db.NullID(p.AccountID), s.Now().Unix()).Scan(&id); err != nil {
			return apperr.Wrap(err, "certificate: insert")
		}
		d.Serial = fmt.Sprintf("ZY-%d-%06d", d.IssuedOn.In(shanghai).Year(), id)
		d = s.signer.Seal(d)
		payload, err := json.Marshal(d)
		if err != nil {
			return apperr.Wrap(err, "certificate: payload")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE certificates SET serial = $1, payload = $2, signature = $3 WHERE id = $4`,
			d.Serial, string(payload), d.Signature, id); err != nil {
			return apperr.Wrap(err, "certificate: store")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "issue", Entity: "certificate", EntityID: strconv.FormatInt(id, 10),
			RegionCode: v.RegionCode, Detail: map[string]any{"serial": d.Serial, "volunteer_id": v.ID, "team_id": teamID, "minutes": total}})
	})
	if err != nil {
		return Certificate{}, err
	}
	return Certificate{ID: id, Data: d, VolunteerID: v.ID, TeamID: teamID, RegionCode: v.RegionCode}, nil
}

func coveredBy(scopes []string, code string) bool {
	for _, sc := range scopes {
		if region.Covers(sc, code) {
			return true
		}
	}
	return false
}

// confirmedLines lists a volunteer's confirmed records (of one team, or all).
func (s *Service) confirmedLines(ctx context.Context, volunteerID, teamID int64) ([]certificate.RecordLine, int, error) {
	q := `SELECT starts_at, activity, content, minutes FROM service_records WHERE volunteer_id = $1 AND state = 'confirmed'`
	args := []any{volunteerID}
	if teamID != 0 {
		q += ` AND team_id = $2`
		args = append(args, teamID)
	}
	rows, err := s.db.Read().QueryContext(ctx, q+` ORDER BY starts_at, id`, args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "certificate: records")
	}
	defer rows.Close()
	var lines []certificate.RecordLine
	total := 0
	for rows.Next() {
		var at int64
		var l certificate.RecordLine
		if err := rows.Scan(&at, &l.Project, &l.Content, &l.Minutes); err != nil {
			return nil, 0, apperr.Wrap(err, "certificate: records")
		}
		l.Date = time.Unix(at, 0).In(shanghai).Format("2006-01-02")
		total += l.Minutes
		lines = append(lines, l)
	}
	return lines, total, apperr.Wrap(rows.Err(), "certificate: records")
}

// summaryOf names the projects served, for 主要服务内容.
func summaryOf(lines []certificate.RecordLine) string {
	var names []string
	seen := map[string]bool{}
	for _, l := range lines {
		if !seen[l.Project] {
			seen[l.Project] = true
			names = append(names, l.Project)
		}
	}
	if len(names) > 8 {
		names = append(names[:8], "等")
	}
	return strings.Join(names, "、")
}

func randomCode() string {
	var b [15]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// certificateBy loads a certificate by a column.
func (s *Service) certificateBy(ctx context.Context, column string, value any) (Certificate, error) {
	var c Certificate
	var payload string
	var team sql.NullInt64
	var revoked int64
	err := s.db.Read().QueryRowContext(ctx, `SELECT id, volunteer_id, team_id, region_code, payload, revoked_at FROM certificates WHERE `+column+` = $1`, value).
		Scan(&c.ID, &c.VolunteerID, &team, &c.RegionCode, &payload, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return c, errCertMissing
	}
	if err != nil {
		return c, apperr.Wrap(err, "certificate: load")
	}
	c.TeamID, c.Revoked = team.Int64, revoked > 0
	if err := json.Unmarshal([]byte(payload), &c.Data); err != nil {
		return c, apperr.Wrap(err, "certificate: payload")
	}
	return c, nil
}

// CertificatePDF renders an issued certificate, for the volunteer and those
// who may see them.
func (s *Service) CertificatePDF(ctx context.Context, p *auth.Principal, id int64) (Certificate, []byte, error) {
	c, err := s.certificateBy(ctx, "id", id)
	if err != nil {
		return c, nil, err
	}
	if _, err := s.volunteers.Get(ctx, p, c.VolunteerID); err != nil {
		return c, nil, apperr.Mask(err, errCertMissing)
	}
	pdf, err := certificate.Render(c.Data)
	return c, pdf, apperr.Wrap(err, "certificate: render")
}

// Verification is what the public verification page shows: enough to match
// a paper certificate, with the name masked.
type Verification struct {
	Serial        string
	VolunteerName string
	VolunteerNo   string
	TotalMinutes  int
	IssuerTeam    string
	IssuedOn      time.Time
	KeyID         string
	Genuine       bool
	Revoked       bool
}

// Verify looks a certificate up by its verification code and checks its
// signature against the published key.
func (s *Service) Verify(ctx context.Context, code string) (Verification, error) {
	if len(code) < 10 || len(code) > 64 {
		return Verification{}, errCertMissing
	}
	c, err := s.certificateBy(ctx, "verify_code", code)
	if err != nil {
		return Verification{}, err
	}
	d := c.Data
	return Verification{Serial: d.Serial, VolunteerName: pii.MaskName(d.VolunteerName), VolunteerNo: d.VolunteerNo,
		TotalMinutes: d.TotalMinutes, IssuerTeam: d.IssuerTeam, IssuedOn: d.IssuedOn, KeyID: d.KeyID,
		Genuine: certificate.Verify(s.signer.PublicKey(), d, d.Signature), Revoked: c.Revoked}, nil
}

// Issued is one certificate in a list.
type Issued struct {
	ID           int64
	Serial       string
	TeamID       int64
	TotalMinutes int
	IssuedAt     time.Time
	Revoked      bool
}

// CertificatesOf lists a volunteer's certificates, newest first, to the
// volunteer and to those who may see them.
func (s *Service) CertificatesOf(ctx context.Context, p *auth.Principal, volunteerID int64) ([]Issued, error) {
	if _, err := s.volunteers.Get(ctx, p, volunteerID); err != nil {
		return nil, err
	}
	return s.certificatesOf(ctx, volunteerID)
}

// certificatesOf lists a volunteer's certificates, newest first.
func (s *Service) certificatesOf(ctx context.Context, volunteerID int64) ([]Issued, error) {
	list, err := db.QueryAll(ctx, s.db.Read(), scanIssued, certificatesOfQuery, volunteerID)
	return list, apperr.Wrap(err, "certificate: list")
}

// certificatesOfQuery lists the certificates of volunteer $1, newest first.
const certificatesOfQuery = `SELECT id, serial, team_id, total_minutes, issued_at, revoked_at FROM certificates
	WHERE volunteer_id = $1 ORDER BY id DESC LIMIT 200`

func scanIssued(row db.Scanner) (Issued, error) {
	var c Issued
	var team sql.NullInt64
	var at, revoked int64
	err := row.Scan(&c.ID, &c.Serial, &team, &c.TotalMinutes, &at, &revoked)
	c.TeamID, c.IssuedAt, c.Revoked = team.Int64, time.Unix(at, 0), revoked > 0
	return c, err
}
