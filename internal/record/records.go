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
	r, err := s.Get(ctx, p, id)
	if err != nil {
		return r, err
	}
	if !s.manages(p, r) {
		return r, errForbidden
	}
	if s.isOwn(ctx, p, r) {
		return r, apperr.New(apperr.Forbidden, "record.own_hours")
	}
	if r.State != StatePending {
		return r, apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
	}
	return s.change(ctx, p, r, "confirm", "", StateConfirmed, int64(r.Minutes), -int64(r.Minutes))
}

// Void cancels a record with a reason; it stays in the history.
func (s *Service) Void(ctx context.Context, p *auth.Principal, id int64, reason string) (Record, error) {
	r, err := s.Get(ctx, p, id)
	if err != nil {
		return r, err
	}
	if !s.manages(p, r) {
		return r, errForbidden
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		f := apperr.Fields{}
		f.Add("reason", "required", "record.reason_required")
		return r, f.Err()
	}
	var confirmed, pending int64
	switch r.State {
	case StateConfirmed:
		confirmed = -int64(r.Minutes)
	case StatePending, StatePendingApproval:
		pending = -int64(r.Minutes)
	default:
		return r, apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
	}
	return s.change(ctx, p, r, "void", reason, StateVoided, confirmed, pending)
}

// change moves a record to another state with its history, audit and the
// volunteer's running totals, in one transaction.
func (s *Service) change(ctx context.Context, p *auth.Principal, r Record, action, reason, to string, confirmed, pending int64) (Record, error) {
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		now := s.Now().Unix()
		ok, err := setRecordState(ctx, tx, r.ID, r.State, to, p.AccountID, now)
		if err != nil {
			return apperr.Wrap(err, "record: "+action)
		}
		if !ok {
			return apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
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
	})
	if err != nil {
		return r, err
	}
	return s.Get(ctx, p, r.ID)
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

// recordsOfQuery lists the records of volunteer $1, newest first.
const recordsOfQuery = `SELECT ` + recordColumns + ` FROM service_records r JOIN teams t ON t.id = r.team_id
	WHERE r.volunteer_id = $1 ORDER BY r.starts_at DESC, r.id DESC LIMIT 1000`

// History returns a record's changes, oldest first.
func (s *Service) History(ctx context.Context, p *auth.Principal, id int64) ([]HistoryEntry, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT action, reason, before_json, after_json, COALESCE(by_account, 0), at
		FROM service_record_history WHERE record_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "record: history")
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var at int64
		if err := rows.Scan(&h.Action, &h.Reason, &h.Before, &h.After, &h.By, &at); err != nil {
			return nil, apperr.Wrap(err, "record: history")
		}
		h.At = time.Unix(at, 0)
		out = append(out, h)
	}
	return out, apperr.Wrap(rows.Err(), "record: history")
}
