package project

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/volunteer"
)

var (
	errFull          = apperr.New(apperr.Conflict, "signup.full")
	errAlreadySigned = apperr.New(apperr.Conflict, "signup.already")
	errNotOpen       = apperr.New(apperr.Conflict, "signup.not_open")
	errClosed        = apperr.New(apperr.Conflict, "signup.closed")
	errSignupMissing = apperr.New(apperr.NotFound, "signup.not_found")
	errNeedVolunteer = apperr.New(apperr.Forbidden, "team.need_volunteer_record")
	// errAlreadyCancelled: the sign-up was cancelled before.
	errAlreadyCancelled = apperr.New(apperr.Conflict, "signup.already_cancelled")
	// errCheckedIn: the volunteer is at (or has done) the shift.
	errCheckedIn     = apperr.New(apperr.Conflict, "signup.checked_in")
	errTeamSuspended = apperr.New(apperr.Conflict, "team.suspended_no_work")
)

// SignUp gives the principal (a volunteer) a seat on a shift, or a place on
// its waiting list when the seats are gone. The seat counter is taken with a
// conditional update, so under any number of concurrent sign-ups the last
// seat goes to exactly one person. A shift overlapping one the volunteer is
// already on is refused, naming it; back-to-back shifts are fine.
func (s *Service) SignUp(ctx context.Context, p *auth.Principal, shiftID int64) (Signup, error) {
	sh, pr, volunteerID, err := s.shiftWithProject(ctx, p, shiftID)
	if errors.Is(err, errShiftNotFound) || (err == nil && volunteerID == 0) {
		// Not being a volunteer is said first, whether or not the shift is
		// there (and a record linked since the read above is found).
		id, verr := s.volunteers.MyID(ctx, p)
		if verr != nil {
			return Signup{}, apperr.Mask(verr, errNeedVolunteer)
		}
		volunteerID = id
	}
	if err != nil {
		return Signup{}, err
	}
	now := s.Now()
	switch {
	case pr.State != StatePublished:
		return Signup{}, apperr.New(apperr.Conflict, "signup.project_not_published")
	case pr.TeamSuspended:
		return Signup{}, errTeamSuspended
	case !sh.SignupOpensAt.IsZero() && now.Before(sh.SignupOpensAt):
		return Signup{}, errNotOpen
	case !now.Before(sh.SignupClosesAt) || !now.Before(sh.StartsAt):
		return Signup{}, errClosed
	}
	out := Signup{ShiftID: sh.ID, ProjectID: sh.ProjectID, VolunteerID: volunteerID, StartsAt: sh.StartsAt, EndsAt: sh.EndsAt, CreatedAt: now}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		db.AfterCommit(tx, s.open.forget) // the seats left change
		if err := s.db.Dialect.LockRow(ctx, tx, "volunteers", volunteerID); err != nil {
			return apperr.Wrap(err, "signup: lock")
		}
		if err := overlap(ctx, tx, volunteerID, sh); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE shifts SET taken = taken + 1 WHERE id = $1 AND taken < capacity`, sh.ID)
		if err != nil {
			return apperr.Wrap(err, "signup: seat")
		}
		out.Status = SignupConfirmed
		if n, _ := res.RowsAffected(); n == 0 {
			res, err = tx.ExecContext(ctx, `UPDATE shifts SET waiting = waiting + 1 WHERE id = $1 AND waiting < waitlist`, sh.ID)
			if err != nil {
				return apperr.Wrap(err, "signup: waitlist")
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errFull
			}
			out.Status = SignupWaitlisted
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO signups (shift_id, volunteer_id, status, starts_at, ends_at, region_code, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, sh.ID, volunteerID, out.Status, sh.StartsAt.Unix(), sh.EndsAt.Unix(),
			sh.RegionCode, now.Unix()).Scan(&out.ID)
		if db.IsUniqueViolation(err) {
			return errAlreadySigned
		}
		if err != nil {
			return apperr.Wrap(err, "signup: insert")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "signup", Entity: "shift", EntityID: strconv.FormatInt(sh.ID, 10),
			RegionCode: sh.RegionCode, Detail: map[string]any{"volunteer_id": volunteerID, "status": out.Status}})
	})
	return out, err
}

// shiftWithProject is Shift in one query: the shift, if p may see its
// project, the project's state and owners (the rest of it left empty), and
// the id of p's own volunteer record (0: none), which sign-ups and
// cancellations need too. The shift is errShiftNotFound if p may not see it.
func (s *Service) shiftWithProject(ctx context.Context, p *auth.Principal, id int64) (Shift, Project, int64, error) {
	var pr Project
	var me int64
	row := s.db.Read().QueryRowContext(ctx, `SELECT `+shiftColumns+`, p.state, p.team_id, p.region_code, p.team_suspended, `+myVolunteerID+`
		FROM shifts s JOIN projects p ON p.id = s.project_id WHERE s.id = $1`, id, accountOf(p))
	var suspended int
	sh, err := scanShift(scanWith{row, []any{&pr.State, &pr.TeamID, &pr.RegionCode, &suspended, &me}})
	pr.TeamSuspended = suspended != 0
	if errors.Is(err, sql.ErrNoRows) {
		return Shift{}, pr, 0, errShiftNotFound
	}
	if err != nil {
		return Shift{}, pr, 0, apperr.Wrap(err, "project: shift")
	}
	pr.ID, pr.Name = sh.ProjectID, sh.ProjectName
	if !s.visible(p, pr) {
		return Shift{}, Project{}, 0, errShiftNotFound
	}
	return sh, pr, me, nil
}

// myVolunteerID is the id of the volunteer record of account $2, or 0.
var myVolunteerID = `COALESCE(` + volunteer.OfAccountSQL("$2") + `, 0)`

// accountOf is p's account id, 0 for nobody (whose volunteer is none).
func accountOf(p *auth.Principal) int64 {
	if p == nil {
		return 0
	}
	return p.AccountID
}

// scanWith scans a row into a scanner's destinations and then more.
type scanWith struct {
	row  db.Scanner
	more []any
}

func (w scanWith) Scan(dest ...any) error { return w.row.Scan(append(dest, w.more...)...) }

// overlap refuses a shift that overlaps one the volunteer is on (or waiting
// for), naming the other shift. No shift lasts longer than MaxShiftLength,
// so only those starting less than that before this one can overlap it: the
// index on (volunteer_id, starts_at) is read over that window, not over the
// volunteer's whole history.
func overlap(ctx context.Context, q db.Querier, volunteerID int64, sh Shift) error {
	var other int64
	var name string
	var start, end int64
	err := q.QueryRowContext(ctx, `SELECT s.shift_id, p.name, s.starts_at, s.ends_at FROM signups s
		JOIN shifts x ON x.id = s.shift_id JOIN projects p ON p.id = x.project_id
		WHERE s.volunteer_id = $1 AND s.starts_at < $2 AND s.starts_at > $3 AND s.ends_at > $4 AND s.status <> 'cancelled' LIMIT 1`,
		volunteerID, sh.EndsAt.Unix(), sh.StartsAt.Add(-MaxShiftLength).Unix(), sh.StartsAt.Unix()).Scan(&other, &name, &start, &end)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return apperr.Wrap(err, "signup: overlap")
	}
	if other == sh.ID {
		return errAlreadySigned
	}
	return apperr.New(apperr.Conflict, "signup.overlap").With(map[string]any{
		"Project": name, "Start": time.Unix(start, 0).In(clock.Zone).Format("01-02 15:04"),
		"End": time.Unix(end, 0).In(clock.Zone).Format("15:04")})
}

// Cancel gives a seat up (the volunteer's own, or any on a shift the
// principal manages); the first on the waiting list takes it.
func (s *Service) Cancel(ctx context.Context, p *auth.Principal, signupID int64) error {
	var shiftID, volunteerID, me int64
	var status, region string
	var pr Project
	row := s.db.Read().QueryRowContext(ctx, `SELECT g.shift_id, g.volunteer_id, g.status, p.id, p.state, p.team_id, p.region_code, s.region_code, `+
		myVolunteerID+` FROM signups g JOIN shifts s ON s.id = g.shift_id JOIN projects p ON p.id = s.project_id WHERE g.id = $1`,
		signupID, accountOf(p))
	err := row.Scan(&shiftID, &volunteerID, &status, &pr.ID, &pr.State, &pr.TeamID, &pr.RegionCode, &region, &me)
	if errors.Is(err, sql.ErrNoRows) {
		return errSignupMissing
	}
	if err != nil {
		return apperr.Wrap(err, "signup: cancel")
	}
	mine := me != 0 && me == volunteerID
	if !s.visible(p, pr) || (!mine && !s.canManage(p, pr)) {
		return errSignupMissing
	}
	if status == SignupCancelled {
		return errAlreadyCancelled
	}
	return s.db.Tx(ctx, func(tx db.Querier) error {
		db.AfterCommit(tx, s.open.forget) // a seat comes free
		// The shift's row first: cancellations of one shift (whose
		// promotions touch each other's sign-ups) queue instead of deadlock.
		if err := s.db.Dialect.LockRow(ctx, tx, "shifts", shiftID); err != nil {
			return apperr.Wrap(err, "signup: lock shift")
		}
		now := s.Now().Unix()
		status, err := s.cancelAsItIs(ctx, tx, signupID, shiftID, volunteerID, now)
		if err != nil {
			return err
		}
		counter := "taken"
		if status == SignupWaitlisted {
			counter = "waiting"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shifts SET `+counter+` = `+counter+` - 1 WHERE id = $1`, shiftID); err != nil {
			return apperr.Wrap(err, "signup: free seat")
		}
		if status == SignupConfirmed {
			if err := promote(ctx, tx, shiftID, now); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "cancel", Entity: "shift", EntityID: strconv.FormatInt(shiftID, 10),
			RegionCode: region, Detail: map[string]any{"signup_id": signupID, "volunteer_id": volunteerID}})
	})
}

// cancelAsItIs cancels the sign-up in whatever state it is in inside the
// transaction and returns that state. A waiting-list place may have been
// promoted to a seat since it was read (by a seat holder's cancellation
// racing this one): the update is conditional on the state read, and a
// state changed under it is read again, so the cancellation always acts on
// the sign-up as it is. A sign-up whose volunteer has checked in is not
// cancelled: the attendance stays, and the team closes it.
func (s *Service) cancelAsItIs(ctx context.Context, tx db.Querier, signupID, shiftID, volunteerID, now int64) (string, error) {
	if s.checkedIn != nil {
		in, err := s.checkedIn(ctx, tx, shiftID, volunteerID)
		if err != nil {
			return "", apperr.Wrap(err, "signup: attendance")
		}
		if in {
			return "", errCheckedIn
		}
	}
	// A sign-up changes state at most twice (waitlisted, confirmed,
	// cancelled), so a third read always settles it.
	for range 3 {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM signups WHERE id = $1`, signupID).Scan(&status)
		if err != nil {
			return "", apperr.Wrap(err, "signup: cancel")
		}
		if status == SignupCancelled {
			return "", errAlreadyCancelled
		}
		res, err := tx.ExecContext(ctx, `UPDATE signups SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND status = $3`, now, signupID, status)
		if err != nil {
			return "", apperr.Wrap(err, "signup: cancel")
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return status, nil
		}
	}
	return "", errAlreadyCancelled
}

// promote moves the first waiting volunteer onto a freed seat.
func promote(ctx context.Context, tx db.Querier, shiftID, now int64) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM signups WHERE shift_id = $1 AND status = 'waitlisted' ORDER BY id LIMIT 1`, shiftID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return apperr.Wrap(err, "signup: promote")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE signups SET status = 'confirmed', updated_at = $1 WHERE id = $2`, now, id); err != nil {
		return apperr.Wrap(err, "signup: promote")
	}
	_, err = tx.ExecContext(ctx, `UPDATE shifts SET taken = taken + 1, waiting = waiting - 1 WHERE id = $1`, shiftID)
	return apperr.Wrap(err, "signup: promote")
}
