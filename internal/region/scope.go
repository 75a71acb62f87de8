package region

// Covers reports whether the region scope contains code, i.e. whether code
// is scope itself or one of its descendants. It works on code structure
// alone, without consulting the data, so it is cheap but does not check that
// either code exists.
//
// scope "" stands for the whole platform and covers every well-formed code
// and "" itself. Otherwise scope and code must both be well-formed (see
// LevelOf), code must be at scope's level or below, and code must start
// with scope. A malformed scope or code is never covered, so "1201" does
// not cover "120" or "12010a" and "120101" does not cover "1201".
func Covers(scope, code string) bool {
	if code != "" {
		if _, ok := LevelOf(code); !ok {
			return false
		}
	}
	if scope == "" {
		return true
	}
	if _, ok := LevelOf(scope); !ok {
		return false
	}
	return len(code) >= len(scope) && code[:len(scope)] == scope
}
