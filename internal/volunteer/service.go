package volunteer

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/stats"
)

// Column names given to the cipher as associated data, so that sealed values
// cannot be moved between columns.
const (
	aadIDNumber      = "volunteers.id_number"
	aadPhone         = "volunteers.phone"
	aadGuardianPhone = "volunteers.guardian_phone"
	hashIDNumber     = "id"
	hashPhone        = "phone"
)

// Service is the volunteer register.
type Service struct {
	db      *db.DB
	keys    *pii.Keyring
	auth    *auth.Service
	catalog *catalog.Catalog
	log     *slog.Logger
	// Limits are the register's rate limits (DefaultLimits).
	Limits Limits
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// NewService returns the register.
func NewService(d *db.DB, keys *pii.Keyring, a *auth.Service, c *catalog.Catalog, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, keys: keys, auth: a, catalog: c, log: log, Limits: DefaultLimits(), Now: time.Now}
}

func (s *Service) now() time.Time { return s.Now() }

// idHash is the lookup hash of an ID document, whatever its type.
func (s *Service) idHash(id pii.ID) []byte {
	return s.keys.LookupHash(hashIDNumber, string(id.Type)+":"+id.Number)
}

func (s *Service) phoneHash(phone string) []byte { return s.keys.LookupHash(hashPhone, phone) }

var (
	errAlreadyRegistered = apperr.New(apperr.Conflict, "volunteer.already_registered")
	errUnclaimed         = apperr.New(apperr.Conflict, "volunteer.unclaimed_exists")
	errNotFound          = apperr.New(apperr.NotFound, "volunteer.not_found")
	errClaimMismatch     = apperr.New(apperr.NotFound, "volunteer.claim_mismatch")
	errClaimNotFound     = apperr.New(apperr.NotFound, "volunteer.claim_not_found")
	errClaimEnded        = apperr.New(apperr.Conflict, "volunteer.claim_ended")
	errForbidden         = apperr.New(apperr.Forbidden, "error.forbidden")
)

func phoneTaken() error {
	f := apperr.Fields{}
	f.Add("phone", "taken", "volunteer.phone_taken")
	e := apperr.From(f.Err())
	e.Kind = apperr.Conflict
	return e
}

// record builds the row to write from a checked registration.
func (s *Service) record(c checked, source string) (record, error) {
	r := record{realName: c.in.RealName, gender: c.gender, birthDate: c.birth.Format("2006-01-02"), idType: c.id.Type,
		idHash: s.idHash(c.id), idMasked: pii.MaskID(c.id.Number), phoneHash: s.phoneHash(c.phone),
		phoneMasked: pii.MaskPhone(c.phone), region: c.in.RegionCode, skills: c.skills, languages: c.languages,
		availableTime: c.in.AvailableTime, publishConsent: c.in.PublishConsent, source: source}
	var err error
	if r.idEnc, err = s.keys.Seal(c.id.Number, aadIDNumber); err != nil {
		return r, err
	}
	if r.phoneEnc, err = s.keys.Seal(c.phone, aadPhone); err != nil {
		return r, err
	}
	if c.minor {
		r.guardianName = c.in.GuardianName
		r.guardianPhoneMasked = pii.MaskPhone(c.guardianPhone)
		r.guardianConsentAt = s.now().Unix()
		if r.guardianPhoneEnc, err = s.keys.Seal(c.guardianPhone, aadGuardianPhone); err != nil {
			return r, err
		}
	}
	r.tagIDs, r.categoryIDs = catalog.IDs(c.tags), catalog.IDs(c.categories)
	return r, nil
}

// freeNumber draws volunteer numbers until one is unused.
func freeNumber(ctx context.Context, q db.Querier) (string, error) {
	for range 10 {
		no, err := newNumber()
		if err != nil {
			return "", err
		}
		taken, err := numberTaken(ctx, q, no)
		if err != nil {
			return "", err
		}
		if !taken {
			return no, nil
		}
	}
	return "", errors.New("volunteer: no free number after 10 draws")
}

// conflictsOf checks a new record against the register: the same ID number
// (claimed or not) or a phone number already in use.
func conflictsOf(ctx context.Context, q db.Querier, r record) error {
	e, err := findBy(ctx, q, "id_number_hash", r.idHash)
	switch {
	case err == nil && e.accountID != 0:
		return errAlreadyRegistered
	case err == nil:
		return errUnclaimed
	case !errors.Is(err, db.ErrNotFound):
		return apperr.Wrap(err, "volunteer: lookup id")
	}
	if _, err := findBy(ctx, q, "phone_hash", r.phoneHash); err == nil {
		return phoneTaken()
	} else if !errors.Is(err, db.ErrNotFound) {
		return apperr.Wrap(err, "volunteer: lookup phone")
	}
	return nil
}

// probed passes on a registration's conflict ("already registered",
// "registered by a team", "phone taken"), an answer that tells whether a
// number is on the register, only while the address and the ID number are
// within the probe limit; past it the answer is 429.
func (s *Service) probed(ctx context.Context, r record, conflict error) error {
	if conflict == nil || apperr.From(conflict).Kind != apperr.Conflict {
		return conflict
	}
	if err := s.takeIP(ctx, "register_probe:ip:", s.Limits.Probe, "volunteer.register_throttled"); err != nil {
		return err
	}
	if err := s.take(ctx, hashKey("register_probe:volunteer:", r.idHash), s.Limits.Probe, "volunteer.register_throttled"); err != nil {
		return err
	}
	return conflict
}

// Register is a person's own registration, at most Limits.Register an hour
// from one address: it creates their account (log in
// with phone or volunteer number) and their volunteer record together.
func (s *Service) Register(ctx context.Context, in Registration) (Volunteer, error) {
	c, err := s.check(ctx, in, modeSelf)
	if err != nil {
		return Volunteer{}, err
	}
	if err := s.takeIP(ctx, "register:ip:", s.Limits.Register, "volunteer.register_throttled"); err != nil {
		return Volunteer{}, err
	}
	r, err := s.record(c, SourceSelf)
	if err != nil {
		return Volunteer{}, apperr.Wrap(err, "volunteer: seal")
	}
	if err := s.probed(ctx, r, conflictsOf(ctx, s.db.Read(), r)); err != nil {
		return Volunteer{}, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return Volunteer{}, apperr.Wrap(err, "volunteer: hash")
	}
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := conflictsOf(ctx, tx, r); err != nil {
			return err
		}
		if r.no, err = freeNumber(ctx, tx); err != nil {
			return apperr.Wrap(err, "volunteer: number")
		}
		acc, err := s.auth.CreateAccountTx(ctx, tx, auth.System, auth.NewAccount{Username: "v" + r.no,
			DisplayName: r.realName, RegionCode: r.region, Grant: auth.Grant{Role: auth.RoleVolunteer}}, hash)
		if err != nil {
			return err
		}
		r.accountID = acc.ID
		if id, err = s.insert(ctx, tx, r); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "register", Entity: "volunteer", EntityID: strconv.FormatInt(id, 10),
			RegionCode: r.region, Detail: map[string]any{"volunteer_no": r.no, "source": SourceSelf}})
	})
	if err != nil {
		return Volunteer{}, err
	}
	v, err := s.get(ctx, id)
	return ownView(v, s.now()), err
}

// insert writes the record, turning a lost race on a unique index into the
// same conflict a pre-check would have given.
func (s *Service) insert(ctx context.Context, tx db.Querier, r record) (int64, error) {
	id, err := insertVolunteer(ctx, tx, r, s.now().Unix())
	if db.IsUniqueViolation(err) {
		return 0, errAlreadyRegistered
	}
	if err != nil {
		return 0, apperr.Wrap(err, "volunteer: insert")
	}
	return id, apperr.Wrap(stats.Created(FiguresOf(id)).Apply(ctx, tx), "volunteer: statistics")
}

// Preregister records a volunteer on their behalf (a team or an office): the
// record is unclaimed until the person claims it with ID and phone numbers.
// also, if given, runs in the same transaction with the new record's id (a
// team adds the volunteer to itself).
func (s *Service) Preregister(ctx context.Context, p *auth.Principal, teamID int64, in Registration, also func(tx db.Querier, id int64) error) (Volunteer, error) {
	c, err := s.check(ctx, in, modeOnBehalf)
	if err != nil {
		return Volunteer{}, err
	}
	if !auth.Can(p, auth.PermVolunteerPreregister, auth.Target{RegionCode: c.in.RegionCode, TeamID: teamID}) {
		return Volunteer{}, errForbidden
	}
	r, err := s.record(c, SourcePreregister)
	if err != nil {
		return Volunteer{}, apperr.Wrap(err, "volunteer: seal")
	}
	r.teamID = teamID
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := conflictsOf(ctx, tx, r); err != nil {
			return err
		}
		if r.no, err = freeNumber(ctx, tx); err != nil {
			return apperr.Wrap(err, "volunteer: number")
		}
		if id, err = s.insert(ctx, tx, r); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx, id); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "preregister", Entity: "volunteer", EntityID: strconv.FormatInt(id, 10),
			RegionCode: r.region, Detail: map[string]any{"volunteer_no": r.no, "team_id": teamID}})
	})
	if err != nil {
		return Volunteer{}, err
	}
	v, err := s.get(ctx, id)
	return shownTo(p, v, s.now()), err
}

// get loads a volunteer with catalogue names and teams, unchecked.
func (s *Service) get(ctx context.Context, id int64) (Volunteer, error) {
	m := memoOf(ctx)
	if v, ok := m.volunteer(id); ok {
		return v, nil
	}
	q := s.db.Read()
	v, err := byID(ctx, q, id)
	if errors.Is(err, db.ErrNotFound) {
		return v, errNotFound
	}
	if err != nil {
		return v, apperr.Wrap(err, "volunteer: get")
	}
	if err := s.fill(ctx, &v); err != nil {
		return v, err
	}
	m.keep(v)
	return v, nil
}

func (s *Service) fill(ctx context.Context, v *Volunteer) error {
	q := s.db.Read()
	tags, err := catalogIDs(ctx, q, "volunteer_tags", "tag_id", v.ID)
	if err != nil {
		return apperr.Wrap(err, "volunteer: tags")
	}
	cats, err := catalogIDs(ctx, q, "volunteer_categories", "category_id", v.ID)
	if err != nil {
		return apperr.Wrap(err, "volunteer: categories")
	}
	if v.Tags, err = s.catalog.Names(ctx, tags); err != nil {
		return apperr.Wrap(err, "volunteer: tag names")
	}
	if v.Categories, err = s.catalog.Names(ctx, cats); err != nil {
		return apperr.Wrap(err, "volunteer: category names")
	}
	v.TeamIDs, err = teamsOf(ctx, q, v.ID)
	return apperr.Wrap(err, "volunteer: teams")
}

func target(v Volunteer) auth.Target {
	return auth.Target{RegionCode: v.RegionCode, AccountID: v.AccountID, TeamIDs: v.TeamIDs}
}

// Get returns a volunteer if the principal may see them. Out of scope reads
// as not found.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Volunteer, error) {
	v, err := s.get(ctx, id)
	if err != nil {
		return v, err
	}
	if !auth.Can(p, auth.PermVolunteerView, target(v)) {
		return Volunteer{}, errNotFound
	}
	return shownTo(p, v, s.now()), nil
}

// Mine returns the principal's own volunteer record.
func (s *Service) Mine(ctx context.Context, p *auth.Principal) (Volunteer, error) {
	v, err := s.mine(ctx, p)
	if err != nil {
		return v, err
	}
	return shownTo(p, v, s.now()), nil
}

// mine loads the principal's own volunteer record, as stored.
func (s *Service) mine(ctx context.Context, p *auth.Principal) (Volunteer, error) {
	if p == nil {
		return Volunteer{}, errNotFound
	}
	m := memoOf(ctx)
	if id, ok := m.idOf(p.AccountID); ok {
		if v, ok := m.volunteer(id); ok {
			return v, nil
		}
	}
	v, err := byAccount(ctx, s.db.Read(), p.AccountID)
	if errors.Is(err, db.ErrNotFound) {
		return v, errNotFound
	}
	if err != nil {
		return v, apperr.Wrap(err, "volunteer: mine")
	}
	if err := s.fill(ctx, &v); err != nil {
		return v, err
	}
	m.keep(v)
	return v, nil
}

// RevealNumbers returns a volunteer's numbers in clear to a principal allowed
// to see them, and writes who saw them to the audit log.
func (s *Service) RevealNumbers(ctx context.Context, p *auth.Principal, id int64) (Reveal, error) {
	v, err := s.get(ctx, id)
	if err != nil {
		return Reveal{}, err
	}
	if !auth.Can(p, auth.PermVolunteerView, target(v)) {
		return Reveal{}, errNotFound
	}
	if !auth.Can(p, auth.PermVolunteerReveal, target(v)) {
		return Reveal{}, errForbidden
	}
	idType, idEnc, phoneEnc, guardianEnc, err := sealedNumbers(ctx, s.db.Read(), id)
	if err != nil {
		return Reveal{}, apperr.Wrap(err, "volunteer: reveal")
	}
	out := Reveal{IDType: pii.IDType(idType)}
	if out.IDNumber, err = s.keys.Open(idEnc, aadIDNumber); err != nil {
		return Reveal{}, apperr.Wrap(err, "volunteer: open id number")
	}
	if len(phoneEnc) > 0 {
		if out.Phone, err = s.keys.Open(phoneEnc, aadPhone); err != nil {
			return Reveal{}, apperr.Wrap(err, "volunteer: open phone")
		}
	}
	if len(guardianEnc) > 0 {
		if out.GuardianPhone, err = s.keys.Open(guardianEnc, aadGuardianPhone); err != nil {
			return Reveal{}, apperr.Wrap(err, "volunteer: open guardian phone")
		}
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		return audit.Write(ctx, tx, audit.Entry{Action: "reveal", Entity: "volunteer", EntityID: strconv.FormatInt(id, 10),
			RegionCode: v.RegionCode, Detail: map[string]any{"fields": []string{"id_number", "phone"}}})
	})
	if err != nil {
		return Reveal{}, apperr.Wrap(err, "volunteer: audit reveal")
	}
	return out, nil
}

// ResolveLogin maps a phone number or a volunteer number to the username of
// the volunteer's account, for auth.Service.ResolveLogin.
func (s *Service) ResolveLogin(ctx context.Context, login string) (string, bool, error) {
	var u string
	var err error
	switch {
	case ValidNo(login):
		u, err = usernameFor(ctx, s.db.Read(), "volunteer_no", login)
	default:
		phone, perr := pii.NormalizePhone(login)
		if perr != nil || !isMobile(phone) {
			return "", false, nil
		}
		u, err = usernameFor(ctx, s.db.Read(), "phone_hash", s.phoneHash(phone))
	}
	if errors.Is(err, db.ErrNotFound) {
		return "", false, nil
	}
	return u, err == nil, err
}

var errHasRecord = apperr.New(apperr.Conflict, "volunteer.profile_exists")

// CompleteProfile gives a signed-in account without a volunteer record its
// real-name record (an account an office created for someone, who then fills
// in their own details). The same rules as self-registration apply.
func (s *Service) CompleteProfile(ctx context.Context, p *auth.Principal, in Registration) (Volunteer, error) {
	if p == nil || p.AccountID == 0 {
		return Volunteer{}, errForbidden
	}
	if _, err := s.mine(ctx, p); err == nil {
		return Volunteer{}, errHasRecord
	}
	in.Password = "the account already has its own password" // passes the password rules, never stored
	c, err := s.check(ctx, in, modeSelf)
	if err != nil {
		return Volunteer{}, err
	}
	r, err := s.record(c, SourceSelf)
	if err != nil {
		return Volunteer{}, apperr.Wrap(err, "volunteer: seal")
	}
	r.accountID = p.AccountID
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := conflictsOf(ctx, tx, r); err != nil {
			return err
		}
		if r.no, err = freeNumber(ctx, tx); err != nil {
			return apperr.Wrap(err, "volunteer: number")
		}
		if id, err = s.insert(ctx, tx, r); err != nil {
			return err
		}
		if err := s.auth.EnsureGrantTx(ctx, tx, auth.System, p.AccountID, auth.Grant{Role: auth.RoleVolunteer}); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "register", Entity: "volunteer", EntityID: strconv.FormatInt(id, 10),
			RegionCode: r.region, Detail: map[string]any{"volunteer_no": r.no, "source": "profile"}})
	})
	if err != nil {
		return Volunteer{}, err
	}
	v, err := s.get(ctx, id)
	return shownTo(p, v, s.now()), err
}

// MyID returns the id of the principal's own volunteer record, with one
// indexed lookup (for hot paths that need no more than the id).
func (s *Service) MyID(ctx context.Context, p *auth.Principal) (int64, error) {
	if p == nil || p.AccountID == 0 {
		return 0, errNotFound
	}
	if id, ok := memoOf(ctx).idOf(p.AccountID); ok {
		return id, nil
	}
	id, err := idOfAccount(ctx, s.db.Read(), p.AccountID)
	if errors.Is(err, db.ErrNotFound) {
		return 0, errNotFound
	}
	if err != nil {
		return 0, apperr.Wrap(err, "volunteer: my id")
	}
	memoOf(ctx).keepID(p.AccountID, id)
	return id, nil
}
