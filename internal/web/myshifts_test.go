package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/project"
)

var cancelForm = regexp.MustCompile(`action="(/signups/\d+/cancel)"`)

// TestMyShiftsAndTeamRecords: a volunteer sees her shift on her hours page
// with the calendar feed and cancels it; the team's awaiting page lists
// what waits for confirmation.
func TestMyShiftsAndTeamRecords(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	leader := env.Principal("team-admin")
	pr := env.Publish(apptest.NewProject("周末助老", "花园路", 3, 9))
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(time.Hour).Format(time.RFC3339), Capacity: 3})
	if err != nil {
		t.Fatal(err)
	}
	vol := env.Principal("volunteer")
	if _, err := env.App.Projects.SignUp(ctx, vol, sh.ID); err != nil {
		t.Fatal(err)
	}
	b := env.Browser()
	b.Login("volunteer")
	status, page, _ := b.Get("/me/hours")
	if status != 200 || !strings.Contains(page, "周末助老") || !strings.Contains(page, "/api/v1/calendar/") {
		t.Fatalf("hours page: %d", status)
	}
	m := cancelForm.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no cancel button")
	}
	status, _, loc := b.Post(m[1], url.Values{"csrf": {b.CSRF("/me/hours")}})
	if status != 303 || !strings.Contains(loc, "flash.signup_cancelled") {
		t.Fatalf("cancel: %d %q", status, loc)
	}
	if _, page, _ := b.Get("/me/hours"); strings.Contains(page, "周末助老") && cancelForm.MatchString(page) {
		t.Fatal("cancelled shift still listed")
	}
	a := env.Browser()
	a.Login("team-admin")
	if status, page, _ := a.Get("/teams/1/records"); status != 200 || !strings.Contains(page, "没有待确认的记录") {
		t.Fatalf("awaiting page: %d", status)
	}
}

var shiftsCancelForm = regexp.MustCompile(`action="(/signups/\d+/cancel)"><input type="hidden" name="csrf" value="[^"]*"><input type="hidden" name="back" value="shifts">`)

// TestMyShiftsPage: the volunteer's shifts page lists the upcoming shifts
// (signed up or waitlisted, with a cancel button) apart from the past ones
// (attended or not, hours credited or awaiting confirmation), pages the past
// ones twenty at a time, and cancels back to itself.
func TestMyShiftsPage(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	leader := env.Principal("team-admin")
	vol := env.Principal("volunteer")
	pr := env.Publish(apptest.NewProject("社区图书整理", "劝业场街道图书室", 50, 9))
	add := func(start time.Time, capacity, waitlist int) project.Shift {
		t.Helper()
		sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
			EndsAt: start.Add(time.Hour).Format(time.RFC3339), Capacity: capacity, Waitlist: waitlist})
		if err != nil {
			t.Fatal(err)
		}
		return sh
	}
	base := time.Now().Add(2 * time.Hour).Truncate(time.Hour)
	var past []project.Shift // 21 shifts two hours apart, all over once the clock moves on
	for i := 0; i < 21; i++ {
		sh := add(base.Add(time.Duration(i)*2*time.Hour), 3, 0)
		if _, err := env.App.Projects.SignUp(ctx, vol, sh.ID); err != nil {
			t.Fatal(err)
		}
		past = append(past, sh)
	}
	upcoming := add(base.Add(72*time.Hour), 3, 0)
	if _, err := env.App.DB.Write().ExecContext(ctx, `UPDATE shifts SET place = '活动室<b>"二楼"' WHERE id = $1`, upcoming.ID); err != nil {
		t.Fatal(err)
	}
	full := add(base.Add(80*time.Hour), 1, 5)
	for _, x := range []struct {
		who *auth.Principal
		id  int64
	}{{vol, upcoming.ID}, {leader, full.ID}, {vol, full.ID}} {
		if _, err := env.App.Projects.SignUp(ctx, x.who, x.id); err != nil {
			t.Fatal(err)
		}
	}

	// The last past shift is attended and confirmed, the one before attended
	// and awaiting confirmation; the others were missed.
	last, before := past[20], past[19]
	env.App.Records.Now = func() time.Time { return last.EndsAt.Add(time.Minute) }
	env.App.Attendance.Now = env.App.Records.Now
	defer func() { env.App.Records.Now, env.App.Attendance.Now = time.Now, time.Now }()
	volID, err := env.App.Volunteers.MyID(ctx, vol)
	if err != nil {
		t.Fatal(err)
	}
	var recordID int64
	for _, sh := range []project.Shift{last, before} {
		sc, err := env.App.Attendance.EnterAttendance(ctx, leader, sh.ID, attendance.ManualAttendance{VolunteerID: volID,
			CheckInAt: sh.StartsAt.Format(time.RFC3339), CheckOutAt: sh.EndsAt.Format(time.RFC3339), Reason: "手机没电"})
		if err != nil {
			t.Fatalf("attendance: %v", err)
		}
		if recordID == 0 {
			recordID = sc.RecordID
		}
	}
	if _, err := env.App.Records.Confirm(ctx, leader, recordID); err != nil {
		t.Fatal(err)
	}
	env.App.Projects.Now = func() time.Time { return last.EndsAt.Add(time.Hour) }
	defer func() { env.App.Projects.Now = time.Now }()

	b := env.Browser()
	b.Login("volunteer")
	status, page, _ := b.Get("/me/shifts")
	if status != 200 {
		t.Fatalf("shifts page: %d", status)
	}
	mustContain(t, "shifts page", page, "我的班次", "即将参加", "已结束的班次", "社区图书整理", "劝业场街道图书室",
		fmt.Sprintf(`data-testid="upcoming-%d"`, upcoming.ID), fmt.Sprintf(`data-testid="upcoming-%d"`, full.ID), "候补",
		fmt.Sprintf(`data-testid="past-%d"`, last.ID), "已参加", "已计入 1.0 小时", "1.0 小时待团队确认", "未签到",
		`href="/me/shifts?page=2"`, `href="/me/shifts" aria-current="page"`)
	up, pastPart, ok := strings.Cut(page, `data-testid="past"`)
	if !ok {
		t.Fatal("no past section")
	}
	if strings.Contains(up, fmt.Sprintf(`data-testid="upcoming-%d"`, last.ID)) || strings.Contains(pastPart, fmt.Sprintf(`data-testid="past-%d"`, upcoming.ID)) {
		t.Error("a shift in the wrong section")
	}
	if n := strings.Count(pastPart, `data-testid="past-`); n != 20 {
		t.Errorf("%d past shifts on the first page, want 20", n)
	}
	if strings.Contains(pastPart, fmt.Sprintf(`data-testid="past-%d"`, past[0].ID)) {
		t.Error("the oldest shift is on the first page")
	}
	mustContain(t, "attended and confirmed", card(page, "past", last.ID), "已参加", "已计入 1.0 小时")
	mustContain(t, "attended, awaiting", card(page, "past", before.ID), "已参加", "1.0 小时待团队确认")
	if c := card(page, "past", past[5].ID); !strings.Contains(c, "未签到") || strings.Contains(c, "已参加") || strings.Contains(c, "小时") {
		t.Errorf("missed shift: %s", c)
	}
	mustContain(t, "waitlisted", card(page, "upcoming", full.ID), "候补")
	mustContain(t, "signed up", card(page, "upcoming", upcoming.ID), "已报名", "活动室&lt;b&gt;&#34;二楼&#34;")
	if strings.Contains(page, "活动室<b>") {
		t.Error("the place is not escaped")
	}
	if strings.Count(page, `name="back" value="shifts"`) != 2 {
		t.Errorf("want a cancel button on the two upcoming shifts only")
	}
	if !strings.Contains(up, "起可签到") {
		t.Error("no check-in opening time")
	}

	status, page, _ = b.Get("/me/shifts?page=2")
	if status != 200 {
		t.Fatalf("page 2: %d", status)
	}
	mustContain(t, "page 2", page, fmt.Sprintf(`data-testid="past-%d"`, past[0].ID), "第 2 页", `href="/me/shifts"`)
	if strings.Contains(page, `data-testid="upcoming"`) || strings.Contains(page, `data-testid="older"`) ||
		strings.Count(page, `data-testid="past-`) != 1 {
		t.Error("page 2 should hold the one oldest shift only")
	}
	if status, _, _ = b.Get("/me/shifts?page=x"); status != 404 {
		t.Errorf("bad page: %d", status)
	}

	// Cancel the upcoming shift from the page: back to the page, gone from it.
	_, page, _ = b.Get("/me/shifts")
	m := shiftsCancelForm.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no cancel form")
	}
	status, _, loc := b.Post(m[1], url.Values{"csrf": {b.CSRF("/me/shifts")}, "back": {"shifts"}})
	if status != 303 || loc != "/me/shifts?flash=flash.signup_cancelled" {
		t.Fatalf("cancel: %d %q", status, loc)
	}
	_, page, _ = b.Get(loc)
	mustContain(t, "after cancelling", page, "已取消报名")
	if strings.Count(page, `name="back" value="shifts"`) != 1 {
		t.Error("the cancelled shift is still listed")
	}
	// Cancelling again shows the message on the same page.
	status, page, _ = b.Post(m[1], url.Values{"csrf": {b.CSRF("/me/shifts")}, "back": {"shifts"}})
	if status != 409 || !strings.Contains(page, `data-testid="form-error"`) || !strings.Contains(page, "我的班次") {
		t.Errorf("second cancel: %d", status)
	}
	// The hours page links here.
	_, page, _ = b.Get("/me/hours")
	mustContain(t, "hours page", page, `href="/me/shifts" data-testid="all-shifts"`)
	// In English.
	if status, _, _ := b.Post("/locale", url.Values{"csrf": {b.CSRF("/me/shifts")}, "lang": {"en"}, "next": {"/me/shifts"}}); status != 303 {
		t.Fatalf("locale: %d", status)
	}
	_, page, _ = b.Get("/me/shifts")
	mustContain(t, "English page", page, "My shifts", "Upcoming", "Past shifts", "1.0 h credited", "Attended", "Not checked in", "Older shifts")
}

// card is the list item of the shift in a section of the shifts page.
func card(page, section string, shiftID int64) string {
	_, after, ok := strings.Cut(page, fmt.Sprintf(`data-testid="%s-%d"`, section, shiftID))
	if !ok {
		return ""
	}
	item, _, _ := strings.Cut(after, "</li>")
	return item
}
