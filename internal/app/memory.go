package app

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// returnAfterBursts gives memory back to the operating system soon after a
// burst: a few password checks at once (argon2id takes 19 MiB each) or a
// large import leave tens of MB the heap no longer needs, which the runtime
// returns only over many seconds (or, on a quiet server, collects only after
// two minutes). Every tick it collects and returns them when
//   - more of the heap is free than it will grow into before the next
//     collection (the live heap, GOGC=100) plus slack, or
//   - the server has just become quiet: collections ran in the tick before
//     and none in this one, and the heap holds more than slack. Only a
//     collection can tell what a burst that just ended left behind.
//
// Under steady load neither holds, so it does nothing; no memory limit is
// set, so a request with a large live heap is never slowed.
func returnAfterBursts(ctx context.Context, every time.Duration, slack uint64) {
	s := make([]metrics.Sample, len(burstMetrics))
	for i, name := range burstMetrics {
		s[i].Name = name
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var cycles uint64
	busy := false
	read := func() (free, held, live, n uint64, ok bool) {
		metrics.Read(s)
		for _, m := range s {
			if m.Value.Kind() != metrics.KindUint64 {
				return 0, 0, 0, 0, false
			}
		}
		return s[0].Value.Uint64(), s[0].Value.Uint64() + s[1].Value.Uint64() + s[2].Value.Uint64(),
			s[3].Value.Uint64(), s[4].Value.Uint64(), true
	}
	_, _, _, cycles, _ = read()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		free, held, live, n, ok := read()
		if !ok {
			return // an unknown metric: leave it to the runtime
		}
		quiet := n == cycles
		if burstOver(free, held, live, quiet && busy, slack) {
			debug.FreeOSMemory()
			_, _, _, n, _ = read()
		}
		cycles, busy = n, !quiet
	}
}

// burstMetrics are what returnAfterBursts reads, in this order.
var burstMetrics = []string{"/memory/classes/heap/free:bytes", "/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes", "/gc/heap/live:bytes", "/gc/cycles/total:gc-cycles"}

// burstOver is returnAfterBursts's rule: free and held are the heap's free
// and total bytes not yet returned, live its live bytes at the last
// collection, calmed whether the server has just become quiet.
func burstOver(free, held, live uint64, calmed bool, slack uint64) bool {
	return free > live+slack || (calmed && held > slack)
}
