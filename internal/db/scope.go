package db

// PrefixRange returns the half-open range [lo, hi) of strings that start with
// prefix, so that a prefix filter is an index range scan on both engines
// (LIKE 'x%' is not, under PostgreSQL's default collation). An empty prefix
// gives an empty hi, meaning "no upper bound".
func PrefixRange(prefix string) (lo, hi string) {
	if prefix == "" {
		return "", ""
	}
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return prefix, string(b[:i+1])
		}
	}
	return prefix, ""
}

// NullID stores an id of 0 (nobody: the system, an unset reference) as NULL.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
