package web_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/project"
)

// benchVolunteer signs the demo volunteer up to three shifts and gives her
// twelve service records, about what a Tianjin volunteer has (20 million
// records over 2.5 million volunteers), and returns her signed-in browser.
func benchVolunteer(b *testing.B) *apptest.Browser {
	env := apptest.New(b)
	ctx := context.Background()
	leader := env.Principal("team-admin")
	vol := env.Principal("volunteer")
	pr := env.Publish(apptest.NewProject("社区图书整理", "劝业场街道图书室", 50, 9))
	base := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	for i := 0; i < 3; i++ {
		start := base.Add(time.Duration(i) * 24 * time.Hour)
		sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
			EndsAt: start.Add(2 * time.Hour).Format(time.RFC3339), Capacity: 10})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := env.App.Projects.SignUp(ctx, vol, sh.ID); err != nil {
			b.Fatal(err)
		}
	}
	volID, err := env.App.Volunteers.MyID(ctx, vol)
	if err != nil {
		b.Fatal(err)
	}
	w := env.App.DB.Write()
	now := time.Now().Unix()
	for i := 0; i < 12; i++ {
		start := now - int64(i+1)*7*86400
		state := "confirmed"
		if i < 2 {
			state = "pending"
		}
		if _, err := w.ExecContext(ctx, `INSERT INTO service_records (volunteer_id, team_id, project_id, region_code, activity, place,
			starts_at, ends_at, minutes, state, created_at, updated_at) VALUES ($1, 1, $2, '120101001001', '社区图书整理', '图书室',
			$3, $4, 120, $5, $6, $6)`, volID, pr.ID, start, start+7200, state, now); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := w.ExecContext(ctx, `INSERT INTO volunteer_hours (volunteer_id, confirmed_minutes, pending_minutes, updated_at)
		VALUES ($1, 1200, 240, $2) ON CONFLICT (volunteer_id) DO UPDATE SET confirmed_minutes = 1200, pending_minutes = 240`, volID, now); err != nil {
		b.Fatal(err)
	}
	br := env.Browser()
	br.Login("volunteer")
	return br
}

// BenchmarkMyPages fetches the volunteer's own pages one after another:
// ns/op and allocs/op are the server's and the client's together.
func BenchmarkMyPages(b *testing.B) {
	br := benchVolunteer(b)
	for _, path := range []string{"/me/hours", "/me/shifts"} {
		b.Run(path[4:], func(b *testing.B) {
			if status, _, _ := br.Get(path); status != 200 {
				b.Fatalf("%s: %d", path, status)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				br.Get(path)
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// cpuTime is the CPU time the process (server and client) has used: on a
// shared machine it tells a page's cost better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
