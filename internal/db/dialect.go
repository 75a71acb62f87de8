package db

// This file holds every difference between SQLite and PostgreSQL that the
// rest of the code base may depend on. Queries elsewhere are written in the
// portable subset both engines accept: $N placeholders, ON CONFLICT,
// RETURNING, integer unix-second timestamps, TEXT dates (YYYY-MM-DD).

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"zhiyuan/internal/clock"
)

// Dialect names the database engine behind a DB.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DialectOf tells from a DSN which engine it names: a postgres:// or
// postgresql:// URL (or a libpq keyword string with host=) is PostgreSQL,
// anything else is a SQLite file path.
func DialectOf(dsn string) Dialect {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") ||
		strings.Contains(dsn, "host=") {
		return Postgres
	}
	return SQLite
}

// sqliteDSN builds the modernc.org/sqlite DSN for a file. Pragmas run on every
// new connection in this order: busy_timeout, journal_mode=WAL,
// synchronous (FULL unless the operator chose NORMAL, see Synchronous), foreign_keys=ON, cache_size (and, for the writer,
// the settings of ShortWrites). Write transactions begin
// IMMEDIATE so two writers never deadlock upgrading a read lock.
//
// Each connection has its own page cache, and modernc's allocator gives a
// cached page (4 KiB and SQLite's ~300-byte header) an 8 KiB slot, so a
// cache of N MB can hold 2N MB of memory. Each reader keeps 8 MB of pages
// (the file's pages stay in the operating system's cache): at tenth scale
// the search and hours pages peaked at 123-125 MB instead of 150-158 MB,
// for 0-3 % more server CPU a request; with 4 MB they cost 30 % more. The
// writer keeps 2 MB (writerCacheKiB), enough for the pages a burst of short
// transactions shares, and more while it imports (BulkInserts). Its cache
// stays full once a burst of writes has filled it: the comparison pages'
// server, after the sign-ups, held 62-68 MB with 16 MB, 58-61 MB with 4 MB
// and 55-57 MB with 2 MB, for 0-7 % more CPU a sign-up; the check-in burst,
// at tenth and Tianjin scale, was no slower with 2 MB (five pairs of runs).
func sqliteDSN(path string, readOnly bool, sync Synchronous) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+sync.pragma()+")")
	q.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		q.Add("_pragma", "cache_size(-8000)")
		q.Add("_pragma", "query_only(ON)")
	} else {
		for _, p := range writerPragmas[ShortWrites] {
			q.Add("_pragma", p)
		}
		q.Add("_pragma", "wal_autocheckpoint("+strconv.Itoa(safetyCheckpoint)+")")
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// sqliteCheckpointDSN is the DSN of the background checkpointer's
// connection (checkpoint.go): it reads only the log and writes only pages
// already committed, so it needs little cache.
func sqliteCheckpointDSN(path string, sync Synchronous) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+sync.pragma()+")")
	q.Add("_pragma", "cache_size(-500)")
	return "file:" + path + "?" + q.Encode()
}

// Synchronous is SQLite's durability setting. SyncFull (the default) fsyncs
// the write-ahead log at every commit, so a commit acknowledged to a
// volunteer survives a power loss or an operating-system crash, as a
// PostgreSQL commit does. SyncNormal fsyncs only at checkpoints: a commit
// survives a crash of the process but the last ones may roll back after a
// power loss; an operator may choose it knowing that.
type Synchronous string

// The accepted settings.
const (
	SyncFull   Synchronous = "full"
	SyncNormal Synchronous = "normal"
)

// ParseSynchronous reads a setting ("" is the default, full).
func ParseSynchronous(s string) (Synchronous, error) {
	switch Synchronous(strings.ToLower(strings.TrimSpace(s))) {
	case "", SyncFull:
		return SyncFull, nil
	case SyncNormal:
		return SyncNormal, nil
	}
	return "", fmt.Errorf("db: synchronous must be full or normal, not %q", s)
}

func (s Synchronous) pragma() string {
	if s == SyncNormal {
		return "NORMAL"
	}
	return "FULL"
}

// sqlitePath is the file of a SQLite DSN.
func sqlitePath(dsn string) string { return strings.TrimPrefix(dsn, "sqlite://") }

// openPools opens the write and read pools for the dialect. SQLite allows one
// writer at a time, so writes go through a single connection and reads through
// several; PostgreSQL uses one pool for both.
func openPools(ctx context.Context, d Dialect, dsn string, sync Synchronous) (rw, ro *sql.DB, err error) {
	switch d {
	case SQLite:
		path := sqlitePath(dsn)
		rw = sql.OpenDB(stmtConnector{drv: &sqlite.Driver{}, dsn: sqliteDSN(path, false, sync)})
		rw.SetMaxOpenConns(1)
		rw.SetMaxIdleConns(1)
		rw.SetConnMaxLifetime(0)
		// Create the file and switch it to WAL before readers attach.
		if err = rw.PingContext(ctx); err != nil {
			rw.Close()
			return nil, nil, err
		}
		ro = sql.OpenDB(stmtConnector{drv: &sqlite.Driver{}, dsn: sqliteDSN(path, true, sync)})
		n := max(4, 2*runtime.GOMAXPROCS(0))
		ro.SetMaxOpenConns(n)
		ro.SetMaxIdleConns(n)
		return rw, ro, nil
	case Postgres:
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, nil, err
		}
		rw = sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
		rw.SetMaxOpenConns(16)
		rw.SetMaxIdleConns(16)
		return rw, rw, nil
	}
	return nil, nil, fmt.Errorf("db: unknown dialect %q", d)
}

// pgConnector opens PostgreSQL connections that tell the pool when they
// are broken. pgx closes a connection whose statement was interrupted (its
// caller's context ended); without IsValid the pool took it back as idle and
// found it broken only when it handed it out again, and when several such
// came at once a caller could be handed broken ones past database/sql's
// retries: "driver: bad connection" for a request that did nothing wrong.
type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return pgConn{conn.(*stdlib.Conn)}, nil
}

// pgConn is pgx's connection with IsValid (driver.Validator), which the
// pool asks before it keeps a connection given back to it. Its other
// methods, and so the optional driver interfaces and Conn() *pgx.Conn, are
// pgx's own (embedded under another name than Conn, which would hide Conn()).
type pgConn struct{ *pgxStdConn }

type pgxStdConn = stdlib.Conn

// IsValid reports whether the connection is open and outside a transaction.
func (c pgConn) IsValid() bool {
	pc := c.Conn()
	return !pc.IsClosed() && pc.PgConn().TxStatus() == 'I'
}

// readBatchPostgres sends a batch's queries on one connection as one pgx
// pipeline (one round trip; one implicit transaction, in which each query
// still takes its own snapshot at READ COMMITTED, as when run alone).
func readBatchPostgres(ctx context.Context, pool *sql.DB, items []batchItem) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(interface{ Conn() *pgx.Conn })
		if !ok {
			return fmt.Errorf("db: batch on a %T connection", dc)
		}
		var b pgx.Batch
		for _, it := range items {
			b.Queue(it.query, it.args...)
		}
		res := c.Conn().SendBatch(ctx, &b)
		for i, it := range items {
			if err := readBatchRows(res, it); err != nil {
				_ = res.Close()
				if len(items) == 1 {
					return err
				}
				return fmt.Errorf("batch query %d: %w", i+1, err)
			}
		}
		return res.Close()
	})
}

func readBatchRows(res pgx.BatchResults, it batchItem) error {
	rows, err := res.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := it.row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// gooseDialect maps a Dialect to the migration library's name for it.
func (d Dialect) gooseDialect() goose.Dialect {
	if d == Postgres {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

// ddlTokens are the placeholders migrations use for types that differ.
func (d Dialect) ddlTokens() *strings.Replacer {
	if d == Postgres {
		return strings.NewReplacer(
			"{{id}}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
			"{{blob}}", "BYTEA",
		)
	}
	return strings.NewReplacer(
		"{{id}}", "INTEGER PRIMARY KEY",
		"{{blob}}", "BLOB",
	)
}

// IsUniqueViolation reports whether err is a unique or primary-key violation.
func IsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsForeignKeyViolation reports whether err is a foreign-key violation.
func IsForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// IsLockTimeout reports whether err is PostgreSQL's refusal to wait longer
// for a lock than the transaction's lock_timeout.
func IsLockTimeout(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "55P03"
}

// RedactDSN returns the DSN with any password removed, for logs.
func RedactDSN(dsn string) string {
	if DialectOf(dsn) != Postgres {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// LockRow takes a write lock on one row for the rest of the transaction, to
// serialise checks that no constraint can express (a volunteer's overlapping
// sign-ups). SQLite needs nothing: its write transactions are already serial.
func (d Dialect) LockRow(ctx context.Context, tx Querier, table string, id int64) error {
	if !d.LocksRows() {
		return nil
	}
	var got int64
	return tx.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE id = $1 FOR UPDATE`, id).Scan(&got)
}

// LocksRows reports whether LockRow takes a lock (PostgreSQL); on SQLite
// write transactions are already serial and it does nothing.
func (d Dialect) LocksRows() bool { return d == Postgres }

// LockRowWhere is LockRow for the one row of table whose column equals
// value, found in the same statement: it returns the row's id, or
// ErrNotFound. On SQLite it only reads the row.
func (d Dialect) LockRowWhere(ctx context.Context, tx Querier, table, column string, value any) (int64, error) {
	query := `SELECT id FROM ` + table + ` WHERE ` + column + ` = $1`
	if d.LocksRows() {
		query += ` FOR UPDATE`
	}
	var id int64
	err := tx.QueryRowContext(ctx, query, value).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, err
}

// BeijingDay is the SQL expression for the date (YYYY-MM-DD, Beijing time,
// UTC+8 with no daylight saving since 1991) of a unix-seconds column.
func (d Dialect) BeijingDay(column string) string {
	if d == Postgres {
		return "to_char(to_timestamp" + clock.ShiftedUnix(column) + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	return "date(" + clock.ShiftedUnix(column) + ", 'unixepoch')"
}

// IsUnavailable reports whether err means the database cannot be reached
// right now (the server is down, restarting, or the connection broke), as
// opposed to a statement that failed. SQLite's "busy" is not this: it is a
// lock wait that ran out.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// Class 08 is "connection exception"; 57P01–57P03 are the server
		// shutting down, crashing or not yet accepting connections.
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	}
	var connect *pgconn.ConnectError
	var netErr *net.OpError
	return errors.As(err, &connect) || errors.As(err, &netErr) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) // the server closed the connection mid-answer
}

// Param returns the placeholder of the i-th parameter (from 1) of a
// statement with many parameters (multi-row INSERTs, long IN lists). SQLite
// finds a $N parameter by a linear search of the statement's names, at
// prepare and again at every bind, so thousands of them cost quadratic
// time; there Param gives an anonymous ?, numbered by position. A
// statement built with Param must use it for every parameter, each once,
// in order.
func (d Dialect) Param(i int) string {
	if d == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(i)
}

// The write connection's page cache, in KiB: everyday and while importing.
const (
	writerCacheKiB = 2000
	bulkCacheKiB   = 16000
)

// WriterUse is the work SQLite's write connection is set up for
// (SetWriterUse). Its statement journals are the point: a savepoint, and a
// statement that writes many rows into a table with constraints, copy
// every page they change to one, and SQLite's default writes it to a
// temporary file past 64 KiB, two write calls a page.
type WriterUse int

const (
	// ShortWrites is every day's work, set when the connection opens: a
	// 2 MB page cache, and statement journals and temporary tables in
	// memory. Each member of a group commit but the first runs in a
	// savepoint, so a group's journal holds the pages its members change, a
	// few MB at most; on a temporary file it took 22 % of the writer's time
	// in a burst of 256 check-ins (10,161 against 12,586 scans/s in
	// BenchmarkCheckin256/api, 168 against 141 µs of CPU a scan).
	ShortWrites WriterUse = iota
	// BulkInserts is an import: as ShortWrites, with a 16 MB page cache for
	// the random index pages every batch writes.
	BulkInserts
	// LargeStatements is for statements as large as a table (a rebuild of
	// the statistics, migrations): their journals and temporary tables go
	// to disk, since in memory they could hold as much as the table.
	LargeStatements
)

// writerPragmas are each use's settings, in the order they run.
var writerPragmas = map[WriterUse][]string{
	ShortWrites:     {"temp_store(MEMORY)", "cache_size(-" + strconv.Itoa(writerCacheKiB) + ")"},
	BulkInserts:     {"temp_store(MEMORY)", "cache_size(-" + strconv.Itoa(bulkCacheKiB) + ")"},
	LargeStatements: {"temp_store(FILE)", "cache_size(-" + strconv.Itoa(writerCacheKiB) + ")"},
}

// SetWriterUse sets the SQLite write connection q up for use; call it
// again with ShortWrites when done. These are settings of the connection,
// not of a transaction, and must be changed outside one. Nothing to do on
// PostgreSQL.
func (d Dialect) SetWriterUse(ctx context.Context, q Querier, use WriterUse) error {
	if d != SQLite {
		return nil
	}
	for _, p := range writerPragmas[use] {
		name, value, _ := strings.Cut(strings.TrimSuffix(p, ")"), "(")
		if _, err := q.ExecContext(ctx, "PRAGMA "+name+" = "+value); err != nil {
			return err
		}
	}
	return nil
}
