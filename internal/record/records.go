package record

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
)

// recordJSON is a record's fields for its history.
func recordJSON(r Record) string {
	b, _ := json.Marshal(map[string]any{"starts_at": r.StartsAt.Unix(), "ends_at": r.EndsAt.Unix(), "minutes": r.Minutes,
		"content": r.Content, "place": r.Place, "state": r.State})
	return string(b)
}

// Get returns a record the principal may see: the volunteer's own, or one
// of a team it manages.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id int64) (Record, error) {
	r, err := recordByID(ctx, s.db.Read(), id)
	if errors.Is(err, db.ErrNotFound) {
		return r, errRecordMissing
	}
	if err != nil {
		return r, apperr.Wrap(err, "record: get")
	}
	if s.manages(p, r) || s.isOwn(ctx, p, r) {
		return r, nil
	}
	return Record{}, errRecordMissing
}

func (s *Service) manages(p *auth.Principal, r Record) bool {
	return auth.Can(p, auth.PermAttendanceManage, auth.Target{RegionCode: r.RegionCode, TeamID: r.TeamID})
}

func (s *Service) isOwn(ctx context.Context, p *auth.Principal, r Record) bool {
	id, err := s.volunteers.MyID(ctx, p)
	return err == nil && id == r.VolunteerID
}

// Confirm is the team confirming a record. Nobody confirms their own hours.
func (s *Service) Confirm(ctx context.Context, p *auth.Principal, id int64) (Record, error) {
	return s.withRecord(ctx, p, id, true, func(tx db.Querier, r Record) error {
		if r.State != StatePending {
			return apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
		}
		return s.change(ctx, tx, p, r, "confirm", "", StateConfirmed, int64(r.Minutes), -int64(r.Minutes))
	})
}

// Void cancels a record with a reason; it stays in the history. A pending
// amendment of it is withdrawn.
func (s *Service) Void(ctx context.Context, p *auth.Principal, id int64, reason string) (Record, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		f := apperr.Fields{}
		f.Add("reason", "required", "record.reason_required")
		return Record{}, f.Err()
	}
	return s.withRecord(ctx, p, id, false, func(tx db.Querier, r Record) error {
		var confirmed, pending int64
		switch r.State {
		case StateConfirmed:
			confirmed = -int64(r.Minutes)
		case StatePending, StatePendingApproval:
			pending = -int64(r.Minutes)
		default:
			return apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
		}
		if err := withdrawAmendment(ctx, tx, r.ID, p.AccountID, s.Now().Unix()); err != nil {
			return apperr.Wrap(err, "record: void")
		}
		return s.change(ctx, tx, p, r, "void", reason, StateVoided, confirmed, pending)
	})
}

// overlapError is the conflict of a time of service with another record of
// the volunteer, naming its project, date and time, its id in the fields.
func overlapError(other Record) error {
	e := apperr.New(apperr.Conflict, "record.overlap").With(map[string]any{"Project": other.Activity,
		"Date": other.StartsAt.In(clock.Zone).Format("2006-01-02"), "From": other.StartsAt.In(clock.Zone).Format("15:04"),
		"To": other.EndsAt.In(clock.Zone).Format("15:04")})
	e.Fields = map[string]apperr.Field{"overlapping_record_id": {Code: strconv.FormatInt(other.ID, 10), Key: "record.overlap_field",
		Args: map[string]any{"ID": other.ID}}}
	return e
}

// checkOverlap refuses a time of service of volunteerID that overlaps
// another of their records (except the record itself). The caller holds
// the volunteer's row (LockRow) on PostgreSQL.
func checkOverlap(ctx context.Context, tx db.Querier, volunteerID int64, start, end time.Time, except int64) error {
	other, ok, err := overlapping(ctx, tx, volunteerID, start, end, except)
	if err != nil {
		return apperr.Wrap(err, "record: overlap")
	}
	if ok {
		return overlapError(other)
	}
	return nil
}

// withRecord runs fn in one write transaction on the record as it is in
// that transaction: its row locked on PostgreSQL (SQLite's writer is
// serial), so a state, minutes or version read before the transaction
// never decides a change. The principal must manage the record and, with
// refuseOwn, may not be its volunteer.
func (s *Service) withRecord(ctx context.Context, p *auth.Principal, id int64, refuseOwn bool, fn func(tx db.Querier, r Record) error) (Record, error) {
	r, err := s.Get(ctx, p, id)
	if err != nil {
		return r, err
	}
	if !s.manages(p, r) {
		return r, errForbidden
	}
	if refuseOwn && s.isOwn(ctx, p, r) { // the volunteer of a record never changes
		return r, apperr.New(apperr.Forbidden, "record.own_hours")
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := s.db.Dialect.LockRow(ctx, tx, "service_records", id); err != nil {
			return apperr.Wrap(err, "record: lock")
		}
		cur, err := recordByID(ctx, tx, id)
		if err != nil {
			return apperr.Wrap(err, "record: read")
		}
		return fn(tx, cur)
	})
	if err != nil {
		return r, err
	}
	return s.Get(ctx, p, id)
}

// change moves a record, read in tx, to another state with its history,
// audit and the volunteer's running totals; the write checks the version
// read.
func (s *Service) change(ctx context.Context, tx db.Querier, p *auth.Principal, r Record, action, reason, to string, confirmed, pending int64) error {
	now := s.Now().Unix()
	ok, err := setRecordState(ctx, tx, r.ID, r.Version, to, p.AccountID, now)
	if err != nil {
		return apperr.Wrap(err, "record: "+action)
	}
	if !ok {
		return apperr.New(apperr.Conflict, "record.changed")
	}
	before := recordJSON(r)
	r.State = to
	if err := insertHistory(ctx, tx, r.ID, action, reason, before, recordJSON(r), p.AccountID, now); err != nil {
		return apperr.Wrap(err, "record: history")
	}
	if err := addHours(ctx, tx, r.VolunteerID, confirmed, pending, now); err != nil {
		return apperr.Wrap(err, "record: hours")
	}
	if to == StateVoided { // what a certificate counted no longer holds
		if _, err := s.RevokeCertificatesCounting(ctx, tx, r.ID, reason, p.AccountID); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, audit.Entry{Action: action, Entity: "service_record", EntityID: strconv.FormatInt(r.ID, 10),
		RegionCode: r.RegionCode, Detail: map[string]any{"reason": reason, "minutes": r.Minutes}})
}

// OfVolunteer lists a volunteer's records, newest first, to the volunteer
// and to those who may see the volunteer.
func (s *Service) OfVolunteer(ctx context.Context, p *auth.Principal, volunteerID int64) ([]Record, error) {
	if _, err := s.volunteers.Get(ctx, p, volunteerID); err != nil {
		return nil, err
	}
	return s.recordsOf(ctx, volunteerID)
}

// recordsOf lists a volunteer's records, newest first.
func (s *Service) recordsOf(ctx context.Context, volunteerID int64) ([]Record, error) {
	list, err := db.QueryAll(ctx, s.db.Read(), scanRecord, recordsOfQuery, volunteerID)
	return list, apperr.Wrap(err, "record: list")
}

// History returns a record's changes, oldest first.
func (s *Service) History(ctx context.Context, p *auth.Principal, id int64) ([]HistoryEntry, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	out, err := historyOf(ctx, s.db.Read(), id)
	return out, apperr.Wrap(err, "record: history")
}
