package apperr_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/db"
)

// TestDatabaseAwayIsUnavailable: an error that means the database cannot be
// reached becomes a 503 with the "try again shortly" message, however it
// was wrapped; statement errors, SQLite's busy and the other kinds do not.
func TestDatabaseAwayIsUnavailable(t *testing.T) {
	ctx := context.Background()
	refused, err := sql.Open("pgx", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer refused.Close()
	connectErr := refused.PingContext(ctx)
	if connectErr == nil {
		t.Fatal("connected to port 1")
	}
	for name, err := range map[string]error{
		"connection refused":     connectErr,
		"wrapped by a store":     fmt.Errorf("volunteer: insert: %w", connectErr),
		"wrapped as internal":    apperr.Wrap(connectErr, "roster: batch"),
		"a transaction's commit": fmt.Errorf("db: commit: %w", connectErr),
	} {
		e := apperr.From(err)
		if e.Kind != apperr.Unavailable || e.Kind.Status() != http.StatusServiceUnavailable || e.Key != "error.unavailable" {
			t.Errorf("%s: %v → kind %s key %s", name, err, e.Kind.Code(), e.Key)
		}
	}

	busy := sqliteBusy(t)
	for name, tc := range map[string]struct {
		err  error
		want apperr.Kind
	}{
		"SQLite busy":         {apperr.Wrap(busy, "tx"), apperr.Internal},
		"plain error":         {errors.New("boom"), apperr.Internal},
		"not found stays":     {fmt.Errorf("x: %w", apperr.New(apperr.NotFound, "error.not_found")), apperr.NotFound},
		"conflict stays":      {apperr.New(apperr.Conflict, "x"), apperr.Conflict},
		"bad statement on PG": {postgresSyntaxError(t), apperr.Internal},
	} {
		if tc.err == nil {
			continue
		}
		if got := apperr.From(tc.err).Kind; got != tc.want {
			t.Errorf("%s: %v → %s, want %s", name, tc.err, got.Code(), tc.want.Code())
		}
	}

	if dsn := os.Getenv("ZHIYUAN_TEST_POSTGRES"); dsn != "" {
		// A server-side "terminating connection" (what pg_ctl stop sends).
		conn, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetMaxOpenConns(1)
		_, err = conn.ExecContext(ctx, `SELECT pg_terminate_backend(pg_backend_pid())`)
		if e := apperr.From(err); e.Kind != apperr.Unavailable {
			t.Errorf("terminated connection: %v → %s", err, e.Kind.Code())
		}
	}
}

// sqliteBusy returns a real SQLITE_BUSY: a second writer while the first
// holds the write lock, with a 1 ms busy timeout.
func sqliteBusy(t *testing.T) error {
	t.Helper()
	path := filepath.Join(t.TempDir(), "busy.db")
	a, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.SetMaxOpenConns(1)
	if _, err := a.Exec(`CREATE TABLE x (a INTEGER)`); err != nil {
		t.Fatal(err)
	}
	tx, err := a.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO x VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	b, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = b.Exec(`INSERT INTO x VALUES (2)`)
	if err == nil {
		t.Fatal("second writer was not kept waiting")
	}
	return err
}

// postgresSyntaxError returns a statement error from PostgreSQL, or nil when
// the tests run on SQLite only.
func postgresSyntaxError(t *testing.T) error {
	dsn := os.Getenv("ZHIYUAN_TEST_POSTGRES")
	if dsn == "" {
		return nil
	}
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, err = conn.Exec(`SELEKT 1`)
	return err
}

// TestMaskNeverHidesAnOutage: one refusal may stand for another, but a
// database that is away stays a 503 and a failure stays a 500.
func TestMaskNeverHidesAnOutage(t *testing.T) {
	as := apperr.New(apperr.NotFound, "signup.not_found")
	refused, _ := sql.Open("pgx", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2")
	defer refused.Close()
	away := refused.Ping()
	for name, tc := range map[string]struct {
		err  error
		want apperr.Kind
	}{
		"not found":         {apperr.New(apperr.NotFound, "x"), apperr.NotFound},
		"forbidden":         {apperr.New(apperr.Forbidden, "x"), apperr.NotFound},
		"a missing row":     {fmt.Errorf("store: %w", db.ErrNotFound), apperr.NotFound},
		"no rows":           {sql.ErrNoRows, apperr.NotFound},
		"database away":     {apperr.Wrap(away, "volunteer: my id"), apperr.Unavailable},
		"an internal error": {apperr.Wrap(errors.New("boom"), "x"), apperr.Internal},
	} {
		got := apperr.Mask(tc.err, as)
		if k := apperr.From(got).Kind; k != tc.want {
			t.Errorf("%s: masked to %s, want %s", name, k.Code(), tc.want.Code())
		}
	}
	if apperr.Mask(nil, as) != nil {
		t.Error("nil masked to an error")
	}
}
