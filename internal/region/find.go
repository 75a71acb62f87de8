package region

import "strings"

// Find resolves what a person wrote for a place: a code of any level, or a
// full name from the province down such as "天津市和平区劝业场街道" (spaces
// ignored; filler levels like "市辖区" may be left out). It returns the
// deepest region the text names completely.
func Find(text string) (Region, bool) {
	s := strings.Join(strings.Fields(text), "")
	if s == "" {
		return Region{}, false
	}
	if _, ok := LevelOf(s); ok {
		return Lookup(s)
	}
	var found Region
	parent, rest := "", s
	for rest != "" {
		next, remain, ok := matchChild(parent, rest)
		if !ok {
			return Region{}, false
		}
		found, parent, rest = next, next.Code, remain
	}
	return found, found.Code != ""
}

// matchChild finds the child of parent whose name begins rest, looking
// through filler levels, and returns it with the text left over. The longest
// name wins, so "和平区" is not taken for a "和平" elsewhere.
func matchChild(parent, rest string) (Region, string, bool) {
	var best Region
	for _, c := range Children(parent) {
		if strings.HasPrefix(rest, c.Name) && len(c.Name) > len(best.Name) {
			best = c
		}
	}
	if best.Code != "" {
		return best, rest[len(best.Name):], true
	}
	for _, c := range Children(parent) {
		if isFiller(c.Name) {
			if r, remain, ok := matchChild(c.Code, rest); ok {
				return r, remain, true
			}
		}
	}
	return Region{}, "", false
}
