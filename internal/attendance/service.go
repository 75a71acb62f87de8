package attendance

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strconv"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/checkin"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/record"
	"zhiyuan/internal/volunteer"
)

// Service is attendance: scans, manual entries and the shift's roster.
type Service struct {
	db         *db.DB
	codes      *checkin.Codes
	volunteers *volunteer.Service
	records    *record.Service
	log        *slog.Logger
	// CheckOutAfter is how long after a check-in a scan first checks out:
	// an earlier one is a double scan, refused as already checked in.
	CheckOutAfter time.Duration
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// NewService returns the attendance service; codes signs the check-in QR
// codes and records creates the record of a check-out.
func NewService(d *db.DB, codes *checkin.Codes, v *volunteer.Service, records *record.Service, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, codes: codes, volunteers: v, records: records, log: log, CheckOutAfter: DefaultCheckOutAfter, Now: time.Now}
}

var (
	errShiftMissing  = apperr.New(apperr.NotFound, "shift.not_found")
	errNotSignedUp   = apperr.New(apperr.Forbidden, "checkin.not_signed_up")
	errTooEarly      = apperr.New(apperr.Conflict, "checkin.too_early")
	errShiftOver     = apperr.New(apperr.Conflict, "checkin.shift_over")
	errTooManyPairs  = apperr.New(apperr.Conflict, "checkin.too_many_pairs")
	errCheckedIn     = apperr.New(apperr.Conflict, "checkin.already_checked_in")
	errForbidden     = apperr.New(apperr.Forbidden, "error.forbidden")
	errNeedVolunteer = apperr.New(apperr.Forbidden, "team.need_volunteer_record")
	errTeamStopped   = apperr.New(apperr.Conflict, "team.suspended_no_work")
)

// codeError turns a refused QR code into a field error naming why.
func codeError(err error) error {
	code := checkin.ErrorCode(err)
	if code == "" {
		code = "malformed"
	}
	f := apperr.Fields{}
	f.Add("code", code, "checkin.code_"+code)
	return f.Err()
}

// SetCodes replaces the code signer (tests give it their own clock).
func (s *Service) SetCodes(c *checkin.Codes) { s.codes = c }

// ShiftCode is the current QR code of a shift, for its leader's phone.
func (s *Service) ShiftCode(ctx context.Context, p *auth.Principal, shiftID int64) (checkin.Code, error) {
	if _, err := s.managedShift(ctx, p, shiftID); err != nil {
		return checkin.Code{}, err
	}
	return s.codes.Issue(shiftID), nil
}

// PersonalCode is the principal's own QR code, for a leader to scan.
func (s *Service) PersonalCode(ctx context.Context, p *auth.Principal) (checkin.Code, error) {
	id, err := s.volunteers.MyID(ctx, p)
	if err != nil {
		return checkin.Code{}, err
	}
	return s.codes.IssuePersonal(id), nil
}

// CodeShift returns the shift a check-in code is for, having checked the
// code (read-only: a page shows the shift before the volunteer confirms).
func (s *Service) CodeShift(code string) (int64, error) {
	id, err := s.codes.Parse(code)
	if err != nil {
		return 0, codeError(err)
	}
	return id, nil
}

// managedShift returns a shift whose team the principal manages.
func (s *Service) managedShift(ctx context.Context, p *auth.Principal, shiftID int64) (shiftInfo, error) {
	sh, err := loadShift(ctx, s.db.Read(), shiftID)
	if errors.Is(err, db.ErrNotFound) {
		return sh, errShiftMissing
	}
	if err != nil {
		return sh, apperr.Wrap(err, "attendance: shift")
	}
	if !auth.Can(p, auth.PermAttendanceManage, auth.Target{RegionCode: sh.region, TeamID: sh.teamID}) {
		return sh, errForbidden
	}
	if sh.suspended {
		return sh, errTeamStopped
	}
	return sh, nil
}

// ScanCode is a volunteer scanning the shift's QR code: a check-in, or the
// check-out that closes it and creates the service record. loc is needed
// only when the shift has a geofence. The scanner's volunteer record, the
// shift and the standing are read in the transaction, in one statement (on
// SQLite by the writer, whose page cache no other connection's commit makes
// stale; PostgreSQL locks the volunteer's row first).
func (s *Service) ScanCode(ctx context.Context, p *auth.Principal, code string, loc *Location) (Scan, error) {
	shiftID, err := s.codes.Parse(code)
	if err != nil {
		return Scan{}, codeError(err)
	}
	var accountID int64
	if p != nil {
		accountID = p.AccountID
	}
	at := s.Now()
	return s.attendWith(ctx, func(tx db.Querier, day string) (shiftInfo, int64, standing, error) {
		if s.db.Dialect.LocksRows() {
			if _, err := s.db.Dialect.LockRowWhere(ctx, tx, "volunteers", "account_id", accountID); err != nil {
				return shiftInfo{}, 0, standing{}, apperr.Mask(err, errNeedVolunteer)
			}
		}
		sh, volunteerID, st, err := loadScan(ctx, tx, shiftID, accountID, day)
		if errors.Is(err, db.ErrNotFound) {
			// No such shift; one without a volunteer record hears that first.
			if _, verr := s.db.Dialect.LockRowWhere(ctx, tx, "volunteers", "account_id", accountID); verr != nil {
				return sh, 0, st, apperr.Mask(verr, errNeedVolunteer)
			}
			return sh, 0, st, errShiftMissing
		}
		if err != nil {
			return sh, 0, st, apperr.Wrap(err, "attendance: standing")
		}
		if volunteerID == 0 {
			return sh, 0, st, errNeedVolunteer
		}
		return sh, volunteerID, st, inFence(sh, loc)
	}, "qr", "", accountID, at, true)
}

// LeaderScan is the shift's leader scanning a volunteer's personal code.
func (s *Service) LeaderScan(ctx context.Context, p *auth.Principal, shiftID int64, personalCode string) (Scan, error) {
	sh, err := s.managedShift(ctx, p, shiftID)
	if err != nil {
		return Scan{}, err
	}
	volunteerID, err := s.codes.ParsePersonal(personalCode)
	if errors.Is(err, checkin.ErrWrongKind) { // a shift's code where a volunteer's is expected
		f := apperr.Fields{}
		f.Add("code", "wrong_kind", "checkin.code_wrong_kind_shift")
		return Scan{}, f.Err()
	}
	if err != nil {
		return Scan{}, codeError(err)
	}
	return s.attend(ctx, sh, volunteerID, "leader_scan", "", p.AccountID, s.Now(), true)
}

// attend records one scan of a volunteer on a shift already read.
func (s *Service) attend(ctx context.Context, sh shiftInfo, volunteerID int64, method, reason string, by int64, at time.Time, mustSignUp bool) (Scan, error) {
	return s.attendWith(ctx, func(tx db.Querier, day string) (shiftInfo, int64, standing, error) {
		if err := s.db.Dialect.LockRow(ctx, tx, "volunteers", volunteerID); err != nil {
			return sh, 0, standing{}, apperr.Wrap(err, "attendance: lock")
		}
		st, err := loadStanding(ctx, tx, sh, volunteerID, day)
		if err != nil {
			return sh, 0, st, apperr.Wrap(err, "attendance: standing")
		}
		return sh, volunteerID, st, nil
	}, method, reason, by, at, mustSignUp)
}

// standingFunc reads, in the scan's transaction and with the volunteer's
// row locked, the shift, the volunteer and their standing on the day; an
// error refuses the scan.
type standingFunc func(tx db.Querier, day string) (shiftInfo, int64, standing, error)

// attendWith records one scan, in one transaction: the check-out of an open
// attendance, or a new check-in within the window and the daily limit.
func (s *Service) attendWith(ctx context.Context, load standingFunc, method, reason string, by int64, at time.Time, mustSignUp bool) (Scan, error) {
	var out Scan
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		day := at.In(clock.Zone).Format("2006-01-02")
		sh, volunteerID, st, err := load(tx, day)
		if err != nil {
			return err
		}
		out, err = s.scanTx(ctx, tx, sh, volunteerID, st, day, method, reason, by, at, mustSignUp)
		return err
	})
	return out, err
}

// scanTx records one scan in tx, given the volunteer's standing: a second
// scan within CheckOutAfter of the check-in is refused (a double scan, not a
// check-out); a check-out needs no live sign-up (one cancelled after the
// check-in is still closed).
func (s *Service) scanTx(ctx context.Context, tx db.Querier, sh shiftInfo, volunteerID int64, st standing, day, method, reason string,
	by int64, at time.Time, mustSignUp bool) (Scan, error) {
	out := Scan{At: at, ShiftID: sh.id, VolunteerID: volunteerID}
	if sh.suspended { // a suspended team records no hours
		return out, errTeamStopped
	}
	if st.openID != 0 {
		if at.Sub(st.openIn) < s.CheckOutAfter {
			args := map[string]any{"Time": st.openIn.In(clock.Zone).Format("15:04")}
			e := errCheckedIn.With(args)
			e.Fields = map[string]apperr.Field{"code": {Code: "already_checked_in", Key: "checkin.already_checked_in", Args: args}}
			return out, e
		}
		if at.After(sh.end.Add(CheckOutGrace)) {
			return out, errShiftOver
		}
		var err error
		out.Action = ActionCheckOut
		out.RecordID, out.Minutes, err = s.checkOut(ctx, tx, sh, st.openID, volunteerID, st.openIn, at, by)
		return out, err
	}
	if mustSignUp && !st.signedUp {
		return out, errNotSignedUp
	}
	if at.Before(sh.start.Add(-CheckInOpensBefore)) {
		return out, errTooEarly.With(map[string]any{"Time": sh.start.Add(-CheckInOpensBefore).In(clock.Zone).Format("15:04")})
	}
	if !at.Before(sh.end) {
		return out, errShiftOver
	}
	if st.pairsToday >= MaxPairsPerDay {
		return out, errTooManyPairs.With(map[string]any{"Max": MaxPairsPerDay})
	}
	out.Action = ActionCheckIn
	if err := insertCheckIn(ctx, tx, sh, volunteerID, day, at, method, reason, by, s.Now()); err != nil {
		return out, apperr.Wrap(err, "attendance: check in")
	}
	return out, audit.Write(ctx, tx, audit.Entry{Action: ActionCheckIn, Entity: "shift", EntityID: strconv.FormatInt(sh.id, 10),
		RegionCode: sh.region, Detail: map[string]any{"volunteer_id": volunteerID, "method": method}})
}

// checkOut closes an attendance and asks record for its record, clipped to
// the shift (none when no time of the shift was served).
func (s *Service) checkOut(ctx context.Context, tx db.Querier, sh shiftInfo, attendanceID, volunteerID int64, in, at time.Time, by int64) (int64, int, error) {
	if err := closeAttendance(ctx, tx, attendanceID, at); err != nil {
		return 0, 0, apperr.Wrap(err, "attendance: check out")
	}
	id, minutes, err := s.records.CreateAtCheckOut(ctx, tx, record.CheckOut{AttendanceID: attendanceID, VolunteerID: volunteerID,
		TeamID: sh.teamID, ProjectID: sh.projectID, ShiftID: sh.id, Category: sh.category, RegionCode: sh.region,
		Activity: sh.project, Place: sh.place, Content: sh.content, LeaderName: sh.leader,
		ShiftStart: sh.start, ShiftEnd: sh.end, In: in, Out: at, By: by})
	if err != nil {
		return 0, 0, err
	}
	if id == 0 { // closed with no time on the shift: no record of 0 minutes
		return 0, 0, audit.Write(ctx, tx, audit.Entry{Action: ActionCheckOut, Entity: "shift", EntityID: strconv.FormatInt(sh.id, 10),
			RegionCode: sh.region, Detail: map[string]any{"volunteer_id": volunteerID, "minutes": 0}})
	}
	return id, minutes, audit.Write(ctx, tx, audit.Entry{Action: ActionCheckOut, Entity: "service_record", EntityID: strconv.FormatInt(id, 10),
		RegionCode: sh.region, Detail: map[string]any{"volunteer_id": volunteerID, "minutes": minutes}})
}

// inFence checks a scan's location against the shift's geofence, if any.
func inFence(sh shiftInfo, loc *Location) error {
	if sh.radius <= 0 {
		return nil
	}
	if loc == nil {
		f := apperr.Fields{}
		f.Add("location", "required", "checkin.location_required")
		return f.Err()
	}
	if d := distanceMetres(sh.lat, sh.lng, loc.Lat, loc.Lng); d > float64(sh.radius) {
		return apperr.New(apperr.Conflict, "checkin.outside_geofence").With(map[string]any{"Distance": int(d), "Radius": sh.radius})
	}
	return nil
}

// distanceMetres is the great-circle distance between two points (haversine).
func distanceMetres(lat1, lng1, lat2, lng2 float64) float64 {
	const earth = 6371000.0
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earth * math.Asin(math.Sqrt(a))
}
