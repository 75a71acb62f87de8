package project_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/project"
)

// openSeats finds the shift in the open list: its seats taken, and whether it is listed.
func openSeats(t *testing.T, env *apptest.Env, id int64) (taken int, listed bool) {
	t.Helper()
	l, err := env.App.Projects.OpenShifts(context.Background(), project.OpenQuery{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range l.Shifts {
		if sh.ID == id {
			return sh.Taken, true
		}
	}
	return 0, false
}

// The open-shift list is kept in memory; every write that changes it must
// show at once: a seat taken, the last seat taken, a seat given back, a new
// shift, and a shift that has started.
func TestOpenShiftsFollowWrites(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	svc := env.App.Projects
	pr := published(t, env)
	two := shiftAt(t, env, pr, 0, 2*time.Hour, 2, 0)
	if taken, listed := openSeats(t, env, two.ID); !listed || taken != 0 {
		t.Fatalf("a new shift of two seats: listed %v, taken %d", listed, taken)
	}
	vol := env.Principal("volunteer")
	su, err := svc.SignUp(ctx, vol, two.ID)
	if err != nil {
		t.Fatal(err)
	}
	if taken, listed := openSeats(t, env, two.ID); !listed || taken != 1 {
		t.Fatalf("after a sign-up: listed %v, taken %d (want 1)", listed, taken)
	}
	one := shiftAt(t, env, pr, 3*time.Hour, 4*time.Hour, 1, 0)
	if _, listed := openSeats(t, env, one.ID); !listed {
		t.Fatal("a shift added after the list was read is missing")
	}
	if _, err := svc.SignUp(ctx, vol, one.ID); err != nil {
		t.Fatal(err)
	}
	if _, listed := openSeats(t, env, one.ID); listed {
		t.Fatal("a full shift without a waiting list is still listed")
	}
	if err := svc.Cancel(ctx, vol, su.ID); err != nil {
		t.Fatal(err)
	}
	if taken, listed := openSeats(t, env, two.ID); !listed || taken != 0 {
		t.Fatalf("after the cancellation: listed %v, taken %d (want 0)", listed, taken)
	}
	// The clock reaches the first shift's start: it leaves the list, with
	// no write in between.
	defer func(now func() time.Time) { svc.Now = now }(svc.Now)
	svc.Now = func() time.Time { return two.StartsAt }
	if _, listed := openSeats(t, env, two.ID); listed {
		t.Fatal("a shift that has started is still listed")
	}
}

// Renderings kept with a list are built once per key, and a failed one is
// not kept.
func TestOpenListMemo(t *testing.T) {
	env := apptest.New(t)
	l, err := env.App.Projects.OpenShifts(context.Background(), project.OpenQuery{})
	if err != nil {
		t.Fatal(err)
	}
	builds := 0
	build := func() string { builds++; return "zh" }
	if l.Memo("zh", build) != "zh" || l.Memo("zh", build) != "zh" || builds != 1 {
		t.Fatalf("built %d times", builds)
	}
	if l.Memo("en", func() string { return "" }) != "" || l.Memo("en", func() string { return "en" }) != "en" {
		t.Fatal("a failed rendering was kept")
	}
}
