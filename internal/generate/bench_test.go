package generate_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/generate"
)

// BenchmarkGenerate measures generation speed in rows per second, on a city
// of 20,000 volunteers, 160 teams and 160,000 records per iteration.
func BenchmarkGenerate(b *testing.B) {
	var rows int64
	var took time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		a := newApp(b)
		b.StartTimer()
		start := time.Now()
		m, err := generate.Run(context.Background(), a, generate.Options{Volunteers: 20000, Teams: 160, Records: 160000,
			Seed: uint64(i + 1), Accounts: 2000})
		if err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
		rows += m.Rows
	}
	b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
}
