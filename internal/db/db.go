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
	// group runs SQLite's write transactions first come, first served,
	// several to a commit (group.go); nil on PostgreSQL, whose server
	// commits concurrent transactions together by itself.
	group *committer
	// ckpt checkpoints SQLite's write-ahead log in the background
	// (checkpoint.go); nil on PostgreSQL.
	ckpt *checkpointer
}

// Options are the settings of Open that are not in the DSN.
type Options struct {
	// Synchronous is SQLite's durability setting; the zero value is SyncFull.
	Synchronous Synchronous
}

// Open connects to dsn (a SQLite file path or a postgres:// URL) with the
// default options and checks that the database answers.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, o Options) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("db: empty DSN")
	}
	d := DialectOf(dsn)
	sync, err := ParseSynchronous(string(o.Synchronous))
	if err != nil {
		return nil, err
	}
	rw, ro, err := openPools(ctx, d, dsn, sync)
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", RedactDSN(dsn), err)
	}
	db := &DB{Dialect: d, rw: rw, ro: ro}
	if d == SQLite {
		db.ckpt = newCheckpointer(sqlitePath(dsn), sync)
		db.group = newCommitter(rw, db.ckpt.committed)
	}
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
// back otherwise (also when fn panics, the panic going on in the caller).
// On SQLite several callers' functions may share one commit (group.go);
// each still runs alone and is committed or rolled back as a whole, and
// once it runs, its statements are not interrupted if ctx ends.
func (db *DB) Tx(ctx context.Context, fn func(tx Querier) error) (err error) {
	if db.group != nil {
		return db.group.run(ctx, fn, false)
	}
	return db.ownTx(ctx, fn)
}

// TxAlone is Tx for long jobs (an import's batch, a rebuild of the
// figures): on SQLite it never shares its commit, so it runs without the
// savepoint that would copy every page it changes to a statement journal.
func (db *DB) TxAlone(ctx context.Context, fn func(tx Querier) error) error {
	if db.group != nil {
		return db.group.run(ctx, fn, true)
	}
	return db.ownTx(ctx, fn)
}

// ownTx runs fn in a transaction of its own (PostgreSQL).
func (db *DB) ownTx(ctx context.Context, fn func(tx Querier) error) (err error) {
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
	t := &txQuerier{Tx: tx, parallel: db.Dialect == Postgres}
	if err = fn(t); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	for _, f := range t.after {
		f()
	}
	return nil
}

// txQuerier is the Querier handed to a transaction's function.
type txQuerier struct {
	*sql.Tx
	after []func()
	// detached statements keep running when their context ends (a group
	// member's: see runInSavepoint).
	detached bool
	// parallel transactions write alongside others (PostgreSQL's); SQLite's
	// writers take turns.
	parallel bool
}

// stmtContext is the context a statement runs under. A group member's
// statement that starts is not interrupted: SQLite answers an interrupted
// write by rolling back the whole transaction, with the other members' work.
// One whose context has already ended does not start (database/sql refuses
// it), so a function whose caller is gone fails at its next statement.
func (t *txQuerier) stmtContext(ctx context.Context) context.Context {
	if t.detached && ctx.Err() == nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (t *txQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(t.stmtContext(ctx), query, args...)
}

func (t *txQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(t.stmtContext(ctx), query, args...)
}

func (t *txQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(t.stmtContext(ctx), query, args...)
}

// Parallel reports whether q is a transaction that writes alongside other
// writers' (PostgreSQL), so that a row every writer updates makes them queue
// on its lock; SQLite's writers take turns, and so do statements outside Tx.
func Parallel(q Querier) bool {
	t, ok := q.(*txQuerier)
	return ok && t.parallel
}

// AfterCommit runs fn once the transaction q belongs to has committed, and
// never if it rolls back; outside a transaction of Tx it runs fn at once.
// In-process caches use it to forget what a transaction changed.
func AfterCommit(q Querier, fn func()) {
	if t, ok := q.(*txQuerier); ok {
		t.after = append(t.after, fn)
		return
	}
	fn()
}

// GroupCommits counts SQLite's shared commits and the write transactions
// they held since the database was opened (zero on PostgreSQL).
func (db *DB) GroupCommits() (commits, transactions uint64) {
	if db.group == nil {
		return 0, 0
	}
	return db.group.commits.Load(), db.group.members.Load()
}

// Checkpoints counts the background checkpoints of SQLite's write-ahead
// log since the database was opened, run and failed (zero on PostgreSQL).
func (db *DB) Checkpoints() (run, failed uint64) {
	if db.ckpt == nil {
		return 0, 0
	}
	return db.ckpt.count.Load(), db.ckpt.failed.Load()
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

// WritePool is the pool that writes, for measuring the database's own
// commit rate beside Tx (whose group commit puts many rows in one commit).
func (db *DB) WritePool() *sql.DB { return db.rw }

// Pools returns the underlying pools by name, for metrics.
func (db *DB) Pools() map[string]*sql.DB {
	if db.ro == db.rw {
		return map[string]*sql.DB{"main": db.rw}
	}
	return map[string]*sql.DB{"write": db.rw, "read": db.ro}
}

// Close stops the group committer and closes the pools.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.stop()
	}
	var err error
	if db.ckpt != nil {
		err = db.ckpt.stop()
	}
	err = errors.Join(err, db.rw.Close())
	if db.ro != db.rw {
		err = errors.Join(err, db.ro.Close())
	}
	return err
}
