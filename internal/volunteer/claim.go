package volunteer

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
)

// Claiming a record a team or an office registered (see the package doc in
// doc.go): a claim proves the ID and phone numbers and opens a pending claim;
// only the one-time code or the registering team's approval completes it.
const (
	ClaimLifetime    = 24 * time.Hour // a pending claim expires after this
	MaxClaimAttempts = 5              // wrong codes a claim survives, counting the last
	claimCodeDigits  = 6
	aadClaimCode     = "volunteer_claims.code"
	hashClaimCode    = "claim_code"
)

// Claim states.
const (
	ClaimPending   = "pending"
	ClaimConfirmed = "confirmed" // the claimant entered the code
	ClaimApproved  = "approved"  // an admin of the registering team approved it
	ClaimExpired   = "expired"   // out of time, or out of attempts
	ClaimCancelled = "cancelled" // replaced by a newer claim of the same record
)

// Claim is the person asking to take over a record registered on their
// behalf, by its ID and phone numbers, with the password of the account the
// claim will create; everything recorded for them stays.
type Claim struct {
	IDType   string `json:"id_type"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

// ClaimTicket is what the claimant learns of their pending claim.
type ClaimTicket struct {
	ID        string
	State     string
	ExpiresAt time.Time
}

// ClaimConfirm completes a claim with the one-time code; Password, if given,
// replaces the one chosen when claiming.
type ClaimConfirm struct {
	Code     string `json:"code"`
	Password string `json:"password"`
}

// PendingClaim is a pending claim as the registering team's admins see it,
// with the code to hand over in person until codes go out by SMS.
type PendingClaim struct {
	ID          string
	VolunteerID int64
	VolunteerNo string
	RealName    string
	PhoneMasked string
	Code        string
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// Limits are the register's rate limits, counted per key in the database
// (auth.Take) so every server process shares them.
type Limits struct {
	Register       auth.Limit // self-registrations per address
	Probe          auth.Limit // "already registered" answers per address and per ID number
	Claim          auth.Limit // claims per address
	ClaimPerRecord auth.Limit // claims per ID number, whether or not a record has it
	Confirm        auth.Limit // code confirmations per address
}

// DefaultLimits are the limits of a server that sets none.
func DefaultLimits() Limits {
	return Limits{
		Register:       auth.Limit{Max: 20, Window: time.Hour},
		Probe:          auth.Limit{Max: 10, Window: time.Hour},
		Claim:          auth.Limit{Max: 10, Window: time.Hour},
		ClaimPerRecord: auth.Limit{Max: 5, Window: 24 * time.Hour},
		Confirm:        auth.Limit{Max: 30, Window: time.Hour},
	}
}

// take counts an attempt against key and answers 429 with msgKey past the limit.
func (s *Service) take(ctx context.Context, key string, l auth.Limit, msgKey string) error {
	ok, retry, err := auth.Take(ctx, s.db, key, l, s.now())
	if err != nil {
		return err
	}
	if !ok {
		return auth.Throttled(msgKey, retry)
	}
	return nil
}

// takeIP counts an attempt against the requesting address (the audit
// actor's, which the HTTP layer sets for every request). A call with no
// address (the command line, the demo loader, a test of the service) is no
// one's request and counts against nothing.
func (s *Service) takeIP(ctx context.Context, prefix string, l auth.Limit, msgKey string) error {
	ip := clientIP(ctx)
	if ip == "" {
		return nil
	}
	return s.take(ctx, prefix+ip, l, msgKey)
}

// clientIP is the requesting address, from the audit actor the HTTP layer set.
func clientIP(ctx context.Context) string { return audit.ActorFrom(ctx).IP }

// hashKey keeps ID numbers out of the rate limit table: a key names the
// keyed lookup hash, never the number.
func hashKey(prefix string, h []byte) string { return prefix + hex.EncodeToString(h[:16]) }

func checkClaim(in Claim) (pii.ID, string, error) {
	t := pii.IDType(in.IDType)
	if t == "" {
		t = pii.IDResident
	}
	f := apperr.Fields{}
	id, err := pii.ParseID(t, in.IDNumber)
	if err != nil {
		f.Add("id_number", "format", "volunteer.id_format")
	}
	phone, err := pii.NormalizePhone(in.Phone)
	if err != nil {
		f.Add("phone", "format", "volunteer.phone_format")
	}
	if err := auth.CheckPassword(in.Password, "", phone); err != nil {
		f["password"] = apperr.From(err).Fields["password"]
	}
	return id, phone, f.Err()
}

// ClaimRecord opens a claim of an unclaimed record whose ID and phone
// numbers the claimant gives. Nobody is logged in and the record is not
// linked: the claim waits for its one-time code (ConfirmClaim) or the
// registering team's approval (ApproveClaim). Claims are throttled per
// address and per ID number; a record that does not exist and a wrong phone
// number fail alike, and both are audited with the address.
func (s *Service) ClaimRecord(ctx context.Context, in Claim) (ClaimTicket, error) {
	id, phone, err := checkClaim(in)
	if err != nil {
		return ClaimTicket{}, err
	}
	idHash := s.idHash(id)
	if err := s.takeIP(ctx, "claim:ip:", s.Limits.Claim, "volunteer.claim_throttled"); err != nil {
		return ClaimTicket{}, err
	}
	if err := s.take(ctx, hashKey("claim:volunteer:", idHash), s.Limits.ClaimPerRecord, "volunteer.claim_throttled"); err != nil {
		return ClaimTicket{}, err
	}
	t, err := claimTargetBy(ctx, s.db.Read(), idHash)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return ClaimTicket{}, apperr.Wrap(err, "volunteer: claim")
	}
	if err != nil || !hmac.Equal(t.phoneHash, s.phoneHash(phone)) {
		return ClaimTicket{}, s.claimFailed(ctx, t, "mismatch")
	}
	if t.accountID != 0 {
		return ClaimTicket{}, errAlreadyRegistered
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return ClaimTicket{}, apperr.Wrap(err, "volunteer: hash")
	}
	c, err := s.newClaim(t, hash)
	if err != nil {
		return ClaimTicket{}, apperr.Wrap(err, "volunteer: new claim")
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := cancelPendingClaims(ctx, tx, t.id, c.createdAt); err != nil {
			return err
		}
		if err := insertClaim(ctx, tx, c, clientIP(ctx)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "claim_request", Entity: "volunteer", EntityID: strconv.FormatInt(t.id, 10),
			RegionCode: t.region, Detail: map[string]any{"claim_id": c.publicID, "team_id": t.teamID}})
	})
	if err != nil {
		return ClaimTicket{}, apperr.Wrap(err, "volunteer: claim")
	}
	return ClaimTicket{ID: c.publicID, State: ClaimPending, ExpiresAt: time.Unix(c.expiresAt, 0)}, nil
}

// claimFailed audits a failed claim (the address is the actor's; neither
// number is written) and returns the answer every failure gets.
func (s *Service) claimFailed(ctx context.Context, t claimTarget, reason string) error {
	e := audit.Entry{Action: "claim_failed", Entity: "volunteer", RegionCode: t.region, Detail: map[string]any{"reason": reason}}
	if t.id != 0 {
		e.EntityID = strconv.FormatInt(t.id, 10)
	}
	if err := s.db.Tx(ctx, func(tx db.Querier) error { return audit.Write(ctx, tx, e) }); err != nil {
		return apperr.Wrap(err, "volunteer: audit claim")
	}
	return errClaimMismatch
}

// newClaim draws the claim's public id and one-time code.
func (s *Service) newClaim(t claimTarget, passwordHash string) (claimRow, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return claimRow{}, err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return claimRow{}, err
	}
	code := fmt.Sprintf("%0*d", claimCodeDigits, n.Int64())
	now := s.now().Unix()
	c := claimRow{publicID: base64.RawURLEncoding.EncodeToString(b[:]), volunteerID: t.id, teamID: t.teamID, region: t.region,
		passwordHash: passwordHash, state: ClaimPending, createdAt: now, expiresAt: now + int64(ClaimLifetime/time.Second)}
	c.codeHash = s.codeHash(c.publicID, code)
	c.codeEnc, err = s.keys.Seal(code, aadClaimCode)
	return c, err
}

func (s *Service) codeHash(publicID, code string) []byte {
	return s.keys.LookupHash(hashClaimCode, publicID+":"+code)
}

// pendingClaim loads a claim that can still complete.
func (s *Service) pendingClaim(ctx context.Context, publicID string) (claimRow, error) {
	c, err := claimByPublicID(ctx, s.db.Read(), publicID)
	if errors.Is(err, db.ErrNotFound) {
		return c, errClaimNotFound
	}
	if err != nil {
		return c, apperr.Wrap(err, "volunteer: claim")
	}
	if c.state == ClaimPending && c.expiresAt <= s.now().Unix() {
		err := s.db.Tx(ctx, func(tx db.Querier) error {
			_, err := endClaim(ctx, tx, c.id, ClaimExpired, s.now().Unix(), 0, 0)
			return err
		})
		if err != nil {
			return c, apperr.Wrap(err, "volunteer: expire claim")
		}
		c.state = ClaimExpired
	}
	if c.state != ClaimPending {
		return c, errClaimEnded
	}
	return c, nil
}

// ConfirmClaim completes a pending claim with its one-time code: the account
// is created, the record linked to it, and the claimant signs in with their
// phone or volunteer number. Each try counts against the claim (a claim
// dies after MaxClaimAttempts) and the address; wrong codes are audited.
func (s *Service) ConfirmClaim(ctx context.Context, publicID string, in ClaimConfirm) (Volunteer, error) {
	if err := s.takeIP(ctx, "claim_confirm:ip:", s.Limits.Confirm, "volunteer.claim_throttled"); err != nil {
		return Volunteer{}, err
	}
	f := apperr.Fields{}
	if len(in.Code) != claimCodeDigits {
		f.Add("code", "format", "volunteer.claim_code_format")
	}
	if in.Password != "" {
		if err := auth.CheckPassword(in.Password, ""); err != nil {
			f["password"] = apperr.From(err).Fields["password"]
		}
	}
	if err := f.Err(); err != nil {
		return Volunteer{}, err
	}
	c, err := s.pendingClaim(ctx, publicID)
	if err != nil {
		return Volunteer{}, err
	}
	var used int
	var ok bool
	right := hmac.Equal(c.codeHash, s.codeHash(c.publicID, in.Code))
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if used, ok, err = takeClaimAttempt(ctx, tx, c.id); err != nil || !ok || right {
			return err
		}
		if used >= MaxClaimAttempts {
			if _, err := endClaim(ctx, tx, c.id, ClaimExpired, s.now().Unix(), 0, 0); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "claim_code_failed", Entity: "volunteer", EntityID: strconv.FormatInt(c.volunteerID, 10),
			RegionCode: c.region, Detail: map[string]any{"claim_id": c.publicID, "attempts": used}})
	})
	switch {
	case err != nil:
		return Volunteer{}, apperr.Wrap(err, "volunteer: claim attempt")
	case !ok:
		return Volunteer{}, errClaimEnded
	case !right && used >= MaxClaimAttempts:
		return Volunteer{}, errClaimEnded
	case !right:
		f.AddArgs("code", "wrong", "volunteer.claim_code_wrong", map[string]any{"Left": MaxClaimAttempts - used})
		return Volunteer{}, f.Err()
	}
	if in.Password != "" {
		if c.passwordHash, err = auth.HashPassword(in.Password); err != nil {
			return Volunteer{}, apperr.Wrap(err, "volunteer: hash")
		}
	}
	v, err := s.completeClaim(ctx, c, ClaimConfirmed, 0)
	return ownView(v, s.now()), err
}

// claimAllowed says whether p may approve a claim and see its code: an
// admin of the registering team, or for a record an office registered, one
// who may register volunteers in its region.
func claimAllowed(p *auth.Principal, c claimRow) bool {
	if c.teamID != 0 {
		return auth.Can(p, auth.PermTeamManage, auth.Target{TeamID: c.teamID})
	}
	return auth.Can(p, auth.PermVolunteerPreregister, auth.Target{RegionCode: c.region})
}

// ApproveClaim completes a pending claim on the word of an admin of the
// registering team, who has seen the claimant: the account is created with
// the password chosen when claiming and the record linked to it. Anyone else
// is told the claim does not exist.
func (s *Service) ApproveClaim(ctx context.Context, p *auth.Principal, publicID string) (Volunteer, error) {
	c, err := claimByPublicID(ctx, s.db.Read(), publicID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !claimAllowed(p, c)) {
		return Volunteer{}, errClaimNotFound
	}
	if err != nil {
		return Volunteer{}, apperr.Wrap(err, "volunteer: claim")
	}
	if c, err = s.pendingClaim(ctx, publicID); err != nil {
		return Volunteer{}, err
	}
	v, err := s.completeClaim(ctx, c, ClaimApproved, p.AccountID)
	return shownTo(p, v, s.now()), err
}

// completeClaim creates the claimant's account and links the record, in one
// transaction that also ends the claim; a claim ended meanwhile fails whole.
func (s *Service) completeClaim(ctx context.Context, c claimRow, state string, by int64) (Volunteer, error) {
	v, err := s.get(ctx, c.volunteerID)
	if err != nil {
		return v, err
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		acc, err := s.auth.CreateAccountTx(ctx, tx, auth.System, auth.NewAccount{Username: "v" + v.No,
			DisplayName: v.RealName, RegionCode: v.RegionCode, Grant: auth.Grant{Role: auth.RoleVolunteer}}, c.passwordHash)
		if err != nil {
			return err
		}
		now := s.now().Unix()
		if ok, err := setAccount(ctx, tx, v.ID, acc.ID, now); err != nil || !ok {
			return errOr(err, errAlreadyRegistered)
		}
		if ok, err := endClaim(ctx, tx, c.id, state, now, by, acc.ID); err != nil || !ok {
			return errOr(err, errClaimEnded)
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "claim", Entity: "volunteer", EntityID: strconv.FormatInt(v.ID, 10),
			RegionCode: v.RegionCode, Detail: map[string]any{"claim_id": c.publicID, "via": state}})
	})
	if err != nil {
		return Volunteer{}, apperr.Wrap(err, "volunteer: claim")
	}
	return s.get(ctx, v.ID)
}

func errOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// TeamClaims lists a team's pending claims with their one-time codes, for
// its admins to hand over in person; each viewing is audited.
func (s *Service) TeamClaims(ctx context.Context, p *auth.Principal, teamID int64) ([]PendingClaim, error) {
	if !auth.Can(p, auth.PermTeamManage, auth.Target{TeamID: teamID}) {
		return nil, errForbidden
	}
	rows, err := pendingClaimsOf(ctx, s.db.Read(), teamID, s.now().Unix())
	if err != nil {
		return nil, apperr.Wrap(err, "volunteer: team claims")
	}
	out := make([]PendingClaim, 0, len(rows))
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		code, err := s.keys.Open(r.row.codeEnc, aadClaimCode)
		if err != nil {
			return nil, apperr.Wrap(err, "volunteer: open claim code")
		}
		out = append(out, PendingClaim{ID: r.row.publicID, VolunteerID: r.row.volunteerID, VolunteerNo: r.no, RealName: r.name,
			PhoneMasked: r.phoneMasked, Code: code, CreatedAt: time.Unix(r.row.createdAt, 0), ExpiresAt: time.Unix(r.row.expiresAt, 0)})
		ids = append(ids, r.row.publicID)
	}
	if len(out) == 0 {
		return out, nil
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		return audit.Write(ctx, tx, audit.Entry{Action: "view_claim_codes", Entity: "team", EntityID: strconv.FormatInt(teamID, 10),
			Detail: map[string]any{"claims": ids}})
	})
	if err != nil {
		return nil, apperr.Wrap(err, "volunteer: audit claim codes")
	}
	return out, nil
}
