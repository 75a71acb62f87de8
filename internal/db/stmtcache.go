package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync"
)

// SQLite parses a statement every time it is run unless it is kept
// prepared, and the parse costs as much as a short statement itself. Each
// SQLite connection therefore keeps its prepared statements by query text
// (PostgreSQL's driver does the same on its side). The cache is bounded: when
// it is full, an idle statement chosen at random makes room, so statements
// of a passing shape (the tail of an import) cannot keep everyday ones out
// for good. A statement already running on the connection (rows still open)
// is prepared afresh for the second use.

const (
	stmtCacheSize = 256 // statements per connection
	// Longer queries (migrations) are not kept. An import's multi-row
	// INSERTs (100 volunteers of 26 parameters, 200 memberships of 8) are
	// some 8 KiB with SQLite's ? placeholders and are kept: parsing one
	// cost as much as a tenth of writing its rows.
	stmtCacheMax = 16 << 10
)

// stmtConnector opens connections of drv that keep their statements.
type stmtConnector struct {
	drv driver.Driver
	dsn string
}

func (c stmtConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &stmtConn{Conn: conn, stmts: map[string]*keptStmt{}}, nil
}

func (c stmtConnector) Driver() driver.Driver { return c.drv }

type keptStmt struct {
	driver.Stmt
	busy bool
}

// stmtConn is a driver connection with its statement cache.
type stmtConn struct {
	driver.Conn
	mu    sync.Mutex
	stmts map[string]*keptStmt
}

var errNoContext = errors.New("db: driver lacks context support")

// stmt returns the prepared statement for query and the function that gives
// it back.
func (c *stmtConn) stmt(ctx context.Context, query string) (driver.Stmt, func(), error) {
	c.mu.Lock()
	if k, ok := c.stmts[query]; ok && !k.busy {
		k.busy = true
		c.mu.Unlock()
		return k.Stmt, func() { c.mu.Lock(); k.busy = false; c.mu.Unlock() }, nil
	}
	c.mu.Unlock()
	p, ok := c.Conn.(driver.ConnPrepareContext)
	if !ok {
		return nil, nil, errNoContext
	}
	s, err := p.PrepareContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, taken := c.stmts[query]; taken || len(query) > stmtCacheMax || !c.room() {
		return s, func() { _ = s.Close() }, nil
	}
	k := &keptStmt{Stmt: s, busy: true}
	c.stmts[query] = k
	return s, func() { c.mu.Lock(); k.busy = false; c.mu.Unlock() }, nil
}

// room makes room for one more statement, closing an idle one (the first
// the map's random order gives) if the cache is full; false if every kept
// statement is running. c.mu is held.
func (c *stmtConn) room() bool {
	if len(c.stmts) < stmtCacheSize {
		return true
	}
	for q, k := range c.stmts {
		if !k.busy {
			_ = k.Close()
			delete(c.stmts, q)
			return true
		}
	}
	return false
}

// ExecContext runs query on its kept statement.
func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, release, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	defer release()
	se, ok := s.(driver.StmtExecContext)
	if !ok {
		return nil, errNoContext
	}
	return se.ExecContext(ctx, args)
}

// QueryContext runs query on its kept statement; the statement is given
// back when the rows close.
func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, release, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	sq, ok := s.(driver.StmtQueryContext)
	if !ok {
		release()
		return nil, errNoContext
	}
	rows, err := sq.QueryContext(ctx, args)
	if err != nil {
		release()
		return nil, err
	}
	return &keptRows{Rows: rows, release: release}, nil
}

// PrepareContext hands out a statement for database/sql's own Stmt; it is
// not kept here.
func (c *stmtConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

// BeginTx starts a transaction on the connection.
func (c *stmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // fallback for old drivers
}

// Ping checks the connection.
func (c *stmtConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// ResetSession is called before the pool reuses the connection.
func (c *stmtConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// IsValid tells the pool whether to keep the connection.
func (c *stmtConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// Close finalizes the kept statements, then closes the connection.
func (c *stmtConn) Close() error {
	c.mu.Lock()
	var errs []error
	for q, k := range c.stmts {
		errs = append(errs, k.Close())
		delete(c.stmts, q)
	}
	c.mu.Unlock()
	return errors.Join(append(errs, c.Conn.Close())...)
}

// keptRows gives its statement back to the cache when closed.
type keptRows struct {
	driver.Rows
	release func()
}

func (r *keptRows) Close() error {
	err := r.Rows.Close()
	if r.release != nil {
		r.release()
		r.release = nil
	}
	return err
}

// ColumnTypeDatabaseTypeName forwards to the driver's rows.
func (r *keptRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}
