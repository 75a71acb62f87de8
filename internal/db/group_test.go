package db_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

// Many writers at once (on SQLite they share commits, except TxAlone's): each one's work is
// committed exactly when its Tx said so, a failing or panicking writer
// leaves nothing behind and takes nobody else's work with it, every writer
// sees the writes of those before it, and after-commit hooks run for the
// committed ones only.
func TestConcurrentTxAreEachAllOrNothing(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	idCol, lockCounter := "INTEGER PRIMARY KEY", "" // SQLite runs one writer at a time
	if d.Dialect == db.Postgres {
		idCol, lockCounter = "BIGSERIAL PRIMARY KEY", " FOR UPDATE"
	}
	if _, err := d.Write().ExecContext(ctx, `CREATE TABLE group_probe (id `+idCol+`, writer INTEGER NOT NULL, part INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write().ExecContext(ctx, `CREATE TABLE group_counter (n INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write().ExecContext(ctx, `INSERT INTO group_counter (n) VALUES (0)`); err != nil {
		t.Fatal(err)
	}
	const writers = 300
	boom := errors.New("boom")
	var hooks atomic.Int64
	results := make([]error, writers)
	panics := make([]any, writers)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[w] = recover() }()
			run := d.Tx
			if w%6 == 5 { // long jobs take a transaction of their own
				run = d.TxAlone
			}
			results[w] = run(ctx, func(tx db.Querier) error {
				// Read, then write what was read plus one: lost updates show
				// if two writers ever overlap.
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT n FROM group_counter`+lockCounter).Scan(&n); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE group_counter SET n = $1`, n+1); err != nil {
					return err
				}
				for part := 0; part < 3; part++ {
					if _, err := tx.ExecContext(ctx, `INSERT INTO group_probe (writer, part) VALUES ($1, $2)`, w, part); err != nil {
						return err
					}
				}
				db.AfterCommit(tx, func() { hooks.Add(1) })
				switch w % 10 {
				case 3:
					return boom
				case 7:
					panic(fmt.Sprintf("writer %d panics", w))
				}
				return nil
			})
		}()
	}
	wg.Wait()
	committed := 0
	for w := 0; w < writers; w++ {
		switch w % 10 {
		case 3:
			if !errors.Is(results[w], boom) {
				t.Errorf("writer %d: err = %v, want its own error", w, results[w])
			}
		case 7:
			if panics[w] != fmt.Sprintf("writer %d panics", w) {
				t.Errorf("writer %d: recovered %v, want its own panic", w, panics[w])
			}
		default:
			if results[w] != nil || panics[w] != nil {
				t.Errorf("writer %d: err = %v, panic = %v", w, results[w], panics[w])
			}
			committed++
		}
	}
	rows, err := d.Read().QueryContext(ctx, `SELECT writer, COUNT(*) FROM group_probe GROUP BY writer`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var w, n int
		if err := rows.Scan(&w, &n); err != nil {
			t.Fatal(err)
		}
		if w%10 == 3 || w%10 == 7 {
			t.Errorf("rolled-back writer %d left %d rows", w, n)
		}
		if n != 3 {
			t.Errorf("writer %d has %d of its 3 rows", w, n)
		}
		seen++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != committed {
		t.Errorf("%d writers' rows found, %d committed", seen, committed)
	}
	var n int
	if err := d.Read().QueryRowContext(ctx, `SELECT n FROM group_counter`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != committed {
		t.Errorf("counter = %d after %d committed increments (lost or leaked updates)", n, committed)
	}
	if h := hooks.Load(); h != int64(committed) {
		t.Errorf("%d after-commit hooks ran, %d writers committed", h, committed)
	}
}

// A writer whose request is gone before its turn writes nothing.
func TestTxWithEndedContextWritesNothing(t *testing.T) {
	d := dbtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := d.Tx(ctx, func(tx db.Querier) error { ran = true; return nil })
	if err == nil || !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("err = %v, ran = %v; want context.Canceled and not run", err, ran)
	}
}

// Closing the database while writers wait answers every one of them.
func TestCloseAnswersWaitingWriters(t *testing.T) {
	path := t.TempDir() + "/close.db"
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := d.Write().ExecContext(ctx, `CREATE TABLE probe (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var ok, refused atomic.Int64
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := d.Tx(ctx, func(tx db.Querier) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO probe DEFAULT VALUES`)
				return err
			})
			if err == nil {
				ok.Add(1)
			} else {
				refused.Add(1)
			}
		}()
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()     // hangs if a waiting writer is never answered
	_ = d.Close() // a second Close must not panic
	// Every writer told "committed" has its row, and no refused one.
	again, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	var n int64
	if err := again.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM probe`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != ok.Load() {
		t.Fatalf("%d rows after %d writers were told committed and %d refused", n, ok.Load(), refused.Load())
	}
}

// A writer whose caller goes away in the middle has nothing committed, and
// the writers beside it are not disturbed. On PostgreSQL pgx closes the
// connection of an interrupted statement; until the pool was told (IsValid),
// writers beginning at the same moment could be handed such connections and
// fail with "driver: bad connection".
func TestTxWhoseCallerLeavesCommitsNothing(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	if _, err := d.Write().ExecContext(ctx, `CREATE TABLE leave_probe (writer INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	insert := func(c context.Context, tx db.Querier, w int) error {
		_, err := tx.ExecContext(c, `INSERT INTO leave_probe (writer) VALUES ($1)`, w)
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, cancel := context.WithCancel(ctx)
			defer cancel()
			errs[w] = d.Tx(c, func(tx db.Querier) error {
				if err := insert(c, tx, w); err != nil {
					return err
				}
				switch w % 4 {
				case 1: // leaves between two statements
					cancel()
					return insert(c, tx, w)
				case 2: // leaves after its last statement
					cancel()
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for w, err := range errs {
		var n int
		if qerr := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM leave_probe WHERE writer = $1`, w).Scan(&n); qerr != nil {
			t.Fatal(qerr)
		}
		left := w%4 == 1 || w%4 == 2
		switch {
		case left && (err == nil || n != 0):
			t.Errorf("writer %d left: err = %v, %d rows committed", w, err, n)
		case !left && (err != nil || n != 1):
			t.Errorf("writer %d stayed: err = %v, %d rows committed", w, err, n)
		}
	}
}
