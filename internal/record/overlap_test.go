package record_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/record"
)

// TestOverlappingServiceRefused: a volunteer's records never overlap, across
// manual entries, backfills and check-outs; the conflict names the other
// record.
func TestOverlappingServiceRefused(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = f.shift.EndsAt.Add(time.Hour)
	in := attendance.ManualAttendance{VolunteerID: f.volID, CheckInAt: f.shift.StartsAt.Format(time.RFC3339),
		CheckOutAt: f.shift.StartsAt.Add(time.Hour).Format(time.RFC3339), Reason: "纸质签到"}
	first, err := f.env.App.Attendance.EnterAttendance(ctx, f.leader, f.shift.ID, in)
	if err != nil || first.RecordID == 0 {
		t.Fatalf("first entry: %+v %v", first, err)
	}
	for i := 0; i < 2; i++ {
		_, err := f.env.App.Attendance.EnterAttendance(ctx, f.leader, f.shift.ID, in)
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
