package record

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/certificate"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
	"zhiyuan/internal/team"
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
	RevokedAt   time.Time
	// RevokedReason says why: the reason given for voiding or lowering a
	// record the certificate counted.
	RevokedReason string
}

var (
	errNoHours        = apperr.New(apperr.Conflict, "certificate.no_hours")
	errCertMissing    = apperr.New(apperr.NotFound, "certificate.not_found")
	errTeamNeeded     = &apperr.Error{Kind: apperr.Invalid, Key: "certificate.team_required", Fields: map[string]apperr.Field{"team_id": {Code: "required", Key: "certificate.team_required"}}}
	errCertOutOfReach = apperr.New(apperr.Forbidden, "certificate.not_allowed")
	errTeamSuspended  = apperr.New(apperr.Conflict, "certificate.team_suspended")
	errRenderBusy     = apperr.New(apperr.Throttled, "certificate.busy")
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
// Asked again within CertificateReuse for the same content (the same
// records, unchanged, and the same issuer), it returns the certificate
// already issued, unless that one was revoked.
func (s *Service) IssueCertificate(ctx context.Context, p *auth.Principal, volunteerID, teamID int64, baseURL string) (Certificate, error) {
	v, err := s.volunteers.Get(ctx, p, volunteerID)
	if err != nil {
		return Certificate{}, err
	}
	own := p != nil && v.AccountID == p.AccountID && v.AccountID != 0
	var issuer, person, contact, scopeRegion string
	if teamID != 0 {
		t, err := team.FactsOf(ctx, s.db.Read(), teamID)
		if errors.Is(err, db.ErrNotFound) {
			return Certificate{}, errTeamNeeded
		}
		if err != nil {
			return Certificate{}, apperr.Wrap(err, "certificate: team")
		}
		if !own && !auth.Can(p, auth.PermCertificateIssue, auth.Target{TeamID: teamID, RegionCode: t.RegionCode}) {
			return Certificate{}, errCertOutOfReach
		}
		if t.Status == team.StateSuspended {
			return Certificate{}, errTeamSuspended
		}
		issuer, person, contact, scopeRegion = t.Name, t.ContactName, t.ContactPhoneMasked, t.RegionCode
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
	d := certificate.Data{VolunteerName: v.RealName, IDTypeLabel: idTypeLabels[v.IDType], IDNumberMasked: pii.MaskIDTail(v.IDNumberMasked),
		VolunteerNo: v.No, IssuerTeam: issuer, IssuerPerson: person, IssuerContact: contact}
	// Asked again for the same content: the one issued, without a write.
	counted, err := countedRecords(ctx, s.db.Read(), v.ID, teamID)
	if err != nil {
		return Certificate{}, err
	}
	if len(counted) == 0 {
		return Certificate{}, errNoHours
	}
	if c, err := s.recentCertificate(ctx, s.db.Read(), v.ID, contentHash(d, teamID, counted)); !errors.Is(err, errCertMissing) {
		return c, err
	}
	var out Certificate
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		// Confirming, voiding and amending a confirmed record all move the
		// volunteer's hours row: holding it, the records read below are
		// the ones linked, and a void after this sees the links.
		if err := holdHours(ctx, tx, v.ID); err != nil {
			return apperr.Wrap(err, "certificate: lock")
		}
		counted, err := countedRecords(ctx, tx, v.ID, teamID)
		if err != nil {
			return err
		}
		if len(counted) == 0 {
			return errNoHours
		}
		hash := contentHash(d, teamID, counted)
		if out, err = s.recentCertificate(ctx, tx, v.ID, hash); !errors.Is(err, errCertMissing) {
			return err
		}
		out, err = s.insertCertificate(ctx, tx, p, v.ID, v.RegionCode, teamID, d, counted, hash, baseURL)
		return err
	})
	return out, err
}

// insertCertificate signs and stores a certificate of the counted records,
// with the links to them, and audits it.
func (s *Service) insertCertificate(ctx context.Context, tx db.Querier, p *auth.Principal, volunteerID int64, volunteerRegion string,
	teamID int64, d certificate.Data, counted []countedRecord, hash, baseURL string) (Certificate, error) {
	code := randomCode()
	d.VerifyCode, d.IssuedOn, d.VerifyURL = code, s.Now(), strings.TrimRight(baseURL, "/")+"/verify/"+code
	d.Records, d.Rest, d.TotalMinutes = linesOf(counted)
	d.Summary = summaryOf(counted)
	id, err := insertCertificateRow(ctx, tx, code, volunteerID, teamID, volunteerRegion, d.TotalMinutes, p.AccountID, s.Now().Unix(), hash)
	if err != nil {
		return Certificate{}, apperr.Wrap(err, "certificate: insert")
	}
	d.Serial = fmt.Sprintf("ZY-%d-%06d", d.IssuedOn.In(clock.Zone).Year(), id)
	d = s.signer.Seal(d)
	payload, err := json.Marshal(d)
	if err != nil {
		return Certificate{}, apperr.Wrap(err, "certificate: payload")
	}
	if err := sealCertificateRow(ctx, tx, id, d.Serial, string(payload), d.Signature); err != nil {
		return Certificate{}, apperr.Wrap(err, "certificate: store")
	}
	if err := linkCounted(ctx, tx, id, volunteerID, teamID); err != nil {
		return Certificate{}, apperr.Wrap(err, "certificate: links")
	}
	err = audit.Write(ctx, tx, audit.Entry{Action: "issue", Entity: "certificate", EntityID: strconv.FormatInt(id, 10),
		RegionCode: volunteerRegion, Detail: map[string]any{"serial": d.Serial, "volunteer_id": volunteerID, "team_id": teamID,
			"minutes": d.TotalMinutes, "records": len(counted)}})
	return Certificate{ID: id, Data: d, VolunteerID: volunteerID, TeamID: teamID, RegionCode: volunteerRegion}, err
}

// CertificateReuse is how long asking again for a certificate of the same
// content returns the one already issued.
const CertificateReuse = 24 * time.Hour

// recentCertificate is the volunteer's certificate of the content hash
// issued within CertificateReuse and not revoked, or errCertMissing.
func (s *Service) recentCertificate(ctx context.Context, q db.Querier, volunteerID int64, hash string) (Certificate, error) {
	id, err := recentCertificateID(ctx, q, volunteerID, hash, s.Now().Add(-CertificateReuse).Unix())
	if errors.Is(err, db.ErrNotFound) {
		return Certificate{}, errCertMissing
	}
	if err != nil {
		return Certificate{}, apperr.Wrap(err, "certificate: recent")
	}
	return s.certificateFrom(ctx, q, "id", id)
}

// countedRecord is one confirmed record a certificate counts.
type countedRecord struct {
	id, version int64
	startsAt    int64
	activity    string
	content     string
	team        string
	minutes     int
}

// contentHash identifies what a certificate would say: the volunteer, the
// issuer and each counted record at its version (any change moves it).
func contentHash(d certificate.Data, teamID int64, counted []countedRecord) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\n%q\n%q\n%q\n%q\n%q\n%q\n%q\n", teamID, d.VolunteerName, d.IDTypeLabel, d.IDNumberMasked, d.VolunteerNo,
		d.IssuerTeam, d.IssuerPerson, d.IssuerContact)
	for _, c := range counted {
		fmt.Fprintf(h, "%d.%d\n", c.id, c.version)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// linesOf lists the latest certificate.MaxRecords records one by one and
// sums the earlier ones by year and team; it returns the total too.
func linesOf(counted []countedRecord) ([]certificate.RecordLine, []certificate.RestLine, int) {
	total := 0
	split := max(0, len(counted)-certificate.MaxRecords)
	var rest []certificate.RestLine
	at := map[[2]string]int{}
	for _, c := range counted[:split] {
		total += c.minutes
		date := time.Unix(c.startsAt, 0).In(clock.Zone).Format("2006-01-02")
		key := [2]string{date[:4], c.team}
		if len(at) >= certificate.MaxRest/2 { // then by year alone
			key[1] = "各团队"
		}
		i, ok := at[key]
		if !ok {
			i = len(rest)
			at[key] = i
			rest = append(rest, certificate.RestLine{Year: key[0], Team: key[1], First: date})
		}
		rest[i].Records++
		rest[i].Minutes += c.minutes
		rest[i].Last = date
	}
	lines := make([]certificate.RecordLine, 0, len(counted)-split)
	for _, c := range counted[split:] {
		total += c.minutes
		lines = append(lines, certificate.RecordLine{Date: time.Unix(c.startsAt, 0).In(clock.Zone).Format("2006-01-02"),
			Project: c.activity, Content: c.content, Minutes: c.minutes})
	}
	sort.SliceStable(rest, func(i, j int) bool {
		if rest[i].Year != rest[j].Year {
			return rest[i].Year < rest[j].Year
		}
		return rest[i].Team < rest[j].Team
	})
	return lines, rest, total
}

func coveredBy(scopes []string, code string) bool {
	for _, sc := range scopes {
		if region.Covers(sc, code) {
			return true
		}
	}
	return false
}

// summaryOf names the projects served, for 主要服务内容.
func summaryOf(counted []countedRecord) string {
	var names []string
	seen := map[string]bool{}
	for _, c := range counted {
		if !seen[c.activity] {
			seen[c.activity] = true
			names = append(names, c.activity)
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
	return s.certificateFrom(ctx, s.db.Read(), column, value)
}

// certificateFrom loads a certificate by a column through q.
func (s *Service) certificateFrom(ctx context.Context, q db.Querier, column string, value any) (Certificate, error) {
	c, payload, err := certificateRow(ctx, q, column, value)
	if errors.Is(err, db.ErrNotFound) {
		return c, errCertMissing
	}
	if err != nil {
		return c, apperr.Wrap(err, "certificate: load")
	}
	if err := json.Unmarshal([]byte(payload), &c.Data); err != nil {
		return c, apperr.Wrap(err, "certificate: payload")
	}
	return c, nil
}

// RevokeCertificatesCounting revokes, in the caller's transaction, every
// certificate still standing that counted the record: the record was voided
// or its hours lowered, so what the certificate says no longer holds. Each
// revocation is audited, and the volunteer's hours page shows the
// certificate as revoked with the reason; a new certificate can then be
// issued for what remains. It returns how many it revoked. Call it after
// the change to the volunteer's hours (addHours), which a certificate's
// issue waits on: a certificate issued concurrently is then either seen
// here or counts the record as changed.
func (s *Service) RevokeCertificatesCounting(ctx context.Context, tx db.Querier, recordID int64, reason string, by int64) (int, error) {
	list, err := revokeCounting(ctx, tx, recordID, reason, by, s.Now().Unix())
	if err != nil {
		return 0, apperr.Wrap(err, "certificate: revoke")
	}
	for _, r := range list {
		if err := audit.Write(ctx, tx, audit.Entry{Action: "revoke", Entity: "certificate", EntityID: strconv.FormatInt(r.id, 10),
			RegionCode: r.region, Detail: map[string]any{"serial": r.serial, "volunteer_id": r.volunteerID, "record_id": recordID,
				"reason": reason}}); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// RenderWait is how long a download waits for its turn to be drawn (see
// certificate.MaxRenders) before it is told to try again (429).
const RenderWait = 10 * time.Second

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
	pdf, err := certificate.RenderWait(ctx, c.Data, RenderWait)
	if errors.Is(err, certificate.ErrBusy) {
		return c, nil, errRenderBusy
	}
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
	RevokedAt     time.Time
	RevokedReason string
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
		Genuine: certificate.Verify(s.signer.PublicKey(), d, d.Signature), Revoked: c.Revoked,
		RevokedAt: c.RevokedAt, RevokedReason: c.RevokedReason}, nil
}

// Issued is one certificate in a list.
type Issued struct {
	ID           int64
	Serial       string
	TeamID       int64
	TotalMinutes int
	IssuedAt     time.Time
	Revoked      bool
	// RevokedReason says why it was revoked (see RevokeCertificatesCounting).
	RevokedReason string
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
