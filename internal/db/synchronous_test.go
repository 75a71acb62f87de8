package db_test

import (
	"context"
	"path/filepath"
	"testing"

	"zhiyuan/internal/db"
)

// A legal record acknowledged to a volunteer must survive a power loss:
// SQLite's write and read connections run with synchronous=FULL (2) unless
// the operator chose NORMAL (1).
func TestSQLiteSynchronous(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		opt  db.Synchronous
		want int
	}{{"", 2}, {db.SyncFull, 2}, {db.SyncNormal, 1}} {
		d, err := db.OpenWith(ctx, filepath.Join(t.TempDir(), "s.db"), db.Options{Synchronous: c.opt})
		if err != nil {
			t.Fatal(err)
		}
		for name, q := range map[string]db.Querier{"write": d.Write(), "read": d.Read()} {
			var got int
			if err := q.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("option %q, %s connection: synchronous %d, want %d", c.opt, name, got, c.want)
			}
		}
		d.Close()
	}
	if _, err := db.OpenWith(ctx, filepath.Join(t.TempDir(), "s.db"), db.Options{Synchronous: "off"}); err == nil {
		t.Error("synchronous=off accepted")
	}
}
