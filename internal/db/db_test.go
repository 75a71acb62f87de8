package db_test

import (
	"context"
	"errors"
	"testing"

	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	d := dbtest.New(t)
	applied, err := d.Migrate(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Fatalf("second migrate applied %v, want nothing", applied)
	}
	v, err := d.SchemaVersion(context.Background())
	if err != nil || v < 1 {
		t.Fatalf("schema version = %d, %v", v, err)
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := d.Tx(ctx, func(tx db.Querier) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO teams (name, region_code, created_at, updated_at) VALUES ($1, $2, 0, 0)`, "甲", "120101"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM teams`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("rolled-back insert is visible: %d rows", n)
	}
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	ins := `INSERT INTO accounts (username, password_hash, password_changed_at, created_at, updated_at) VALUES ($1, 'x', 0, 0, 0)`
	if _, err := d.Write().ExecContext(ctx, ins, "a"); err != nil {
		t.Fatal(err)
	}
	_, err := d.Write().ExecContext(ctx, ins, "a")
	if !db.IsUniqueViolation(err) {
		t.Fatalf("IsUniqueViolation(%v) = false", err)
	}
	if db.IsUniqueViolation(errors.New("other")) {
		t.Fatal("plain error reported as unique violation")
	}
}

func TestPlaceholdersBindByNumber(t *testing.T) {
	d := dbtest.New(t)
	var a, b string
	err := d.Read().QueryRowContext(context.Background(), `SELECT CAST($2 AS TEXT), CAST($1 AS TEXT)`, "one", "two").Scan(&a, &b)
	if err != nil {
		t.Fatal(err)
	}
	if a != "two" || b != "one" {
		t.Fatalf("got %q %q; $N must bind by number on both engines", a, b)
	}
}

func TestDialectOf(t *testing.T) {
	for dsn, want := range map[string]db.Dialect{
		"./zhiyuan.db":                 db.SQLite,
		"/var/lib/zhiyuan/z.db":        db.SQLite,
		"postgres://u@h/db":            db.Postgres,
		"postgresql://u@h/db":          db.Postgres,
		"host=127.0.0.1 user=postgres": db.Postgres,
	} {
		if got := db.DialectOf(dsn); got != want {
			t.Errorf("DialectOf(%q) = %s, want %s", dsn, got, want)
		}
	}
	if got := db.RedactDSN("postgres://u:secret@h/db"); got != "postgres://u:xxxxx@h/db" {
		t.Errorf("RedactDSN = %q", got)
	}
}
