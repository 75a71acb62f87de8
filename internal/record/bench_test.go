package record_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/project"
	"zhiyuan/internal/volunteer"
)

// commitRate measures the database's own rate of single-row write
// transactions with the same concurrency, as the limit check-in is held to.
func commitRate(b *testing.B, d *db.DB, workers, total int) float64 {
	ctx := context.Background()
	if _, err := d.Write().ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_commits (id BIGINT PRIMARY KEY, at BIGINT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < total; i += workers {
				err := d.Tx(ctx, func(tx db.Querier) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO bench_commits (id, at) VALUES ($1, $2)`, int64(i), time.Now().Unix())
					return err
				})
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

// BenchmarkCheckinBurst: many volunteers scan the same shift's code at once
// over HTTP (each scan a check-in or check-out in its own transaction with
// its audit entry, and a service record on check-out); reported beside the
// database's single-row commit rate measured in the same run.
func BenchmarkCheckinBurst(b *testing.B) {
	const people, workers = 64, 16
	env := apptest.New(b)
	ctx := context.Background()
	leader, _ := env.App.Auth.Authenticate(ctx, env.Token("team-admin"), auth.SessionAPI)
	today := time.Now().In(time.FixedZone("CST", 8*3600))
	pr, err := env.App.Projects.Create(ctx, leader, project.NewProject{TeamID: 1, Name: "压测项目", Category: "社区服务", Content: "压测",
		RegionCode: "120101001001", Address: "压测", RecruitCount: 1000, StartsOn: today.Format("2006-01-02"),
		EndsOn: today.AddDate(0, 0, 2).Format("2006-01-02"), ContactName: "王", ContactPhone: "13800138000"})
	if err != nil {
		b.Fatal(err)
	}
	env.App.Projects.Submit(ctx, leader, pr.ID)
	env.App.Projects.ReviewProject(ctx, auth.System, pr.ID, project.Review{Decision: "approve"})
	start := time.Now().Add(10 * time.Minute)
	sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(4 * time.Hour).Format(time.RFC3339), Capacity: people})
	if err != nil {
		b.Fatal(err)
	}
	tokens := make([]string, people)
	for i := range tokens {
		phone := fmt.Sprintf("134%08d", i)
		v, err := env.App.Volunteers.Register(ctx, volunteer.Registration{RealName: fmt.Sprintf("压测%d", i),
			IDNumber: apptest.ResidentID("120101", apptest.BornYearsAgo(25, i), 901+2*i), Phone: phone, RegionCode: "120101001001", Password: "password-123"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := env.App.Projects.SignUp(ctx, &auth.Principal{AccountID: v.AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}, sh.ID); err != nil {
			b.Fatal(err)
		}
		status, raw := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": phone, "password": "password-123"})
		var tok struct{ Token string }
		if json.Unmarshal(raw, &tok) != nil || status != 200 {
			b.Fatalf("login %s: %d", phone, status)
		}
		tokens[i] = tok.Token
	}
	code, _ := env.App.Records.ShiftCode(ctx, leader, sh.ID)
	body, _ := json.Marshal(map[string]string{"code": code.Value})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	scansPerRound := people * 6 // three in/out pairs each, the daily limit
	var latencies []time.Duration
	var mu sync.Mutex
	b.ResetTimer()
	var elapsed time.Duration
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		for _, table := range []string{"service_record_history", "service_records", "attendance", "volunteer_hours"} {
			if _, err := env.App.DB.Write().ExecContext(ctx, `DELETE FROM `+table); err != nil {
				b.Fatal(err)
			}
		}
		code, _ = env.App.Records.ShiftCode(ctx, leader, sh.ID)
		body, _ = json.Marshal(map[string]string{"code": code.Value})
		b.StartTimer()
		began := time.Now()
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for p := w; p < people; p += workers {
					for k := 0; k < 6; k++ {
						req, _ := http.NewRequest("POST", env.Server.URL+"/api/v1/checkins", bytes.NewReader(body))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("Authorization", "Bearer "+tokens[p])
						t0 := time.Now()
						res, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						d := time.Since(t0)
						if res.StatusCode != 200 {
							b.Errorf("scan %d of volunteer %d: status %d", k, p, res.StatusCode)
							return
						}
						mu.Lock()
						latencies = append(latencies, d)
						mu.Unlock()
					}
				}
			}(w)
		}
		wg.Wait()
		elapsed += time.Since(began)
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	rate := float64(scansPerRound*b.N) / elapsed.Seconds()
	limit := commitRate(b, env.App.DB, workers, 4000)
	b.ReportMetric(rate, "checkins/s")
	b.ReportMetric(limit, "db-commits/s")
	b.ReportMetric(rate/limit*100, "%-of-db")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}
