package db_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"zhiyuan/internal/db"
)

// Commits through Tx reach the database file itself shortly after, copied
// by the background checkpointer and not by the write connection, whose own
// checkpoint waits for a log of 40,000 pages.
func TestCommitsAreCheckpointedInTheBackground(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ckpt.db")
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var auto int
	if err := d.Write().QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 40000 {
		t.Fatalf("write connection's wal_autocheckpoint %d (%v), want 40000", auto, err)
	}
	if err := d.Tx(ctx, func(tx db.Querier) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE probe (n INTEGER NOT NULL)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := d.Tx(ctx, func(tx db.Querier) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO probe (n) VALUES (?)`, i)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	// The database file alone, without its log, holds all 20 rows once the
	// checkpointer has run after the last commit.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := rowsInFileAlone(t, path)
		if err == nil && n == 20 {
			break
		}
		if time.Now().After(deadline) {
			run, failed := d.Checkpoints()
			t.Fatalf("database file without its log: %d rows (%v) after %d checkpoints (%d failed), want 20", n, err, run, failed)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if run, failed := d.Checkpoints(); run == 0 || failed != 0 {
		t.Fatalf("background checkpoints: %d run, %d failed", run, failed)
	}
}

// rowsInFileAlone copies the database file without its -wal and -shm and
// counts probe's rows in the copy.
func rowsInFileAlone(t *testing.T, path string) (int, error) {
	t.Helper()
	src, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	cp := filepath.Join(t.TempDir(), "copy.db")
	dst, err := os.Create(cp)
	if err != nil {
		return 0, err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return 0, err
	}
	if err := dst.Close(); err != nil {
		return 0, err
	}
	c, err := db.Open(context.Background(), cp)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	var n int
	err = c.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM probe`).Scan(&n)
	return n, err
}
