package db

import (
	"strconv"
	"strings"
)

// Conds builds the WHERE clause of a list query with numbered placeholders,
// so each filter rule (a region prefix, a scope, a LIKE with escaping) is
// written once for every store.
type Conds struct {
	parts []string
	// Args are the query's arguments, in placeholder order.
	Args []any
}

// Arg adds an argument and returns its placeholder.
func (c *Conds) Arg(v any) string {
	c.Args = append(c.Args, v)
	return "$" + strconv.Itoa(len(c.Args))
}

// Add adds a condition written with placeholders from Arg.
func (c *Conds) Add(cond string) { c.parts = append(c.parts, cond) }

// Eq adds column = value.
func (c *Conds) Eq(column string, v any) { c.Add(column + " = " + c.Arg(v)) }

// Prefix adds a prefix match on column as an index range (see PrefixRange).
func (c *Conds) Prefix(column, prefix string) {
	lo, hi := PrefixRange(prefix)
	c.Add(column + " >= " + c.Arg(lo) + " AND " + column + " < " + c.Arg(hi))
}

// StartsWith adds a LIKE match for values starting with text.
func (c *Conds) StartsWith(column, text string) {
	c.Add(column + " LIKE " + c.Arg(escapeLike(text)+"%") + ` ESCAPE '\'`)
}

// Contains adds a LIKE match for values of any of the columns containing text.
func (c *Conds) Contains(text string, columns ...string) {
	arg := c.Arg("%" + escapeLike(text) + "%")
	parts := make([]string, len(columns))
	for i, col := range columns {
		parts[i] = col + " LIKE " + arg + ` ESCAPE '\'`
	}
	c.Add("(" + strings.Join(parts, " OR ") + ")")
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Scope restricts rows to a caller's scope: a region prefix of regionColumn
// or one of the ids in idColumn. It reports false when the scope is empty,
// so the caller returns no rows without asking the database.
func (c *Conds) Scope(regionColumn string, regions []string, idColumn string, ids []int64) bool {
	var parts []string
	for _, r := range regions {
		lo, hi := PrefixRange(r)
		parts = append(parts, "("+regionColumn+" >= "+c.Arg(lo)+" AND "+regionColumn+" < "+c.Arg(hi)+")")
	}
	for _, id := range ids {
		parts = append(parts, idColumn+" = "+c.Arg(id))
	}
	if len(parts) == 0 {
		return false
	}
	c.Add("(" + strings.Join(parts, " OR ") + ")")
	return true
}

// SQL returns the conditions joined with AND ("1 = 1" when there are none).
func (c *Conds) SQL() string {
	if len(c.parts) == 0 {
		return "1 = 1"
	}
	return strings.Join(c.parts, " AND ")
}
