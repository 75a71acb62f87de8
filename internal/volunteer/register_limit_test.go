package volunteer_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
)

// Self-registration from one address stops at the limit with 429, even for
// a concurrent burst; the 429 says when to come back.
func TestRegistrationIsThrottledPerAddress(t *testing.T) {
	env := apptest.New(t)
	env.App.Volunteers.Limits.Register = auth.Limit{Max: 3, Window: time.Hour}
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, _ := register(t, env, adult(10+i))
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[201] != 3 || statuses[429] != 5 {
		t.Fatalf("statuses %v, want 3 created and 5 throttled", statuses)
	}
	// A form with bad fields is answered as before and does not count.
	env.App.Volunteers.Limits.Register = auth.Limit{Max: 1 << 20, Window: time.Hour}
	if status, _, _ := register(t, env, map[string]any{"real_name": ""}); status != 422 {
		t.Fatalf("bad form: %d", status)
	}
}

// "Already registered" and "registered by a team" tell whether a number is
// on the register: past the probe limit they are answered with 429.
func TestRegistrationConflictsAreThrottled(t *testing.T) {
	env := apptest.New(t)
	env.App.Volunteers.Limits.Probe = auth.Limit{Max: 2, Window: time.Hour}
	if status, _, _ := register(t, env, adult(1)); status != 201 {
		t.Fatalf("register: %d", status)
	}
	again := adult(1)
	again["phone"] = apptest.Mobile(50)
	for i := range 2 {
		if status, _, e := register(t, env, again); status != http.StatusConflict {
			t.Fatalf("conflict %d: %d %+v", i+1, status, e)
		}
	}
	status, _, e := register(t, env, again)
	if status != http.StatusTooManyRequests || !strings.Contains(e.Error.Message, "注册尝试过于频繁") {
		t.Fatalf("third probe: %d %+v", status, e)
	}
	// A new person from the same address still registers.
	if status, _, e := register(t, env, adult(2)); status != 201 {
		t.Fatalf("new person after probes: %d %+v", status, e)
	}
}
