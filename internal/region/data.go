package region

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	_ "embed"
)

// regionsTSV holds provinces, cities, counties and streets as
// "code\tname\n" lines sorted by code; see tools/regiondata. It is embedded
// uncompressed and read in place, so it costs no heap.
//
//go:embed data/regions.tsv
var regionsTSV string

// baseTable indexes provinces to streets. It keeps the file as one string
// and, per level, the offsets of its lines in code order, so codes and names
// are substrings of raw and lookups allocate nothing.
type baseTable struct {
	raw   string
	lines [LevelStreet][]uint32 // lines[l-1][i]: offset in raw of the i-th code of Level l
}

// base returns the base table, loading it on first use.
var base = sync.OnceValue(func() *baseTable {
	t, err := loadBase(regionsTSV)
	if err != nil {
		panic(err) // the embedded data is generated and tested
	}
	return t
})

// loadBase parses the regions file, checking that every line is a
// well-formed code above community level and that codes ascend.
func loadBase(raw string) (*baseTable, error) {
	t := &baseTable{raw: raw}
	for off := 0; off < len(raw); {
		n := strings.IndexByte(raw[off:], '\n')
		tab := strings.IndexByte(raw[off:], '\t')
		if n < 0 || tab < 0 || tab > n {
			return nil, fmt.Errorf("region: bad line at byte %d of regions", off)
		}
		code := raw[off : off+tab]
		l, ok := LevelOf(code)
		if !ok || l == LevelCommunity || tab+1 == n {
			return nil, fmt.Errorf("region: bad line %q in regions", raw[off:off+n])
		}
		if k := len(t.lines[l-1]); k > 0 && t.code(l, k-1) >= code {
			return nil, fmt.Errorf("region: code %s out of order in regions", code)
		}
		t.lines[l-1] = append(t.lines[l-1], uint32(off))
		off += n + 1
	}
	for i, s := range t.lines {
		t.lines[i] = append([]uint32(nil), s...) // trim spare capacity
	}
	return t, nil
}

// code returns the code of the i-th region of level l.
func (t *baseTable) code(l Level, i int) string {
	off := int(t.lines[l-1][i])
	return t.raw[off : off+widths[l]]
}

// region returns the i-th region of level l.
func (t *baseTable) region(l Level, i int) Region {
	off := int(t.lines[l-1][i])
	name := t.raw[off+widths[l]+1:]
	name = name[:strings.IndexByte(name, '\n')]
	return Region{Code: t.raw[off : off+widths[l]], Name: name, Level: l}
}

// find returns the index of code in level l.
func (t *baseTable) find(l Level, code string) (int, bool) {
	n := len(t.lines[l-1])
	i := sort.Search(n, func(i int) bool { return t.code(l, i) >= code })
	return i, i < n && t.code(l, i) == code
}

// lookup returns the region of level l with the given code.
func (t *baseTable) lookup(l Level, code string) (Region, bool) {
	i, ok := t.find(l, code)
	if !ok {
		return Region{}, false
	}
	return t.region(l, i), true
}

// all returns every region of level l.
func (t *baseTable) all(l Level) []Region {
	out := make([]Region, len(t.lines[l-1]))
	for i := range out {
		out[i] = t.region(l, i)
	}
	return out
}

// children returns the regions one level below the parent of level l,
// which is above street level; nil if parent is unknown or has none.
func (t *baseTable) children(l Level, parent string) []Region {
	if _, ok := t.find(l, parent); !ok {
		return nil
	}
	c, w := l+1, len(parent)
	n := len(t.lines[c-1])
	lo := sort.Search(n, func(i int) bool { return t.code(c, i)[:w] >= parent })
	hi := lo + sort.Search(n-lo, func(i int) bool { return t.code(c, lo+i)[:w] > parent })
	if lo == hi {
		return nil
	}
	out := make([]Region, hi-lo)
	for i := range out {
		out[i] = t.region(c, lo+i)
	}
	return out
}
