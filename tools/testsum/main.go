// Command testsum reads `go test -json` on standard input, prints each
// package's result line and the output of every failure, and ends with one
// line "N passed, N failed, N skipped". A failure is a failed test, a test
// still running when its package failed (a panic in a goroutine ends the
// process before the test can report), or a package that failed with no
// failed test of its own (it did not compile, or TestMain exited non-zero).
// It exits 1 if anything failed or the input could not be read. With
// TESTSUM_TOTALS naming a file, it also appends its counts there.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output and build-fail events
	Test        string
	Output      string
	FailedBuild string
}

// counts are a run's totals.
type counts struct{ passed, failed, skipped int }

func main() {
	label := ""
	if len(os.Args) > 1 {
		label = os.Args[1] + ": "
	}
	c, err := summarize(os.Stdin, os.Stdout)
	fmt.Printf("%s%d passed, %d failed, %d skipped\n", label, c.passed, c.failed, c.skipped)
	if err != nil {
		fmt.Printf("%sreading go test's output: %v\n", label, err)
	}
	if path := os.Getenv("TESTSUM_TOTALS"); path != "" {
		if f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%d %d %d\n", c.passed, c.failed, c.skipped)
			f.Close()
		}
	}
	if c.failed > 0 || err != nil {
		os.Exit(1)
	}
}

// summarize reads the events from r and prints to w what a reader needs:
// result lines, and the output of each failure.
func summarize(r io.Reader, w io.Writer) (counts, error) {
	var c counts
	outputs := map[string][]string{}        // package + " " + test → its output so far
	running := map[string]map[string]bool{} // package → tests started, not ended
	build := map[string][]string{}          // import path → compiler output
	failedIn := map[string]int{}            // package → tests failed
	plain := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			// The go command's own errors arrive as plain text: one
			// failure, however many lines.
			fmt.Fprintln(w, sc.Text())
			if !plain {
				plain = true
				c.failed++
			}
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "build-output":
			build[e.ImportPath] = append(build[e.ImportPath], e.Output)
		case "run":
			if running[e.Package] == nil {
				running[e.Package] = map[string]bool{}
			}
			running[e.Package][e.Test] = true
		case "output":
			outputs[key] = append(outputs[key], e.Output)
			if e.Test == "" && (strings.HasPrefix(e.Output, "ok ") || strings.HasPrefix(e.Output, "FAIL") || strings.HasPrefix(e.Output, "---")) {
				fmt.Fprint(w, e.Output)
			}
		case "pass", "skip":
			if e.Test != "" {
				delete(running[e.Package], e.Test)
				if e.Action == "pass" {
					c.passed++
				} else {
					c.skipped++
					fmt.Fprintf(w, "skipped %s %s\n", e.Package, e.Test)
				}
			}
			delete(outputs, key)
		case "fail":
			if e.Test != "" {
				delete(running[e.Package], e.Test)
				c.failed++
				failedIn[e.Package]++
				fmt.Fprintf(w, "--- FAIL: %s %s\n%s", e.Package, e.Test, strings.Join(outputs[key], ""))
				delete(outputs, key)
				continue
			}
			c.failed += packageFailed(w, e, running[e.Package], failedIn[e.Package], outputs, build[e.FailedBuild])
			delete(running, e.Package)
		}
	}
	return c, sc.Err()
}

// packageFailed prints what a failed package left unsaid and returns how
// many failures it adds: one per test still running when the process
// ended, or one for the package itself when no test of it failed.
func packageFailed(w io.Writer, e event, running map[string]bool, failed int, outputs map[string][]string, build []string) int {
	pkgKey := e.Package + " "
	defer delete(outputs, pkgKey)
	names := make([]string, 0, len(running))
	for t := range running {
		names = append(names, t)
	}
	sort.Strings(names)
	n := 0
	for _, t := range names {
		// A parent test is running while its subtests run: only the
		// innermost unfinished tests are reported.
		if hasRunningChild(t, running) {
			continue
		}
		n++
		fmt.Fprintf(w, "--- FAIL: %s %s (did not finish: the test process ended)\n%s", e.Package, t, strings.Join(outputs[pkgKey+t], ""))
		delete(outputs, pkgKey+t)
	}
	if n > 0 || failed > 0 {
		return n
	}
	fmt.Fprintf(w, "--- FAIL: %s (the package failed outside its tests)\n%s%s", e.Package, strings.Join(build, ""), strings.Join(outputs[pkgKey], ""))
	return 1
}

func hasRunningChild(t string, running map[string]bool) bool {
	for o := range running {
		if strings.HasPrefix(o, t+"/") {
			return true
		}
	}
	return false
}
