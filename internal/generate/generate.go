// Package generate fills an empty database with a realistic city: real
// region codes with a city-like skew, volunteers with valid ID numbers
// stored exactly as registration stores them, teams with members, projects,
// shifts, sign-ups, attendance, three years of service records, hours and
// certificates, plus the accounts and shifts the benchmark suite drives. The
// data follows from the seed; rows are written in bulk, not through HTTP.
package generate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"zhiyuan/internal/app"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/volunteer"
)

// Options say how big a city to generate.
type Options struct {
	Volunteers int
	Teams      int
	Records    int
	Seed       uint64
	City       string    // city region code, default 1201 (Tianjin)
	Accounts   int       // volunteer accounts v000001…, default 10000
	Password   string    // password of every generated account, default bench-password
	Now        time.Time // the present of the generated data; zero means time.Now()
	BaseURL    string    // public address on certificates, default http://127.0.0.1:8080
	// Progress, if set, is told about each phase.
	Progress func(phase string, rows int64, elapsed time.Duration)
}

// Defaults.
const (
	DefaultCity     = "1201"
	DefaultAccounts = 10000
	DefaultPassword = "bench-password"
	OpenShifts      = 200 // open shifts in the coming days, for the sign-up comparison
	MinBurst        = 1000
)

// ErrNotEmpty is returned when the database already holds data.
var ErrNotEmpty = errors.New("generate: the database is not empty: generate only into a freshly migrated, empty database (create a new file or schema)")

func (o *Options) defaults() error {
	if o.City == "" {
		o.City = DefaultCity
	}
	if o.Accounts == 0 {
		o.Accounts = DefaultAccounts
	}
	if o.Password == "" {
		o.Password = DefaultPassword
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.Truncate(time.Second)
	if o.BaseURL == "" {
		o.BaseURL = "http://127.0.0.1:8080"
	}
	switch {
	case o.Volunteers < 10:
		return fmt.Errorf("generate: --volunteers must be at least 10")
	case o.Teams < 1 || o.Teams > o.Volunteers:
		return fmt.Errorf("generate: --teams must be between 1 and the number of volunteers")
	case o.Records < 0:
		return fmt.Errorf("generate: --records must not be negative")
	case o.Accounts < 0:
		return fmt.Errorf("generate: --accounts must not be negative")
	}
	o.Accounts = min(o.Accounts, o.Volunteers)
	return nil
}

// gen is one generation run.
type gen struct {
	ctx   context.Context
	o     Options
	a     *app.App
	d     *db.DB
	vols  *volunteer.Service
	w     *writer
	geo   *geography
	now   int64
	start time.Time

	hash     string // the one argon2 hash every account gets
	cats     []catalog.Item
	tags     map[string]catalog.Item
	catW     weighted
	m        Manifest
	phase    time.Time
	nextID   map[string]int64
	accounts accountPlan
	people   people
	teams    []*teamPlan
	hours    hours
}

// next returns the next id of a table.
func (g *gen) next(table string) int64 {
	g.nextID[table]++
	return g.nextID[table]
}

func (g *gen) rng(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(g.o.Seed, stream)) }

func (g *gen) progress(phase string) {
	if g.o.Progress != nil {
		g.o.Progress(phase, g.w.total(), time.Since(g.phase))
	}
	g.phase = time.Now()
}

// Run generates the city into a's database, which must be empty, and
// returns the manifest for the benchmark driver.
func Run(ctx context.Context, a *app.App, o Options) (*Manifest, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	if err := checkEmpty(ctx, a.DB); err != nil {
		return nil, err
	}
	g := &gen{ctx: ctx, o: o, a: a, d: a.DB, now: o.Now.Unix(), start: time.Now(), phase: time.Now(), nextID: map[string]int64{}}
	g.vols = volunteer.NewService(a.DB, a.Keys, a.Auth, a.Catalog, a.Log)
	g.vols.Now = func() time.Time { return o.Now }
	var err error
	if g.geo, err = newGeography(g.rng(1), o.City); err != nil {
		return nil, err
	}
	if err := g.loadCatalog(); err != nil {
		return nil, err
	}
	if g.hash, err = auth.HashPassword(o.Password); err != nil {
		return nil, err
	}
	g.planPeople()
	g.planTeams()
	g.progress("plan")
	if g.w, err = newWriter(ctx, a.DB); err != nil {
		return nil, err
	}
	err = g.bulk()
	if ferr := g.w.finish(); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	g.progress("bulk")
	if err := g.afterBulk(); err != nil {
		return nil, err
	}
	return g.manifest(), nil
}

// bulk writes every bulk table, in the order foreign keys need.
func (g *gen) bulk() error {
	steps := []struct {
		name string
		fn   func() error
	}{
		{"accounts and teams", func() error {
			g.writeFixedAccounts()
			return g.writeTeams()
		}},
		{"volunteers", g.writeVolunteers},
		{"members", g.writeMembers},
		{"records", g.writeActivity},
		{"benchmark shifts", g.writeBenchShifts},
		{"hours", g.writeHours},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("generate: %s: %w", s.name, err)
		}
		if err := g.w.flush(); err != nil {
			return err
		}
		g.progress(s.name)
	}
	return nil
}

func checkEmpty(ctx context.Context, d *db.DB) error {
	for _, t := range []string{"accounts", "volunteers", "teams", "projects"} {
		var n int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("%w (table %s has %d rows)", ErrNotEmpty, t, n)
		}
	}
	return nil
}

func (g *gen) loadCatalog() error {
	cats, err := g.a.Catalog.List(g.ctx, catalog.ServiceCategory)
	if err != nil {
		return err
	}
	tags, err := g.a.Catalog.List(g.ctx, catalog.Tag)
	if err != nil {
		return err
	}
	if len(cats) == 0 {
		return errors.New("generate: no service categories in the catalogue")
	}
	g.cats = cats
	w := make([]float64, len(cats))
	for i := range cats {
		w[i] = 1 / float64(i+2)
	}
	g.catW = newWeighted(w)
	g.tags = map[string]catalog.Item{}
	for _, t := range tags {
		g.tags[t.Name] = t
	}
	return nil
}

// afterBulk is what goes through the platform's own services or needs the
// whole data set: sequences, certificates, the statistics rollups, the
// audit entry.
func (g *gen) afterBulk() error {
	if g.d.Dialect == db.Postgres {
		for _, t := range idTables {
			if _, err := g.d.Write().ExecContext(g.ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
				GREATEST((SELECT COALESCE(MAX(id), 0) FROM `+t+`), 1))`); err != nil {
				return fmt.Errorf("generate: sequence of %s: %w", t, err)
			}
		}
	}
	if err := g.issueCertificates(); err != nil {
		return err
	}
	g.progress("certificates")
	if err := stats.Rebuild(g.ctx, g.d); err != nil {
		return err
	}
	g.progress("statistics")
	ctx := audit.WithActor(g.ctx, audit.Actor{Username: "cli"})
	if err := audit.Write(ctx, g.d.Write(), audit.Entry{Action: "generate", Entity: "demo", RegionCode: g.o.City,
		Detail: map[string]any{"seed": g.o.Seed, "volunteers": g.o.Volunteers, "teams": g.o.Teams, "records": g.o.Records,
			"rows": g.w.total()}}); err != nil {
		return err
	}
	analyze := []string{"ANALYZE"}
	if g.d.Dialect == db.SQLite {
		// A sampled analysis: a full one reads every row again.
		analyze = []string{"PRAGMA analysis_limit = 1000", "ANALYZE", "PRAGMA analysis_limit = 0"}
	}
	for _, q := range analyze {
		if _, err := g.d.Write().ExecContext(g.ctx, q); err != nil {
			return fmt.Errorf("generate: analyze: %w", err)
		}
	}
	g.progress("analyze")
	return nil
}
