package stats_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/db"
	"zhiyuan/internal/record"
	"zhiyuan/internal/stats"
)

// benchService is the statistics service on ZHIYUAN_BENCH_DB (a database
// made by `zhiyuan demo generate`, e.g. Tianjin scale), or on the demo data.
func benchService(b *testing.B) *stats.Service {
	if dsn := os.Getenv("ZHIYUAN_BENCH_DB"); dsn != "" {
		d, err := db.Open(context.Background(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		recs := record.NewService(d, nil, nil)
		return stats.New(d, catalog.New(d), recs.StarHours)
	}
	return apptest.New(b).App.Stats
}

// benchmarkFigures reads a region's dashboard for this year, as the office
// opening the page does, and reports the 50th and 95th percentile.
func benchmarkFigures(b *testing.B, code string) {
	s := benchService(b)
	admin := &auth.Principal{Grants: []auth.Grant{{Role: auth.RolePlatformAdmin}}}
	from, to := s.Period()
	q := stats.Query{RegionCode: code, From: from, To: to}
	ctx := context.Background()
	if _, err := s.Figures(ctx, admin, q); err != nil { // warm the caches
		b.Fatal(err)
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		f, err := s.Figures(ctx, admin, q)
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.ReportMetric(float64(f.Volunteers.Total), "volunteers")
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkFiguresCity is the city's dashboard (ZHIYUAN_BENCH_CITY, default
// Tianjin 1201).
func BenchmarkFiguresCity(b *testing.B) { benchmarkFigures(b, envOr("ZHIYUAN_BENCH_CITY", "1201")) }

// BenchmarkFiguresDistrict is a district's (ZHIYUAN_BENCH_DISTRICT, default
// Heping 120101).
func BenchmarkFiguresDistrict(b *testing.B) {
	benchmarkFigures(b, envOr("ZHIYUAN_BENCH_DISTRICT", "120101"))
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
