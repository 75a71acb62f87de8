// Package web is the server-rendered HTML surface: html/template pages with
// htmx, mobile first, Simplified Chinese by default.
package web

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/db"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/i18n"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/roster"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

//go:embed static
var staticFiles embed.FS

// Config holds the web surface's settings.
type Config struct {
	// SecureCookies marks cookies Secure (set when served over TLS).
	SecureCookies bool
	// BaseURL is the platform's public address, the base of every absolute
	// link (check-in codes, calendar feeds, certificates).
	BaseURL string
}

// Services are the domain services the HTML handlers call.
type Services struct {
	Auth       *auth.Service
	Catalog    *catalog.Catalog
	Volunteers *volunteer.Service
	Teams      *team.Service
	Roster     *roster.Service
	Records    *record.Service
	Attendance *attendance.Service
	Projects   *project.Service
	Stats      *stats.Service
}

// Server holds what the HTML handlers need.
type Server struct {
	cfg        Config
	auth       *auth.Service
	catalog    *catalog.Catalog
	volunteers *volunteer.Service
	teams      *team.Service
	roster     *roster.Service
	records    *record.Service
	attendance *attendance.Service
	projects   *project.Service
	stats      *stats.Service
	db         *db.DB
	cat        *i18n.Catalog
	log        *slog.Logger
	tmpl       templates
	layouts    *layoutCache
	csrfKey    []byte
}

// New returns the web surface. csrfKey is a 32-byte secret.
func New(cfg Config, svc Services, d *db.DB, cat *i18n.Catalog, log *slog.Logger, csrfKey []byte) (*Server, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	layouts, err := newLayoutCache()
	if err != nil {
		return nil, err
	}
	return &Server{layouts: layouts, cfg: cfg, auth: svc.Auth, catalog: svc.Catalog, volunteers: svc.Volunteers, teams: svc.Teams,
		roster: svc.Roster, records: svc.Records, attendance: svc.Attendance, projects: svc.Projects, stats: svc.Stats, db: d, cat: cat, log: log, tmpl: t, csrfKey: csrfKey}, nil
}

// SetBaseURL sets the base of absolute links; call it before serving.
func (s *Server) SetBaseURL(u string) { s.cfg.BaseURL = u }

// Mount registers the web routes on mux behind the policy guard and CSRF check.
func (s *Server) Mount(mux *http.ServeMux) {
	sub := http.NewServeMux()
	httpx.Mount(sub, s.Routes(), s.fail, s.checkCSRF)
	mux.Handle("/", sub)
}

// static serves the embedded assets: files only, a directory is not found
// (no listing).
func (s *Server) static() http.HandlerFunc {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/static")
		if st, err := fs.Stat(sub, strings.TrimPrefix(name, "/")); err != nil || st.IsDir() || name == "" {
			s.notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	}
}

// notFound answers paths no route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, errPageNotFound)
}
