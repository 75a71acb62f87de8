package db_test

import (
	"context"
	"strings"
	"testing"

	"zhiyuan/internal/dbtest"
)

// Param builds statements of thousands of parameters that bind in order on
// both engines.
func TestParamBindsInOrder(t *testing.T) {
	d := dbtest.New(t)
	const n = 3000
	ph := make([]string, n)
	args := make([]any, n)
	for i := range ph {
		ph[i] = d.Dialect.Param(i + 1)
		args[i] = int64(i * 7)
	}
	query := `SELECT COUNT(*) FROM (SELECT CAST(` + ph[0] + ` AS BIGINT) AS x) s WHERE x IN (` + strings.Join(ph[1:], ", ") + `)`
	for _, c := range []struct {
		first, want int64
	}{{7 * (n - 1), 1}, {7*(n-1) + 1, 0}, {7, 1}, {0, 0}} {
		args[0] = c.first
		var count int64
		if err := d.Read().QueryRowContext(context.Background(), query, args...).Scan(&count); err != nil {
			t.Fatal(err)
		}
		if count != c.want {
			t.Fatalf("%d among parameters 2…%d: count %d, want %d", c.first, n, count, c.want)
		}
	}
}
