package db

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"testing"
)

// fakeConn counts the statements prepared and closed on it.
type fakeConn struct {
	prepared, closed int
}

func (c *fakeConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *fakeConn) PrepareContext(context.Context, string) (driver.Stmt, error) {
	c.prepared++
	return &fakeStmt{c: c}, nil
}

func (c *fakeConn) Close() error              { return nil }
func (c *fakeConn) Begin() (driver.Tx, error) { return nil, fmt.Errorf("no transactions") }

type fakeStmt struct{ c *fakeConn }

func (s *fakeStmt) Close() error  { s.c.closed++; return nil }
func (s *fakeStmt) NumInput() int { return -1 }
func (s *fakeStmt) Exec([]driver.Value) (driver.Result, error) {
	return driver.RowsAffected(0), nil
}
func (s *fakeStmt) ExecContext(context.Context, []driver.NamedValue) (driver.Result, error) {
	return driver.RowsAffected(0), nil
}
func (s *fakeStmt) Query([]driver.Value) (driver.Rows, error) { return nil, fmt.Errorf("no rows") }

func TestStatementCacheKeepsImportStatementsAndMakesRoom(t *testing.T) {
	ctx := context.Background()
	fc := &fakeConn{}
	c := &stmtConn{Conn: fc, stmts: map[string]*keptStmt{}}
	run := func(q string) {
		t.Helper()
		if _, err := c.ExecContext(ctx, q, nil); err != nil {
			t.Fatal(err)
		}
	}

	// A multi-row INSERT of an import (about 8 KiB) is prepared once.
	long := "INSERT INTO t VALUES " + strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?), ", 300)
	run(long)
	run(long)
	if fc.prepared != 1 {
		t.Fatalf("a %d-byte statement was prepared %d times, want once", len(long), fc.prepared)
	}
	// A statement longer than stmtCacheMax is prepared every time.
	huge := "SELECT 1 -- " + strings.Repeat("x", stmtCacheMax)
	run(huge)
	run(huge)
	if fc.prepared != 3 || fc.closed != 2 {
		t.Fatalf("prepared %d, closed %d after the long statement twice, want 3 and 2", fc.prepared, fc.closed)
	}

	// Past the cache's size, each new statement takes an idle one's place
	// and is itself kept.
	for i := range stmtCacheSize + 10 {
		run(fmt.Sprintf("SELECT %d", i))
	}
	if len(c.stmts) != stmtCacheSize {
		t.Fatalf("%d statements kept, want %d", len(c.stmts), stmtCacheSize)
	}
	if fc.closed != 2+11 {
		t.Fatalf("%d statements closed, want %d (the long one twice, 11 made room)", fc.closed, 2+11)
	}
	before := fc.prepared
	last := fmt.Sprintf("SELECT %d", stmtCacheSize+9)
	run(last)
	if fc.prepared != before {
		t.Fatalf("the newest statement was prepared again")
	}

	// A statement still running is never closed to make room.
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c = &stmtConn{Conn: fc, stmts: map[string]*keptStmt{}}
	for i := range stmtCacheSize {
		c.stmts[fmt.Sprintf("busy %d", i)] = &keptStmt{Stmt: &fakeStmt{c: fc}, busy: true}
	}
	closed := fc.closed
	run("SELECT 'new'")
	if fc.closed != closed+1 || len(c.stmts) != stmtCacheSize {
		t.Fatalf("with every statement busy: closed %d (want %d), kept %d", fc.closed-closed, 1, len(c.stmts))
	}
}
