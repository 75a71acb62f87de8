package db_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

// A batch's queries each give their own rows, in order, with their own
// arguments; a query without rows leaves its output empty.
func TestReadBatch(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	for _, name := range []string{"甲", "乙", "丙"} {
		if _, err := d.Write().ExecContext(ctx, `INSERT INTO teams (name, region_code, created_at, updated_at) VALUES ($1, $2, 0, 0)`, name, "120101"); err != nil {
			t.Fatal(err)
		}
	}
	scanName := func(row db.Scanner) (string, error) {
		var s string
		err := row.Scan(&s)
		return s, err
	}
	var all, one, none []string
	var count int64
	var b db.Batch
	db.QueueAll(&b, &all, scanName, `SELECT name FROM teams ORDER BY id`)
	db.QueueAll(&b, &one, scanName, `SELECT name FROM teams WHERE name = $1 AND region_code = $2`, "乙", "120101")
	db.QueueAll(&b, &none, scanName, `SELECT name FROM teams WHERE name = $1`, "丁")
	b.Queue(func(row db.Scanner) error { return row.Scan(&count) }, `SELECT COUNT(*) FROM teams WHERE id > $1`, int64(1))
	if err := d.ReadBatch(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0] != "甲" || all[2] != "丙" {
		t.Fatalf("all = %v", all)
	}
	if len(one) != 1 || one[0] != "乙" || len(none) != 0 || count != 2 {
		t.Fatalf("one = %v, none = %v, count = %d", one, none, count)
	}
}

// A failing query or row function fails the batch, and the pool still
// answers afterwards.
func TestReadBatchErrors(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	var n int64
	var b db.Batch
	b.Queue(func(row db.Scanner) error { return row.Scan(&n) }, `SELECT 1`)
	b.Queue(func(row db.Scanner) error { return nil }, `SELECT no_such_column FROM teams`)
	if err := d.ReadBatch(ctx, &b); err == nil {
		t.Fatal("a batch with a bad query succeeded")
	}
	boom := errors.New("boom")
	var c db.Batch
	c.Queue(func(row db.Scanner) error { return boom }, `SELECT 1`)
	c.Queue(func(row db.Scanner) error { return row.Scan(&n) }, `SELECT 2`)
	if err := d.ReadBatch(ctx, &c); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the row function's", err)
	}
	for range 20 { // more than the pool's connections: none was left broken
		if err := d.Read().QueryRowContext(ctx, `SELECT 3`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("after failed batches: %d %v", n, err)
		}
	}
}

type teamName string

type teamRow struct {
	ID     int64
	Name   teamName
	Parent sql.NullInt64
}

// ReadAll reads what QueryAll reads, into the same destinations (named
// string types and NULLs included), on either engine.
func TestReadAllMatchesQueryAll(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	for _, name := range []string{"甲", "乙"} {
		if _, err := d.Write().ExecContext(ctx, `INSERT INTO teams (name, region_code, created_at, updated_at) VALUES ($1, $2, 0, 0)`, name, "120101"); err != nil {
			t.Fatal(err)
		}
	}
	scan := func(row db.Scanner) (teamRow, error) {
		var r teamRow
		err := row.Scan(&r.ID, &r.Name, &r.Parent)
		return r, err
	}
	const q = `SELECT id, name, CASE WHEN id > $1 THEN id ELSE NULL END FROM teams ORDER BY id`
	want, err := db.QueryAll(ctx, d.Read(), scan, q, int64(1))
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.ReadAll(ctx, d, scan, q, int64(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !slices.Equal(got, want) || got[0].Parent.Valid || !got[1].Parent.Valid || got[1].Name != "乙" {
		t.Fatalf("ReadAll %+v, QueryAll %+v", got, want)
	}
	if _, err := db.ReadAll(ctx, d, scan, `SELECT no_such_column FROM teams`); err == nil {
		t.Fatal("a bad query read without error")
	}
}
