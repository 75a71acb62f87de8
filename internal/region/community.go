package region

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"strings"
	"sync"

	_ "embed"
)

// communitiesGz holds the communities as gzipped "code\tname\n" lines sorted
// by code; see tools/regiondata.
//
//go:embed data/communities.tsv.gz
var communitiesGz string

// suffixes are common endings of community names, longest first. They are
// stored as a number next to each name instead of in the text, which halves
// the memory the names take. Index 0 means no suffix.
var suffixes = [...]string{
	"",
	"社区居民委员会",
	"村村民委员会",
	"村民委员会",
	"居民委员会",
	"社区居委会",
	"村村委会",
	"村委会",
	"居委会",
	"委员会",
	"生活区",
	"社区",
	"嘎查",
	"村",
}

// communityTable holds the ~620k communities compactly, grouped by street:
// the communities of the base table's street s are first[s] to first[s+1]-1.
// Community i has code street+three digits and name stem+suffix, with
//
//	digits = keys[i] & 0x3ff, suffix = suffixes[keys[i]>>10]
//	stem   = stems[nameBase[s]+ends[i-1] : nameBase[s]+ends[i]]
//
// where ends[i-1] counts as 0 for a street's first community.
type communityTable struct {
	first    []uint32 // len = streets+1
	nameBase []uint32 // len = streets
	keys     []uint16
	ends     []uint16
	stems    string
}

// communities returns the community table, loading it on first use.
var communities = sync.OnceValue(func() *communityTable {
	t, err := loadCommunities(communitiesGz, base())
	if err != nil {
		panic(err) // the embedded data is generated and tested
	}
	return t
})

// loadCommunities parses the communities file, checking that codes ascend
// and that each belongs to a street of b.
func loadCommunities(gz string, b *baseTable) (*communityTable, error) {
	zr, err := gzip.NewReader(strings.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("region: reading communities: %w", err)
	}
	streets := len(b.lines[LevelStreet-1])
	t := &communityTable{
		first:    make([]uint32, streets+1),
		nameBase: make([]uint32, streets),
	}
	var (
		keys, ends []uint16
		stems      []byte
		prev       []byte
		s          = -1 // current street
	)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Bytes()
		tab := bytes.IndexByte(line, '\t')
		if tab != widths[LevelCommunity] || tab+1 == len(line) {
			return nil, fmt.Errorf("region: bad line %q in communities", line)
		}
		code, name := line[:tab], line[tab+1:]
		if !isDigits(code) || bytes.Compare(prev, code) >= 0 {
			return nil, fmt.Errorf("region: bad or out of order code %s in communities", code)
		}
		prev = append(prev[:0], code...)
		street := code[:widths[LevelStreet]]
		for s < 0 || b.code(LevelStreet, s) != string(street) {
			s++
			if s == streets || b.code(LevelStreet, s) > string(street) {
				return nil, fmt.Errorf("region: community %s has no street", code)
			}
			t.first[s] = uint32(len(keys))
			t.nameBase[s] = uint32(len(stems))
		}
		sfx := 0
		for k := 1; k < len(suffixes); k++ {
			if n := len(name) - len(suffixes[k]); n >= 0 && string(name[n:]) == suffixes[k] {
				sfx = k
				break
			}
		}
		stems = append(stems, name[:len(name)-len(suffixes[sfx])]...)
		end := len(stems) - int(t.nameBase[s])
		if end > math.MaxUint16 {
			return nil, fmt.Errorf("region: names of street %s too long", street)
		}
		digits := int(code[9]-'0')*100 + int(code[10]-'0')*10 + int(code[11]-'0')
		keys = append(keys, uint16(sfx<<10|digits))
		ends = append(ends, uint16(end))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("region: reading communities: %w", err)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("region: reading communities: %w", err)
	}
	for s++; s <= streets; s++ {
		t.first[s] = uint32(len(keys))
		if s < streets {
			t.nameBase[s] = uint32(len(stems))
		}
	}
	t.keys = append([]uint16(nil), keys...) // trim spare capacity
	t.ends = append([]uint16(nil), ends...)
	t.stems = string(stems)
	return t, nil
}

// isDigits reports whether b is all ASCII digits.
func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// stem returns the name of community i of street s without its suffix.
func (t *communityTable) stem(i, s int) string {
	start := t.nameBase[s]
	if i > int(t.first[s]) {
		start += uint32(t.ends[i-1])
	}
	return t.stems[start : t.nameBase[s]+uint32(t.ends[i])]
}

// name returns the name of community i of street s.
func (t *communityTable) name(i, s int) string {
	sfx := suffixes[t.keys[i]>>10]
	if sfx == "" {
		return t.stem(i, s)
	}
	return t.stem(i, s) + sfx
}

// lookup returns the community with the given well-formed code.
func (t *communityTable) lookup(code string) (Region, bool) {
	s, ok := base().find(LevelStreet, code[:widths[LevelStreet]])
	if !ok {
		return Region{}, false
	}
	digits := uint16(code[9]-'0')*100 + uint16(code[10]-'0')*10 + uint16(code[11]-'0')
	lo, hi := int(t.first[s]), int(t.first[s+1])
	for lo < hi { // binary search on the last three digits
		m := int(uint(lo+hi) >> 1)
		if t.keys[m]&0x3ff < digits {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == int(t.first[s+1]) || t.keys[lo]&0x3ff != digits {
		return Region{}, false
	}
	return Region{Code: code, Name: t.name(lo, s), Level: LevelCommunity}, true
}

// children returns the communities of street s, whose code is street.
// Their codes and names share one allocation each.
func (t *communityTable) children(street string, s int) []Region {
	lo, hi := int(t.first[s]), int(t.first[s+1])
	if lo == hi {
		return nil
	}
	w := widths[LevelCommunity]
	codes := make([]byte, 0, (hi-lo)*w)
	size := 0
	for i := lo; i < hi; i++ {
		size += len(t.stem(i, s)) + len(suffixes[t.keys[i]>>10])
	}
	var names strings.Builder
	names.Grow(size)
	for i := lo; i < hi; i++ {
		d := t.keys[i] & 0x3ff
		codes = append(codes, street...)
		codes = append(codes, byte('0'+d/100), byte('0'+d/10%10), byte('0'+d%10))
		names.WriteString(t.stem(i, s))
		names.WriteString(suffixes[t.keys[i]>>10])
	}
	allCodes, allNames := string(codes), names.String()
	out := make([]Region, hi-lo)
	off := 0
	for i := range out {
		n := len(t.stem(lo+i, s)) + len(suffixes[t.keys[lo+i]>>10])
		out[i] = Region{
			Code:  allCodes[i*w : (i+1)*w],
			Name:  allNames[off : off+n],
			Level: LevelCommunity,
		}
		off += n
	}
	return out
}
