package record_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/record"
)

// TestAmendOwnAndRaising: a team admin who is also the record's volunteer
// may not amend, confirm or approve it; an amendment raising a confirmed
// record's minutes waits for a second person (the record keeps its minutes
// until then, the approvers see it waiting), while lowering acts at once.
func TestAmendOwnAndRaising(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	office := f.env.Principal("heping-office")
	*f.clock = f.shift.EndsAt.Add(time.Hour)
	scan, err := f.env.App.Attendance.EnterAttendance(ctx, f.leader, f.shift.ID, attendance.ManualAttendance{VolunteerID: f.volID,
		CheckInAt: f.shift.StartsAt.Format(time.RFC3339), CheckOutAt: f.shift.StartsAt.Add(time.Hour).Format(time.RFC3339), Reason: "纸质签到"})
	if err != nil {
		t.Fatal(err)
	}
	id := scan.RecordID
	// The volunteer, made an admin of the team, is refused on their own record.
	self := &auth.Principal{AccountID: f.vol.AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}, {Role: auth.RoleTeamAdmin, TeamID: 1}}}
	longer := record.Amendment{StartsAt: f.shift.StartsAt.Format(time.RFC3339), EndsAt: f.shift.EndsAt.Format(time.RFC3339), Reason: "实际服务三小时"}
	if _, err := rec.Amend(ctx, self, id, longer); apperr.From(err).Key != "record.own_hours" {
		t.Fatalf("amends own record: %v", err)
	}
	if _, err := rec.Confirm(ctx, self, id); apperr.From(err).Key != "record.own_hours" {
		t.Fatalf("confirms own record: %v", err)
	}
	if _, err := rec.Confirm(ctx, f.leader, id); err != nil {
		t.Fatal(err)
	}
	// Raising a confirmed record waits for a second person.
	r, err := rec.Amend(ctx, f.leader, id, longer)
	if err != nil || r.Minutes != 60 || r.State != record.StateConfirmed {
		t.Fatalf("raising amendment applied at once: %+v %v", r, err)
	}
	if sum, _ := rec.Summary(ctx, f.vol, f.volID); sum.ConfirmedMinutes != 60 {
		t.Fatalf("summary before approval: %+v", sum)
	}
	if a, ok, err := rec.PendingAmendment(ctx, office, id); err != nil || !ok || a.Reason != "实际服务三小时" {
		t.Fatalf("pending amendment: %+v %v %v", a, ok, err)
	}
	waiting, err := rec.Awaiting(ctx, office, 1, false)
	if err != nil || len(waiting) != 1 || waiting[0].ID != id {
		t.Fatalf("awaiting: %+v %v", waiting, err)
	}
	if _, err := rec.Approve(ctx, f.leader, id); apperr.From(err).Key != "record.same_approver" {
		t.Fatalf("the amender approves: %v", err)
	}
	if _, err := rec.Approve(ctx, self, id); apperr.From(err).Key != "record.own_hours" {
		t.Fatalf("the volunteer approves: %v", err)
	}
	if r, err = rec.Approve(ctx, office, id); err != nil || r.Minutes != 180 {
		t.Fatalf("second person approves: %+v %v", r, err)
	}
	if sum, _ := rec.Summary(ctx, f.vol, f.volID); sum.ConfirmedMinutes != 180 {
		t.Fatalf("summary after approval: %+v", sum)
	}
	if _, err := rec.Approve(ctx, office, id); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("approved twice: %v", err)
	}
	// Lowering acts at once.
	if r, err = rec.Amend(ctx, f.leader, id, record.Amendment{StartsAt: f.shift.StartsAt.Format(time.RFC3339),
		EndsAt: f.shift.StartsAt.Add(2 * time.Hour).Format(time.RFC3339), Reason: "核减"}); err != nil || r.Minutes != 120 {
		t.Fatalf("lowering: %+v %v", r, err)
	}
	hist, _ := rec.History(ctx, f.leader, id)
	actions := ""
	for _, h := range hist {
		actions += h.Action + ","
	}
	if actions != "create,confirm,amend_request,amend_approve,amend," {
		t.Fatalf("history: %s", actions)
	}
}

// TestServiceTimesBounded: backfills and amendments take times of service
// between 2000-01-01 and now only.
func TestServiceTimesBounded(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = time.Now()
	up, err := rec.Upload(ctx, f.leader, "签到表.pdf", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ start, end, field string }{
		{"0001-01-01T08:00:00Z", "0001-01-01T10:00:00Z", "starts_at"},
		{"1999-12-31T08:00:00+08:00", "1999-12-31T10:00:00+08:00", "starts_at"},
		{"9999-01-01T08:00:00Z", "9999-01-01T10:00:00Z", "ends_at"},
	} {
		_, err := rec.CreateBackfill(ctx, f.leader, record.Backfill{VolunteerID: f.volID, ProjectID: f.shift.ProjectID,
			StartsAt: c.start, EndsAt: c.end, Content: "补录", EvidenceUploadIDs: []int64{up}})
		if apperr.From(err).Fields[c.field].Code == "" {
			t.Errorf("backfill %s: %v", c.start, err)
		}
	}
}
