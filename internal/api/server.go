// Package api is the JSON surface under /api/v1: bearer-token
// authentication, the error envelope of DESIGN.md, cursor pagination and the
// OpenAPI document.
package api

import (
	"log/slog"
	"net/http"

	"zhiyuan/internal/i18n"
	"zhiyuan/internal/surface"
)

// Config holds the JSON surface's settings.
type Config struct {
	// BaseURL is the platform's public address, the base of every absolute
	// link (check-in codes, calendar feeds, certificates).
	BaseURL string
}

// Server holds what the JSON handlers need.
type Server struct {
	surface.Services
	cfg Config
	cat *i18n.Catalog
	log *slog.Logger
}

// New returns the JSON surface.
func New(cfg Config, svc surface.Services, deps surface.Deps) *Server {
	return &Server{Services: svc, cfg: cfg, cat: deps.Messages, log: deps.Log}
}

// SetBaseURL sets the base of absolute links; call it before serving.
func (s *Server) SetBaseURL(u string) { s.cfg.BaseURL = u }

// Mount registers the API routes on mux.
func (s *Server) Mount(mux *http.ServeMux) {
	sub := http.NewServeMux()
	mountRoutes(sub, s.Routes(), s.fail)
	mux.Handle("/api/", sub)
}
