package loadgen

import (
	"context"
	"slices"
	"sync"
	"time"
)

// recorder collects the latencies and failures of one scenario's requests.
type recorder struct {
	mu     sync.Mutex
	lat    []time.Duration
	busy   time.Duration
	errors int
	first  string // the first failure, to show why
}

func (r *recorder) add(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lat = append(r.lat, d)
	r.busy += d
	if err != nil {
		r.errors++
		if r.first == "" {
			r.first = err.Error()
		}
	}
}

// time runs fn and records how long it took and whether it failed.
func (r *recorder) time(fn func() error) error {
	start := time.Now()
	err := fn()
	r.add(time.Since(start), err)
	return err
}

func (r *recorder) percentile(p float64) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.lat) == 0 {
		return 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// drive runs clients workers until each returns done or dur has passed (dur
// 0: until done) and returns the wall time. A worker's step does one unit
// of work, recording its own requests.
func drive(ctx context.Context, clients int, dur time.Duration, step func(ctx context.Context, worker, i int) (done bool)) time.Duration {
	start := time.Now()
	going := func() bool { return ctx.Err() == nil && (dur == 0 || time.Since(start) < dur) }
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; going(); i++ {
				if step(ctx, w, i) {
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}
