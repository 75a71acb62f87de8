package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
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
	leader, err := env.App.Auth.Authenticate(ctx, env.Token("team-admin"), auth.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600))
	pr, err := env.App.Projects.Create(ctx, leader, project.NewProject{TeamID: 1, Name: "周末助老", Category: "关爱老人", Content: "陪伴",
		RegionCode: "120101001001", Address: "花园路", RecruitCount: 3, StartsOn: today.Format("2006-01-02"),
		EndsOn: today.AddDate(0, 0, 9).Format("2006-01-02"), ContactName: "王建国", ContactPhone: "13800138000"})
	if err != nil {
		t.Fatal(err)
	}
	env.App.Projects.Submit(ctx, leader, pr.ID)
	env.App.Projects.ReviewProject(ctx, auth.System, pr.ID, project.Review{Decision: "approve"})
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(time.Hour).Format(time.RFC3339), Capacity: 3})
	if err != nil {
		t.Fatal(err)
	}
	vol, _ := env.App.Auth.Authenticate(ctx, env.Token("volunteer"), auth.SessionAPI)
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
