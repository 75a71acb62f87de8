package demo_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/demo"
)

// serve --demo shows every state of the spine at once: a newcomer's first
// look at each role's pages finds work, not empty lists.
func TestActivityShowsEveryState(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	if err := demo.LoadActivity(ctx, env.App.DemoServices()); err != nil {
		t.Fatal(err)
	}
	if env.App.Records.Now().Before(time.Now().Add(-time.Minute)) || env.App.Attendance.Now().Before(time.Now().Add(-time.Minute)) ||
		env.App.Projects.Now().Before(time.Now().Add(-time.Minute)) {
		t.Fatal("the services' clocks are still the demo's")
	}
	q := env.App.DB.Read()
	now := time.Now().Unix()
	count := func(what, query string, args ...any) {
		t.Helper()
		var n int
		if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n == 0 {
			t.Errorf("the demo has no %s", what)
		}
	}
	for _, state := range []string{"published", "pending_review", "draft", "rejected"} {
		count(state+" project", `SELECT COUNT(*) FROM projects WHERE state = $1`, state)
	}
	count("shift with open seats ahead", `SELECT COUNT(*) FROM shifts WHERE starts_at > $1 AND taken > 0 AND taken < capacity`, now)
	count("full shift with a waiting list", `SELECT COUNT(*) FROM shifts WHERE starts_at > $1 AND taken = capacity AND waiting > 0`, now)
	count("shift under way with someone checked in", `SELECT COUNT(*) FROM shifts s JOIN attendance a ON a.shift_id = s.id
		WHERE s.starts_at <= $1 AND s.ends_at > $1 AND a.check_out_at = 0`, now)
	count("confirmed record", `SELECT COUNT(*) FROM service_records WHERE state = 'confirmed'`)
	count("pending record within its deadline", `SELECT COUNT(*) FROM service_records WHERE state = 'pending' AND due_at > $1`, now)
	count("overdue record", `SELECT COUNT(*) FROM service_records WHERE state = 'pending' AND due_at <= $1`, now)
	count("backfill awaiting approval", `SELECT COUNT(*) FROM service_records WHERE state = 'pending_approval'`)
	count("approved backfill", `SELECT COUNT(*) FROM service_records WHERE state = 'confirmed' AND backfilled <> 0`)

	var code string
	if err := q.QueryRowContext(ctx, `SELECT verify_code FROM certificates`).Scan(&code); err != nil {
		t.Fatalf("certificate: %v", err)
	}
	v, err := env.App.Records.Verify(ctx, code)
	if err != nil || !v.Genuine || v.Revoked || v.TotalMinutes == 0 {
		t.Fatalf("the demo certificate does not verify: %+v %v", v, err)
	}

	status, body, _ := env.Browser().Get("/shifts")
	if status != http.StatusOK || !strings.Contains(body, "劝业场街道助老送餐") {
		t.Errorf("the public shift list does not show the demo's project: %d", status)
	}
}
