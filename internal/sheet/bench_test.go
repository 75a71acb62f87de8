package sheet

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchRows is the sheet size of the benchmarks; SHEET_BENCH_ROWS overrides
// it (for example 500000) for a one-off check of memory growth.
func benchRows(b *testing.B) int {
	if s := os.Getenv("SHEET_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 100000
}

// heapPeak tracks the peak of HeapInuse (live data plus garbage not yet
// collected, sampled often) and of the live heap (HeapAlloc right after a
// forced collection, sampled seldom).
type heapPeak struct{ inuse, live uint64 }

func (h *heapPeak) sample(collect bool) {
	if collect {
		runtime.GC()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.inuse = max(h.inuse, m.HeapInuse)
	if collect {
		h.live = max(h.live, m.HeapAlloc)
	}
}

func (h *heapPeak) report(b *testing.B) {
	b.ReportMetric(float64(h.inuse)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(h.live)/(1<<20), "live-heap-MB")
}

// writeBenchSheet writes an import sheet of n volunteers with StreamWriter;
// every tenth ID is a numeric cell as Excel would store it.
func writeBenchSheet(b testing.TB, path string, n int) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"姓名", "证件号码", "手机号码", "居住区域", "性别", "技能", "标签"}); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		var id any = fmt.Sprintf("1101051949%08d", i)
		if i%10 == 0 {
			id = 110105194900000000 + i // a numeric cell
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{fmt.Sprintf("志愿者%d", i), id, fmt.Sprintf("138%08d", i), "120101001", "女", "急救、心理疏导", "党员"}
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReadRows reads a sheet written by excelize's StreamWriter
// (inline strings).
func BenchmarkReadRows(b *testing.B) {
	n := benchRows(b)
	path := filepath.Join(b.TempDir(), "import.xlsx")
	writeBenchSheet(b, path, n)
	benchmarkRead(b, path, n)
}

// BenchmarkReadRowsSharedStrings reads a sheet laid out as Excel saves it:
// three distinct shared strings per row, so the table is large.
func BenchmarkReadRowsSharedStrings(b *testing.B) {
	n := benchRows(b)
	path := filepath.Join(b.TempDir(), "excel.xlsx")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	writeSSTBook(b, f, n)
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	benchmarkRead(b, path, n)
}

// benchmarkRead opens path and reads its n rows b.N times, reporting rows/s,
// heap peaks and bytes allocated per row.
func benchmarkRead(b *testing.B, path string, n int) {
	file, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer file.Close()
	info, _ := file.Stat()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var heap heapPeak
	b.ResetTimer()
	for b.Loop() {
		r, err := Open(file, info.Size())
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if rows++; rows%5000 == 0 {
				heap.sample(rows%50000 == 0)
			}
		}
		if rows != n {
			b.Fatalf("read %d rows, want %d", rows, n)
		}
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	heap.report(b)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n*b.N), "alloc-B/row")
	b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
}

func BenchmarkExport(b *testing.B) {
	n := benchRows(b)
	runtime.GC()
	var heap heapPeak
	var size int64
	for b.Loop() {
		e, err := NewExport("志愿者", []string{"姓名", "证件号码", "手机号码", "居住区域", "服务时长", "标签"})
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			if err := e.Add(fmt.Sprintf("志愿者%d", i), "1101**********002X", "138****8000", "天津市和平区劝业场街道", "12.5", "党员"); err != nil {
				b.Fatal(err)
			}
			if i%5000 == 0 {
				heap.sample(i%50000 == 0)
			}
		}
		if size, err = e.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		heap.sample(false)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	heap.report(b)
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}
