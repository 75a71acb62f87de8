package record

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
)

// MaxUpload is the largest evidence file accepted.
const MaxUpload = 10 << 20

// evidenceTypes are the kinds of evidence accepted, by content, not name.
var evidenceTypes = map[string]bool{"image/jpeg": true, "image/png": true, "application/pdf": true}

// Upload stores an evidence file (a photo or a PDF) for a backfill. The type
// is read from the content; anything else is refused.
func (s *Service) Upload(ctx context.Context, p *auth.Principal, filename string, data []byte) (int64, error) {
	if !auth.Allowed(p, auth.PermAttendanceManage) {
		return 0, errForbidden
	}
	if len(data) > MaxUpload {
		return 0, &apperr.Error{Kind: apperr.TooLarge, Key: "record.upload_too_large",
			Fields: map[string]apperr.Field{"file": {Code: "too_large", Key: "record.upload_too_large"}}}
	}
	f := apperr.Fields{}
	ct := http.DetectContentType(data)
	switch {
	case len(data) == 0:
		f.Add("file", "required", "record.upload_required")
	case !evidenceTypes[ct] || !evidenceValid(ct, data):
		f.Add("file", "type", "record.upload_type")
	}
	if err := f.Err(); err != nil {
		return 0, err
	}
	sum := sha256.Sum256(data)
	var id int64
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		if err := s.checkUploadQuota(ctx, tx, p.AccountID, len(data), s.Now()); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO uploads (account_id, filename, content_type, size, sha256, data, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, db.NullID(p.AccountID), truncate(filename, 200), ct, len(data),
			sum[:], data, s.Now().Unix()).Scan(&id); err != nil {
			return apperr.Wrap(err, "record: upload")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "upload", Entity: "upload", EntityID: strconv.FormatInt(id, 10),
			RegionCode: p.RegionCode, Detail: map[string]any{"type": ct, "size": len(data)}})
	})
	return id, err
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// CreateBackfill enters past service (补录): it needs evidence and waits for
// a second person to approve it, and stays marked as backfilled.
func (s *Service) CreateBackfill(ctx context.Context, p *auth.Principal, in Backfill) (Record, error) {
	f := apperr.Fields{}
	start, err1 := time.Parse(time.RFC3339, strings.TrimSpace(in.StartsAt))
	end, err2 := time.Parse(time.RFC3339, strings.TrimSpace(in.EndsAt))
	switch {
	case err1 != nil:
		f.Add("starts_at", "format", "project.time_format")
	case err2 != nil:
		f.Add("ends_at", "format", "project.time_format")
	case !end.After(start) || end.Sub(start) > 24*time.Hour:
		f.Add("ends_at", "range", "record.backfill_range")
	case end.After(s.Now()):
		f.Add("ends_at", "future", "record.backfill_future")
	}
	content := strings.TrimSpace(in.Content)
	if content == "" || utf8.RuneCountInString(content) > 500 {
		f.Add("content", "required", "record.content_required")
	}
	if len(in.EvidenceUploadIDs) == 0 {
		f.Add("evidence_upload_ids", "required", "record.evidence_required")
	}
	if err := f.Err(); err != nil {
		return Record{}, err
	}
	// The team backfills for whoever served in its project, member or not.
	var volunteerID int64
	if err := s.db.Read().QueryRowContext(ctx, `SELECT id FROM volunteers WHERE id = $1`, in.VolunteerID).Scan(&volunteerID); err != nil {
		fe := apperr.Fields{}
		fe.Add("volunteer_id", "unknown", "volunteer.not_found")
		return Record{}, fe.Err()
	}
	var teamID int64
	var regionCode, project, place, leader string
	err := s.db.Read().QueryRowContext(ctx, `SELECT team_id, region_code, name, address, contact_name FROM projects WHERE id = $1`, in.ProjectID).
		Scan(&teamID, &regionCode, &project, &place, &leader)
	if errors.Is(err, sql.ErrNoRows) {
		fe := apperr.Fields{}
		fe.Add("project_id", "unknown", "project.not_found")
		return Record{}, fe.Err()
	}
	if err != nil {
		return Record{}, apperr.Wrap(err, "record: backfill project")
	}
	if !auth.Can(p, auth.PermAttendanceManage, auth.Target{RegionCode: regionCode, TeamID: teamID}) {
		return Record{}, errForbidden
	}
	if strings.TrimSpace(in.Place) != "" {
		place = strings.TrimSpace(in.Place)
	}
	r := Record{VolunteerID: volunteerID, TeamID: teamID, ProjectID: in.ProjectID, RegionCode: regionCode, Activity: project,
		Place: place, Content: content, StartsAt: start, EndsAt: end, Minutes: s.round(end.Sub(start)), LeaderName: leader,
		State: StatePendingApproval, Backfilled: true, RecordedBy: p.AccountID, DueAt: addWorkingDays(s.Now(), ConfirmWorkingDays)}
	var id int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		now := s.Now().Unix()
		for _, up := range in.EvidenceUploadIDs {
			var owner sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT account_id FROM uploads WHERE id = $1`, up).Scan(&owner)
			if err != nil || owner.Int64 != p.AccountID {
				fe := apperr.Fields{}
				fe.Add("evidence_upload_ids", "unknown", "record.evidence_unknown")
				return fe.Err()
			}
		}
		var err error
		if id, err = insertRecord(ctx, tx, r, 0, now); err != nil {
			return apperr.Wrap(err, "record: backfill")
		}
		for _, up := range in.EvidenceUploadIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO record_evidence (record_id, upload_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, up); err != nil {
				return apperr.Wrap(err, "record: evidence")
			}
		}
		if err := insertHistory(ctx, tx, id, "backfill", "", "{}", recordJSON(r), p.AccountID, now); err != nil {
			return apperr.Wrap(err, "record: history")
		}
		if err := addHours(ctx, tx, volunteerID, 0, int64(r.Minutes), now); err != nil {
			return apperr.Wrap(err, "record: hours")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "backfill", Entity: "service_record", EntityID: strconv.FormatInt(id, 10),
			RegionCode: regionCode, Detail: map[string]any{"volunteer_id": volunteerID, "minutes": r.Minutes, "evidence": in.EvidenceUploadIDs}})
	})
	if err != nil {
		return Record{}, err
	}
	return s.Get(ctx, p, id)
}

// Approve is the second person approving a backfill: never the one who
// entered it, never the volunteer themself.
func (s *Service) Approve(ctx context.Context, p *auth.Principal, id int64) (Record, error) {
	r, err := s.Get(ctx, p, id)
	if err != nil {
		return r, err
	}
	if !s.manages(p, r) {
		return r, errForbidden
	}
	if r.State != StatePendingApproval {
		return r, apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
	}
	if r.RecordedBy == p.AccountID {
		return r, apperr.New(apperr.Forbidden, "record.same_approver")
	}
	if s.isOwn(ctx, p, r) {
		return r, apperr.New(apperr.Forbidden, "record.own_hours")
	}
	return s.change(ctx, p, r, "approve", "", StateConfirmed, int64(r.Minutes), -int64(r.Minutes))
}
