package loadgen_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"zhiyuan/internal/dbtest"
	"zhiyuan/internal/loadgen"
)

// TestSuiteRunsAtTinyScale is the CI smoke test of the benchmark suite: the
// real binary generates a tiny city, serves it, and every scenario runs with
// requests and without unexpected errors. Nothing here is timed.
func TestSuiteRunsAtTinyScale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	work := t.TempDir()
	bin := os.Getenv("ZHIYUAN_BENCH_BIN")
	if bin == "" {
		bin = filepath.Join(work, "zhiyuan")
		if out, err := exec.Command("go", "build", "-o", bin, "zhiyuan/cmd/zhiyuan").CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
	}
	c := loadgen.Config{Bin: bin, DB: dbtest.DSN(t), WorkDir: work, Generate: true, Seed: 7,
		Manifest: filepath.Join(work, "manifest.json"), Scale: loadgen.Scales["tiny"], Log: testLog{t}}
	if dbtest.Postgres() {
		c.KeyFile = filepath.Join(work, "bench.key")
		if out, err := exec.Command(bin, "key", "generate", c.KeyFile).CombinedOutput(); err != nil {
			t.Fatalf("key generate: %v\n%s", err, out)
		}
	}
	rep, err := loadgen.Run(context.Background(), c)
	if err != nil && strings.Contains(err.Error(), "demo generate") && !generates(bin) {
		t.Skip("this branch's zhiyuan has no `demo generate` yet (issue #6 part 1)")
	}
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"check-in burst", "check-in floor: one commit per request", "sign-up rush", "volunteer registration", "dashboard: city", "dashboard: district",
		"volunteer search: region + tag", "my hours page", "certificate PDF", "html: open shifts list",
		"html: sign up for a shift", "html: my upcoming and past shifts", "xlsx import"}
	got := map[string]loadgen.Row{}
	for _, r := range rep.Rows {
		got[r.Name] = r
	}
	md := rep.Markdown()
	for _, name := range want {
		r, ok := got[name]
		switch {
		case !ok:
			t.Errorf("no row for %q", name)
		case r.Requests == 0 || r.PerSec <= 0:
			t.Errorf("%s: no requests: %+v", name, r)
		case r.Errors != 0:
			t.Errorf("%s: %d errors, first: %s (%s)", name, r.Errors, r.FirstErr, r.Note)
		case !strings.Contains(md, "| "+name+" |"):
			t.Errorf("%s is not in the Markdown table", name)
		}
	}
	if r := got["sign-up rush"]; !strings.Contains(r.Note, "every seat given once") {
		t.Errorf("sign-up rush: %s", r.Note)
	}
	if r := got["check-in burst"]; r.DBLimit <= 0 {
		t.Errorf("check-in burst: no database commit rate")
	}
	if rep.ColdStart <= 0 || rep.IdleRSS <= 0 || rep.PeakRSS < rep.IdleRSS {
		t.Errorf("server figures: cold start %v, idle %.1f MB, peak %.1f MB", rep.ColdStart, rep.IdleRSS, rep.PeakRSS)
	}
}

// generates reports whether the binary knows `demo generate`.
func generates(bin string) bool {
	out, _ := exec.Command(bin, "demo", "generate", "-h").CombinedOutput()
	return strings.Contains(string(out), "-volunteers")
}

// testLog sends the suite's progress to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
