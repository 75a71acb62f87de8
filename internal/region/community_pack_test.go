package region

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// communitiesSource is the file the packed table is made from.
const communitiesSource = "data/communities.tsv.gz"

var updatePacked = flag.Bool("update-packed", false, "rewrite data/communities.bin from "+communitiesSource)

// TestPackedCommunities checks that the embedded packed table is exactly
// what packCommunities makes of the source file, so the two cannot drift;
// with -update-packed it rewrites the packed table instead.
func TestPackedCommunities(t *testing.T) {
	gz, err := os.ReadFile(communitiesSource)
	if err != nil {
		t.Fatal(err)
	}
	packed, err := packCommunities(string(gz), base())
	if err != nil {
		t.Fatal(err)
	}
	if *updatePacked {
		if err := os.WriteFile("data/communities.bin", packed, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote data/communities.bin: %d bytes", len(packed))
		return
	}
	if string(packed) != communitiesBin {
		t.Fatalf("data/communities.bin (%d bytes) is not the packing of %s (%d bytes); run go test ./internal/region -run TestPackedCommunities -update-packed",
			len(communitiesBin), communitiesSource, len(packed))
	}
}

func TestOpenCommunitiesRefusesDamage(t *testing.T) {
	streets := len(base().lines[LevelStreet-1])
	if _, err := openCommunities(communitiesBin, streets); err != nil {
		t.Fatalf("the embedded table: %v", err)
	}
	for name, packed := range map[string]string{
		"empty":        "",
		"no magic":     "ZYCOMM0\n" + communitiesBin[8:],
		"cut short":    communitiesBin[:len(communitiesBin)-1],
		"one too long": communitiesBin + "x",
	} {
		if _, err := openCommunities(packed, streets); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	if _, err := openCommunities(communitiesBin, streets-1); err == nil {
		t.Error("opened for another number of streets")
	}
}

func TestPackCommunitiesRefusesBadLines(t *testing.T) {
	b := base()
	for name, text := range map[string]string{
		"no tab":          "120101001001花园路社区居委会\n",
		"no name":         "120101001001\t\n",
		"letters":         "12010100100x\t甲\n",
		"out of order":    "120101001002\t甲\n120101001001\t乙\n",
		"twice":           "120101001001\t甲\n120101001001\t乙\n",
		"no such street":  "120101999001\t甲\n",
		"not a community": "120101001\t甲\n",
	} {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(text))
		zw.Close()
		if _, err := packCommunities(buf.String(), b); err == nil {
			t.Errorf("%s: packed", name)
		}
	}
}

// packCommunities parses the communities file, checking that codes ascend
// and that each belongs to a street of b, and packs them as communityTable
// describes.
func packCommunities(gz string, b *baseTable) ([]byte, error) {
	zr, err := gzip.NewReader(strings.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("region: reading communities: %w", err)
	}
	streets := len(b.lines[LevelStreet-1])
	first := make([]uint32, streets+1)
	nameBase := make([]uint32, streets)
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
			first[s] = uint32(len(keys))
			nameBase[s] = uint32(len(stems))
		}
		sfx := 0
		for k := 1; k < len(suffixes); k++ {
			if n := len(name) - len(suffixes[k]); n >= 0 && string(name[n:]) == suffixes[k] {
				sfx = k
				break
			}
		}
		stems = append(stems, name[:len(name)-len(suffixes[sfx])]...)
		end := len(stems) - int(nameBase[s])
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
		first[s] = uint32(len(keys))
		if s < streets {
			nameBase[s] = uint32(len(stems))
		}
	}
	out := []byte(communitiesMagic)
	le := binary.LittleEndian
	out = le.AppendUint32(out, uint32(streets))
	out = le.AppendUint32(out, uint32(len(keys)))
	out = le.AppendUint32(out, uint32(len(stems)))
	for _, v := range first {
		out = le.AppendUint32(out, v)
	}
	for _, v := range nameBase {
		out = le.AppendUint32(out, v)
	}
	for _, v := range keys {
		out = le.AppendUint16(out, v)
	}
	for _, v := range ends {
		out = le.AppendUint16(out, v)
	}
	return append(out, stems...), nil
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
