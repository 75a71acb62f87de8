package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

// The write connection opens set up for short writes and each use sets
// its own journal place and page cache; migrations leave it as it opened.
func TestWriterUseSettings(t *testing.T) {
	d := dbtest.New(t) // migrated
	ctx := context.Background()
	if d.Dialect != db.SQLite {
		if err := d.Dialect.SetWriterUse(ctx, d.Write(), db.LargeStatements); err != nil {
			t.Fatalf("PostgreSQL: %v, want nothing to do", err)
		}
		return
	}
	check := func(when string, store, cache int) {
		t.Helper()
		var s, c int
		if err := d.Write().QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		if err := d.Write().QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if s != store || c != cache {
			t.Errorf("%s: temp_store %d, cache_size %d; want %d, %d", when, s, c, store, cache)
		}
	}
	const memory, file = 2, 1
	check("opened and migrated", memory, -2000)
	for _, c := range []struct {
		use          db.WriterUse
		name         string
		store, cache int
	}{
		{db.BulkInserts, "bulk inserts", memory, -16000},
		{db.LargeStatements, "large statements", file, -2000},
		{db.ShortWrites, "short writes", memory, -2000},
	} {
		if err := d.Dialect.SetWriterUse(ctx, d.Write(), c.use); err != nil {
			t.Fatal(err)
		}
		check(c.name, c.store, c.cache)
	}
}

// A savepoint's journal (every member of a group commit but the first has
// one) stays in memory for short writes, where a temporary file cost two
// write calls a page, and goes to a temporary file for large statements.
func TestSavepointJournalPlace(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("needs /proc to see the temporary files")
	}
	dir := t.TempDir()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(dir, "journal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	w := d.WritePool()
	if _, err := w.ExecContext(ctx, `CREATE TABLE wide (id INTEGER PRIMARY KEY, pad TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	// 2,000 rows of 400 bytes: about 200 pages, far past the 64 KiB a
	// journal keeps in memory before it spills.
	if _, err := w.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
		INSERT INTO wide (id, pad) SELECT i, printf('%.400c', 'x') FROM n`); err != nil {
		t.Fatal(err)
	}
	journalFiles := func(use db.WriterUse) int {
		t.Helper()
		if err := d.Dialect.SetWriterUse(ctx, w, use); err != nil {
			t.Fatal(err)
		}
		before := openTempFiles(t)
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback() //nolint:errcheck
		if _, err := tx.ExecContext(ctx, `SAVEPOINT member`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE wide SET pad = printf('%.400c', 'y')`); err != nil {
			t.Fatal(err)
		}
		return openTempFiles(t) - before
	}
	if n := journalFiles(db.ShortWrites); n != 0 {
		t.Errorf("short writes: %d temporary files open during a savepoint, want the journal in memory", n)
	}
	if n := journalFiles(db.LargeStatements); n == 0 {
		t.Error("large statements: no temporary file during a savepoint of 200 pages, want the journal on disk")
	}
}

// openTempFiles counts this process's open files that have been unlinked:
// SQLite's temporary files are, as they are opened.
func openTempFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasSuffix(target, " (deleted)") {
			n++
		}
	}
	return n
}
