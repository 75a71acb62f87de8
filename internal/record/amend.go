package record

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/team"
)

// Amendment corrects a record's times or content, with a reason.
type Amendment struct {
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
	Content  string `json:"content"`
	Reason   string `json:"reason"`
}

// ReasonField trims the reason of a change and adds its error to f when
// it is empty or longer than 500 characters.
func ReasonField(f apperr.Fields, reason string) string {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		f.Add("reason", "required", "record.reason_required")
	}
	return reason
}

// earliestService is the first moment a time of service may lie at.
var earliestService = time.Date(2000, 1, 1, 0, 0, 0, 0, clock.Zone)

// serviceTimes parses and checks a past time of service: both times set,
// the end after the start and at most 24 hours later, between 2000-01-01
// and now.
func serviceTimes(f apperr.Fields, startsAt, endsAt string, now time.Time) (time.Time, time.Time) {
	start, err1 := time.Parse(time.RFC3339, strings.TrimSpace(startsAt))
	end, err2 := time.Parse(time.RFC3339, strings.TrimSpace(endsAt))
	switch {
	case err1 != nil:
		f.Add("starts_at", "format", "project.time_format")
	case err2 != nil:
		f.Add("ends_at", "format", "project.time_format")
	case start.Before(earliestService):
		f.Add("starts_at", "range", "record.time_too_early")
	case !end.After(start) || end.Sub(start) > 24*time.Hour:
		f.Add("ends_at", "range", "record.backfill_range")
	case end.After(now):
		f.Add("ends_at", "future", "record.backfill_future")
	}
	return start, end
}

// Amend corrects a pending or confirmed record; the old values stay in its
// history and the volunteer's totals move by the difference. Nobody amends
// their own record. An amendment that raises a confirmed record's minutes
// waits for a second person's approval (Approve) and the record keeps its
// values until then; a new amendment replaces one still waiting.
func (s *Service) Amend(ctx context.Context, p *auth.Principal, id int64, in Amendment) (Record, error) {
	f := apperr.Fields{}
	reason := ReasonField(f, in.Reason)
	var start, end time.Time
	times := in.StartsAt != "" || in.EndsAt != ""
	if times {
		start, end = serviceTimes(f, in.StartsAt, in.EndsAt, s.Now())
	}
	content := strings.TrimSpace(in.Content)
	if utf8.RuneCountInString(content) > 500 {
		f.Add("content", "too_long", "record.content_required")
	}
	if err := f.Err(); err != nil {
		return Record{}, err
	}
	return s.withRecord(ctx, p, id, true, func(tx db.Querier, r Record) error {
		if r.State != StatePending && r.State != StateConfirmed {
			return apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
		}
		next := r
		if times {
			next.StartsAt, next.EndsAt, next.Minutes = start, end, s.round(end.Sub(start))
		}
		if content != "" {
			next.Content = content
		}
		if times {
			if err := s.noOverlap(ctx, tx, next); err != nil {
				return err
			}
		}
		now := s.Now().Unix()
		if err := withdrawAmendment(ctx, tx, r.ID, p.AccountID, now); err != nil {
			return apperr.Wrap(err, "record: amend")
		}
		if r.State == StateConfirmed && next.Minutes > r.Minutes {
			return s.proposeAmendment(ctx, tx, p, r, next, reason, now)
		}
		return s.applyAmendment(ctx, tx, p, r, next, "amend", reason)
	})
}

// noOverlap refuses r's new times when they overlap another record of its
// volunteer, whose row it holds (PostgreSQL) for the rest of tx.
func (s *Service) noOverlap(ctx context.Context, tx db.Querier, r Record) error {
	if err := s.db.Dialect.LockRow(ctx, tx, "volunteers", r.VolunteerID); err != nil {
		return apperr.Wrap(err, "record: lock")
	}
	return checkOverlap(ctx, tx, r.VolunteerID, r.StartsAt, r.EndsAt, r.ID)
}

// proposeAmendment keeps an amendment raising a confirmed record's minutes
// for a second person to approve.
func (s *Service) proposeAmendment(ctx context.Context, tx db.Querier, p *auth.Principal, r, next Record, reason string, now int64) error {
	if err := insertAmendment(ctx, tx, r.TeamID, next, reason, p.AccountID, now); err != nil {
		return apperr.Wrap(err, "record: amendment")
	}
	if err := insertHistory(ctx, tx, r.ID, "amend_request", reason, recordJSON(r), recordJSON(next), p.AccountID, now); err != nil {
		return apperr.Wrap(err, "record: history")
	}
	return audit.Write(ctx, tx, audit.Entry{Action: "amend_request", Entity: "service_record", EntityID: strconv.FormatInt(r.ID, 10),
		RegionCode: r.RegionCode, Detail: map[string]any{"reason": reason, "minutes_before": r.Minutes, "minutes_after": next.Minutes}})
}

// applyAmendment writes next over record r, read in tx at its version, with
// its history, figures, audit and the volunteer's totals.
func (s *Service) applyAmendment(ctx context.Context, tx db.Querier, p *auth.Principal, r, next Record, action, reason string) error {
	var confirmed, pending int64
	if delta := int64(next.Minutes - r.Minutes); r.State == StateConfirmed {
		confirmed = delta
	} else {
		pending = delta
	}
	now := s.Now().Unix()
	snap, err := stats.Take(ctx, tx, figuresOf(r.ID))
	if err != nil {
		return apperr.Wrap(err, "record: amend")
	}
	ok, err := amendRecord(ctx, tx, next, r.Version, now)
	if err != nil {
		return apperr.Wrap(err, "record: amend")
	}
	if !ok {
		return apperr.New(apperr.Conflict, "record.changed")
	}
	if err := snap.Apply(ctx, tx); err != nil {
		return apperr.Wrap(err, "record: amend")
	}
	if err := insertHistory(ctx, tx, r.ID, action, reason, recordJSON(r), recordJSON(next), p.AccountID, now); err != nil {
		return apperr.Wrap(err, "record: history")
	}
	if err := addHours(ctx, tx, r.VolunteerID, confirmed, pending, now); err != nil {
		return apperr.Wrap(err, "record: hours")
	}
	if confirmed < 0 { // fewer hours than a certificate counted
		if _, err := s.RevokeCertificatesCounting(ctx, tx, r.ID, reason, p.AccountID); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, audit.Entry{Action: action, Entity: "service_record", EntityID: strconv.FormatInt(r.ID, 10),
		RegionCode: r.RegionCode, Detail: map[string]any{"reason": reason, "minutes_before": r.Minutes, "minutes_after": next.Minutes}})
}

// RequestCorrection is a volunteer asking the team to correct their record;
// the request joins the record's history for the team to act on.
func (s *Service) RequestCorrection(ctx context.Context, p *auth.Principal, id int64, message string) error {
	r, err := s.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if !s.isOwn(ctx, p, r) {
		return errForbidden
	}
	f := apperr.Fields{}
	message = ReasonField(f, message)
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx db.Querier) error {
		if err := insertHistory(ctx, tx, r.ID, "correction_request", message, "{}", "{}", p.AccountID, s.Now().Unix()); err != nil {
			return apperr.Wrap(err, "record: correction")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "correction_request", Entity: "service_record", EntityID: strconv.FormatInt(r.ID, 10),
			RegionCode: r.RegionCode})
	})
}

// Overdue lists a team's records still unconfirmed past their deadline.
func (s *Service) Overdue(ctx context.Context, p *auth.Principal, teamID int64) ([]Record, error) {
	return s.Awaiting(ctx, p, teamID, true)
}

// Awaiting lists a team's records waiting for confirmation (or a second
// approver), oldest deadline first; overdueOnly keeps those past it.
func (s *Service) Awaiting(ctx context.Context, p *auth.Principal, teamID int64, overdueOnly bool) ([]Record, error) {
	t, err := team.FactsOf(ctx, s.db.Read(), teamID)
	if err != nil {
		return nil, apperr.Mask(err, apperr.New(apperr.NotFound, "team.not_found"))
	}
	if !auth.Can(p, auth.PermAttendanceManage, auth.Target{TeamID: teamID, RegionCode: t.RegionCode}) {
		return nil, errForbidden
	}
	due := int64(1 << 62)
	if overdueOnly {
		due = s.Now().Unix()
	}
	list, err := db.QueryAll(ctx, s.db.Read(), scanRecord, unconfirmedOfTeamQuery, teamID, due)
	if err != nil || overdueOnly {
		return list, apperr.Wrap(err, "record: awaiting")
	}
	amended, err := db.QueryAll(ctx, s.db.Read(), scanRecord, amendedOfTeamQuery, teamID)
	return append(list, amended...), apperr.Wrap(err, "record: awaiting")
}

// PendingAmendment is the amendment of a record waiting for a second
// person's approval, to those who may see the record; ok is false when none
// waits.
func (s *Service) PendingAmendment(ctx context.Context, p *auth.Principal, id int64) (Amendment, bool, error) {
	r, err := s.Get(ctx, p, id)
	if err != nil {
		return Amendment{}, false, err
	}
	a, _, _, ok, err := pendingAmendment(ctx, s.db.Read(), r)
	return a, ok, apperr.Wrap(err, "record: amendment")
}
