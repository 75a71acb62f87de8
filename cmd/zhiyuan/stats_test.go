package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

func TestStatsRebuildRepairs(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.DSN(t)
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"migrate", "--db", dsn}, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// A counter with no records behind it, as a bad hand edit would leave.
	if _, err := d.Write().ExecContext(ctx, `INSERT INTO stat_counts (region_code, metric, grain, period, dim, n)
		VALUES ('1201', 'volunteers', 'D', '2026-01-01', '', 42)`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"stats", "rebuild", "--db", dsn}, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if !strings.Contains(out.String(), "statistics rebuilt: 0 counters") {
		t.Fatalf("rebuild: %s", out.String())
	}
	var n int
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM stat_counts`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("counters after rebuild: %d %v", n, err)
	}
}
