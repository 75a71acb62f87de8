package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
)

func TestOpenShiftsList(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	leader := env.Principal("team-admin")
	open := env.Publish(apptest.NewProject("公开的值守", "花园路", 5, 10))
	draft, err := env.App.Projects.Create(ctx, leader, apptest.NewProject("草稿的值守", "花园路", 5, 10))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	shift := func(pr project.Project, at time.Time, capacity int) project.Shift {
		sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: at.Format(time.RFC3339),
			EndsAt: at.Add(2 * time.Hour).Format(time.RFC3339), Capacity: capacity})
		if err != nil {
			t.Fatal(err)
		}
		return sh
	}
	later := shift(open, start.Add(24*time.Hour), 3)
	sooner := shift(open, start, 1)
	full := shift(open, start.Add(48*time.Hour), 1)
	shift(draft, start, 3)
	vol := env.Principal("volunteer")
	if _, err := env.App.Projects.SignUp(ctx, vol, full.ID); err != nil {
		t.Fatal(err)
	}

	status, body, _ := env.Browser().Get("/shifts")
	if status != http.StatusOK {
		t.Fatalf("open shifts: %d", status)
	}
	a, b := strings.Index(body, `data-testid="open-shift-`+itoa(sooner.ID)+`"`), strings.Index(body, `data-testid="open-shift-`+itoa(later.ID)+`"`)
	if a < 0 || b < 0 || a > b {
		t.Fatalf("the open shifts, soonest first: %d %d\n%s", a, b, body)
	}
	if strings.Contains(body, "草稿的值守") || strings.Contains(body, `open-shift-`+itoa(full.ID)+`"`) {
		t.Fatal("a draft's shift or a full shift without a waiting list is listed")
	}
	if !strings.Contains(body, "剩余 3 个名额") || !strings.Contains(body, `href="/projects/`+itoa(open.ID)+`"`) {
		t.Fatal("seats left and the link to sign up are missing")
	}
	// Filters: a day with nothing, another district, a bad date.
	if _, body, _ = env.Browser().Get("/shifts?region_code=120102"); strings.Contains(body, "公开的值守") {
		t.Fatal("Hedong lists Heping's shifts")
	}
	if _, body, _ = env.Browser().Get("/shifts?date=" + start.In(clock.Zone).Format(time.DateOnly)); !strings.Contains(body, `open-shift-`+itoa(sooner.ID)+`"`) || strings.Contains(body, `open-shift-`+itoa(later.ID)+`"`) {
		t.Fatal("the day filter")
	}
	if status, body, _ = env.Browser().Get("/shifts?date=2026-02-30"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "日期格式") {
		t.Fatalf("bad date: %d", status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
