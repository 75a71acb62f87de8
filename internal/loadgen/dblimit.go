package loadgen

import (
	"context"
	"time"

	"zhiyuan/internal/db"
)

// commitRate is the database's own limit for the write-heavy scenarios: a
// small row inserted and committed in a loop, one transaction after another,
// on a scratch table of the same database, for dur. It returns commits/s.
func commitRate(ctx context.Context, dsn string, dur time.Duration) (float64, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	ddl := `CREATE TABLE bench_commit (id INTEGER PRIMARY KEY, shift_id BIGINT NOT NULL, volunteer_id BIGINT NOT NULL, at BIGINT NOT NULL)`
	if d.Dialect == db.Postgres {
		ddl = `CREATE TABLE bench_commit (id BIGSERIAL PRIMARY KEY, shift_id BIGINT NOT NULL, volunteer_id BIGINT NOT NULL, at BIGINT NOT NULL)`
	}
	_, _ = d.Write().ExecContext(ctx, `DROP TABLE IF EXISTS bench_commit`)
	if _, err := d.Write().ExecContext(ctx, ddl); err != nil {
		return 0, err
	}
	defer d.Write().ExecContext(context.WithoutCancel(ctx), `DROP TABLE bench_commit`) //nolint:errcheck
	// Plain BEGIN, INSERT, COMMIT on the write pool itself: not through
	// db.Tx, whose group commit would make this something else than the
	// database's own single-row commit rate.
	pool := d.WritePool()
	n := 0
	start := time.Now()
	for time.Since(start) < dur {
		tx, err := pool.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_commit (shift_id, volunteer_id, at) VALUES ($1, $2, $3)`, 1, n, time.Now().Unix()); err != nil {
			_ = tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// seatsTaken counts a shift's confirmed and waitlisted sign-ups, the
// counters the shift row keeps, and the volunteers holding more than one
// live sign-up on it, straight from the database.
func seatsTaken(ctx context.Context, dsn string, shiftID int64) (confirmed, waitlisted, taken, waiting, twice int, err error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return
	}
	defer d.Close()
	q := d.Read()
	if err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND status = 'confirmed'`, shiftID).Scan(&confirmed); err != nil {
		return
	}
	if err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND status = 'waitlisted'`, shiftID).Scan(&waitlisted); err != nil {
		return
	}
	if err = q.QueryRowContext(ctx, `SELECT taken, waiting FROM shifts WHERE id = $1`, shiftID).Scan(&taken, &waiting); err != nil {
		return
	}
	err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT volunteer_id FROM signups WHERE shift_id = $1 AND status <> 'cancelled'
		GROUP BY volunteer_id HAVING COUNT(*) > 1) t`, shiftID).Scan(&twice)
	return
}

// scannedAlready is the highest volunteer id with an attendance on the
// shift: the generated burst volunteers are ids 1…n, scanning in order.
func scannedAlready(ctx context.Context, dsn string, shiftID int64) (int, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var n int
	err = d.Read().QueryRowContext(ctx, `SELECT COALESCE(MAX(volunteer_id), 0) FROM attendance WHERE shift_id = $1`, shiftID).Scan(&n)
	return n, err
}
