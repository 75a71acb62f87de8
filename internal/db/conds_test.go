package db_test

import (
	"context"
	"testing"

	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

func TestCondsOnBothEngines(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	for i, row := range []struct{ name, region string }{{"50%_off", "120101001"}, {"5000 off", "120101002"}, {"abc", "120102001"}, {`a\b`, "110105"}} {
		if _, err := d.Write().ExecContext(ctx, `INSERT INTO teams (id, name, region_code, created_at, updated_at) VALUES ($1, $2, $3, 0, 0)`, i+1, row.name, row.region); err != nil {
			t.Fatal(err)
		}
	}
	count := func(build func(c *db.Conds) bool) int {
		var c db.Conds
		if build != nil && !build(&c) {
			return 0
		}
		var n int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM teams WHERE `+c.SQL(), c.Args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cases := []struct {
		name  string
		build func(c *db.Conds) bool
		want  int
	}{
		{"none", nil, 4},
		{"prefix", func(c *db.Conds) bool { c.Prefix("region_code", "120101"); return true }, 2},
		{"contains a literal percent and underscore", func(c *db.Conds) bool { c.Contains("%_", "name"); return true }, 1},
		{"starts with", func(c *db.Conds) bool { c.StartsWith("name", "50"); return true }, 2},
		{"backslash", func(c *db.Conds) bool { c.Contains(`\`, "name"); return true }, 1},
		{"scope by region or id", func(c *db.Conds) bool { return c.Scope("region_code", []string{"1201"}, "id", []int64{4}) }, 4},
		{"scope by id only", func(c *db.Conds) bool { return c.Scope("region_code", nil, "id", []int64{3}) }, 1},
		{"empty scope", func(c *db.Conds) bool { return c.Scope("region_code", nil, "id", nil) }, 0},
		{"eq and prefix", func(c *db.Conds) bool { c.Eq("id", 1); c.Prefix("region_code", "1201"); return true }, 1},
	}
	for _, tc := range cases {
		if got := count(tc.build); got != tc.want {
			t.Errorf("%s: %d rows, want %d", tc.name, got, tc.want)
		}
	}
}
