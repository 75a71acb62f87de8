package region

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestAllData walks the whole tree and checks it against the raw files:
// every region is reachable through Children exactly once, in file order,
// with its name intact, and Lookup, Parent and Covers agree.
func TestAllData(t *testing.T) {
	if testing.Short() {
		t.Skip("walks all 665k regions")
	}
	var want []string // "code\tname" of every region in code order
	communitiesGz, err := os.ReadFile(communitiesSource)
	if err != nil {
		t.Fatal(err)
	}
	want = strings.Split(strings.TrimSuffix(regionsTSV, "\n"), "\n")
	{
		zr, err := gzip.NewReader(bytes.NewReader(communitiesGz))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			want = append(want, sc.Text())
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	// Both files are in code order; merging them keeps it.
	slices.Sort(want)

	var got []string
	count := map[Level]int{}
	var walk func(parent string)
	walk = func(parent string) {
		for _, r := range Children(parent) {
			count[r.Level]++
			got = append(got, r.Code+"\t"+r.Name)
			if Parent(r.Code) != parent || !Covers(parent, r.Code) || Covers(r.Code, parent) {
				t.Fatalf("%+v: Parent/Covers disagree with parent %q", r, parent)
			}
			if l, ok := Lookup(r.Code); !ok || l != r {
				t.Fatalf("Lookup(%q) = %+v, %v; want %+v", r.Code, l, ok, r)
			}
			walk(r.Code)
		}
	}
	walk("")

	if len(got) != len(want) {
		t.Fatalf("walk found %d regions; files have %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("region %d: walk found %q; file has %q", i, got[i], want[i])
		}
	}
	wantCount := map[Level]int{
		LevelProvince: 31, LevelCity: 342, LevelCounty: 2978, LevelStreet: 41352, LevelCommunity: 620573,
	}
	for l, n := range wantCount {
		if count[l] != n {
			t.Errorf("%d regions at level %v; want %d", count[l], l, n)
		}
	}
}

// heapCost returns the live heap bytes retained by the result of load.
func heapCost(load func() any) (uint64, any) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := load()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if after.HeapAlloc < before.HeapAlloc { // something else was freed meanwhile
		return 0, v
	}
	return after.HeapAlloc - before.HeapAlloc, v
}

func TestMemory(t *testing.T) {
	n, v := heapCost(func() any {
		b, err := loadBase(regionsTSV)
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
	b := v.(*baseTable)
	t.Logf("provinces..streets: %.2f MB heap (%d regions, %d bytes of text)",
		float64(n)/1e6, len(b.lines[0])+len(b.lines[1])+len(b.lines[2])+len(b.lines[3]), len(b.raw))
	if n > 1<<20 {
		t.Errorf("base table costs %d bytes of heap; want at most 1 MiB (the text is read in place)", n)
	}

	n, v = heapCost(func() any {
		c, err := openCommunities(communitiesBin, len(b.lines[LevelStreet-1]))
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
	c := v.(*communityTable)
	t.Logf("communities: %d bytes of heap (%d communities, %d bytes of name stems read in place)",
		n, len(c.keys)/2, len(c.stems))
	if n > 4<<10 {
		t.Errorf("community table costs %d bytes of heap; want it read in place", n)
	}
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
}

// BenchmarkLoadBase times loading provinces to streets and reports the heap
// the result retains.
func BenchmarkLoadBase(b *testing.B) {
	load := func() any {
		t, err := loadBase(regionsTSV)
		if err != nil {
			b.Fatal(err)
		}
		return t
	}
	heap, _ := heapCost(load)
	for b.Loop() {
		load()
	}
	b.ReportMetric(float64(heap), "heap-bytes")
}

// BenchmarkOpenCommunities times opening the packed communities and reports
// the heap the result retains.
func BenchmarkOpenCommunities(b *testing.B) {
	streets := len(base().lines[LevelStreet-1])
	load := func() any {
		t, err := openCommunities(communitiesBin, streets)
		if err != nil {
			b.Fatal(err)
		}
		return t
	}
	heap, _ := heapCost(load)
	for b.Loop() {
		load()
	}
	b.ReportMetric(float64(heap), "heap-bytes")
}

func BenchmarkLookup(b *testing.B) {
	for _, code := range []string{"12", "120101", "120101001", "120101001001", "650000000000"} {
		Lookup(code) // load outside the timing
		b.Run(code, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Lookup(code)
			}
		})
	}
}

func BenchmarkChildren(b *testing.B) {
	for _, parent := range []string{"", "1201", "120101", "120101001"} {
		name := parent
		if name == "" {
			name = "root"
		}
		Children(parent)
		b.Run(fmt.Sprint(name, "/", len(Children(parent))), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Children(parent)
			}
		})
	}
}

func BenchmarkFullName(b *testing.B) {
	FullName("120101001001")
	b.ReportAllocs()
	for b.Loop() {
		FullName("120101001001")
	}
}
