package attendance_test

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
// volunteer up, and puts the attendance and record services on a clock the
// test moves.
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

func TestCheckInRefusals(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	att := f.env.App.Attendance
	old := f.code(t)
	// Another shift's code, a forged one, and one from two windows ago.
	otherShift, err := f.env.App.Projects.AddShift(ctx, f.leader, f.shift.ProjectID, project.NewShift{
		StartsAt: f.shift.EndsAt.Add(time.Hour).Format(time.RFC3339), EndsAt: f.shift.EndsAt.Add(2 * time.Hour).Format(time.RFC3339), Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := att.ShiftCode(ctx, f.leader, otherShift.ID)
	if _, err := att.ScanCode(ctx, f.vol, other.Value, nil); apperr.From(err).Key != "checkin.not_signed_up" {
		t.Fatalf("other shift's code: %v", err)
	}
	forged := []byte(old)
	forged[len(forged)-1] ^= 1
	if _, err := att.ScanCode(ctx, f.vol, string(forged), nil); apperr.From(err).Fields["code"].Code == "" {
		t.Fatalf("forged code: %v", err)
	}
	*f.clock = f.clock.Add(2 * checkin.DefaultPeriod)
	if _, err := att.ScanCode(ctx, f.vol, old, nil); apperr.From(err).Fields["code"].Code != "expired" {
		t.Fatalf("expired code: %v", err)
	}
	// Before the window.
	*f.clock = f.shift.StartsAt.Add(-time.Hour)
	if _, err := att.ScanCode(ctx, f.vol, f.code(t), nil); apperr.From(err).Key != "checkin.too_early" {
		t.Fatalf("too early: %v", err)
	}
	// Three pairs, then a fourth is refused.
	for i := 0; i < 3; i++ {
		*f.clock = f.shift.StartsAt.Add(time.Duration(10+i*30) * time.Minute)
		if s, err := att.ScanCode(ctx, f.vol, f.code(t), nil); err != nil || s.Action != attendance.ActionCheckIn {
			t.Fatalf("pair %d in: %v", i, err)
		}
		*f.clock = f.clock.Add(10 * time.Minute)
		if s, err := att.ScanCode(ctx, f.vol, f.code(t), nil); err != nil || s.Action != attendance.ActionCheckOut {
			t.Fatalf("pair %d out: %v", i, err)
		}
	}
	*f.clock = f.clock.Add(5 * time.Minute)
	if _, err := att.ScanCode(ctx, f.vol, f.code(t), nil); apperr.From(err).Key != "checkin.too_many_pairs" {
		t.Fatalf("fourth pair: %v", err)
	}
	// After the shift.
	*f.clock = f.shift.EndsAt.Add(time.Minute)
	if _, err := att.ScanCode(ctx, f.vol, f.code(t), nil); apperr.From(err).Key != "checkin.shift_over" {
		t.Fatalf("after the shift: %v", err)
	}
	var n int
	if err := f.env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM service_records`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d records, want 3", n)
	}
}

// TestScanWhoAndWhichShift: the shift and the scanner's volunteer record
// are read together; one without a volunteer record hears so first, even
// for a code of a shift that does not exist.
func TestScanWhoAndWhichShift(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	att := f.env.App.Attendance
	codes, _ := checkin.NewCodes(f.env.App.Keys.Derive("checkin v1"), checkin.DefaultPeriod, func() time.Time { return *f.clock })
	gone := codes.Issue(f.shift.ID + 1000).Value
	office := f.env.Principal("heping-office")
	for _, c := range []struct {
		name string
		p    *auth.Principal
		code string
		key  string
	}{
		{"no volunteer record", office, f.code(t), "team.need_volunteer_record"},
		{"no volunteer record, no shift", office, gone, "team.need_volunteer_record"},
		{"no principal", nil, f.code(t), "team.need_volunteer_record"},
		{"no shift", f.vol, gone, "shift.not_found"},
	} {
		if _, err := att.ScanCode(ctx, c.p, c.code, nil); apperr.From(err).Key != c.key {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
	}
	if s, err := att.ScanCode(ctx, f.vol, f.code(t), nil); err != nil || s.VolunteerID != f.volID || s.ShiftID != f.shift.ID {
		t.Fatalf("the volunteer's scan: %+v %v", s, err)
	}
}

func TestLeaderScansPersonalCode(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	att := f.env.App.Attendance
	personal, err := att.PersonalCode(ctx, f.vol)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := att.LeaderScan(ctx, f.leader, f.shift.ID, personal.Value); err != nil || s.Action != attendance.ActionCheckIn || s.VolunteerID != f.volID {
		t.Fatalf("leader scan: %+v %v", s, err)
	}
	if _, err := att.LeaderScan(ctx, f.env.Principal("hedong-office"), f.shift.ID, personal.Value); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another district scans: %v", err)
	}
	if _, err := att.ScanCode(ctx, f.vol, personal.Value, nil); apperr.From(err).Fields["code"].Code != "wrong_kind" {
		t.Fatalf("personal code as a shift code: %v", err)
	}
}

func TestGeofence(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	lat, lng := 39.1175, 117.2013 // 劝业场, Tianjin
	sh, err := f.env.App.Projects.AddShift(ctx, f.leader, f.shift.ProjectID, project.NewShift{
		StartsAt: f.shift.EndsAt.Add(time.Hour).Format(time.RFC3339), EndsAt: f.shift.EndsAt.Add(3 * time.Hour).Format(time.RFC3339),
		Capacity: 2, GeofenceLat: &lat, GeofenceLng: &lng, GeofenceRadius: 200})
	if err != nil {
		t.Fatal(err)
	}
	bad := 200
	if _, err := f.env.App.Projects.AddShift(ctx, f.leader, f.shift.ProjectID, project.NewShift{
		StartsAt: f.shift.EndsAt.Add(time.Hour).Format(time.RFC3339), EndsAt: f.shift.EndsAt.Add(2 * time.Hour).Format(time.RFC3339),
		Capacity: 2, GeofenceLat: &lat, GeofenceRadius: bad}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("half a geofence accepted: %v", err)
	}
	if _, err := f.env.App.Projects.SignUp(ctx, f.vol, sh.ID); err != nil {
		t.Fatal(err)
	}
	*f.clock = sh.StartsAt.Add(-5 * time.Minute)
	code, _ := f.env.App.Attendance.ShiftCode(ctx, f.leader, sh.ID)
	att := f.env.App.Attendance
	if _, err := att.ScanCode(ctx, f.vol, code.Value, nil); apperr.From(err).Fields["location"].Code != "required" {
		t.Fatalf("no location: %v", err)
	}
	far := attendance.Location{Lat: 39.1300, Lng: 117.2013} // about 1.4 km north
	if _, err := att.ScanCode(ctx, f.vol, code.Value, &far); apperr.From(err).Key != "checkin.outside_geofence" {
		t.Fatalf("far away: %v", err)
	}
	near := attendance.Location{Lat: 39.1180, Lng: 117.2015}
	if s, err := att.ScanCode(ctx, f.vol, code.Value, &near); err != nil || s.Action != attendance.ActionCheckIn {
		t.Fatalf("near: %+v %v", s, err)
	}
}

func TestLeaderDayAndRoster(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	day, err := f.env.App.Projects.ShiftsOn(ctx, f.leader, f.shift.StartsAt)
	if err != nil || len(day) != 1 || day[0].ID != f.shift.ID {
		t.Fatalf("leader's day: %+v %v", day, err)
	}
	if other, _ := f.env.App.Projects.ShiftsOn(ctx, f.env.Principal("hedong-office"), f.shift.StartsAt); len(other) != 0 {
		t.Fatalf("another district sees %d shifts", len(other))
	}
	if _, err := f.env.App.Attendance.ScanCode(ctx, f.vol, f.code(t), nil); err != nil {
		t.Fatal(err)
	}
	roster, err := f.env.App.Attendance.ShiftRoster(ctx, f.leader, f.shift.ID)
	if err != nil || len(roster) != 1 || roster[0].VolunteerID != f.volID || roster[0].CheckIn.IsZero() || !roster[0].CheckOut.IsZero() {
		t.Fatalf("roster: %+v %v", roster, err)
	}
	if _, err := f.env.App.Attendance.ShiftRoster(ctx, f.env.Principal("hedong-office"), f.shift.ID); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another district's roster: %v", err)
	}
}

// TestDoubleScanIsNotACheckOut: a second scan within a minute of the
// check-in is refused as already checked in, and a check-out with no time
// on the shift creates no record of 0 minutes.
func TestDoubleScanIsNotACheckOut(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	att := f.env.App.Attendance
	*f.clock = f.shift.StartsAt.Add(-20 * time.Minute)
	if s, err := att.ScanCode(ctx, f.vol, f.code(t), nil); err != nil || s.Action != attendance.ActionCheckIn {
		t.Fatalf("check in: %+v %v", s, err)
	}
	*f.clock = f.clock.Add(3 * time.Millisecond)
	_, err := att.ScanCode(ctx, f.vol, f.code(t), nil)
	if e := apperr.From(err); e.Kind != apperr.Conflict || e.Fields["code"].Code != "already_checked_in" {
		t.Fatalf("second scan 3 ms later: %v", err)
	}
	*f.clock = f.clock.Add(5 * time.Minute) // still before the shift: no time on it
	s, err := att.ScanCode(ctx, f.vol, f.code(t), nil)
	if err != nil || s.Action != attendance.ActionCheckOut || s.RecordID != 0 || s.Minutes != 0 {
		t.Fatalf("check out before the shift: %+v %v", s, err)
	}
	var n int
	_ = f.env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM service_records`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d records of 0 minutes", n)
	}
}

// A volunteer who checked in and never checked out cannot cancel the
// sign-up (signup.checked_in) and the attendance stays open; the leader can
// always close it, however long after the shift, with a manual check-out.
func TestLeaderClosesAttendanceLeftOpen(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	att := f.env.App.Attendance
	*f.clock = f.shift.StartsAt.Add(10 * time.Minute)
	if _, err := att.ScanCode(ctx, f.vol, f.code(t), nil); err != nil {
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
	s, err := att.EnterAttendance(ctx, f.leader, f.shift.ID, attendance.ManualAttendance{VolunteerID: f.volID,
		CheckOutAt: f.shift.StartsAt.Add(70 * time.Minute).Format(time.RFC3339), Reason: "忘记签退"})
	if err != nil || s.Action != attendance.ActionCheckOut || s.Minutes != 60 || s.RecordID == 0 {
		t.Fatalf("leader closes: %+v %v", s, err)
	}
}
