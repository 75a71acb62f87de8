package volunteer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"zhiyuan/internal/apptest"
)

// BenchmarkRegisterHTTP is self-registration over HTTP from parallel
// clients: validation, encryption, duplicate checks, the argon2id password
// hash, and the account and record written in one transaction.
func BenchmarkRegisterHTTP(b *testing.B) {
	env := apptest.New(b)
	var n atomic.Int64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			body, _ := json.Marshal(map[string]any{"real_name": fmt.Sprintf("压测%d", i),
				"id_number": apptest.ResidentID("120101", apptest.BornYearsAgo(20+i%40, i/40), i%1000),
				"phone":     fmt.Sprintf("135%08d", i), "region_code": "120101001001", "password": "password-123",
				"tags": []string{"青年"}, "skills": []string{"急救"}})
			res, err := client.Post(env.Server.URL+"/api/v1/volunteers", "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 201 {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "registrations/s")
}
