package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite writes one transaction at a time, and most of a short
// transaction's cost is its commit: every page it touched is appended to
// the write-ahead log, and the pages a burst of check-ins all touch (the
// tail of the attendance and audit tables, their indexes, the day's
// counters) are written again for each. The group committer runs the write
// transactions that are waiting, one after the other, inside one database
// transaction, each after the first in its own savepoint, and commits them
// together: a function that fails is rolled back to its savepoint alone (the
// first, with the whole transaction, which holds nothing else yet), and none
// of them hears "committed" before the shared commit succeeded. To a caller
// this is exactly Tx: its function runs alone (serialised), sees what the
// functions before it wrote, and either all of it is committed or none.

const (
	// groupMax bounds how many transactions share one commit. Every member
	// hears its outcome only at the shared commit, so a long group makes
	// its first members wait for all the others. Check-in burst at tenth
	// scale (256 scanners, 1,536 scans), back to back on fresh copies: 128
	// gave p99 75-117 ms (mean 94 over six runs) and 6,000-7,500 scans/s;
	// 32 gave 55-104 ms (mean 75 over ten runs) and 6,300-8,000 scans/s;
	// 16 gave 61-115 ms. At Tianjin scale, four runs each, the two did
	// not differ beyond the noise (128: 72-89 ms, 32: 63-101 ms). The
	// sign-up rush (512 clients) and the HTML sign-ups did not change
	// beyond their noise either.
	groupMax = 32
	// groupSpan bounds how long one group keeps taking waiting
	// transactions, so that the first in it is not held back for long.
	groupSpan = 5 * time.Millisecond
)

// errGroupLost is what the functions of a group hear when the shared
// transaction could not be committed or was rolled back under them.
var errGroupLost = errors.New("db: the group transaction was rolled back")

var errClosed = errors.New("db: closed")

// txRequest is one call of Tx waiting for the committer.
type txRequest struct {
	ctx   context.Context
	fn    func(tx Querier) error
	alone bool          // a long job: a transaction of its own (TxAlone)
	done  chan txResult // buffered: the committer never waits on a caller
}

type txResult struct {
	err      error
	panicked any
	after    []func()
}

// committer owns SQLite's write connection for write transactions.
type committer struct {
	rw       *sql.DB
	queue    chan *txRequest
	quit     chan struct{}
	gone     chan struct{}
	stopOnce sync.Once
	// held is a request taken from the queue that may not join the group
	// under way (a long job); it starts the next one.
	held *txRequest
	// commits and members count shared commits and the transactions in
	// them, for the metrics.
	commits, members atomic.Uint64
	// committed is called after each successful commit.
	committed func()
}

func newCommitter(rw *sql.DB, committed func()) *committer {
	c := &committer{rw: rw, committed: committed, queue: make(chan *txRequest, groupMax), quit: make(chan struct{}), gone: make(chan struct{})}
	go c.loop()
	return c
}

// run queues fn and waits for the outcome of its group.
func (c *committer) run(ctx context.Context, fn func(tx Querier) error, alone bool) error {
	req := &txRequest{ctx: ctx, fn: fn, alone: alone, done: make(chan txResult, 1)}
	select {
	case c.queue <- req:
	case <-ctx.Done():
		return fmt.Errorf("db: begin: %w", ctx.Err())
	case <-c.quit:
		return errClosed
	}
	// Once queued, the request is answered: the committer runs it, or
	// refuses it when closing; one queued after the committer ended is not.
	var res txResult
	select {
	case res = <-req.done:
	case <-c.gone:
		select {
		case res = <-req.done:
		default:
			return errClosed
		}
	}
	if res.panicked != nil {
		panic(res.panicked)
	}
	if res.err != nil {
		return res.err
	}
	for _, f := range res.after {
		f()
	}
	return nil
}

// stop ends the loop after the group under way; requests still queued are
// refused.
func (c *committer) stop() {
	c.stopOnce.Do(func() { close(c.quit) })
	<-c.gone
}

func (c *committer) loop() {
	defer close(c.gone)
	for {
		if req := c.held; req != nil {
			c.held = nil
			c.group(req)
			continue
		}
		select {
		case req := <-c.queue:
			c.group(req)
		case <-c.quit:
			for {
				select {
				case req := <-c.queue:
					req.done <- txResult{err: errClosed}
				default:
					return
				}
			}
		}
	}
}

// member is a request that ran in the group, with what it left.
type member struct {
	req *txRequest
	res txResult
}

// group runs first and whatever else is waiting in one transaction. The
// first runs without a savepoint (a savepoint copies every page its
// function changes to a statement journal): if it fails, the transaction
// holds nothing else and is rolled back whole. A long job (alone) takes no
// one after it.
func (c *committer) group(first *txRequest) {
	tx, err := c.rw.BeginTx(context.Background(), nil)
	if err != nil {
		first.done <- txResult{err: fmt.Errorf("db: begin: %w", err)}
		return
	}
	res := runMember(tx, first)
	if res.err != nil || res.panicked != nil {
		_ = tx.Rollback()
		c.commits.Add(1)
		c.members.Add(1)
		res.after = nil
		first.done <- res
		return
	}
	members := []member{{first, res}}
	start := time.Now()
	lost := false
	for req := c.next(first, start); req != nil; req = c.next(first, start) {
		res, ok := runInSavepoint(tx, req)
		members = append(members, member{req, res})
		if !ok {
			lost = true // the savepoint could not be rolled back to: the transaction is gone
			break
		}
		if len(members) >= groupMax {
			break
		}
	}
	c.commits.Add(1)
	c.members.Add(uint64(len(members)))
	if !lost {
		if err := tx.Commit(); err != nil {
			for i := range members {
				if members[i].res.err == nil && members[i].res.panicked == nil {
					members[i].res = txResult{err: fmt.Errorf("db: commit: %w", err)}
				}
			}
		} else {
			c.committed()
		}
	} else {
		_ = tx.Rollback()
		for i := range members {
			if members[i].res.panicked == nil && members[i].res.err == nil {
				members[i].res = txResult{err: errGroupLost}
			}
		}
	}
	for _, m := range members {
		if m.res.err != nil || m.res.panicked != nil {
			m.res.after = nil
		}
		m.req.done <- m.res
	}
}

// next is the next waiting request, if the group may take one more: not
// after a long job, not past groupSpan, and not a long job itself (that is
// held for the next group).
func (c *committer) next(first *txRequest, start time.Time) *txRequest {
	if first.alone || time.Since(start) > groupSpan {
		return nil
	}
	select {
	case req := <-c.queue:
		if req.alone {
			c.held = req
			return nil
		}
		return req
	default:
		return nil
	}
}

// runInSavepoint runs one request's function between SAVEPOINT and RELEASE,
// rolling back to the savepoint when it fails or panics. ok is false when
// that rollback itself failed (SQLite had already rolled back the whole
// transaction, as it does on some I/O errors).
func runInSavepoint(tx *sql.Tx, req *txRequest) (res txResult, ok bool) {
	if err := req.ctx.Err(); err != nil {
		return txResult{err: fmt.Errorf("db: begin: %w", err)}, true
	}
	// The group's own statements run to their end even if the caller goes
	// away (see txQuerier.stmtContext).
	ctx := context.WithoutCancel(req.ctx)
	if _, err := tx.ExecContext(ctx, `SAVEPOINT member`); err != nil {
		return txResult{err: fmt.Errorf("db: savepoint: %w", err)}, false
	}
	res = runMember(tx, req)
	if res.err == nil && res.panicked == nil {
		if _, err := tx.ExecContext(ctx, `RELEASE member`); err != nil {
			return txResult{err: fmt.Errorf("db: release: %w", err)}, false
		}
		return res, true
	}
	if _, err := tx.ExecContext(ctx, `ROLLBACK TO member`); err != nil {
		return res, false
	}
	if _, err := tx.ExecContext(ctx, `RELEASE member`); err != nil {
		return res, false
	}
	return res, true
}

// runMember runs one request's function in tx: its error, its panic, or its
// after-commit hooks.
func runMember(tx *sql.Tx, req *txRequest) (res txResult) {
	if err := req.ctx.Err(); err != nil {
		return txResult{err: fmt.Errorf("db: begin: %w", err)}
	}
	q := &txQuerier{Tx: tx, detached: true}
	defer func() {
		if p := recover(); p != nil {
			res = txResult{panicked: p}
		}
	}()
	if err := req.fn(q); err != nil {
		return txResult{err: err}
	}
	// As with a transaction of its own, a caller gone before its commit
	// has nothing committed.
	if err := req.ctx.Err(); err != nil {
		return txResult{err: fmt.Errorf("db: commit: %w", err)}
	}
	return txResult{after: q.after}
}
