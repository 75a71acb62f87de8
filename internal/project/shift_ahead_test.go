package project_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
)

// TestShiftAtMostTwoYearsAhead: a shift's time of service lies at most two
// years ahead, whatever the project's dates.
func TestShiftAtMostTwoYearsAhead(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	np := apptest.NewProject("远期项目", "花园路社区", 5, 10)
	far := time.Now().In(clock.Zone).AddDate(3, 0, 0)
	np.StartsOn, np.EndsOn = far.Format("2006-01-02"), far.AddDate(0, 0, 10).Format("2006-01-02")
	pr, err := env.App.Projects.Create(ctx, env.Principal("team-admin"), np)
	if err != nil {
		t.Skipf("a project three years ahead is refused already: %v", err)
	}
	start := far.Add(time.Hour)
	_, err = env.App.Projects.AddShift(ctx, env.Principal("team-admin"), pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(time.Hour).Format(time.RFC3339), Capacity: 2})
	if apperr.From(err).Fields["starts_at"].Code != "too_far" {
		t.Fatalf("a shift three years ahead: %v", err)
	}
}
