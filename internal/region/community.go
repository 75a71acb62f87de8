package region

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	_ "embed"
)

// communitiesBin holds the ~620k communities as a packed table that is read
// in place, so the binary's pages that hold it cost memory only once a
// lookup touches them and nothing of it lives on the heap. It is made from
// data/communities.tsv.gz ("code\tname\n" lines sorted by code, see
// tools/regiondata) by packCommunities; TestPackedCommunities checks that the
// two agree and rewrites it with -update-packed.
//
//go:embed data/communities.bin
var communitiesBin string

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

// communityTable is the packed table, grouped by street: the communities of
// the base table's street s are first[s] to first[s+1]-1. Community i has
// code street+three digits and name stem+suffix, with
//
//	digits = keys[i] & 0x3ff, suffix = suffixes[keys[i]>>10]
//	stem   = stems[nameBase[s]+ends[i-1] : nameBase[s]+ends[i]]
//
// where ends[i-1] counts as 0 for a street's first community. The packed
// form is the magic "ZYCOMM1\n", then the little-endian uint32s streets,
// communities and len(stems), then first, nameBase, keys, ends and stems.
type communityTable struct {
	first    uint32s // len = streets+1
	nameBase uint32s // len = streets
	keys     uint16s
	ends     uint16s
	stems    string
}

// communitiesMagic starts the packed table.
const communitiesMagic = "ZYCOMM1\n"

// uint32s and uint16s are little-endian arrays read in place from a string.
type (
	uint32s string
	uint16s string
)

func (a uint32s) at(i int) uint32 {
	s := a[4*i : 4*i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

func (a uint16s) at(i int) uint16 {
	s := a[2*i : 2*i+2]
	return uint16(s[0]) | uint16(s[1])<<8
}

// communities returns the community table, opening it on first use.
var communities = sync.OnceValue(func() *communityTable {
	t, err := openCommunities(communitiesBin, len(base().lines[LevelStreet-1]))
	if err != nil {
		panic(err) // the embedded data is generated and tested
	}
	return t
})

// openCommunities checks the packed table's header against its length and
// the number of streets, and returns views of its parts.
func openCommunities(packed string, streets int) (*communityTable, error) {
	const head = len(communitiesMagic) + 12
	if len(packed) < head || packed[:len(communitiesMagic)] != communitiesMagic {
		return nil, errors.New("region: the packed communities have no header")
	}
	counts := uint32s(packed[len(communitiesMagic):head])
	ns, n, nStems := int(counts.at(0)), int(counts.at(1)), int(counts.at(2))
	if ns != streets || len(packed) != head+4*(2*ns+1)+4*n+nStems {
		return nil, fmt.Errorf("region: the packed communities are for %d streets, or cut short; there are %d", ns, streets)
	}
	rest := packed[head:]
	part := func(size int) string {
		p := rest[:size]
		rest = rest[size:]
		return p
	}
	t := &communityTable{
		first:    uint32s(part(4 * (ns + 1))),
		nameBase: uint32s(part(4 * ns)),
		keys:     uint16s(part(2 * n)),
		ends:     uint16s(part(2 * n)),
	}
	t.stems = rest
	if int(t.first.at(ns)) != n {
		return nil, errors.New("region: the packed communities' street index does not end at their count")
	}
	return t, nil
}

// stem returns the name of community i of street s without its suffix.
func (t *communityTable) stem(i, s int) string {
	base := t.nameBase.at(s)
	start := base
	if i > int(t.first.at(s)) {
		start += uint32(t.ends.at(i - 1))
	}
	return t.stems[start : base+uint32(t.ends.at(i))]
}

// name returns the name of community i of street s.
func (t *communityTable) name(i, s int) string {
	sfx := suffixes[t.keys.at(i)>>10]
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
	lo, hi := int(t.first.at(s)), int(t.first.at(s+1))
	end := hi
	for lo < hi { // binary search on the last three digits
		m := int(uint(lo+hi) >> 1)
		if t.keys.at(m)&0x3ff < digits {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == end || t.keys.at(lo)&0x3ff != digits {
		return Region{}, false
	}
	return Region{Code: code, Name: t.name(lo, s), Level: LevelCommunity}, true
}

// children returns the communities of street s, whose code is street.
// Their codes and names share one allocation each.
func (t *communityTable) children(street string, s int) []Region {
	lo, hi := int(t.first.at(s)), int(t.first.at(s+1))
	if lo == hi {
		return nil
	}
	w := widths[LevelCommunity]
	codes := make([]byte, 0, (hi-lo)*w)
	size := 0
	for i := lo; i < hi; i++ {
		size += len(t.stem(i, s)) + len(suffixes[t.keys.at(i)>>10])
	}
	var names strings.Builder
	names.Grow(size)
	for i := lo; i < hi; i++ {
		d := t.keys.at(i) & 0x3ff
		codes = append(codes, street...)
		codes = append(codes, byte('0'+d/100), byte('0'+d/10%10), byte('0'+d%10))
		names.WriteString(t.stem(i, s))
		names.WriteString(suffixes[t.keys.at(i)>>10])
	}
	allCodes, allNames := string(codes), names.String()
	out := make([]Region, hi-lo)
	off := 0
	for i := range out {
		n := len(t.stem(lo+i, s)) + len(suffixes[t.keys.at(lo+i)>>10])
		out[i] = Region{
			Code:  allCodes[i*w : (i+1)*w],
			Name:  allNames[off : off+n],
			Level: LevelCommunity,
		}
		off += n
	}
	return out
}
