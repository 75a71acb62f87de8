package generate

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"zhiyuan/internal/db"
)

// tableOrder is the order buffered rows are written in, parents before
// children, so foreign keys hold at every flush.
var tableOrder = []string{"accounts", "teams", "team_reviews", "volunteers", "role_grants", "volunteer_tags",
	"volunteer_categories", "volunteer_skills", "team_members", "projects", "project_reviews", "shifts", "signups",
	"attendance", "service_records", "service_record_history", "volunteer_hours"}

// idTables are the bulk-written tables whose id column is an identity:
// PostgreSQL's sequences are moved past the ids written explicitly.
var idTables = []string{"accounts", "teams", "team_reviews", "volunteers", "role_grants", "projects", "project_reviews",
	"shifts", "signups", "attendance", "service_records", "service_record_history"}

type batch struct {
	table string
	cols  []string
	rows  [][]any
}

// writer buffers rows per table and writes them on its own goroutine over
// one connection: multi-row prepared INSERTs in large transactions on
// SQLite, COPY on PostgreSQL.
type writer struct {
	ctx     context.Context
	dialect db.Dialect
	conn    *sql.Conn
	cols    map[string][]string
	buf     map[string][][]any
	pending int
	counts  map[string]int64
	ch      chan batch
	done    chan error    // the writing goroutine's result, when it ends
	failed  chan struct{} // closed when a write fails, so the generation stops early
	loopErr error         // set before failed is closed
	indexes []index       // dropped for the load, built again by finish
	fks     []foreignKey  // likewise (PostgreSQL)

	// SQLite only: the open transaction, its statements and its size.
	tx      *sql.Tx
	stmts   map[string]*sql.Stmt
	txRows  int
	written int64
}

const (
	flushRows    = 20000  // buffered rows that trigger a flush
	commitRows   = 400000 // rows per SQLite transaction
	maxSQLiteVar = 30000  // bound parameters per SQLite statement
	maxStmtRows  = 400    // rows per SQLite statement
)

// newWriter takes the database's write connection for the bulk load.
func newWriter(ctx context.Context, d *db.DB) (*writer, error) {
	pools := d.Pools()
	pool := pools["write"]
	if pool == nil {
		pool = pools["main"]
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("generate: connection: %w", err)
	}
	w := &writer{ctx: ctx, dialect: d.Dialect, conn: conn, cols: map[string][]string{}, buf: map[string][][]any{},
		counts: map[string]int64{}, ch: make(chan batch, 4), done: make(chan error, 1), failed: make(chan struct{})}
	if d.Dialect == db.SQLite {
		// For the load only; restored by close. Foreign keys are checked by
		// construction (parents are written first) and by the tests.
		for _, p := range []string{"PRAGMA foreign_keys = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -524288"} {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				conn.Close()
				return nil, fmt.Errorf("generate: %s: %w", p, err)
			}
		}
	}
	if w.indexes, err = dropIndexes(ctx, w); err != nil {
		conn.Close()
		return nil, err
	}
	if w.fks, err = dropForeignKeys(ctx, w); err != nil {
		conn.Close()
		return nil, err
	}
	go w.loop()
	return w, nil
}

// put buffers one row of table; cols must be the same on every call.
func (w *writer) put(table string, cols []string, row ...any) {
	if _, ok := w.cols[table]; !ok {
		w.cols[table] = cols
	}
	w.buf[table] = append(w.buf[table], row)
	w.counts[table]++
	w.pending++
}

// maybeFlush writes the buffers out once enough rows are waiting.
func (w *writer) maybeFlush() error {
	if w.pending < flushRows {
		return nil
	}
	return w.flush()
}

// flush hands every buffered row to the writing goroutine, in table order.
func (w *writer) flush() error {
	for _, t := range tableOrder {
		rows := w.buf[t]
		if len(rows) == 0 {
			continue
		}
		select {
		case w.ch <- batch{table: t, cols: w.cols[t], rows: rows}:
		case <-w.failed:
			return w.loopErr
		}
		w.buf[t] = nil
	}
	w.pending = 0
	return nil
}

// finish flushes, waits for the writes and gives the connection back with
// its settings restored.
func (w *writer) finish() error {
	err := w.flush()
	close(w.ch)
	if werr := <-w.done; err == nil {
		err = werr
	}
	if err == nil {
		err = createIndexes(w.ctx, w, w.indexes)
	}
	if err == nil {
		err = addForeignKeys(w.ctx, w, w.fks)
	}
	if w.dialect == db.SQLite {
		for _, p := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"} {
			if _, perr := w.conn.ExecContext(context.Background(), p); perr != nil && err == nil {
				err = perr
			}
		}
		if perr := w.dialect.SetWriterUse(context.Background(), w.conn, db.ShortWrites); perr != nil && err == nil {
			err = perr
		}
	}
	if cerr := w.conn.Close(); err == nil {
		err = cerr
	}
	return err
}

func (w *writer) loop() {
	var err error
	for b := range w.ch {
		if err != nil {
			continue // drain after a failure
		}
		if w.dialect == db.Postgres {
			err = w.copy(b)
		} else {
			err = w.insert(b)
		}
		if err != nil {
			w.loopErr = err
			close(w.failed)
		}
	}
	if err == nil && w.tx != nil {
		err = w.commit()
	}
	if err != nil && w.tx != nil {
		_ = w.tx.Rollback()
	}
	w.done <- err
}

// copy writes a batch with PostgreSQL's COPY.
func (w *writer) copy(b batch) error {
	return w.conn.Raw(func(dc any) error {
		c := dc.(interface{ Conn() *pgx.Conn }).Conn() // pgx's connection, in db's wrapper
		_, err := c.CopyFrom(w.ctx, pgx.Identifier{b.table}, b.cols, pgx.CopyFromRows(b.rows))
		if err != nil {
			return fmt.Errorf("generate: copy %s: %w", b.table, err)
		}
		return nil
	})
}

// insert writes a batch with multi-row INSERTs inside the open transaction.
func (w *writer) insert(b batch) error {
	if w.tx == nil {
		tx, err := w.conn.BeginTx(w.ctx, nil)
		if err != nil {
			return fmt.Errorf("generate: begin: %w", err)
		}
		w.tx, w.stmts = tx, map[string]*sql.Stmt{}
	}
	per := min(maxStmtRows, maxSQLiteVar/len(b.cols))
	args := make([]any, 0, per*len(b.cols))
	for start := 0; start < len(b.rows); start += per {
		end := min(start+per, len(b.rows))
		st, err := w.stmt(b.table, b.cols, end-start)
		if err != nil {
			return err
		}
		args = args[:0]
		for _, r := range b.rows[start:end] {
			args = append(args, r...)
		}
		if _, err := st.ExecContext(w.ctx, args...); err != nil {
			return fmt.Errorf("generate: insert %s: %w", b.table, err)
		}
	}
	w.txRows += len(b.rows)
	if w.txRows >= commitRows {
		return w.commit()
	}
	return nil
}

func (w *writer) commit() error {
	err := w.tx.Commit()
	w.tx, w.stmts, w.txRows = nil, nil, 0
	if err != nil {
		return fmt.Errorf("generate: commit: %w", err)
	}
	return nil
}

// stmt returns the prepared INSERT of n rows into table.
func (w *writer) stmt(table string, cols []string, n int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d", table, n)
	if st, ok := w.stmts[key]; ok {
		return st, nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
	st, err := w.tx.PrepareContext(w.ctx, q)
	if err != nil {
		return nil, fmt.Errorf("generate: prepare %s: %w", table, err)
	}
	w.stmts[key] = st
	return st, nil
}

// total is the number of rows put so far.
func (w *writer) total() int64 {
	var n int64
	if w == nil {
		return 0
	}
	for _, c := range w.counts {
		n += c
	}
	return n
}
