package e2e

import (
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"
)

// resumeLimit is how soon after a restart or a recovery every kind of
// write must be acknowledged again; an import of 600 rows on a busy
// two-core machine is the slowest.
const resumeLimit = 20 * time.Second

// TestCrashSafety kills the real server with SIGKILL at random moments while
// volunteers register, sign up, check in and out and a team imports
// workbooks, restarts it on the same database each time, and then checks
// that every write acknowledged with a 2xx is there and nothing is
// half-written. ZHIYUAN_CRASH_KILLS sets the number of kills (default 5).
func TestCrashSafety(t *testing.T) {
	kills := 5
	if n, err := strconv.Atoi(os.Getenv("ZHIYUAN_CRASH_KILLS")); err == nil && n > 0 {
		kills = n
	}
	bin := build(t)
	dsn, extra := database(t, bin)
	srv := start(t, bin, append([]string{"--db", dsn, "--demo"}, extra...)...)
	passwords := srv.Passwords
	w := newWorkload(t, srv, dsn)
	w.start(4)
	for k := 0; k < kills; k++ {
		time.Sleep(time.Duration(1500+rand.IntN(3000)) * time.Millisecond)
		w.outage(true)
		if err := srv.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = srv.cmd.Wait()
		w.setBase("")
		srv = start(t, bin, append([]string{"--db", dsn}, extra...)...)
		srv.Passwords = passwords
		w.setBase(srv.URL)
		w.outage(false)
		// Every kind of write is acknowledged again after each restart:
		// a server that answers 500 to writes after a crash fails here.
		w.waitResumed(time.Now(), resumeLimit)
	}
	time.Sleep(500 * time.Millisecond)
	w.finish()
	w.checkNo5xx()
	found := w.verify(dsn)
	// The restarted server still serves and signs people in.
	apiLogin(t, srv, "admin")
	if status, _ := get(t, srv.URL+"/healthz"); status != http.StatusOK {
		t.Fatalf("healthz after the last restart: %d", status)
	}
	t.Logf("crash safety (%s): %d SIGKILLs; %s; %d acknowledged writes found after restart",
		w.dialect(), kills, w.summary(), found)
	if code := srv.stop(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}
