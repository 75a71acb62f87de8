package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"zhiyuan/internal/api"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/certificate"
	"zhiyuan/internal/checkin"
	"zhiyuan/internal/db"
	"zhiyuan/internal/demo"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/i18n"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/roster"
	"zhiyuan/internal/sheet"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/surface"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
	"zhiyuan/internal/web"
)

// App is the running platform's parts.
type App struct {
	Config Config
	DB     *db.DB
	Keys   *pii.Keyring
	surface.Services
	Log     *slog.Logger
	web     *web.Server
	api     *api.Server
	reg     *prometheus.Registry
	handler http.Handler
}

// New builds the application on an open, migrated database.
func New(c Config, d *db.DB, keys *pii.Keyring, log *slog.Logger) (*App, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	a := &App{Config: c, DB: d, Keys: keys, Log: log, reg: prometheus.NewRegistry()}
	a.Auth = auth.NewService(d, log)
	a.Catalog = catalog.New(d)
	a.Volunteers = volunteer.NewService(d, keys, a.Auth, a.Catalog, log)
	if c.RegisterPerHour > 0 {
		a.Volunteers.Limits.Register.Max = c.RegisterPerHour
	}
	a.Teams = team.NewService(d, keys, a.Auth, a.Volunteers, log)
	a.Roster = roster.NewService(d, keys, a.Volunteers, a.Teams, cat, log)
	a.Roster.SetConcurrentExports(c.ConcurrentExports)
	a.Roster.SheetLimits = sheet.Limits{CellsPerRow: c.ImportCellsPerRow, CellsPerSheet: int64(c.ImportCellsPerSheet)}
	if c.ReportRetentionDays > 0 {
		a.Roster.ReportRetention = time.Duration(c.ReportRetentionDays) * 24 * time.Hour
	}
	a.Projects = project.NewService(d, keys, a.Catalog, a.Teams, a.Volunteers, log)
	a.Projects.SetFeedKey(keys.Derive("ical v1"))
	codes, err := checkin.NewCodes(keys.Derive("checkin v1"), checkin.DefaultPeriod, nil)
	if err != nil {
		return nil, err
	}
	a.Records = record.NewService(d, a.Volunteers, log)
	a.Attendance = attendance.NewService(d, codes, a.Volunteers, a.Records, log)
	a.Projects.SetCheckedIn(a.Attendance.CheckedIn)
	a.Records.SetUploadQuota(record.UploadQuota{Files: c.UploadQuotaFiles, Bytes: int64(c.UploadQuotaMB) << 20})
	signer, err := certificate.NewSigner(keys.Derive("certificate signing v1"))
	if err != nil {
		return nil, err
	}
	a.Records.SetSigner(signer)
	if c.RoundMinutes > 1 {
		a.Records.RoundTo = c.RoundMinutes
	}
	if c.DoubleScanSeconds > 0 {
		a.Attendance.CheckOutAfter = time.Duration(c.DoubleScanSeconds) * time.Second
	}
	if c.TestClockFile != "" {
		a.Records.Now = fileClock(c.TestClockFile)
		a.Attendance.Now = a.Records.Now
	}
	RegisterFigures()
	a.Stats = stats.New(d, a.Catalog, a.Records.StarHours)
	a.Auth.ResolveLogin = a.Volunteers.ResolveLogin
	a.Auth.PasswordChanged = a.Projects.EndFeeds
	base, err := c.PublicURL("")
	if err != nil {
		return nil, err
	}
	deps := surface.Deps{Messages: cat, Log: log}
	a.web, err = web.New(web.Config{SecureCookies: c.SecureCookies, BaseURL: base, CSRFKey: keys.Derive("csrf v1")}, a.Services, deps)
	if err != nil {
		return nil, err
	}
	a.api = api.New(api.Config{BaseURL: base}, a.Services, deps)
	a.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for name, pool := range d.Pools() {
		a.reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	a.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "zhiyuan_db_group_commits_total",
			Help: "SQLite commits shared by write transactions (group commit)."},
			func() float64 { c, _ := d.GroupCommits(); return float64(c) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "zhiyuan_db_group_transactions_total",
			Help: "SQLite write transactions committed or rolled back in shared commits."},
			func() float64 { _, t := d.GroupCommits(); return float64(t) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "zhiyuan_db_checkpoints_total",
			Help: "SQLite write-ahead log checkpoints run in the background."},
			func() float64 { n, _ := d.Checkpoints(); return float64(n) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "zhiyuan_db_checkpoint_failures_total",
			Help: "SQLite background checkpoints that failed (the next commit's tries again)."},
			func() float64 { _, n := d.Checkpoints(); return float64(n) }))
	a.handler = a.buildHandler()
	return a, nil
}

// DemoServices returns the services demo data is loaded through.
func (a *App) DemoServices() demo.Services {
	base, _ := a.Config.PublicURL("") // New has checked it
	return demo.Services{DB: a.DB, Auth: a.Auth, Volunteers: a.Volunteers, Teams: a.Teams, Projects: a.Projects, Records: a.Records,
		Attendance: a.Attendance, BaseURL: base}
}

// Routes returns every route of every surface, for the route-policy test.
func (a *App) Routes() []httpx.Route {
	routes := append([]httpx.Route{}, a.opsRoutes()...)
	routes = append(routes, a.api.Routes()...)
	return append(routes, a.web.Routes()...)
}

func (a *App) opsRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/healthz", Perm: auth.PermPublic, Handler: a.healthz},
	}
}

// MetricsHandler serves the Prometheus metrics: only on the metrics
// listener (--metrics-addr), never on the main one.
func (a *App) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}))
	return mux
}

func (a *App) buildHandler() http.Handler {
	mux := http.NewServeMux()
	httpx.Mount(mux, a.opsRoutes(), func(w http.ResponseWriter, r *http.Request, err error) {
		http.Error(w, err.Error(), http.StatusForbidden)
	})
	a.api.Mount(mux)
	a.web.Mount(mux)
	var h http.Handler = mux
	h = httpx.Authenticate(h, a.Auth, a.Config.SecureCookies)
	h = httpx.SecurityHeaders(h, a.Config.SecureCookies)
	return httpx.Observe(h, a.Log, httpx.NewMetrics(a.reg), a.Config.TrustProxy)
}

// Handler is the whole HTTP surface with its middleware.
func (a *App) Handler() http.Handler { return a.handler }

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := a.DB.Ping(ctx); err != nil {
		a.Log.WarnContext(ctx, "health check: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"status":"unavailable","database":"unreachable"}`+"\n")
		return
	}
	fmt.Fprintf(w, `{"status":"ok","database":"%s"}`+"\n", a.DB.Dialect)
}

// Serve listens on the configured address (and the metrics address, if
// any) until ctx ends, then stops accepting, lets in-flight requests finish
// (up to 20 s) and returns. ready hears the addresses listened on
// (metricsAddr "" without a metrics listener).
func (a *App) Serve(ctx context.Context, ready func(addr, metricsAddr string)) error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return err
	}
	metricsAddr := ""
	if a.Config.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.Config.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("metrics address: %w", err)
		}
		metricsAddr = mln.Addr().String()
		msrv := &http.Server{Handler: a.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		go func() { _ = msrv.Serve(mln) }()
		defer msrv.Close()
	}
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	if a.Config.BaseURL == "" {
		// On loopback without a base URL, links name the address listened on
		// (its real port when the configured one is 0).
		base, err := a.Config.PublicURL(ln.Addr().String())
		if err != nil {
			ln.Close()
			return err
		}
		a.web.SetBaseURL(base)
		a.api.SetBaseURL(base)
	}
	go a.purgeSessions(ctx)
	go a.foldFigures(ctx)
	// Expired import reports are deleted hourly; the job ends before
	// Serve returns, so it never runs on a closed database.
	jobs, stopJobs := context.WithCancel(ctx)
	var jobsDone sync.WaitGroup
	jobsDone.Go(func() { a.Roster.RunReportPurge(jobs, time.Hour, a.Log) })
	defer func() { stopJobs(); jobsDone.Wait() }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String(), metricsAddr)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// purgeSessions deletes ended sessions every ten minutes.
func (a *App) purgeSessions(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.Auth.PurgeExpiredSessions(ctx); err != nil {
				a.Log.Warn("purge sessions", "err", err)
			} else if n > 0 {
				a.Log.Info("purged ended sessions", "count", n)
			}
		}
	}
}

// foldFigures gathers the figures' counters spread over slots by
// concurrent writers (stats.Fold), every stats.FoldEvery.
func (a *App) foldFigures(ctx context.Context) {
	t := time.NewTicker(stats.FoldEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := stats.Fold(ctx, a.DB); err != nil {
				a.Log.Warn("fold figures", "err", err)
			}
		}
	}
}

// NewLogger returns the structured logger for format "json" or "text".
func NewLogger(w io.Writer, format string) *slog.Logger {
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}
