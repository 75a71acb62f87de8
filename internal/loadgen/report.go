package loadgen

import (
	"debug/buildinfo"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Row is one scenario's figures.
type Row struct {
	Name     string
	Clients  int
	Requests int
	Errors   int
	Wall     time.Duration
	PerSec   float64 // requests (or Unit) per second
	Unit     string  // what PerSec counts when not requests, e.g. "rows"
	P50      time.Duration
	P95      time.Duration
	P99      time.Duration
	RSSPeak  float64 // server resident memory, MB
	// CPUPerReq is the server's CPU time over the scenario per counted
	// request (work between them, like the sign-up's cancellations, included):
	// steadier than req/s on a shared machine.
	CPUPerReq time.Duration
	// LoadCPUPerReq is the load program's own CPU time per counted request:
	// it shares the machine, so what it spends the server cannot have.
	LoadCPUPerReq time.Duration
	// inLoad marks a scenario served inside the load program (the floor):
	// the zhiyuan server's CPU and memory over it are not its cost.
	inLoad   bool
	DBLimit  float64 // the database's own rate for the same work, per second; 0: none applies
	Target   target
	Met      string // yes, no, or "" without a target
	Note     string
	FirstErr string
}

// target is a scenario's goal from issue #6.
type target struct {
	text   string
	minPS  float64       // at least this throughput
	minRat float64       // at least this share of the database's limit
	p95    time.Duration // below
	p99    time.Duration // below
	rss    float64       // server MB below
	// compare: judged only at the comparison's scale (Scale.Compare); at
	// other scales the row is shown for information.
	compare bool
}

// forInformation is the verdict of a comparison target at another scale.
const forInformation = "for information"

// Ratio is the throughput as a share of the database's limit.
func (r Row) Ratio() float64 {
	if r.DBLimit == 0 {
		return 0
	}
	return r.PerSec / r.DBLimit
}

func (r *Row) judge(s Scale) {
	t := r.Target
	if t.text == "" {
		return
	}
	if t.compare && !s.Compare {
		r.Met = forInformation
		return
	}
	ok := (t.minPS == 0 || r.PerSec >= t.minPS) && (t.minRat == 0 || r.Ratio() >= t.minRat) &&
		(t.p95 == 0 || r.P95 < t.p95) && (t.p99 == 0 || r.P99 < t.p99) && (t.rss == 0 || r.RSSPeak < t.rss)
	r.Met = "no"
	if ok {
		r.Met = "yes"
	}
}

func fill(row *Row, rec *recorder, clients int, wall time.Duration) {
	row.Clients, row.Wall = clients, wall
	row.Requests, row.Errors, row.FirstErr = len(rec.lat), rec.errors, rec.first
	if wall > 0 {
		row.PerSec = float64(row.Requests) / wall.Seconds()
	}
	row.P50, row.P95, row.P99 = rec.percentile(0.50), rec.percentile(0.95), rec.percentile(0.99)
}

// Report is a whole run.
type Report struct {
	Scale     Scale
	Database  string
	Machine   []string
	Generated time.Duration
	ColdStart time.Duration
	IdleRSS   float64 // MB after start, before any load
	PeakRSS   float64 // VmHWM at the end: the highest over the run
	Rows      []Row
	Note      string // what the person running it wants said, e.g. which build
}

var header = []string{"scenario", "clients", "requests", "req/s", "p50", "p95", "p99", "errors", "server CPU/req", "load CPU/req", "server RSS peak", "DB limit", "ratio", "target", "met?"}

func (r Row) cells() []string {
	ps := fmt.Sprintf("%.0f", r.PerSec)
	if r.Unit != "" {
		ps += " " + r.Unit + "/s"
	}
	lim, ratio := "—", "—"
	if r.DBLimit > 0 {
		lim, ratio = fmt.Sprintf("%.0f commits/s", r.DBLimit), fmt.Sprintf("%.0f%%", 100*r.Ratio())
	}
	cpu, load, rss := cpuCell(r.CPUPerReq), cpuCell(r.LoadCPUPerReq), "—"
	if r.RSSPeak > 0 {
		rss = fmt.Sprintf("%.0f MB", r.RSSPeak)
	}
	met := r.Met
	if met == "" {
		met = "—"
	}
	tgt := r.Target.text
	if tgt == "" {
		tgt = "—"
	}
	return []string{r.Name, fmt.Sprint(r.Clients), fmt.Sprint(r.Requests), ps, ms(r.P50), ms(r.P95), ms(r.P99),
		fmt.Sprint(r.Errors), cpu, load, rss, lim, ratio, tgt, met}
}

func cpuCell(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}

func (r Row) line() string { return strings.Join(r.cells(), " | ") }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// Markdown is the report as a document: machine, scale, the table, the
// server's start and memory, notes.
func (rep *Report) Markdown() string {
	var b strings.Builder
	s := rep.Scale
	fmt.Fprintf(&b, "# Benchmark results: %s scale, %s\n\n", s.Name, rep.Database)
	for _, f := range rep.Machine {
		fmt.Fprintf(&b, "- %s\n", f)
	}
	fmt.Fprintf(&b, "- scale: %s — %d volunteers, %d teams, %d service records, %d accounts; %s per timed scenario\n",
		s.Name, s.Volunteers, s.Teams, s.Records, s.Accounts, s.Duration)
	fmt.Fprintf(&b, "- database: %s\n", rep.Database)
	if rep.Note != "" {
		fmt.Fprintf(&b, "- note: %s\n", rep.Note)
	}
	if s.Compare {
		b.WriteString("- the comparison pages (html rows) are judged at this scale: the open-source planner's data (10,000 volunteers, 200 open shifts, 16 connections)\n")
	} else {
		b.WriteString("- the comparison pages' targets (html rows) are judged at compare scale (`scripts/bench --scale compare`); here they are for information\n")
	}
	if rep.Generated > 0 {
		fmt.Fprintf(&b, "- data generated in %.1f s\n", rep.Generated.Seconds())
	}
	b.WriteString("\n")
	b.WriteString(rep.Table())
	b.WriteString("\n")
	fmt.Fprintf(&b, "| server | measured | target | met? |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| cold start (process start → first 200 from /healthz) | %.0f ms | < 1 s | %s |\n", float64(rep.ColdStart.Microseconds())/1000, yes(rep.ColdStart < time.Second))
	fmt.Fprintf(&b, "| resident memory idle (after start) | %.1f MB | < 60 MB | %s |\n", rep.IdleRSS, yes(rep.IdleRSS < 60))
	fmt.Fprintf(&b, "| resident memory peak over the run (VmHWM) | %.1f MB | < 300 MB | %s |\n", rep.PeakRSS, yes(rep.PeakRSS > 0 && rep.PeakRSS < 300))
	var notes []string
	for _, r := range rep.Rows {
		if r.Note != "" {
			notes = append(notes, fmt.Sprintf("- %s: %s", r.Name, r.Note))
		}
		if r.FirstErr != "" {
			notes = append(notes, fmt.Sprintf("- %s: first error: %s", r.Name, r.FirstErr))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\nNotes:\n\n" + strings.Join(notes, "\n") + "\n")
	}
	return b.String()
}

// Table is the scenario table in Markdown.
func (rep *Report) Table() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	b.WriteString(strings.Repeat("---|", len(header)) + "\n")
	for _, r := range rep.Rows {
		b.WriteString("| " + r.line() + " |\n")
	}
	return b.String()
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// machineFacts names the machine, the toolchain and the code measured.
func machineFacts(bin string) []string {
	cpu := "unknown"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	ram := "unknown"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(strings.SplitN(string(b), "\n", 2)[0], "MemTotal: %d kB", &kb); err == nil {
			ram = fmt.Sprintf("%.1f GB", float64(kb)/1024/1024)
		}
	}
	commit := "unknown"
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		commit = strings.TrimSpace(string(out))
		if out, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(out) > 0 {
			commit += " (with local changes)"
		}
	}
	version := runtime.Version()
	if out, err := exec.Command(bin, "version").Output(); err == nil {
		version += "; zhiyuan " + strings.TrimSpace(string(out))
	}
	load := "unknown"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	built := "unknown"
	if bi, err := buildinfo.ReadFile(bin); err == nil {
		var rev, mod string
		for _, st := range bi.Settings {
			switch st.Key {
			case "vcs.revision":
				rev = st.Value
			case "vcs.modified":
				mod = st.Value
			}
		}
		if len(rev) > 7 {
			rev = rev[:7]
		}
		built = fmt.Sprintf("%s, built from commit %s", bin, rev)
		if rev == "" {
			built = bin + " (no VCS stamp)"
		} else if mod == "true" {
			built += " with local changes"
		}
	}
	return []string{
		"load average at the start (1, 5, 15 min): " + load + " — the load program shares the machine with the server",
		"date: " + time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		fmt.Sprintf("CPU: %s, %d cores", cpu, runtime.NumCPU()),
		"RAM: " + ram,
		"Go: " + version,
		"git commit (load program): " + commit,
		"server binary: " + built,
	}
}
