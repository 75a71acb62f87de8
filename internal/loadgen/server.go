package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// server is the real zhiyuan process under test.
type server struct {
	cmd *exec.Cmd
	URL string
	// MetricsURL is the server's metrics listener (--metrics-addr).
	MetricsURL string
	ColdStart  time.Duration // process start to the first 200 from /healthz
	peak       atomic.Int64  // highest VmRSS seen since the last resetPeak, in kB
	stop       chan struct{}
	gone       chan struct{} // closed when the process has exited
	waitErr    error
	clock      string // ZHIYUAN_TEST_CLOCK_FILE: the offset of the server's records clock
}

// setClock moves the server's records clock to the wall clock plus d: the
// check-in burst's rounds are two minutes apart on it, so that each scan is
// a check-in or a check-out, never a double scan.
func (s *server) setClock(d time.Duration) error {
	tmp := s.clock + ".tmp"
	if err := os.WriteFile(tmp, []byte(d.String()), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.clock)
}

// startServer runs `bin serve` on a free local port with args added, waits
// for /healthz and samples the process's memory until stopped.
func startServer(ctx context.Context, bin, logPath string, args ...string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ml, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		l.Close()
		return nil, err
	}
	addr, maddr := l.Addr().String(), ml.Addr().String()
	l.Close()
	ml.Close()
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	// The load program registers its volunteers from one address.
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--metrics-addr", maddr, "--register-per-hour", "1000000"}, args...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	clock := filepath.Join(filepath.Dir(logPath), "records-clock")
	cmd.Env = append(os.Environ(), "ZHIYUAN_TEST_CLOCK_FILE="+clock)
	s := &server{cmd: cmd, URL: "http://" + addr, MetricsURL: "http://" + maddr, stop: make(chan struct{}), gone: make(chan struct{}), clock: clock}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.waitErr = cmd.Wait(); close(s.gone) }()
	c := &http.Client{Timeout: time.Second}
	for {
		res, err := c.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case <-s.gone:
			return nil, fmt.Errorf("server exited before serving (%v); see %s", s.waitErr, logPath)
		case <-ctx.Done():
			s.kill()
			<-s.gone
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Since(start) > 2*time.Minute {
			s.kill()
			<-s.gone
			return nil, fmt.Errorf("server did not answer /healthz in 2 minutes; see %s", logPath)
		}
	}
	s.ColdStart = time.Since(start)
	go s.sample()
	return s, nil
}

func (s *server) sample() {
	for {
		if kb := s.mem("VmRSS"); kb > s.peak.Load() {
			s.peak.Store(kb)
		}
		select {
		case <-s.stop:
			return
		case <-s.gone:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// mem reads one field (VmRSS, VmHWM) of the process's status, in kB.
func (s *server) mem(field string) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// resetPeak starts a new peak from the current resident size.
func (s *server) resetPeak() { s.peak.Store(s.mem("VmRSS")) }

// peakMB is the highest resident size since resetPeak.
func (s *server) peakMB() float64 {
	if kb := s.mem("VmRSS"); kb > s.peak.Load() {
		s.peak.Store(kb)
	}
	return float64(s.peak.Load()) / 1024
}

// Stop ends the server with SIGTERM, as an operator would, and kills it if
// it has not stopped in 30 seconds.
func (s *server) Stop() {
	close(s.stop)
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.gone:
	case <-time.After(30 * time.Second):
		s.kill()
		<-s.gone
	}
}

func (s *server) kill() { _ = s.cmd.Process.Kill() }
