package db

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
)

// SQLite in WAL mode appends every commit to the write-ahead log and copies
// the log back into the database file at a checkpoint. By default the
// connection that commits runs the checkpoint itself, when the log passes
// 1,000 pages: the write connection then stops to copy and fsync megabytes
// while every transaction queued behind it waits, and an import's writer
// spent a seventh of its time there (tenth scale: 6.7 of 47 s of CPU).
// Here a goroutine with a connection of its own checkpoints instead, on the
// other core, without blocking the writer (SQLite lets a writer append
// while a checkpoint copies what is already committed); the write
// connection checkpoints itself only if the log grows past safetyCheckpoint
// pages, as a safety net.

const (
	// checkpointEvery is the least time between two background checkpoints
	// while commits arrive: often enough that the log stays small under
	// steady writes (an import writes some 60,000 pages a second), rarely
	// enough that the fsyncs of a checkpoint are not paid for every commit.
	checkpointEvery = 200 * time.Millisecond
	// safetyCheckpoint is the write connection's own wal_autocheckpoint.
	// Under steady writes it is what lets the log start over: a background
	// checkpoint never catches up with a writer that keeps appending, and
	// SQLite rewinds the log only at a write transaction that finds all of
	// it copied. By then the background has copied nearly all of it, and
	// the writer copies the tail. The log file keeps its largest size (no
	// journal_size_limit): cut back after each rewind, it was grown again
	// by the writer, one new block at a time (tenth scale, 500,000-row
	// import: 46.0 s with a 64 MB limit, 38.4 s without).
	safetyCheckpoint = 40000 // pages: 160 MB
)

// checkpointer runs PASSIVE checkpoints in the background after commits.
type checkpointer struct {
	conn *sql.DB
	kick chan struct{}
	quit chan struct{}
	gone chan struct{}
	once sync.Once
	// count and failed count checkpoints run and refused, for the metrics.
	count, failed atomic.Uint64
}

// newCheckpointer opens the checkpointing connection to the database at path.
func newCheckpointer(path string, sync Synchronous) *checkpointer {
	conn := sql.OpenDB(stmtConnector{drv: &sqlite.Driver{}, dsn: sqliteCheckpointDSN(path, sync)})
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxLifetime(0)
	c := &checkpointer{conn: conn, kick: make(chan struct{}, 1), quit: make(chan struct{}), gone: make(chan struct{})}
	go c.loop()
	return c
}

// committed tells the checkpointer that a commit added to the log. It
// never blocks.
func (c *checkpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer close(c.gone)
	var last time.Time
	for {
		select {
		case <-c.kick:
		case <-c.quit:
			return
		}
		if wait := checkpointEvery - time.Since(last); wait > 0 {
			select {
			case <-time.After(wait):
			case <-c.quit:
				return
			}
		}
		last = time.Now()
		c.run()
	}
}

// run checkpoints what the log holds without waiting for readers or the
// writer; what it cannot copy yet (pages a reader may still need) waits for
// the next commit's checkpoint. A failure is left to the next one: the
// write connection's own safety net keeps the log bounded meanwhile.
func (c *checkpointer) run() {
	var busy, frames, copied int64
	if err := c.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
		c.failed.Add(1)
		return
	}
	c.count.Add(1)
}

// stop ends the loop and closes the connection.
func (c *checkpointer) stop() error {
	c.once.Do(func() { close(c.quit) })
	<-c.gone
	return c.conn.Close()
}
