// Package loadgen is the benchmark suite: it generates a city's data with
// `zhiyuan demo generate`, starts the real server as its own process, drives
// it over HTTP with concurrent clients, measures the database's own limit
// beside it, and reports each scenario against the targets of issue #6.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/db"
)

// Scale is how much data is generated and how long each scenario runs.
type Scale struct {
	Name       string
	Volunteers int
	Teams      int
	Records    int
	Accounts   int           // generated volunteer accounts v000001…
	Duration   time.Duration // of each timed scenario
	Clients    int           // concurrent clients of the ordinary scenarios
	Scanners   int           // concurrent volunteers of the check-in burst
	Rush       int           // volunteers in the sign-up rush
	RushSeats  int           // seats of each popular shift (4 of them)
	ImportRows int           // rows of the imported workbook
	// Compare marks the scale of the comparison with the open-source volunteer
	// planner (issue #6: 10,000 volunteers, 200 open shifts, 16 connections):
	// the html scenarios' targets are judged there, elsewhere only shown.
	Compare bool
	Only    []string // the scenarios run by default (as --only), if not all
}

// Scales are the named scales of `scripts/bench --scale`.
var Scales = map[string]Scale{
	"tiny": {Name: "tiny", Volunteers: 2000, Teams: 20, Records: 5000, Accounts: 1000, Duration: 500 * time.Millisecond,
		Clients: 4, Scanners: 16, Rush: 24, RushSeats: 10, ImportRows: 1000},
	"small": {Name: "small", Volunteers: 20000, Teams: 200, Records: 100000, Accounts: 10000, Duration: 3 * time.Second,
		Clients: 16, Scanners: 256, Rush: 256, RushSeats: 50, ImportRows: 20000},
	"compare": {Name: "compare", Volunteers: 10000, Teams: 100, Records: 50000, Accounts: 10000, Duration: 5 * time.Second,
		Clients: 16, Scanners: 256, Rush: 256, RushSeats: 50, ImportRows: 20000, Compare: true, Only: []string{"html"}},
	"tenth": {Name: "tenth", Volunteers: 250000, Teams: 1600, Records: 2000000, Accounts: 10000, Duration: 10 * time.Second,
		Clients: 16, Scanners: 256, Rush: 512, RushSeats: 100, ImportRows: 500000},
	"tianjin": {Name: "tianjin", Volunteers: 2500000, Teams: 16000, Records: 20000000, Accounts: 10000, Duration: 20 * time.Second,
		Clients: 16, Scanners: 256, Rush: 1000, RushSeats: 100, ImportRows: 500000},
}

// Config is one run of the suite.
type Config struct {
	Bin      string // the zhiyuan binary
	DB       string // SQLite file or postgres:// URL
	KeyFile  string // --secret-key-file (required with PostgreSQL)
	Manifest string // the generator's manifest (default <db>.generate.json)
	WorkDir  string // server log, workbook
	Generate bool   // run `demo generate` first (into an empty database)
	Seed     uint64
	Scale    Scale
	Only     []string  // run only the scenarios whose names contain one of these ("all": every one; default: the scale's)
	Log      io.Writer // progress lines
}

// wants reports whether the scenario is to run.
func (c Config) wants(name string) bool {
	only := c.Only
	if len(only) == 0 {
		only = c.Scale.Only
	}
	if len(only) == 0 || slices.Contains(only, "all") {
		return true
	}
	for _, o := range only {
		if strings.Contains(name, o) {
			return true
		}
	}
	return false
}

// Run runs the whole suite and returns its report.
func Run(ctx context.Context, c Config) (*Report, error) {
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Manifest == "" {
		c.Manifest = c.DB + ".generate.json"
		if isPostgres(c.DB) {
			c.Manifest = filepath.Join(c.WorkDir, "postgres.generate.json")
		}
	}
	rep := &Report{Scale: c.Scale, Database: dbKind(c.DB), Machine: machineFacts(c.Bin)}
	keyArgs := []string{}
	if c.KeyFile != "" {
		keyArgs = []string{"--secret-key-file", c.KeyFile}
	}
	if c.Generate {
		s := c.Scale
		args := append([]string{"demo", "generate", "--db", c.DB, "--volunteers", strconv.Itoa(s.Volunteers),
			"--teams", strconv.Itoa(s.Teams), "--records", strconv.Itoa(s.Records), "--accounts", strconv.Itoa(s.Accounts),
			"--seed", strconv.FormatUint(c.Seed, 10), "--manifest", c.Manifest}, keyArgs...)
		fmt.Fprintf(c.Log, "generating: %s %v\n", c.Bin, args)
		start := time.Now()
		cmd := exec.CommandContext(ctx, c.Bin, args...)
		cmd.Stdout, cmd.Stderr = c.Log, c.Log
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("demo generate: %w", err)
		}
		rep.Generated = time.Since(start)
	}
	m, err := ReadManifest(c.Manifest)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c.Log, "starting the server on %s\n", dbKind(c.DB))
	srv, err := startServer(ctx, c.Bin, filepath.Join(c.WorkDir, "server.log"), append([]string{"--db", c.DB}, keyArgs...)...)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	rep.ColdStart = srv.ColdStart
	time.Sleep(500 * time.Millisecond)
	rep.IdleRSS = float64(srv.mem("VmRSS")) / 1024
	r := &run{c: c, m: m, srv: srv, rep: rep}
	err = r.all(ctx)
	rep.PeakRSS = float64(srv.mem("VmHWM")) / 1024
	return rep, err
}

func isPostgres(dsn string) bool { return db.DialectOf(dsn) == db.Postgres }

func dbKind(dsn string) string {
	if isPostgres(dsn) {
		return "PostgreSQL"
	}
	return "SQLite"
}

// run is the state shared by the scenarios of one run.
type run struct {
	c   Config
	m   *Manifest
	srv *server
	rep *Report
}

// scenario runs one measured scenario: the server's peak memory is taken
// over it, and its row added to the report.
func (r *run) scenario(name string, fn func() (Row, error)) error {
	fmt.Fprintf(r.c.Log, "scenario: %s\n", name)
	r.srv.resetPeak()
	cpu0, load0 := cpuTime(r.srv.cmd.Process.Pid), cpuTime(os.Getpid())
	row, err := fn()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	row.Name = name
	if !row.inLoad {
		row.RSSPeak = r.srv.peakMB()
	}
	if cpu1 := cpuTime(r.srv.cmd.Process.Pid); cpu0 >= 0 && cpu1 >= cpu0 && row.Requests > 0 && !row.inLoad {
		row.CPUPerReq = (cpu1 - cpu0) / time.Duration(row.Requests)
	}
	if load1 := cpuTime(os.Getpid()); load0 >= 0 && load1 >= load0 && row.Requests > 0 {
		row.LoadCPUPerReq = (load1 - load0) / time.Duration(row.Requests)
	}
	row.judge(r.c.Scale)
	r.rep.Rows = append(r.rep.Rows, row)
	fmt.Fprintf(r.c.Log, "  %s\n", row.line())
	return nil
}

// cpuTime is the CPU time (user and system) the process has used so far,
// from /proc/<pid>/stat; -1 if unknown.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	_, rest, ok := strings.Cut(string(b), ") ") // the name may hold spaces
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	const hz = 100 // USER_HZ: clock ticks per second on Linux
	return time.Duration(utime+stime) * time.Second / hz
}
