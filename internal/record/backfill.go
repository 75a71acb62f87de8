package record

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
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
		var err error
		if id, err = insertUpload(ctx, tx, p.AccountID, truncate(filename, 200), ct, data, sum[:], s.Now().Unix()); err != nil {
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

// MaxEvidence is the most uploads one backfill names.
const MaxEvidence = 20

// distinct returns ids without repeats, in their first order.
func distinct(ids []int64) []int64 {
	seen := make(map[int64]bool, min(len(ids), 64))
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
		if len(out) > MaxEvidence {
			break // enough to refuse the list
		}
	}
	return out
}

// ownUploads checks, before any transaction, that each upload exists and
// was uploaded by the principal.
func (s *Service) ownUploads(ctx context.Context, p *auth.Principal, uploads []int64) error {
	for _, up := range uploads {
		owner, err := uploadOwner(ctx, s.db.Read(), up)
		if errors.Is(err, db.ErrNotFound) || (err == nil && owner != p.AccountID) {
			fe := apperr.Fields{}
			fe.Add("evidence_upload_ids", "unknown", "record.evidence_unknown")
			return fe.Err()
		}
		if err != nil {
			return apperr.Wrap(err, "record: evidence")
		}
	}
	return nil
}

// CreateBackfill enters past service (补录): it needs evidence and waits for
// a second person to approve it, and stays marked as backfilled.
func (s *Service) CreateBackfill(ctx context.Context, p *auth.Principal, in Backfill) (Record, error) {
	f := apperr.Fields{}
	start, end := serviceTimes(f, in.StartsAt, in.EndsAt, s.Now())
	content := strings.TrimSpace(in.Content)
	if content == "" || utf8.RuneCountInString(content) > 500 {
		f.Add("content", "required", "record.content_required")
	}
	evidence := distinct(in.EvidenceUploadIDs)
	switch {
	case len(evidence) == 0:
		f.Add("evidence_upload_ids", "required", "record.evidence_required")
	case len(evidence) > MaxEvidence:
		f.AddArgs("evidence_upload_ids", "too_many", "record.evidence_too_many", map[string]any{"Max": MaxEvidence})
	}
	if err := f.Err(); err != nil {
		return Record{}, err
	}
	// The team backfills for whoever served in its project, member or not.
	volunteerID := in.VolunteerID
	if ok, err := volunteer.Exists(ctx, s.db.Read(), volunteerID); err != nil || !ok {
		fe := apperr.Fields{}
		fe.Add("volunteer_id", "unknown", "volunteer.not_found")
		return Record{}, fe.Err()
	}
	var teamID int64
	var regionCode, project, place, leader string
	var state string
	var suspended int
	err := s.db.Read().QueryRowContext(ctx, `SELECT team_id, region_code, name, address, contact_name, state, team_suspended FROM projects WHERE id = $1`, in.ProjectID).
		Scan(&teamID, &regionCode, &project, &place, &leader, &state, &suspended)
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
	if suspended != 0 {
		return Record{}, errTeamStopped
	}
	if state != "published" && state != "closed" { // a project never reviewed had no service to record
		fe := apperr.Fields{}
		fe.Add("project_id", "not_published", "record.backfill_unpublished")
		return Record{}, fe.Err()
	}
	if err := s.ownUploads(ctx, p, evidence); err != nil {
		return Record{}, err
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
		// One upload backs one backfill: its row is held until the commit
		// (PostgreSQL; SQLite's writer is serial), and so is the volunteer's,
		// for the overlap check.
		for _, up := range evidence {
			if err := s.db.Dialect.LockRow(ctx, tx, "uploads", up); err != nil {
				return apperr.Wrap(err, "record: evidence")
			}
		}
		if used, err := usedEvidence(ctx, tx, evidence); err != nil {
			return apperr.Wrap(err, "record: evidence")
		} else if used != 0 {
			fe := apperr.Fields{}
			fe.AddArgs("evidence_upload_ids", "used", "record.evidence_used", map[string]any{"ID": used})
			return fe.Err()
		}
		if err := s.db.Dialect.LockRow(ctx, tx, "volunteers", volunteerID); err != nil {
			return apperr.Wrap(err, "record: lock")
		}
		if err := checkOverlap(ctx, tx, volunteerID, start, end, 0); err != nil {
			return err
		}
		var err error
		if id, err = insertRecord(ctx, tx, r, 0, now); err != nil {
			return apperr.Wrap(err, "record: backfill")
		}
		for _, up := range evidence {
			if err := linkEvidence(ctx, tx, id, up); err != nil {
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
			RegionCode: regionCode, Detail: map[string]any{"volunteer_id": volunteerID, "minutes": r.Minutes, "evidence": evidence}})
	})
	if err != nil {
		return Record{}, err
	}
	return s.Get(ctx, p, id)
}

// Approve is the second person approving a backfill, or an amendment that
// raises a confirmed record's minutes: never the one who entered it, never
// the volunteer themself, and independent of the one who entered it
// (team.IndependentApprover).
func (s *Service) Approve(ctx context.Context, p *auth.Principal, id int64) (Record, error) {
	return s.withRecord(ctx, p, id, true, func(tx db.Querier, r Record) error {
		if r.State == StatePendingApproval {
			if r.RecordedBy == p.AccountID {
				return apperr.New(apperr.Forbidden, "record.same_approver")
			}
			if err := team.IndependentApprover(ctx, tx, r.TeamID, p, r.RecordedBy, r.VolunteerID, s.Now()); err != nil {
				return err
			}
			return s.change(ctx, tx, p, r, "approve", "", StateConfirmed, int64(r.Minutes), -int64(r.Minutes))
		}
		a, next, by, ok, err := pendingAmendment(ctx, tx, r)
		if err != nil {
			return apperr.Wrap(err, "record: amendment")
		}
		if !ok || r.State != StateConfirmed {
			return apperr.New(apperr.Conflict, "record.wrong_state").With(map[string]any{"State": r.State})
		}
		if by == p.AccountID {
			return apperr.New(apperr.Forbidden, "record.same_approver")
		}
		if err := team.IndependentApprover(ctx, tx, r.TeamID, p, by, r.VolunteerID, s.Now()); err != nil {
			return err
		}
		if err := s.noOverlap(ctx, tx, next); err != nil {
			return err
		}
		if err := decideAmendment(ctx, tx, r.ID, "approved", p.AccountID, s.Now().Unix()); err != nil {
			return apperr.Wrap(err, "record: amendment")
		}
		return s.applyAmendment(ctx, tx, p, r, next, "amend_approve", a.Reason)
	})
}
