// Package db opens the SQLite or PostgreSQL database, runs migrations and
// gives stores one way to read and one way to write in a transaction.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrNotFound is returned by stores when a requested row does not exist.
var ErrNotFound = errors.New("not found")

// Querier is what stores need: satisfied by *sql.DB and *sql.Tx alike.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is an open database: a write pool and a read pool (the same pool on PostgreSQL).
type DB struct {
	Dialect Dialect
	rw      *sql.DB
	ro      *sql.DB
}

// Open connects to dsn (a SQLite file path or a postgres:// URL) and checks
// that the database answers.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("db: empty DSN")
	}
	d := DialectOf(dsn)
	rw, ro, err := openPools(ctx, d, dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", RedactDSN(dsn), err)
	}
	db := &DB{Dialect: d, rw: rw, ro: ro}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("db: connect %s: %w", RedactDSN(dsn), err)
	}
	return db, nil
}

// Read returns the pool for queries that do not write.
func (db *DB) Read() Querier { return db.ro }

// Write returns the pool for single-statement writes outside a transaction.
func (db *DB) Write() Querier { return db.rw }

// Tx runs fn in a write transaction, committing if fn returns nil and rolling
// back otherwise (also when fn panics).
func (db *DB) Tx(ctx context.Context, fn func(tx Querier) error) (err error) {
	tx, err := db.rw.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.rw.PingContext(ctx); err != nil {
		return err
	}
	if db.ro != db.rw {
		return db.ro.PingContext(ctx)
	}
	return nil
}

// Pools returns the underlying pools by name, for metrics.
func (db *DB) Pools() map[string]*sql.DB {
	if db.ro == db.rw {
		return map[string]*sql.DB{"main": db.rw}
	}
	return map[string]*sql.DB{"write": db.rw, "read": db.ro}
}

// Close closes the pools.
func (db *DB) Close() error {
	err := db.rw.Close()
	if db.ro != db.rw {
		err = errors.Join(err, db.ro.Close())
	}
	return err
}
