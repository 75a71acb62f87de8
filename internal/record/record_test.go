package record_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/checkin"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/volunteer"
)

type fixture struct {
	env    *apptest.Env
	shift  project.Shift
	leader *auth.Principal
	vol    *auth.Principal
	volID  int64
	clock  *time.Time
}

// setup publishes a project with a shift starting in two days, signs a new
// volunteer up, and puts the record service on a clock the test moves.
func setup(t testing.TB) *fixture {
	t.Helper()
	env := apptest.New(t)
	ctx := context.Background()
	f := &fixture{env: env, leader: env.Principal("team-admin")}
	today := time.Now().In(clock.Zone)
	pr, err := env.App.Projects.Create(ctx, f.leader, project.NewProject{TeamID: 1, Name: "社区卡口值守", Category: "社区服务",
		Content: "测温登记", RegionCode: "120101001001", Address: "花园路社区北门", RecruitCount: 5, StartsOn: today.Format("2006-01-02"),
		EndsOn: today.AddDate(0, 0, 10).Format("2006-01-02"), ContactName: "王建国", ContactPhone: "13800138000"})
	if err != nil {
		t.Fatal(err)
	}
	env.App.Projects.Submit(ctx, f.leader, pr.ID)
	if _, err := env.App.Projects.ReviewProject(ctx, env.Principal("heping-office"), pr.ID, project.Review{Decision: "approve"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	f.shift, err = env.App.Projects.AddShift(ctx, f.leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(3 * time.Hour).Format(time.RFC3339), Capacity: 5})
	if err != nil {
		t.Fatal(err)
	}
	v, err := env.App.Volunteers.Register(ctx, volunteer.Registration{RealName: "扫码者", IDNumber: apptest.ResidentID("120101", apptest.BornYearsAgo(28, 3), 701),
		Phone: apptest.Mobile(700), RegionCode: "120101001001", Password: "password-123"})
	if err != nil {
		t.Fatal(err)
	}
	f.vol, f.volID = &auth.Principal{AccountID: v.AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}, v.ID
	if _, err := env.App.Projects.SignUp(ctx, f.vol, f.shift.ID); err != nil {
		t.Fatal(err)
	}
	clock := f.shift.StartsAt.Add(-10 * time.Minute)
	f.clock = &clock
	env.App.Records.Now = func() time.Time { return *f.clock }
	env.App.Attendance.Now = env.App.Records.Now
	codes, _ := checkin.NewCodes(env.App.Keys.Derive("checkin v1"), checkin.DefaultPeriod, func() time.Time { return *f.clock })
	env.App.Attendance.SetCodes(codes)
	return f
}

func (f *fixture) code(t testing.TB) string {
	c, err := f.env.App.Attendance.ShiftCode(context.Background(), f.leader, f.shift.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Value
}

func TestCheckInOutConfirmAndStars(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	scan, err := f.env.App.Attendance.ScanCode(ctx, f.vol, f.code(t), nil)
	if err != nil || scan.Action != attendance.ActionCheckIn {
		t.Fatalf("check in: %+v %v", scan, err)
	}
	*f.clock = f.shift.EndsAt.Add(20 * time.Minute) // checks out late: clipped to the shift
	scan, err = f.env.App.Attendance.ScanCode(ctx, f.vol, f.code(t), nil)
	if err != nil || scan.Action != attendance.ActionCheckOut || scan.RecordID == 0 {
		t.Fatalf("check out: %+v %v", scan, err)
	}
	r, err := rec.Get(ctx, f.vol, scan.RecordID)
	if err != nil || r.Minutes != 180 || r.State != record.StatePending || r.Activity != "社区卡口值守" || r.LeaderName != "王建国" {
		t.Fatalf("record: %+v %v", r, err)
	}
	sum, _ := rec.Summary(ctx, f.vol, f.volID)
	if sum.TotalMinutes != 180 || sum.ConfirmedMinutes != 0 || sum.StarLevel != 0 {
		t.Fatalf("summary before confirmation: %+v", sum)
	}
	// The volunteer cannot confirm; another district cannot; the team can.
	if _, err := rec.Confirm(ctx, f.vol, r.ID); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("volunteer confirms: %v", err)
	}
	if _, err := rec.Confirm(ctx, f.env.Principal("hedong-office"), r.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("other district confirms: %v", err)
	}
	if r, err = rec.Confirm(ctx, f.leader, r.ID); err != nil || r.State != record.StateConfirmed {
		t.Fatalf("confirm: %v", err)
	}
	if _, err := rec.Confirm(ctx, f.leader, r.ID); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("confirm twice: %v", err)
	}
	sum, _ = rec.Summary(ctx, f.vol, f.volID)
	if sum.ConfirmedMinutes != 180 || sum.TotalMinutes != 180 || sum.NextStarMinutes != 100*60-180 {
		t.Fatalf("summary: %+v", sum)
	}
	// Stars by a region's own thresholds.
	if err := rec.SetStarHours(ctx, f.env.Principal("heping-office"), "120101", []int64{1, 2, 3, 4, 5}); err != nil {
		t.Fatal(err)
	}
	if sum, _ = rec.Summary(ctx, f.vol, f.volID); sum.StarLevel != 3 {
		t.Fatalf("star level with 1-5 h thresholds and 3 h: %d", sum.StarLevel)
	}
	if err := rec.SetStarHours(ctx, f.env.Principal("hedong-office"), "120101", []int64{1, 2, 3, 4, 5}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another district sets thresholds: %v", err)
	}
	// Void with a reason; history keeps both steps.
	if _, err := rec.Void(ctx, f.leader, r.ID, ""); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("void without reason: %v", err)
	}
	if _, err := rec.Void(ctx, f.leader, r.ID, "重复记录"); err != nil {
		t.Fatal(err)
	}
	hist, _ := rec.History(ctx, f.leader, r.ID)
	if len(hist) != 3 || hist[0].Action != "create" || hist[1].Action != "confirm" || hist[2].Action != "void" || hist[2].Reason != "重复记录" {
		t.Fatalf("history: %+v", hist)
	}
	if sum, _ = rec.Summary(ctx, f.vol, f.volID); sum.ConfirmedMinutes != 0 || sum.TotalMinutes != 0 {
		t.Fatalf("after void: %+v", sum)
	}
}
