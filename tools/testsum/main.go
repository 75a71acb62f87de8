// Command testsum reads `go test -json` on standard input, prints each
// package's result line and the output of every failed test, and ends with
// one line "N passed, N failed, N skipped". It exits 1 if anything failed.
// With TESTSUM_TOTALS naming a file, it also appends its counts there.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	label := ""
	if len(os.Args) > 1 {
		label = os.Args[1] + ": "
	}
	var passed, failed, skipped int
	outputs := map[string][]string{}
	failedBuild := false
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // build errors arrive as plain text
			failedBuild = true
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			outputs[key] = append(outputs[key], e.Output)
			if e.Test == "" && (strings.HasPrefix(e.Output, "ok ") || strings.HasPrefix(e.Output, "FAIL") || strings.HasPrefix(e.Output, "---")) {
				fmt.Print(e.Output)
			}
		case "pass":
			if e.Test != "" {
				passed++
			}
			delete(outputs, key)
		case "skip":
			if e.Test != "" {
				skipped++
				fmt.Printf("skipped %s %s\n", e.Package, e.Test)
			}
			delete(outputs, key)
		case "fail":
			if e.Test != "" {
				failed++
				fmt.Printf("--- FAIL: %s %s\n%s", e.Package, e.Test, strings.Join(outputs[key], ""))
			} else if len(outputs[key]) > 0 {
				fmt.Print(strings.Join(outputs[key], ""))
			}
			delete(outputs, key)
		}
	}
	fmt.Printf("%s%d passed, %d failed, %d skipped\n", label, passed, failed, skipped)
	if path := os.Getenv("TESTSUM_TOTALS"); path != "" {
		if f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%d %d %d\n", passed, failed, skipped)
			f.Close()
		}
	}
	if failed > 0 || failedBuild {
		os.Exit(1)
	}
}
