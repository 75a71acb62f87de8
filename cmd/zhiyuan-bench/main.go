// Command zhiyuan-bench is the load program of the benchmark suite: it
// generates a city's data, starts the real zhiyuan server, drives it over
// HTTP, prints the table and writes it to a Markdown file. scripts/bench
// builds and runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"zhiyuan/internal/loadgen"
)

func main() {
	bin := flag.String("zhiyuan", "zhiyuan", "the zhiyuan binary to serve")
	dsn := flag.String("db", "", "SQLite file or postgres:// URL (generated into when --generate)")
	key := flag.String("secret-key-file", "", "secret key file (required with PostgreSQL)")
	manifest := flag.String("manifest", "", "the generator's manifest (default <db>.generate.json)")
	work := flag.String("work", "bench/work", "directory for the server log and the import workbook")
	out := flag.String("out", "", "Markdown file for the results (default bench/results-<date>.md)")
	scale := flag.String("scale", "small", "tiny, small, compare, tenth or tianjin")
	gen := flag.Bool("generate", true, "generate the data first (the database must be empty)")
	seed := flag.Uint64("seed", 1, "generator seed")
	dur := flag.Duration("duration", 0, "length of each timed scenario (default: the scale's)")
	only := flag.String("only", "", "comma-separated parts of scenario names to run, e.g. check-in,html; all: every scenario (default: all, or the html pages at compare scale)")
	note := flag.String("note", "", "a line for the results, e.g. which build was measured")
	flag.Parse()
	s, ok := loadgen.Scales[*scale]
	if !ok || *dsn == "" {
		fmt.Fprintln(os.Stderr, "zhiyuan-bench: --db is required and --scale is one of tiny, small, compare, tenth, tianjin")
		os.Exit(2)
	}
	if *dur > 0 {
		s.Duration = *dur
	}
	if *out == "" {
		*out = filepath.Join("bench", "results-"+time.Now().UTC().Format("2006-01-02")+".md")
	}
	if err := os.MkdirAll(*work, 0o755); err != nil {
		fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := loadgen.Run(ctx, loadgen.Config{Bin: *bin, DB: *dsn, KeyFile: *key, Manifest: *manifest, WorkDir: *work,
		Generate: *gen, Seed: *seed, Scale: s, Only: splitList(*only), Log: os.Stderr})
	if rep != nil && len(rep.Rows) > 0 {
		rep.Note = *note
		md := rep.Markdown()
		fmt.Print(md)
		if werr := os.WriteFile(*out, []byte(md), 0o644); werr != nil {
			fail(werr)
		}
		fmt.Fprintf(os.Stderr, "written to %s\n", *out)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "zhiyuan-bench:", err)
	os.Exit(1)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
