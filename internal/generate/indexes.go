package generate

import (
	"context"
	"fmt"

	"zhiyuan/internal/db"
)

// Secondary indexes of the bulk tables are dropped for the load and built
// again after it: building an index from sorted data is much faster than
// millions of random inserts into it (measured on SQLite at 250,000
// volunteers and 2 million records: 71 s of CPU instead of 123 s). Primary
// keys stay. A load that fails part way leaves a database to throw away.

type index struct{ name, def string }

// bulkIndexes lists the secondary indexes of the bulk-written tables.
func bulkIndexes(ctx context.Context, w *writer) ([]index, error) {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = $1`
	if w.dialect == db.Postgres {
		q = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1
			AND indexname NOT LIKE '%\_pkey'`
	}
	var out []index
	for _, t := range tableOrder {
		rows, err := w.conn.QueryContext(ctx, q, t)
		if err != nil {
			return nil, fmt.Errorf("generate: indexes of %s: %w", t, err)
		}
		for rows.Next() {
			var ix index
			if err := rows.Scan(&ix.name, &ix.def); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, ix)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// dropIndexes drops the bulk tables' secondary indexes and returns them.
func dropIndexes(ctx context.Context, w *writer) ([]index, error) {
	ixs, err := bulkIndexes(ctx, w)
	if err != nil {
		return nil, err
	}
	for _, ix := range ixs {
		if _, err := w.conn.ExecContext(ctx, `DROP INDEX `+ix.name); err != nil {
			return nil, fmt.Errorf("generate: drop index %s: %w", ix.name, err)
		}
	}
	return ixs, nil
}

// createIndexes builds the indexes again.
func createIndexes(ctx context.Context, w *writer, ixs []index) error {
	for _, ix := range ixs {
		if _, err := w.conn.ExecContext(ctx, ix.def); err != nil {
			return fmt.Errorf("generate: build index %s: %w", ix.name, err)
		}
	}
	return nil
}

// PostgreSQL checks each foreign key per row, with a lookup in the parent
// table; for the load they are dropped and added again after it, which
// checks every row at once (a join) and so still proves them.

type foreignKey struct{ table, name, def string }

func dropForeignKeys(ctx context.Context, w *writer) ([]foreignKey, error) {
	if w.dialect != db.Postgres {
		return nil, nil
	}
	var out []foreignKey
	for _, t := range tableOrder {
		rows, err := w.conn.QueryContext(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
			WHERE contype = 'f' AND conrelid = $1::regclass ORDER BY conname`, t)
		if err != nil {
			return nil, fmt.Errorf("generate: foreign keys of %s: %w", t, err)
		}
		for rows.Next() {
			fk := foreignKey{table: t}
			if err := rows.Scan(&fk.name, &fk.def); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, fk)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, fk := range out {
		if _, err := w.conn.ExecContext(ctx, `ALTER TABLE `+fk.table+` DROP CONSTRAINT `+fk.name); err != nil {
			return nil, fmt.Errorf("generate: drop %s: %w", fk.name, err)
		}
	}
	return out, nil
}

func addForeignKeys(ctx context.Context, w *writer, fks []foreignKey) error {
	for _, fk := range fks {
		if _, err := w.conn.ExecContext(ctx, `ALTER TABLE `+fk.table+` ADD CONSTRAINT `+fk.name+` `+fk.def); err != nil {
			return fmt.Errorf("generate: add %s: %w", fk.name, err)
		}
	}
	return nil
}
