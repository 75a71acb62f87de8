package record_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/record"
)

// TestDoubleScanIsNotACheckOut: a second scan within a minute of the
// check-in is refused as already checked in, and a check-out with no time
// on the shift creates no record of 0 minutes.
func TestDoubleScanIsNotACheckOut(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = f.shift.StartsAt.Add(-20 * time.Minute)
	if s, err := rec.ScanCode(ctx, f.vol, f.code(t), nil); err != nil || s.Action != record.ActionCheckIn {
		t.Fatalf("check in: %+v %v", s, err)
	}
	*f.clock = f.clock.Add(3 * time.Millisecond)
	_, err := rec.ScanCode(ctx, f.vol, f.code(t), nil)
	if e := apperr.From(err); e.Kind != apperr.Conflict || e.Fields["code"].Code != "already_checked_in" {
		t.Fatalf("second scan 3 ms later: %v", err)
	}
	*f.clock = f.clock.Add(5 * time.Minute) // still before the shift: no time on it
	s, err := rec.ScanCode(ctx, f.vol, f.code(t), nil)
	if err != nil || s.Action != record.ActionCheckOut || s.RecordID != 0 || s.Minutes != 0 {
		t.Fatalf("check out before the shift: %+v %v", s, err)
	}
	var n int
	_ = f.env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM service_records`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d records of 0 minutes", n)
	}
}

// TestOverlappingServiceRefused: a volunteer's records never overlap, across
// manual entries, backfills and check-outs; the conflict names the other
// record.
func TestOverlappingServiceRefused(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = f.shift.EndsAt.Add(time.Hour)
	in := record.ManualAttendance{VolunteerID: f.volID, CheckInAt: f.shift.StartsAt.Format(time.RFC3339),
		CheckOutAt: f.shift.StartsAt.Add(time.Hour).Format(time.RFC3339), Reason: "纸质签到"}
	first, err := rec.EnterAttendance(ctx, f.leader, f.shift.ID, in)
	if err != nil || first.RecordID == 0 {
		t.Fatalf("first entry: %+v %v", first, err)
	}
	for i := 0; i < 2; i++ {
		_, err := rec.EnterAttendance(ctx, f.leader, f.shift.ID, in)
		if e := apperr.From(err); e.Key != "record.overlap" || e.Fields["overlapping_record_id"].Code != strconv.FormatInt(first.RecordID, 10) {
			t.Fatalf("identical entry %d: %v", i, err)
		}
	}
	// Nothing half-saved: no attendance left open by the refused entries.
	var open int
	_ = f.env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM attendance WHERE check_out_at = 0`).Scan(&open)
	if open != 0 {
		t.Fatalf("%d attendances left open", open)
	}
	// A backfill over the same time, and a check-out into it.
	up, err := rec.Upload(ctx, f.leader, "签到表.pdf", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	bf := record.Backfill{VolunteerID: f.volID, ProjectID: f.shift.ProjectID, StartsAt: f.shift.StartsAt.Add(30 * time.Minute).Format(time.RFC3339),
		EndsAt: f.shift.StartsAt.Add(2 * time.Hour).Format(time.RFC3339), Content: "补录", EvidenceUploadIDs: []int64{up}}
	if _, err := rec.CreateBackfill(ctx, f.leader, bf); apperr.From(err).Key != "record.overlap" {
		t.Fatalf("overlapping backfill: %v", err)
	}
	bf.StartsAt = f.shift.StartsAt.Add(time.Hour).Format(time.RFC3339) // right after: no overlap
	if _, err := rec.CreateBackfill(ctx, f.leader, bf); err != nil {
		t.Fatalf("adjacent backfill: %v", err)
	}
	// The same upload cannot back a second backfill.
	bf.StartsAt, bf.EndsAt = f.shift.EndsAt.Add(-30*time.Minute).Format(time.RFC3339), f.shift.EndsAt.Format(time.RFC3339)
	if _, err := rec.CreateBackfill(ctx, f.leader, bf); apperr.From(err).Fields["evidence_upload_ids"].Code != "used" {
		t.Fatalf("evidence used twice: %v", err)
	}
	// An amendment moving a record over another is refused too.
	if _, err := rec.Amend(ctx, f.leader, first.RecordID, record.Amendment{StartsAt: f.shift.StartsAt.Format(time.RFC3339),
		EndsAt: f.shift.StartsAt.Add(90 * time.Minute).Format(time.RFC3339), Reason: "核对"}); apperr.From(err).Key != "record.overlap" {
		t.Fatalf("overlapping amendment: %v", err)
	}
}

// TestBackfillEvidenceAndProject: the evidence list is bounded and its
// repeats count once; a draft project takes no backfill.
func TestBackfillEvidenceAndProject(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = time.Now()
	up, err := rec.Upload(ctx, f.leader, "签到表.pdf", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-72 * time.Hour).Truncate(time.Hour)
	bf := record.Backfill{VolunteerID: f.volID, ProjectID: f.shift.ProjectID, StartsAt: past.Format(time.RFC3339),
		EndsAt: past.Add(time.Hour).Format(time.RFC3339), Content: "补录"}
	for i := int64(1); i <= record.MaxEvidence+1; i++ {
		bf.EvidenceUploadIDs = append(bf.EvidenceUploadIDs, up+i*1000)
	}
	if _, err := rec.CreateBackfill(ctx, f.leader, bf); apperr.From(err).Fields["evidence_upload_ids"].Code != "too_many" {
		t.Fatalf("too many uploads: %v", err)
	}
	draft, err := f.env.App.Projects.Create(ctx, f.leader, apptest.NewProject("草稿", "花园路社区", 5, 5))
	if err != nil {
		t.Fatal(err)
	}
	bf.ProjectID, bf.EvidenceUploadIDs = draft.ID, make([]int64, 100000)
	for i := range bf.EvidenceUploadIDs {
		bf.EvidenceUploadIDs[i] = up
	}
	if _, err := rec.CreateBackfill(ctx, f.leader, bf); apperr.From(err).Fields["project_id"].Code != "not_published" {
		t.Fatalf("backfill into a draft: %v", err)
	}
	bf.ProjectID = f.shift.ProjectID
	r, err := rec.CreateBackfill(ctx, f.leader, bf)
	if err != nil {
		t.Fatalf("one upload repeated: %v", err)
	}
	var n int
	_ = f.env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM record_evidence WHERE record_id = $1`, r.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d evidence rows", n)
	}
}

// A volunteer who checked in and never checked out cannot cancel the
// sign-up (signup.checked_in) and the attendance stays open; the leader can
// always close it, however long after the shift, with a manual check-out.
func TestLeaderClosesAttendanceLeftOpen(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = f.shift.StartsAt.Add(10 * time.Minute)
	if _, err := rec.ScanCode(ctx, f.vol, f.code(t), nil); err != nil {
		t.Fatal(err)
	}
	var signup int64
	if err := f.env.App.DB.Read().QueryRowContext(ctx, `SELECT id FROM signups WHERE volunteer_id = $1`, f.volID).Scan(&signup); err != nil {
		t.Fatal(err)
	}
	if err := f.env.App.Projects.Cancel(ctx, f.vol, signup); apperr.From(err).Key != "signup.checked_in" {
		t.Fatalf("cancellation after the check-in: %v, want signup.checked_in", err)
	}
	*f.clock = f.shift.EndsAt.Add(48 * time.Hour) // past the grace for a scan
	s, err := rec.EnterAttendance(ctx, f.leader, f.shift.ID, record.ManualAttendance{VolunteerID: f.volID,
		CheckOutAt: f.shift.StartsAt.Add(70 * time.Minute).Format(time.RFC3339), Reason: "忘记签退"})
	if err != nil || s.Action != record.ActionCheckOut || s.Minutes != 60 || s.RecordID == 0 {
		t.Fatalf("leader closes: %+v %v", s, err)
	}
}
