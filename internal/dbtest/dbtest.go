// Package dbtest gives each test a fresh, migrated database: a SQLite file in
// the test's temporary directory by default, or a new PostgreSQL schema when
// ZHIYUAN_TEST_POSTGRES holds a DSN (for example
// postgres://postgres@127.0.0.1:5432/zhiyuan_test?sslmode=disable).
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"zhiyuan/internal/db"
)

// EnvPostgres names the environment variable that switches tests to PostgreSQL.
const EnvPostgres = "ZHIYUAN_TEST_POSTGRES"

// New returns a fresh migrated database, closed (and on PostgreSQL dropped)
// when the test ends.
func New(t testing.TB) *db.DB {
	t.Helper()
	dsn := DSN(t)
	d, err := db.OpenWith(context.Background(), dsn, db.Options{Synchronous: synchronous(t)})
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background(), nil); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return d
}

// synchronous is the SQLite durability a test database runs with: a
// benchmark measures the server's default (FULL) unless
// ZHIYUAN_SQLITE_SYNCHRONOUS names another to compare; a test's throwaway
// file needs no power-loss durability, so tests run with NORMAL and do not
// wait for an fsync at every commit (the crash tests in internal/e2e run
// the real binary with its default).
func synchronous(t testing.TB) db.Synchronous {
	if s := os.Getenv("ZHIYUAN_SQLITE_SYNCHRONOUS"); s != "" {
		return db.Synchronous(s)
	}
	if _, bench := t.(*testing.B); bench {
		return db.SyncFull
	}
	return db.SyncNormal
}

// DSN returns the DSN of a fresh, empty database for the test without opening
// it: a file path for SQLite, or a URL whose search_path names a new schema.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		return filepath.Join(t.TempDir(), "test.db")
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: %s is not a URL: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres reports whether tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(EnvPostgres) != "" }
