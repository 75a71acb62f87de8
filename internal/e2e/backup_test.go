package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/dbtest"
)

// TestBackupWhileServing backs up a served SQLite database while writes come
// in, restores the backup to a new path, and serves it: every write
// acknowledged before the backup began is in it, nothing is half-written,
// and the restored platform signs people in. On PostgreSQL, backup refuses
// and points to pg_dump.
func TestBackupWhileServing(t *testing.T) {
	bin := build(t)
	dsn, extra := database(t, bin)
	dir := t.TempDir()
	file := filepath.Join(dir, "zhiyuan.backup")
	if dbtest.Postgres() {
		out, err := exec.Command(bin, "backup", "--db", dsn, "--to", file).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "pg_dump -Fc") || !strings.Contains(string(out), "Backup and restore") {
			t.Fatalf("backup of PostgreSQL: %v\n%s", err, out)
		}
		return
	}
	srv := start(t, bin, append([]string{"--db", dsn, "--demo"}, extra...)...)
	w := newWorkload(t, srv, dsn)
	w.start(3)
	w.waitResumed(time.Time{}, resumeLimit) // every kind of write acknowledged once before the backup
	before := w.snapshot()
	out, err := exec.Command(bin, "backup", "--db", dsn, "--to", file).CombinedOutput()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), dsn+".key") {
		t.Errorf("backup does not name the key file to keep:\n%s", out)
	}
	time.Sleep(500 * time.Millisecond) // writes go on after the backup
	w.finish()
	if code := srv.stop(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}

	restored := filepath.Join(dir, "restored.db")
	if out, err := exec.Command(bin, "restore", "--from", file, "--db", restored).CombinedOutput(); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	} else if !strings.Contains(string(out), "key") {
		t.Errorf("restore says nothing of the key:\n%s", out)
	}
	if out, err := exec.Command(bin, "restore", "--from", file, "--db", restored).CombinedOutput(); err == nil || !strings.Contains(string(out), "--force") {
		t.Fatalf("restore over an existing database without --force: %v\n%s", err, out)
	}
	key, err := os.ReadFile(dsn + ".key")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored+".key", key, 0o600); err != nil {
		t.Fatal(err)
	}
	again := start(t, bin, "--db", restored)
	again.Passwords = srv.Passwords
	apiLogin(t, again, "admin")
	found := before.verify(restored)
	t.Logf("backup while serving (SQLite): %d writes acknowledged before the backup began, %d found in the restored copy; %s in all",
		before.acked, found, w.summary())
	if code := again.stop(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}
