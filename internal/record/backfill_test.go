package record_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/record"
)

// pdfBytes is a minimal well-formed PDF (uploads are checked structurally).
var pdfBytes = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n" +
	"0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n")

func TestBackfillNeedsEvidenceAndASecondApprover(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = time.Now()
	if _, err := rec.Upload(ctx, f.leader, "x.txt", []byte("just text")); apperr.From(err).Fields["file"].Code != "type" {
		t.Fatalf("text upload: %v", err)
	}
	if _, err := rec.Upload(ctx, f.vol, "x.pdf", pdfBytes); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("volunteer upload: %v", err)
	}
	up, err := rec.Upload(ctx, f.leader, "签到表.pdf", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-72 * time.Hour).Truncate(time.Hour)
	in := record.Backfill{VolunteerID: f.volID, ProjectID: f.shift.ProjectID, StartsAt: past.Format(time.RFC3339),
		EndsAt: past.Add(2 * time.Hour).Format(time.RFC3339), Content: "疫情期间卡口值守（补录）"}
	if _, err := rec.CreateBackfill(ctx, f.leader, in); apperr.From(err).Fields["evidence_upload_ids"].Code != "required" {
		t.Fatalf("backfill without evidence: %v", err)
	}
	in.EvidenceUploadIDs = []int64{up}
	r, err := rec.CreateBackfill(ctx, f.leader, in)
	if err != nil || r.State != record.StatePendingApproval || !r.Backfilled || r.Minutes != 120 {
		t.Fatalf("backfill: %+v %v", r, err)
	}
	if _, err := rec.Approve(ctx, f.leader, r.ID); apperr.From(err).Key != "record.same_approver" {
		t.Fatalf("same person approves: %v", err)
	}
	r, err = rec.Approve(ctx, f.env.Principal("heping-office"), r.ID)
	if err != nil || r.State != record.StateConfirmed || !r.Backfilled {
		t.Fatalf("second approver: %+v %v", r, err)
	}
	sum, _ := rec.Summary(ctx, f.vol, f.volID)
	if sum.ConfirmedMinutes != 120 {
		t.Fatalf("summary: %+v", sum)
	}
	// Amend with a reason; the volunteer can ask for a correction.
	if _, err := rec.Amend(ctx, f.leader, r.ID, record.Amendment{Content: "改"}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("amend without reason: %v", err)
	}
	r, err = rec.Amend(ctx, f.leader, r.ID, record.Amendment{StartsAt: past.Format(time.RFC3339),
		EndsAt: past.Add(90 * time.Minute).Format(time.RFC3339), Reason: "按签到表核减"})
	if err != nil || r.Minutes != 90 {
		t.Fatalf("amend: %+v %v", r, err)
	}
	if sum, _ := rec.Summary(ctx, f.vol, f.volID); sum.ConfirmedMinutes != 90 {
		t.Fatalf("after amend: %+v", sum)
	}
	if err := rec.RequestCorrection(ctx, f.vol, r.ID, "实际服务了两小时"); err != nil {
		t.Fatal(err)
	}
	if err := rec.RequestCorrection(ctx, f.leader, r.ID, "不是本人"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("someone else asks for a correction: %v", err)
	}
	hist, _ := rec.History(ctx, f.leader, r.ID)
	actions := ""
	for _, h := range hist {
		actions += h.Action + ","
	}
	if actions != "backfill,approve,amend,correction_request," {
		t.Fatalf("history: %s", actions)
	}
}

func TestManualAttendanceAndOverdue(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = f.shift.EndsAt.Add(time.Hour)
	in := attendance.ManualAttendance{VolunteerID: f.volID, CheckInAt: f.shift.StartsAt.Format(time.RFC3339),
		CheckOutAt: f.shift.StartsAt.Add(time.Hour).Format(time.RFC3339)}
	if _, err := f.env.App.Attendance.EnterAttendance(ctx, f.leader, f.shift.ID, in); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("manual entry without reason: %v", err)
	}
	in.Reason = "手机没电，纸质签到"
	scan, err := f.env.App.Attendance.EnterAttendance(ctx, f.leader, f.shift.ID, in)
	if err != nil || scan.Action != attendance.ActionCheckOut || scan.RecordID == 0 {
		t.Fatalf("manual entry: %+v %v", scan, err)
	}
	if list, _ := rec.Overdue(ctx, f.leader, 1); len(list) != 0 {
		t.Fatalf("overdue too early: %d", len(list))
	}
	*f.clock = f.clock.AddDate(0, 0, 20)
	list, err := rec.Overdue(ctx, f.leader, 1)
	if err != nil || len(list) != 1 || list[0].ID != scan.RecordID {
		t.Fatalf("overdue: %d %v", len(list), err)
	}
	if _, err := rec.Overdue(ctx, f.env.Principal("hedong-office"), 1); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another district's overdue list: %v", err)
	}
}
