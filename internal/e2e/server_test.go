// Package e2e tests the real binary: it builds zhiyuan, runs `serve --demo`
// on a fresh database (SQLite, or PostgreSQL when ZHIYUAN_TEST_POSTGRES is
// set), drives it with Debian's Chromium, and stops it with SIGTERM.
package e2e

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"zhiyuan/internal/dbtest"
)

// process is a running zhiyuan server.
type process struct {
	cmd *exec.Cmd
	URL string
	// MetricsURL is the metrics listener's address, with --metrics-addr.
	MetricsURL string
	Passwords  map[string]string
	stderr     *lockedBuffer
	started    time.Duration
	clock      string // ZHIYUAN_TEST_CLOCK_FILE: the offset of the server's records clock
}

// setClock moves the server's records clock to the wall clock plus d (a
// check-out a minute or more after the check-in, as the in-process tests
// move Records.Now and Attendance.Now).
func (p *process) setClock(t *testing.T, d time.Duration) {
	t.Helper()
	tmp := p.clock + ".tmp"
	if err := os.WriteFile(tmp, []byte(d.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p.clock); err != nil {
		t.Fatal(err)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	sb strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.String()
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// build compiles the zhiyuan binary once per test run.
func build(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		_, self, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(self), "..", "..")
		dir, err := os.MkdirTemp("", "zhiyuan-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "zhiyuan")
		cmd := exec.Command("go", "build", "-o", binary, "./cmd/zhiyuan")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return binary
}

// database returns the DSN and serve's extra arguments: a key file is
// generated for PostgreSQL, which needs one.
func database(t *testing.T, bin string) (string, []string) {
	dsn := dbtest.DSN(t)
	if !dbtest.Postgres() {
		return dsn, nil
	}
	key := filepath.Join(t.TempDir(), "zhiyuan.key")
	if out, err := exec.Command(bin, "key", "generate", key).CombinedOutput(); err != nil {
		t.Fatalf("key generate: %v %s", err, out)
	}
	return dsn, []string{"--secret-key-file", key}
}

// start runs `zhiyuan serve` and waits until it says where it serves.
func start(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	p := &process{Passwords: map[string]string{}, stderr: &lockedBuffer{}, clock: filepath.Join(t.TempDir(), "clock")}
	// The load tests register many volunteers from one address.
	p.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--register-per-hour", "1000000"}, args...)...)
	p.cmd.Env = append(os.Environ(), "ZHIYUAN_TEST_CLOCK_FILE="+p.clock)
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(60 * time.Second)
	for p.URL == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited before serving:\n%s", p.stderr.String())
			}
			f := strings.Fields(line)
			if len(f) >= 3 && len(f[1]) == 12 && !strings.Contains(line, ":") {
				p.Passwords[f[0]] = f[1] // a row of the demo accounts table
			}
			if i := strings.Index(line, "Metrics on "); i >= 0 {
				p.MetricsURL = strings.TrimSuffix(strings.Fields(line[i+len("Metrics on "):])[0], "/metrics")
			}
			if i := strings.Index(line, "serving on "); i >= 0 {
				p.URL = strings.Fields(line[i+len("serving on "):])[0]
			}
		case <-timeout:
			t.Fatalf("serve did not start:\n%s", p.stderr.String())
		}
	}
	go func() {
		for range lines {
		}
	}()
	p.started = time.Since(began)
	return p
}

// stop sends SIGTERM and returns the exit status.
func (p *process) stop(t *testing.T) int {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("server ignored SIGTERM")
	}
	return p.cmd.ProcessState.ExitCode()
}

// rssKB reads the process's resident memory from /proc.
func (p *process) rssKB() int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			return n
		}
	}
	return 0
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServeStartStop checks the binary's life cycle: demo data printed on
// first start, refused on the second, health check, clean exit on SIGTERM.
// It logs the cold start time and idle memory.
func TestServeStartStop(t *testing.T) {
	bin := build(t)
	dsn, extra := database(t, bin)
	first := start(t, bin, append([]string{"--db", dsn, "--demo"}, extra...)...)
	if len(first.Passwords) != 10 || first.Passwords["admin"] == "" {
		t.Fatalf("demo accounts printed: %v", first.Passwords)
	}
	if code := first.stop(t); code != 0 {
		t.Fatalf("exit status after SIGTERM: %d\n%s", code, first.stderr.String())
	}
	if !strings.Contains(first.stderr.String(), "shutting down") {
		t.Fatal("no shutdown message")
	}
	second := start(t, bin, append([]string{"--db", dsn, "--demo", "--metrics-addr", "127.0.0.1:0"}, extra...)...)
	if len(second.Passwords) != 0 {
		t.Fatal("demo data loaded into a database that already had accounts")
	}
	if status, body := get(t, second.URL+"/healthz"); status != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("healthz: %d %s", status, body)
	}
	for i := 0; i < 20; i++ {
		get(t, second.URL+"/login")
	}
	t.Logf("cold start (process start to serving, migrated database): %v; idle RSS after 20 requests: %d KiB", second.started, second.rssKB())
	if status, _ := get(t, second.URL+"/metrics"); status != 404 {
		t.Fatalf("metrics on the main listener: %d", status)
	}
	if status, body := get(t, second.MetricsURL+"/metrics"); status != 200 || !strings.Contains(body, `zhiyuan_http_requests_total{code="200",method="GET",route="GET /login"} 20`) ||
		!strings.Contains(body, "go_sql_open_connections") {
		t.Fatalf("metrics: %d\n%.2000s", status, body)
	}
	if code := second.stop(t); code != 0 {
		t.Fatalf("exit status: %d", code)
	}
}
