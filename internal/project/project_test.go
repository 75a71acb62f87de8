package project_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
	"zhiyuan/internal/volunteer"
)

func draft(days int) project.NewProject {
	start := time.Now().In(clock.Zone)
	return project.NewProject{TeamID: 1, Name: "花园路社区助老服务", Category: "关爱老人", Content: "为独居老人送餐、陪伴",
		RegionCode: "120101001001", Address: "天津市和平区花园路12号", RecruitCount: 20, StartsOn: start.Format("2006-01-02"),
		EndsOn: start.AddDate(0, 0, days).Format("2006-01-02"), ContactName: "王建国", ContactPhone: "13800138000",
		Risks: "冬季路滑", Protections: "配发防滑鞋套", Insured: true}
}

// published drafts, submits and approves a project, returning it.
func published(t *testing.T, env *apptest.Env) project.Project {
	t.Helper()
	ctx := context.Background()
	svc := env.App.Projects
	pr, err := svc.Create(ctx, env.Principal("team-admin"), draft(30))
	if err != nil {
		t.Fatal(err)
	}
	if pr.State != project.StateDraft {
		t.Fatalf("state %s", pr.State)
	}
	if _, err := svc.Submit(ctx, env.Principal("team-admin"), pr.ID); err != nil {
		t.Fatal(err)
	}
	pr, err = svc.ReviewProject(ctx, env.Principal("heping-office"), pr.ID, project.Review{Decision: "approve"})
	if err != nil || pr.State != project.StatePublished {
		t.Fatalf("approve: %v %s", err, pr.State)
	}
	return pr
}

func shiftAt(t *testing.T, env *apptest.Env, pr project.Project, from, to time.Duration, capacity, waitlist int) project.Shift {
	t.Helper()
	base := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	sh, err := env.App.Projects.AddShift(context.Background(), env.Principal("team-admin"), pr.ID, project.NewShift{
		StartsAt: base.Add(from).Format(time.RFC3339), EndsAt: base.Add(to).Format(time.RFC3339), Capacity: capacity, Waitlist: waitlist})
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestProjectLifecycleAndInputErrors(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	admin := env.Principal("team-admin")
	bad := draft(400)
	bad.Category, bad.RegionCode, bad.RecruitCount, bad.ContactPhone = "炼金", "12", 0, "1"
	_, err := env.App.Projects.Create(ctx, admin, bad)
	e := apperr.From(err)
	for _, f := range []string{"category", "region_code", "recruit_count", "contact_phone", "ends_on"} {
		if e.Fields[f].Code == "" {
			t.Errorf("no error for %s: %v", f, err)
		}
	}
	pr, err := env.App.Projects.Create(ctx, admin, draft(30))
	if err != nil {
		t.Fatal(err)
	}
	// Nobody outside sees a draft; another district cannot review it.
	if _, err := env.App.Projects.Get(ctx, nil, pr.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("anonymous sees a draft: %v", err)
	}
	if _, err := env.App.Projects.ReviewProject(ctx, env.Principal("heping-office"), pr.ID, project.Review{Decision: "approve"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("approve a draft: %v", err)
	}
	if _, err := env.App.Projects.Submit(ctx, admin, pr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Projects.ReviewProject(ctx, env.Principal("hedong-office"), pr.ID, project.Review{Decision: "approve"}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("out-of-scope review: %v", err)
	}
	pr, err = env.App.Projects.ReviewProject(ctx, env.Principal("heping-office"), pr.ID, project.Review{Decision: "reject", Reason: "缺少保险说明"})
	if err != nil || pr.State != project.StateRejected || pr.RejectReason != "缺少保险说明" {
		t.Fatalf("reject: %v %+v", err, pr)
	}
	if _, err := env.App.Projects.Submit(ctx, admin, pr.ID); err != nil {
		t.Fatalf("resubmit after rejection: %v", err)
	}
	list, err := env.App.Projects.List(ctx, nil, project.ListQuery{RegionCode: "1201"})
	if err != nil || len(list) != 0 {
		t.Fatalf("published list before approval: %d %v", len(list), err)
	}
	published(t, env)
	list, _ = env.App.Projects.List(ctx, nil, project.ListQuery{RegionCode: "120101", Category: "关爱老人", Q: "助老"})
	if len(list) != 1 {
		t.Fatalf("published list: %d", len(list))
	}
	if list, _ := env.App.Projects.List(ctx, nil, project.ListQuery{RegionCode: "120102"}); len(list) != 0 {
		t.Fatalf("another district's list: %d", len(list))
	}
}

func TestShiftRules(t *testing.T) {
	env := apptest.New(t)
	pr := published(t, env)
	admin := env.Principal("team-admin")
	base := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	bad := []project.NewShift{
		{StartsAt: "tomorrow", EndsAt: base.Format(time.RFC3339), Capacity: 5},
		{StartsAt: base.Format(time.RFC3339), EndsAt: base.Add(-time.Hour).Format(time.RFC3339), Capacity: 5},
		{StartsAt: base.Format(time.RFC3339), EndsAt: base.Add(time.Hour).Format(time.RFC3339), Capacity: 0},
		{StartsAt: time.Now().Add(-time.Hour).Format(time.RFC3339), EndsAt: time.Now().Format(time.RFC3339), Capacity: 5},
		{StartsAt: base.AddDate(0, 2, 0).Format(time.RFC3339), EndsAt: base.AddDate(0, 2, 0).Add(time.Hour).Format(time.RFC3339), Capacity: 5},
	}
	for i, in := range bad {
		if _, err := env.App.Projects.AddShift(context.Background(), admin, pr.ID, in); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("bad shift %d accepted: %v", i, err)
		}
	}
	// A night shift crossing midnight is fine.
	night := time.Date(base.Year(), base.Month(), base.Day(), 22, 0, 0, 0, clock.Zone)
	if _, err := env.App.Projects.AddShift(context.Background(), admin, pr.ID, project.NewShift{
		StartsAt: night.Format(time.RFC3339), EndsAt: night.Add(8 * time.Hour).Format(time.RFC3339), Capacity: 2}); err != nil {
		t.Fatalf("night shift: %v", err)
	}
	if _, err := env.App.Projects.AddShift(context.Background(), env.Principal("hedong-office"), pr.ID, project.NewShift{
		StartsAt: base.Format(time.RFC3339), EndsAt: base.Add(time.Hour).Format(time.RFC3339), Capacity: 1}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another district adds a shift: %v", err)
	}
}

// volunteers registers n volunteers and returns their principals.
func volunteers(t *testing.T, env *apptest.Env, n int) []*auth.Principal {
	t.Helper()
	var out []*auth.Principal
	for i := 0; i < n; i++ {
		v, err := env.App.Volunteers.Register(context.Background(), volunteer.Registration{RealName: fmt.Sprintf("报名%d", i),
			IDNumber: apptest.ResidentID("120101", apptest.BornYearsAgo(30, i), 301+2*i), Phone: apptest.Mobile(300 + i),
			RegionCode: "120101001001", Password: "password-123"})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, &auth.Principal{AccountID: v.AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}})
	}
	return out
}

func TestLastSeatGoesToExactlyOne(t *testing.T) {
	env := apptest.New(t)
	pr := published(t, env)
	sh := shiftAt(t, env, pr, 0, 2*time.Hour, 3, 2)
	people := volunteers(t, env, 12)
	var wg sync.WaitGroup
	results := make([]error, len(people))
	status := make([]string, len(people))
	for i, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := env.App.Projects.SignUp(context.Background(), p, sh.ID)
			results[i], status[i] = err, s.Status
		}()
	}
	wg.Wait()
	var confirmed, waiting, full int
	for i, err := range results {
		switch {
		case err == nil && status[i] == project.SignupConfirmed:
			confirmed++
		case err == nil && status[i] == project.SignupWaitlisted:
			waiting++
		case apperr.From(err).Key == "signup.full":
			full++
		default:
			t.Errorf("sign-up %d: %v", i, err)
		}
	}
	if confirmed != 3 || waiting != 2 || full != 7 {
		t.Fatalf("confirmed %d, waitlisted %d, full %d; want 3, 2, 7", confirmed, waiting, full)
	}
	got, _ := env.App.Projects.Shift(context.Background(), nil, sh.ID)
	if got.Taken != 3 || got.Waiting != 2 {
		t.Fatalf("counters: taken %d waiting %d", got.Taken, got.Waiting)
	}
	// Cancelling a seat promotes the first on the waiting list.
	var signupID int64
	var owner *auth.Principal
	for i, p := range people {
		if results[i] == nil && status[i] == project.SignupConfirmed {
			owner = p
			if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT s.id FROM signups s JOIN volunteers v ON v.id = s.volunteer_id
				WHERE v.account_id = $1 AND s.shift_id = $2`, p.AccountID, sh.ID).Scan(&signupID); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if err := env.App.Projects.Cancel(context.Background(), people[len(people)-1], signupID); err == nil && owner != people[len(people)-1] {
		t.Fatal("someone else cancelled a seat")
	}
	if err := env.App.Projects.Cancel(context.Background(), owner, signupID); err != nil {
		t.Fatal(err)
	}
	got, _ = env.App.Projects.Shift(context.Background(), nil, sh.ID)
	if got.Taken != 3 || got.Waiting != 1 {
		t.Fatalf("after cancel: taken %d waiting %d", got.Taken, got.Waiting)
	}
}

func TestOverlapIsRefusedBackToBackIsNot(t *testing.T) {
	env := apptest.New(t)
	pr := published(t, env)
	a := shiftAt(t, env, pr, 0, 2*time.Hour, 5, 0)
	b := shiftAt(t, env, pr, time.Hour, 3*time.Hour, 5, 0)
	c := shiftAt(t, env, pr, 2*time.Hour, 4*time.Hour, 5, 0)
	p := volunteers(t, env, 1)[0]
	ctx := context.Background()
	if _, err := env.App.Projects.SignUp(ctx, p, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err := env.App.Projects.SignUp(ctx, p, b.ID)
	e := apperr.From(err)
	if e.Key != "signup.overlap" || e.Args["Project"] != pr.Name {
		t.Fatalf("overlap: %v %v", err, e.Args)
	}
	if _, err := env.App.Projects.SignUp(ctx, p, c.ID); err != nil {
		t.Fatalf("back-to-back: %v", err)
	}
	if _, err := env.App.Projects.SignUp(ctx, p, a.ID); apperr.From(err).Key != "signup.already" {
		t.Fatalf("twice: %v", err)
	}
}

// The overlap check reads back only MaxShiftLength: a shift of the longest
// length still overlaps one starting near its end.
func TestOverlapWithTheLongestShift(t *testing.T) {
	env := apptest.New(t)
	pr := published(t, env)
	long := shiftAt(t, env, pr, 0, project.MaxShiftLength, 5, 0)
	late := shiftAt(t, env, pr, project.MaxShiftLength-time.Hour, project.MaxShiftLength+time.Hour, 5, 0)
	after := shiftAt(t, env, pr, project.MaxShiftLength, project.MaxShiftLength+2*time.Hour, 5, 0)
	p := volunteers(t, env, 1)[0]
	ctx := context.Background()
	if _, err := env.App.Projects.SignUp(ctx, p, long.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Projects.SignUp(ctx, p, late.ID); apperr.From(err).Key != "signup.overlap" {
		t.Fatalf("the last hour of a 24-hour shift: %v", err)
	}
	if _, err := env.App.Projects.SignUp(ctx, p, after.ID); err != nil {
		t.Fatalf("right after a 24-hour shift: %v", err)
	}
}

func TestMyShiftsAndCalendarFeed(t *testing.T) {
	env := apptest.New(t)
	pr := published(t, env)
	sh := shiftAt(t, env, pr, 0, 2*time.Hour, 5, 0)
	p := volunteers(t, env, 1)[0]
	ctx := context.Background()
	if _, err := env.App.Projects.SignUp(ctx, p, sh.ID); err != nil {
		t.Fatal(err)
	}
	list, err := env.App.Projects.MyShifts(ctx, p, false)
	if err != nil || len(list) != 1 || list[0].ShiftID != sh.ID || list[0].ProjectName != pr.Name {
		t.Fatalf("my shifts: %+v %v", list, err)
	}
	token, err := env.App.Projects.FeedToken(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	ics, err := env.App.Projects.Feed(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "BEGIN:VEVENT\r\n", "SUMMARY:" + pr.Name, "DTSTART:" + sh.StartsAt.UTC().Format("20060102T150405Z"), "END:VCALENDAR\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("feed lacks %q:\n%s", want, ics)
		}
	}
	if _, err := env.App.Projects.Feed(ctx, token[:len(token)-1]+"x"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("forged token: %v", err)
	}
	for _, l := range strings.Split(project.ICal([]project.MyShift{{ProjectName: strings.Repeat("长名称", 40), StartsAt: sh.StartsAt, EndsAt: sh.EndsAt}}, time.Now()), "\r\n") {
		if len(l) > 75 {
			t.Fatalf("line of %d octets not folded", len(l))
		}
	}
}
