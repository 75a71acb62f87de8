package record_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/team"
)

// isSuspended reports whether err is the refusal of a suspended team's work.
func isSuspended(err error) bool {
	e := apperr.From(err)
	return e != nil && e.Kind == apperr.Conflict && (e.Key == "team.suspended_no_work" || e.Key == "certificate.team_suspended")
}

// TestSuspendedTeamStopsWorking: a suspended team's project leaves the
// public lists and takes no sign-ups; the team adds no shifts, records no
// hours and issues no certificates; what it recorded stays valid; the
// office's reinstatement restores it all.
func TestSuspendedTeamStopsWorking(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	env, rec, projects := f.env, f.env.App.Records, f.env.App.Projects
	confirmedHours(t, f)
	c, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	start := f.shift.StartsAt.Add(24 * time.Hour)
	later := project.NewShift{StartsAt: start.Format(time.RFC3339), EndsAt: start.Add(2 * time.Hour).Format(time.RFC3339), Capacity: 5}
	second, err := projects.AddShift(ctx, f.leader, f.shift.ProjectID, later)
	if err != nil {
		t.Fatal(err)
	}
	listed := func() (shifts, projectsListed int) {
		t.Helper()
		open, err := projects.OpenShifts(ctx, project.OpenQuery{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range open.Shifts {
			if sh.ProjectID == f.shift.ProjectID {
				shifts++
			}
		}
		list, err := projects.List(ctx, nil, project.ListQuery{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.ID == f.shift.ProjectID {
				projectsListed++
			}
		}
		return shifts, projectsListed
	}
	if s, p := listed(); s != 2 || p != 1 {
		t.Fatalf("before suspension: %d shifts, %d projects listed", s, p)
	}
	*f.clock = f.shift.StartsAt.Add(-5 * time.Minute)
	qr := f.code(t) // signed before the suspension
	office := env.Principal("heping-office")
	if _, err := env.App.Teams.ReviewTeam(ctx, office, 1, team.Review{Decision: "suspend", Reason: "违规收取报名费"}); err != nil {
		t.Fatal(err)
	}
	if s, p := listed(); s != 0 || p != 0 {
		t.Fatalf("suspended: %d shifts, %d projects still listed", s, p)
	}
	if _, err := projects.SignUp(ctx, env.Principal("volunteer2"), second.ID); !isSuspended(err) {
		t.Fatalf("sign-up: %v", err)
	}
	if _, err := projects.AddShift(ctx, f.leader, f.shift.ProjectID, later); !isSuspended(err) {
		t.Fatalf("add shift: %v", err)
	}
	if _, err := f.env.App.Attendance.ShiftCode(ctx, f.leader, f.shift.ID); !isSuspended(err) {
		t.Fatalf("shift code: %v", err)
	}
	if _, err := f.env.App.Attendance.ScanCode(ctx, f.vol, qr, nil); !isSuspended(err) {
		t.Fatalf("check-in scan: %v", err)
	}
	if _, err := f.env.App.Attendance.EnterAttendance(ctx, f.leader, f.shift.ID, attendance.ManualAttendance{VolunteerID: f.volID,
		CheckInAt: f.shift.StartsAt.Format(time.RFC3339), CheckOutAt: f.shift.StartsAt.Add(time.Hour).Format(time.RFC3339),
		Reason: "手机没电"}); !isSuspended(err) {
		t.Fatalf("manual attendance: %v", err)
	}
	if _, err := rec.CreateBackfill(ctx, f.leader, record.Backfill{VolunteerID: f.volID, ProjectID: f.shift.ProjectID,
		StartsAt: time.Now().Add(-5 * time.Hour).Format(time.RFC3339), EndsAt: time.Now().Add(-4 * time.Hour).Format(time.RFC3339),
		Content: "补录", EvidenceUploadIDs: []int64{1}}); !isSuspended(err) {
		t.Fatalf("backfill: %v", err)
	}
	if _, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn"); !isSuspended(err) {
		t.Fatalf("certificate: %v", err)
	}
	// What it recorded before stays valid and viewable.
	if v, err := rec.Verify(ctx, c.Data.VerifyCode); err != nil || !v.Genuine || v.Revoked {
		t.Fatalf("verify while suspended: %+v %v", v, err)
	}
	if sum, err := rec.Summary(ctx, f.vol, f.volID); err != nil || sum.ConfirmedMinutes != 180 {
		t.Fatalf("hours while suspended: %+v %v", sum, err)
	}
	if _, err := projects.Get(ctx, nil, f.shift.ProjectID); err != nil {
		t.Fatalf("project page while suspended: %v", err)
	}
	if _, err := env.App.Teams.ReviewTeam(ctx, office, 1, team.Review{Decision: "reinstate", Reason: "已整改"}); err != nil {
		t.Fatal(err)
	}
	if s, p := listed(); s != 2 || p != 1 {
		t.Fatalf("reinstated: %d shifts, %d projects listed", s, p)
	}
	if _, err := projects.SignUp(ctx, env.Principal("volunteer2"), second.ID); err != nil {
		t.Fatalf("sign-up after reinstatement: %v", err)
	}
	if _, err := projects.AddShift(ctx, f.leader, f.shift.ProjectID, later); err != nil && isSuspended(err) {
		t.Fatalf("add shift after reinstatement: %v", err)
	}
	if again, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn"); err != nil || again.ID != c.ID {
		t.Fatalf("certificate after reinstatement: %v", err)
	}
}
