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
	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

// Amendment corrects a record's times or content, with a reason.
type Amendment struct {
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
	Content  string `json:"content"`
	Reason   string `json:"reason"`
}

func reasonField(f apperr.Fields, reason string) string {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		f.Add("reason", "required", "record.reason_required")
	}
	return reason
}

// Amend corrects a pending or confirmed record; the old values stay in its
// history and the volunteer's totals move by the difference.
func (s *Service) Amend(ctx context.Context, p *auth.Principal, id int64, in Amendment) (Record, error) {
	r, err := s.Get(ctx, p, id)
	if err != nil {
		return r, err
	}
	if !s.manages(p, r) {
		return r, errForbidden
	}
	if r.State != StatePending && r.State != StateConfirmed {
		return r, apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
	}
	f := apperr.Fields{}
	reason := reasonField(f, in.Reason)
	next := r
	if in.StartsAt != "" || in.EndsAt != "" {
		start, err1 := time.Parse(time.RFC3339, strings.TrimSpace(in.StartsAt))
		end, err2 := time.Parse(time.RFC3339, strings.TrimSpace(in.EndsAt))
		if err1 != nil || err2 != nil || !end.After(start) || end.Sub(start) > 24*time.Hour {
			f.Add("ends_at", "range", "record.backfill_range")
		}
		next.StartsAt, next.EndsAt, next.Minutes = start, end, s.round(end.Sub(start))
	}
	if c := strings.TrimSpace(in.Content); c != "" {
		next.Content = c
	}
	if err := f.Err(); err != nil {
		return r, err
	}
	delta := int64(next.Minutes - r.Minutes)
	var confirmed, pending int64
	if r.State == StateConfirmed {
		confirmed = delta
	} else {
		pending = delta
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		now := s.Now().Unix()
		snap, err := stats.Take(ctx, tx, stats.Record(r.ID))
		if err != nil {
			return apperr.Wrap(err, "record: amend")
		}
		res, err := tx.ExecContext(ctx, `UPDATE service_records SET starts_at = $1, ends_at = $2, minutes = $3, content = $4,
			version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7`,
			next.StartsAt.Unix(), next.EndsAt.Unix(), next.Minutes, next.Content, now, r.ID, r.Version)
		if err != nil {
			return apperr.Wrap(err, "record: amend")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "record.changed")
		}
		if err := snap.Apply(ctx, tx); err != nil {
			return apperr.Wrap(err, "record: amend")
		}
		if err := insertHistory(ctx, tx, r.ID, "amend", reason, recordJSON(r), recordJSON(next), p.AccountID, now); err != nil {
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
		return audit.Write(ctx, tx, audit.Entry{Action: "amend", Entity: "service_record", EntityID: strconv.FormatInt(r.ID, 10),
			RegionCode: r.RegionCode, Detail: map[string]any{"reason": reason, "minutes_before": r.Minutes, "minutes_after": next.Minutes}})
	})
	if err != nil {
		return r, err
	}
	return s.Get(ctx, p, id)
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
	message = reasonField(f, message)
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

// ManualAttendance is a leader entering attendance by hand.
type ManualAttendance struct {
	VolunteerID int64  `json:"volunteer_id"`
	CheckInAt   string `json:"check_in_at"`
	CheckOutAt  string `json:"check_out_at"`
	Reason      string `json:"reason"`
}

// EnterAttendance records a signed-up volunteer's attendance by hand, with a
// reason (a phone without a camera, a forgotten scan); it creates the record.
func (s *Service) EnterAttendance(ctx context.Context, p *auth.Principal, shiftID int64, in ManualAttendance) (Scan, error) {
	sh, err := s.managedShift(ctx, p, shiftID)
	if err != nil {
		return Scan{}, err
	}
	f := apperr.Fields{}
	reason := reasonField(f, in.Reason)
	in1, err1 := time.Parse(time.RFC3339, strings.TrimSpace(in.CheckInAt))
	out, err2 := time.Parse(time.RFC3339, strings.TrimSpace(in.CheckOutAt))
	if err1 != nil || err2 != nil || !out.After(in1) || out.After(s.Now()) {
		f.Add("check_out_at", "range", "record.manual_range")
	}
	if err := f.Err(); err != nil {
		return Scan{}, err
	}
	if _, err := s.attend(ctx, sh, in.VolunteerID, "manual", reason, p.AccountID, in1, true); err != nil {
		return Scan{}, err
	}
	return s.attend(ctx, sh, in.VolunteerID, "manual", reason, p.AccountID, out, true)
}

// Overdue lists a team's records still unconfirmed past their deadline.
func (s *Service) Overdue(ctx context.Context, p *auth.Principal, teamID int64) ([]Record, error) {
	return s.Awaiting(ctx, p, teamID, true)
}

// Awaiting lists a team's records waiting for confirmation (or a second
// approver), oldest deadline first; overdueOnly keeps those past it.
func (s *Service) Awaiting(ctx context.Context, p *auth.Principal, teamID int64, overdueOnly bool) ([]Record, error) {
	var region string
	if err := s.db.Read().QueryRowContext(ctx, `SELECT region_code FROM teams WHERE id = $1`, teamID).Scan(&region); err != nil {
		return nil, apperr.Mask(err, apperr.New(apperr.NotFound, "team.not_found"))
	}
	if !auth.Can(p, auth.PermAttendanceManage, auth.Target{TeamID: teamID, RegionCode: region}) {
		return nil, errForbidden
	}
	due := int64(1 << 62)
	if overdueOnly {
		due = s.Now().Unix()
	}
	list, err := db.QueryAll(ctx, s.db.Read(), scanRecord, `SELECT `+recordColumns+` FROM service_records r JOIN teams t ON t.id = r.team_id
		WHERE r.team_id = $1 AND r.state IN ('pending', 'pending_approval') AND r.due_at < $2 ORDER BY r.due_at, r.id LIMIT 1000`, teamID, due)
	return list, apperr.Wrap(err, "record: awaiting")
}
