package roster_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/audit"
)

// writeSheet writes an import sheet of n valid, distinct rows with the
// streaming writer and returns its path.
func writeSheet(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("import-%d.xlsx", n))
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	_ = sw.SetRow("A1", []any{"姓名", "证件号码", "手机号码", "居住区域", "标签", "技能"})
	streets := []string{"120101001", "120101002", "120101003", "120101004", "120101005", "120101006"}
	tags := []string{"党员", "青年", "巾帼", ""}
	base := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		born := base.AddDate(0, 0, i%15000)
		id := apptest.ResidentID("120101", born, i/15000)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{fmt.Sprintf("志愿者%d", i), id, fmt.Sprintf("136%08d", i), streets[i%len(streets)],
			tags[i%len(tags)], "急救"}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	return path
}

// peakHeap samples the heap in use until stop is closed.
func peakHeap(stop <-chan struct{}, peak *atomic.Uint64) {
	var ms runtime.MemStats
	for {
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak.Load() {
			peak.Store(ms.HeapInuse)
		}
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func benchmarkImport(b *testing.B, rows int) {
	env := apptest.New(b)
	path := writeSheet(b, rows)
	p := env.Principal("team-admin")
	ctx := audit.WithActor(context.Background(), audit.Actor{AccountID: p.AccountID, Username: p.Username})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		st, _ := f.Stat()
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); peakHeap(stop, &peak) }()
		start, cpu0 := time.Now(), cpuTime()
		res, err := env.App.Roster.Import(ctx, p, 1, f, st.Size(), "bench.xlsx", "zh")
		elapsed, cpu := time.Since(start), cpuTime()-cpu0
		close(stop)
		wg.Wait()
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 && (res.Saved != rows || res.Failed != 0) {
			b.Fatalf("saved %d failed %d of %d: %v", res.Saved, res.Failed, rows, res.Errors[:min(3, len(res.Errors))])
		}
		b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(rows), "cpu-µs/row")
	}
}

// cpuTime is the CPU time the process has used: on a shared machine it
// tells the import's cost better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImport100k imports 100,000 new volunteers (then, for b.N > 1,
// re-imports the same file, which only checks and skips them).
func BenchmarkImport100k(b *testing.B) { benchmarkImport(b, 100_000) }

// BenchmarkImport500k imports 500,000 new volunteers.
func BenchmarkImport500k(b *testing.B) { benchmarkImport(b, 500_000) }

// BenchmarkImport20k is the import at a size quick enough to profile.
func BenchmarkImport20k(b *testing.B) { benchmarkImport(b, 20_000) }
