package backup_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhiyuan/internal/backup"
	"zhiyuan/internal/db"
)

// served opens and migrates a SQLite database the way serve does and keeps
// it open, with one row written.
func served(t *testing.T, path string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write().ExecContext(ctx, `INSERT INTO catalog_items (kind, name, sort, created_at) VALUES ('tag', '备份标记', 99, 1)`); err != nil {
		t.Fatal(err)
	}
	return d
}

func count(t *testing.T, path string) int {
	t.Helper()
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM catalog_items WHERE name = '备份标记'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBackupAndRestoreChecks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "live.db")
	live := served(t, src)
	file := filepath.Join(dir, "copy.zybak")
	info, err := backup.Backup(ctx, src, file)
	if err != nil {
		t.Fatal(err)
	}
	latest, _ := db.LatestVersion()
	if info.Version != latest || info.Bytes == 0 {
		t.Fatalf("backup info %+v, binary at %d", info, latest)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".copy.zybak.tmp-*")); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}

	if _, err := backup.Backup(ctx, src, filepath.Join(dir, ".", "live.db")); !errors.Is(err, backup.ErrSameFile) {
		t.Fatalf("backup over the database itself: %v", err)
	}
	if _, err := backup.Restore(ctx, src, src, true); !errors.Is(err, backup.ErrSameFile) {
		t.Fatalf("restore of the database onto itself: %v", err)
	}

	// A new path: restored and readable.
	fresh := filepath.Join(dir, "fresh.db")
	os.WriteFile(fresh+"-wal", []byte("stale"), 0o600) // a stale log without its database
	if _, err := backup.Restore(ctx, file, fresh, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fresh + "-wal"); err == nil {
		t.Fatal("stale -wal left beside the restored database")
	}
	if n := count(t, fresh); n != 1 {
		t.Fatalf("restored rows %d", n)
	}

	// An existing database: refused without --force, refused while open.
	if _, err := backup.Restore(ctx, file, src, false); !errors.Is(err, backup.ErrExists) {
		t.Fatalf("overwrite without force: %v", err)
	}
	if _, err := backup.Restore(ctx, file, src, true); !errors.Is(err, backup.ErrInUse) {
		t.Fatalf("overwrite while served: %v", err)
	}
	// Rows written after the backup live only in the WAL of the old file;
	// after the server stops, --force replaces the file and its log.
	if _, err := live.Write().ExecContext(ctx, `INSERT INTO catalog_items (kind, name, sort, created_at) VALUES ('skill', '备份标记', 1, 2)`); err != nil {
		t.Fatal(err)
	}
	live.Close()
	if _, err := backup.Restore(ctx, file, src, true); err != nil {
		t.Fatal(err)
	}
	if n := count(t, src); n != 1 {
		t.Fatalf("after forced restore: %d marker rows, want the backup's 1", n)
	}
}

func TestRestoreRefusesWhatIsNotAZhiyuanBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 400)), 0o600)
	if _, err := backup.Restore(ctx, garbage, filepath.Join(dir, "a.db"), false); err == nil {
		t.Fatal("garbage restored")
	}
	other := filepath.Join(dir, "other.db")
	d, err := db.Open(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	d.Write().ExecContext(ctx, `CREATE TABLE x (a INTEGER)`)
	d.Close()
	if _, err := backup.Restore(ctx, other, filepath.Join(dir, "b.db"), false); err == nil || !strings.Contains(err.Error(), "not a Zhiyuan database") {
		t.Fatalf("foreign SQLite file: %v", err)
	}
	newer := filepath.Join(dir, "newer.db")
	d = served(t, newer)
	d.Write().ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (999999, 1)`)
	d.Close()
	if _, err := backup.Restore(ctx, newer, filepath.Join(dir, "c.db"), false); err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Fatalf("newer schema: %v", err)
	}
	for _, p := range []string{"a.db", "b.db", "c.db"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s created by a refused restore", p)
		}
	}
	if _, err := backup.Backup(ctx, "postgres://x@127.0.0.1/y", filepath.Join(dir, "pg")); !errors.Is(err, backup.ErrPostgres) {
		t.Fatalf("PostgreSQL backup: %v", err)
	}
}
