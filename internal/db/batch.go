package db

import (
	"context"
	"fmt"
)

// Batch is several reads that a page needs together. On PostgreSQL
// ReadBatch sends them in one round trip (readBatchPostgres, dialect.go):
// each statement run alone is a round trip to another process, which on a
// small server costs more than the statement. On SQLite, a call within the
// process, they simply run one after another.
type Batch struct {
	items []batchItem
}

type batchItem struct {
	query string
	args  []any
	row   func(Scanner) error // called for each row, in order
}

// Queue adds a query; row is called for each of its rows.
func (b *Batch) Queue(row func(Scanner) error, query string, args ...any) {
	b.items = append(b.items, batchItem{query: query, args: args, row: row})
}

// QueueAll adds a query whose rows are scanned with scan and appended to out.
func QueueAll[T any](b *Batch, out *[]T, scan func(Scanner) (T, error), query string, args ...any) {
	b.Queue(func(row Scanner) error {
		v, err := scan(row)
		if err != nil {
			return err
		}
		*out = append(*out, v)
		return nil
	}, query, args...)
}

// ReadBatch runs the batch's queries on the read pool, in order, and stops
// at the first error.
func (db *DB) ReadBatch(ctx context.Context, b *Batch) error {
	if db.Dialect == Postgres {
		return readBatchPostgres(ctx, db.ro, b.items)
	}
	for i, it := range b.items {
		rows, err := db.ro.QueryContext(ctx, it.query, it.args...)
		if err != nil {
			return fmt.Errorf("batch query %d: %w", i+1, err)
		}
		for rows.Next() {
			if err := it.row(rows); err != nil {
				rows.Close()
				return fmt.Errorf("batch query %d: %w", i+1, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("batch query %d: %w", i+1, err)
		}
	}
	return nil
}

// ReadAll runs a query on the read pool and scans every row with scan, as
// QueryAll does. On PostgreSQL pgx scans the rows into their destinations
// itself, as in a batch: through database/sql each value is first made a
// driver value (a string boxed, a copy) and then converted again.
func ReadAll[T any](ctx context.Context, db *DB, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	if db.Dialect != Postgres {
		return QueryAll(ctx, db.ro, scan, query, args...)
	}
	var out []T
	err := readBatchPostgres(ctx, db.ro, []batchItem{{query: query, args: args, row: func(row Scanner) error {
		v, err := scan(row)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	}}})
	return out, err
}
