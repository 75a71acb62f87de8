package attendance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
	"zhiyuan/internal/volunteer"
)

// commitRate measures the database's own rate of single-row write
// transactions with the same concurrency, as the limit check-in is held to:
// BEGIN, INSERT, COMMIT on the write pool itself, not through db.Tx (whose
// group commit would put many rows in one commit).
func commitRate(b *testing.B, d *db.DB, workers, total int) float64 {
	ctx := context.Background()
	pool := d.WritePool()
	if _, err := d.Write().ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_commits (id BIGINT PRIMARY KEY, at BIGINT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	if _, err := d.Write().ExecContext(ctx, `DELETE FROM bench_commits`); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < total; i += workers {
				tx, err := pool.BeginTx(ctx, nil)
				if err == nil {
					_, err = tx.ExecContext(ctx, `INSERT INTO bench_commits (id, at) VALUES ($1, $2)`, int64(i), time.Now().Unix())
					if err == nil {
						err = tx.Commit()
					} else {
						_ = tx.Rollback()
					}
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	return float64(total) / time.Since(start).Seconds()
}

// burst is a shift that people volunteers signed up for, with a way for
// each of them to scan its code over HTTP.
type burst struct {
	env    *apptest.Env
	leader *auth.Principal
	shift  int64
	start  time.Time // the shift's start
	people int
}

// newBurst makes a published project with one shift starting in ten minutes
// and people volunteers signed up for it.
func newBurst(b *testing.B, people int) *burst {
	env := apptest.New(b)
	ctx := context.Background()
	leader := env.Principal("team-admin")
	pr := env.Publish(apptest.NewProject("压测项目", "压测", 1000, 2))
	start := time.Now().Add(10 * time.Minute)
	sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(4 * time.Hour).Format(time.RFC3339), Capacity: people})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < people; i++ {
		v, err := env.App.Volunteers.Register(ctx, volunteer.Registration{RealName: fmt.Sprintf("压测%d", i),
			IDNumber: apptest.ResidentID("120101", apptest.BornYearsAgo(25, i), 901+2*i), Phone: burstPhone(i), RegionCode: "120101001001", Password: "password-123"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := env.App.Projects.SignUp(ctx, &auth.Principal{AccountID: v.AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}, sh.ID); err != nil {
			b.Fatal(err)
		}
	}
	return &burst{env: env, leader: leader, shift: sh.ID, start: sh.StartsAt, people: people}
}

func burstPhone(i int) string { return fmt.Sprintf("134%08d", i) }

// scanner sends one volunteer's scan of the shift code and tells whether it
// was taken.
type scanner func(client *http.Client, person int, code string) error

// apiScanners logs every volunteer in for an API token and scans with
// POST /api/v1/checkins.
func (bu *burst) apiScanners(b *testing.B) scanner {
	tokens := make([]string, bu.people)
	for i := range tokens {
		status, raw := bu.env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": burstPhone(i), "password": "password-123"})
		var tok struct{ Token string }
		if json.Unmarshal(raw, &tok) != nil || status != 200 {
			b.Fatalf("login %d: %d", i, status)
		}
		tokens[i] = tok.Token
	}
	url := bu.env.Server.URL + "/api/v1/checkins"
	return func(client *http.Client, p int, code string) error {
		body, _ := json.Marshal(map[string]string{"code": code})
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tokens[p])
		return send(client, req)
	}
}

// webScanners logs every volunteer in through the login form and scans as
// the phone's browser does after opening the QR code's URL: POST /c/{code}
// with the session cookie and the page's CSRF token.
func (bu *burst) webScanners(b *testing.B, code string) scanner {
	cookies, csrf := make([]string, bu.people), make([]string, bu.people)
	for i := range cookies {
		br := bu.env.Browser()
		form := url.Values{"csrf": {br.CSRF("/login")}, "username": {burstPhone(i)}, "password": {"password-123"}}
		if status, _, _ := br.Post("/login", form); status != http.StatusSeeOther {
			b.Fatalf("login %d: %d", i, status)
		}
		cookies[i] = br.Cookie(httpx.SessionCookie)
		csrf[i] = br.CSRF("/c/" + code)
	}
	base := bu.env.Server.URL + "/c/"
	return func(client *http.Client, p int, code string) error {
		req, _ := http.NewRequest("POST", base+code, strings.NewReader(url.Values{"csrf": {csrf[p]}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: cookies[p]})
		return send(client, req)
	}
}

func send(client *http.Client, req *http.Request) error {
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

// run drives rounds of scans (every volunteer checks in and out three
// times, the daily limit) from workers concurrent clients, then measures the
// database's single-row commit rate with the same concurrency and reports
// both, their ratio and the latencies.
func (bu *burst) run(b *testing.B, workers int, scan scanner) {
	ctx := context.Background()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	scansPerRound := bu.people * 6
	var latencies []time.Duration
	var mu sync.Mutex
	var elapsed, cpu time.Duration
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		for _, table := range []string{"service_record_history", "service_records", "attendance", "volunteer_hours"} {
			if _, err := bu.env.App.DB.Write().ExecContext(ctx, `DELETE FROM `+table); err != nil {
				b.Fatal(err)
			}
		}
		code, _ := bu.env.App.Attendance.ShiftCode(ctx, bu.leader, bu.shift)
		b.StartTimer()
		began, cpu0 := time.Now(), cpuTime()
		// Six rounds, in, out, in, …: between them the service's clock moves
		// on two minutes, so that each scan is a check-in or a check-out
		// (one within a minute of the check-in is a double scan).
		for k := 0; k < 6; k++ {
			at := bu.start.Add(time.Minute + time.Duration(2*k)*time.Minute)
			bu.env.App.Records.Now = func() time.Time { return at }
			bu.env.App.Attendance.Now = bu.env.App.Records.Now
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for p := w; p < bu.people; p += workers {
						t0 := time.Now()
						if err := scan(client, p, code.Value); err != nil {
							b.Errorf("scan %d of volunteer %d: %v", k, p, err)
							return
						}
						d := time.Since(t0)
						mu.Lock()
						latencies = append(latencies, d)
						mu.Unlock()
					}
				}(w)
			}
			wg.Wait()
		}
		elapsed += time.Since(began)
		cpu += cpuTime() - cpu0
	}
	b.StopTimer()
	if len(latencies) == 0 {
		return
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	rate := float64(scansPerRound*b.N) / elapsed.Seconds()
	limit := commitRate(b, bu.env.App.DB, workers, 4000)
	b.ReportMetric(rate, "checkins/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(scansPerRound*b.N), "cpu-µs/checkin")
	b.ReportMetric(limit, "db-commits/s")
	b.ReportMetric(rate/limit*100, "%-of-db")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkCheckinBurst: many volunteers scan the same shift's code at once
// over HTTP (each scan a check-in or check-out in its own transaction with
// its audit entry, and a service record on check-out); reported beside the
// database's single-row commit rate measured in the same run.
func BenchmarkCheckinBurst(b *testing.B) {
	bu := newBurst(b, 64)
	bu.run(b, 16, bu.apiScanners(b))
}

// BenchmarkCheckin256 is issue #6's check-in target: 256 volunteers scan at
// once, each from their own connection, through the API and through the
// page the QR code opens (session cookie and CSRF token).
func BenchmarkCheckin256(b *testing.B) {
	bu := newBurst(b, 256)
	ctx := context.Background()
	code, _ := bu.env.App.Attendance.ShiftCode(ctx, bu.leader, bu.shift)
	api, web := bu.apiScanners(b), bu.webScanners(b, code.Value)
	b.Run("api", func(b *testing.B) { bu.run(b, 256, api) })
	b.Run("web", func(b *testing.B) { bu.run(b, 256, web) })
}

// cpuTime is the CPU time this process (server and clients) has used: on a
// machine shared with other work it tells the cost of a scan better than the
// wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
