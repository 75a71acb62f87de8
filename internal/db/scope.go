package db

import (
	"strconv"
	"strings"
)

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

// ScopeFilter returns a SQL condition restricting column to any of the
// region prefixes, with its arguments numbered from argN. No prefixes gives a
// condition that matches nothing.
func ScopeFilter(column string, prefixes []string, argN int) (string, []any) {
	if len(prefixes) == 0 {
		return "1 = 0", nil
	}
	var sb strings.Builder
	var args []any
	sb.WriteByte('(')
	for i, p := range prefixes {
		if i > 0 {
			sb.WriteString(" OR ")
		}
		lo, hi := PrefixRange(p)
		sb.WriteString("(" + column + " >= $" + strconv.Itoa(argN) + " AND " + column + " < $" + strconv.Itoa(argN+1) + ")")
		args = append(args, lo, hi)
		argN += 2
	}
	sb.WriteByte(')')
	return sb.String(), args
}

// NullID stores an id of 0 (nobody: the system, an unset reference) as NULL.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
