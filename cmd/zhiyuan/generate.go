package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"zhiyuan/internal/app"
	"zhiyuan/internal/db"
	"zhiyuan/internal/generate"
)

// cmdGenerate is `zhiyuan demo generate`: a city of generated data in an
// empty database, and a manifest for the benchmark driver.
func cmdGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := configFlags(fs)
	var o generate.Options
	var manifest string
	fs.IntVar(&o.Volunteers, "volunteers", 2000, "volunteers")
	fs.IntVar(&o.Teams, "teams", 20, "teams")
	fs.IntVar(&o.Records, "records", 20000, "service records")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed: the same seed gives the same data")
	fs.StringVar(&o.City, "city", generate.DefaultCity, "city region code")
	fs.IntVar(&o.Accounts, "accounts", generate.DefaultAccounts, "volunteer accounts v000001… for the benchmark")
	fs.StringVar(&o.Password, "password", generate.DefaultPassword, "password of every generated account")
	fs.StringVar(&manifest, "manifest", "", "where to write the JSON manifest (default <db>.generate.json)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if manifest == "" {
		manifest = c.DB + ".generate.json"
		if db.DialectOf(c.DB) == db.Postgres {
			manifest = "postgres.generate.json"
		}
	}
	keys, keyPath, created, err := app.LoadKeyring(*c)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(stdout, "Created a new secret key at %s (mode 0600).\n", keyPath)
	}
	log := app.NewLogger(stderr, c.LogFormat)
	d, err := app.Open(ctx, *c, log)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := app.New(*c, d, keys, log)
	if err != nil {
		return err
	}
	o.Progress = func(phase string, rows int64, took time.Duration) {
		fmt.Fprintf(stdout, "  %-17s %8.1fs  %12d rows so far\n", phase, took.Seconds(), rows)
	}
	fmt.Fprintf(stdout, "Generating %d volunteers, %d teams, %d records (seed %d) into %s\n", o.Volunteers, o.Teams, o.Records, o.Seed, db.RedactDSN(c.DB))
	m, err := generate.Run(ctx, a, o)
	if errors.Is(err, generate.ErrNotEmpty) {
		return err
	}
	if err != nil {
		return err
	}
	m.DB = db.RedactDSN(c.DB)
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(manifest, append(b, '\n'), 0o644); err != nil {
		return err
	}
	printSummary(stdout, m, c.DB)
	fmt.Fprintf(stdout, "Manifest: %s\n", manifest)
	return nil
}

func printSummary(w io.Writer, m *generate.Manifest, dsn string) {
	names := make([]string, 0, len(m.Counts))
	for t := range m.Counts {
		names = append(names, t)
	}
	sort.Strings(names)
	var parts []string
	for _, t := range names {
		parts = append(parts, fmt.Sprintf("%s %d", t, m.Counts[t]))
	}
	fmt.Fprintf(w, "Rows: %s\n", strings.Join(parts, ", "))
	fmt.Fprintf(w, "Done: %d rows in %.1fs (%.0f rows/s)", m.Rows, m.ElapsedSeconds, m.RowsPerSecond)
	if db.DialectOf(dsn) == db.SQLite {
		var size int64
		for _, f := range []string{dsn, dsn + "-wal"} {
			if st, err := os.Stat(f); err == nil {
				size += st.Size()
			}
		}
		fmt.Fprintf(w, ", database %.1f MB", float64(size)/1e6)
	}
	fmt.Fprintf(w, "\nAccounts (password %q): admin, office-city, office-district (%s %s), leader (team %d), %s…%s\n",
		m.Password, m.District, m.DistrictName, m.LeaderTeamID, m.Accounts.VolunteerFirst, m.Accounts.VolunteerLast)
	fmt.Fprintf(w, "Burst shift %d with %d sign-ups; %d open shifts\n", m.BurstShiftID, m.BurstSignups, len(m.OpenShiftIDs))
}
