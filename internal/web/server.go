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

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/i18n"
	"zhiyuan/internal/surface"
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
	// CSRFKey is the 32-byte secret that signs the forms' tokens.
	CSRFKey []byte
}

// Server holds what the HTML handlers need.
type Server struct {
	surface.Services
	cfg     Config
	cat     *i18n.Catalog
	log     *slog.Logger
	tmpl    templates
	layouts *layoutCache
}

// New returns the web surface.
func New(cfg Config, svc surface.Services, deps surface.Deps) (*Server, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	layouts, err := newLayoutCache()
	if err != nil {
		return nil, err
	}
	return &Server{Services: svc, cfg: cfg, cat: deps.Messages, log: deps.Log, tmpl: t, layouts: layouts}, nil
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
