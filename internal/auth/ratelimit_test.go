package auth_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/dbtest"
)

// A burst of concurrent attempts on one key passes exactly the limit, and
// the window's end frees the key again.
func TestTakeAllowsExactlyTheLimit(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	l := auth.Limit{Max: 7, Window: time.Hour}
	now := time.Unix(1_800_000_000, 0)
	var passed, refused atomic.Int32
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, retry, err := auth.Take(ctx, d, "test:ip:192.0.2.1", l, now)
			switch {
			case err != nil:
				t.Error(err)
			case ok:
				passed.Add(1)
			case retry != time.Hour:
				t.Errorf("retry after %v, want the window's end", retry)
			default:
				refused.Add(1)
			}
		}()
	}
	wg.Wait()
	if passed.Load() != 7 || refused.Load() != 33 {
		t.Fatalf("passed %d, refused %d; want 7 and 33", passed.Load(), refused.Load())
	}
	// Another key counts apart.
	if ok, _, err := auth.Take(ctx, d, "test:ip:192.0.2.2", l, now); err != nil || !ok {
		t.Fatalf("another key: %v %v", ok, err)
	}
	ok, retry, err := auth.Take(ctx, d, "test:ip:192.0.2.1", l, now.Add(59*time.Minute))
	if err != nil || ok || retry != time.Minute {
		t.Fatalf("late in the window: %v %v %v", ok, retry, err)
	}
	for i := range 7 {
		if ok, _, err := auth.Take(ctx, d, "test:ip:192.0.2.1", l, now.Add(time.Hour+time.Duration(i))); err != nil || !ok {
			t.Fatalf("next window, attempt %d: %v %v", i+1, ok, err)
		}
	}
	if ok, _, _ := auth.Take(ctx, d, "test:ip:192.0.2.1", l, now.Add(time.Hour)); ok {
		t.Fatal("the next window passed more than the limit")
	}
}
