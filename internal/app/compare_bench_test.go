package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/project"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/volunteer"
)

// The three pages issue #6 compares with an open-source volunteer planner,
// through the HTML UI with sessions and CSRF, 16 connections, on 10,000
// volunteers and 200 open shifts: the public list of open projects and
// their shifts, a volunteer signing up for a shift, and a volunteer's
// upcoming and past shifts (/me/shifts; /me/hours shows the upcoming ones too).

const (
	cmpVolunteers = 10000
	cmpProjects   = 40 // five shifts each: 200 open shifts
	cmpShifts     = 5 * cmpProjects
	cmpSignedIn   = 128 // volunteers with a browser session, for sign-ups
	cmpClients    = 16
)

type compareEnv struct {
	env      *apptest.Env
	shifts   []int64
	projects []int64
	cookies  []string // session cookies of the signed-in volunteers
	csrf     []string // and the CSRF token of their pages
}

// newCompare fills the database in bulk: 10,000 volunteers (sealed numbers,
// one transaction), 40 published projects with 200 shifts that do not
// overlap, and 128 volunteers signed in through the login form.
func newCompare(b *testing.B) *compareEnv {
	b.Helper()
	env := apptest.New(b)
	ctx := context.Background()
	v := env.App.Volunteers
	prepared := make([]volunteer.Prepared, cmpVolunteers)
	for i := range prepared {
		var err error
		prepared[i], err = v.Prepare(ctx, volunteer.Registration{RealName: fmt.Sprintf("志愿者%d", i),
			IDNumber: apptest.ResidentID("120104", apptest.BornYearsAgo(30, i/900), 100+i%900),
			Phone:    fmt.Sprintf("136%08d", i), RegionCode: "120101001001"}, "import")
		if err != nil {
			b.Fatal(err)
		}
	}
	err := env.App.DB.Tx(ctx, func(tx db.Querier) error {
		track := &stats.Snapshot{}
		for i, p := range prepared {
			if _, err := v.InsertPrepared(ctx, tx, p, fmt.Sprintf("8%011d", i), 1, track); err != nil {
				return err
			}
		}
		return track.Apply(ctx, tx)
	})
	if err != nil {
		b.Fatal(err)
	}
	c := &compareEnv{env: env}
	leader := env.Principal("team-admin")
	first := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	for i := 0; i < cmpProjects; i++ {
		np := apptest.NewProject(fmt.Sprintf("社区服务项目%d", i), "和平区劝业场街道", 1000, 60)
		np.Content = "整理图书、陪伴老人、清扫街道"
		pr := env.Publish(np)
		c.projects = append(c.projects, pr.ID)
		for k := 0; k < cmpShifts/cmpProjects; k++ {
			start := first.Add(time.Duration(len(c.shifts)) * 3 * time.Hour)
			sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
				EndsAt: start.Add(2 * time.Hour).Format(time.RFC3339), Capacity: 1000})
			if err != nil {
				b.Fatal(err)
			}
			c.shifts = append(c.shifts, sh.ID)
		}
	}
	for i := 0; i < cmpSignedIn; i++ {
		phone := fmt.Sprintf("135%08d", i)
		if _, err := v.Register(ctx, volunteer.Registration{RealName: fmt.Sprintf("报名%d", i),
			IDNumber: apptest.ResidentID("120105", apptest.BornYearsAgo(28, i), 101+i), Phone: phone,
			RegionCode: "120101001001", Password: "password-123"}); err != nil {
			b.Fatal(err)
		}
		br := env.Browser()
		form := url.Values{"csrf": {br.CSRF("/login")}, "username": {phone}, "password": {"password-123"}}
		if status, _, _ := br.Post("/login", form); status != http.StatusSeeOther {
			b.Fatalf("login %s: %d", phone, status)
		}
		c.cookies = append(c.cookies, br.Cookie(httpx.SessionCookie))
		c.csrf = append(c.csrf, br.CSRF(fmt.Sprintf("/projects/%d", c.projects[0])))
	}
	return c
}

// resetSignups removes the signed-in volunteers' sign-ups and frees the seats.
func (c *compareEnv) resetSignups(b *testing.B) {
	ctx := context.Background()
	w := c.env.App.DB.Write()
	if _, err := w.ExecContext(ctx, `DELETE FROM signups`); err != nil {
		b.Fatal(err)
	}
	if _, err := w.ExecContext(ctx, `UPDATE shifts SET taken = 0, waiting = 0`); err != nil {
		b.Fatal(err)
	}
}

// parallel runs do from cmpClients clients and fails on a status other
// than want.
func (c *compareEnv) parallel(b *testing.B, want int, do func(client *http.Client, i int) (*http.Response, error)) {
	b.Helper()
	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: cmpClients, MaxConnsPerHost: cmpClients},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	var next atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	b.SetParallelism((cmpClients + 1) / 2) // 16 goroutines on 2 cores
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		defer func() { mu.Lock(); latencies = append(latencies, mine...); mu.Unlock() }()
		for pb.Next() {
			t0 := time.Now()
			res, err := do(client, int(next.Add(1)-1))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			mine = append(mine, time.Since(t0))
			if res.StatusCode != want {
				b.Errorf("status %d, want %d", res.StatusCode, want)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/req")
	if len(latencies) > 0 {
		slices.Sort(latencies)
		b.ReportMetric(float64(latencies[len(latencies)*95/100].Microseconds())/1000, "p95-ms")
	}
}

func (c *compareEnv) get(path string, person int) (*http.Request, error) {
	req, err := http.NewRequest("GET", c.env.Server.URL+path, nil)
	if err == nil && person >= 0 {
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: c.cookies[person]})
	}
	return req, err
}

var shiftLink = regexp.MustCompile(`/shifts/\d+/signup`)

// BenchmarkCompare runs the three pages on one filled database.
func BenchmarkCompare(b *testing.B) {
	c := newCompare(b)

	b.Run("open-shifts", func(b *testing.B) {
		c.parallel(b, http.StatusOK, func(client *http.Client, i int) (*http.Response, error) {
			req, _ := c.get("/projects", -1)
			return client.Do(req)
		})
	})

	b.Run("project-page", func(b *testing.B) {
		req, _ := c.get(fmt.Sprintf("/projects/%d", c.projects[0]), 0)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !shiftLink.Match(body) {
			b.Fatal("the project page offers no sign-up")
		}
		c.parallel(b, http.StatusOK, func(client *http.Client, i int) (*http.Response, error) {
			req, _ := c.get(fmt.Sprintf("/projects/%d", c.projects[i%cmpProjects]), i%cmpSignedIn)
			return client.Do(req)
		})
	})

	b.Run("signup", func(b *testing.B) {
		if b.N > cmpSignedIn*cmpShifts {
			b.Skipf("b.N %d exceeds the %d distinct sign-ups", b.N, cmpSignedIn*cmpShifts)
		}
		c.resetSignups(b)
		c.parallel(b, http.StatusSeeOther, func(client *http.Client, i int) (*http.Response, error) {
			person, shift := i%cmpSignedIn, (i/cmpSignedIn)%cmpShifts
			form := url.Values{"csrf": {c.csrf[person]}}.Encode()
			req, _ := http.NewRequest("POST", fmt.Sprintf("%s/shifts/%d/signup", c.env.Server.URL, c.shifts[shift]), strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: c.cookies[person]})
			return client.Do(req)
		})
		b.StopTimer()
		var n int
		if err := c.env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM signups WHERE status = 'confirmed'`).Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n != b.N {
			b.Fatalf("%d confirmed sign-ups after %d requests", n, b.N)
		}
	})

	b.Run("my-shifts", func(b *testing.B) {
		c.resetSignups(b)
		ctx := context.Background()
		for person := 0; person < cmpSignedIn; person++ {
			p, err := c.env.App.Auth.Authenticate(ctx, c.cookies[person], auth.SessionWeb)
			if err != nil {
				b.Fatal(err)
			}
			for k := 0; k < 10; k++ {
				if _, err := c.env.App.Projects.SignUp(ctx, p, c.shifts[(person+k*7)%cmpShifts]); err != nil {
					b.Fatal(err)
				}
			}
		}
		for _, path := range []string{"/me/shifts", "/me/hours"} {
			b.Run(strings.TrimPrefix(path, "/me/"), func(b *testing.B) {
				c.parallel(b, http.StatusOK, func(client *http.Client, i int) (*http.Response, error) {
					req, _ := c.get(path, i%cmpSignedIn)
					return client.Do(req)
				})
			})
		}
	})
}

// cpuTime is the CPU time this process (server and clients) has used: on a
// machine shared with other work it tells the cost of a request better than
// the wall clock, and 2 cores / cost is the rate the machine could serve alone.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
