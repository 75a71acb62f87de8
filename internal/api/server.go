// Package api is the JSON surface under /api/v1: bearer-token
// authentication, the error envelope of DESIGN.md, cursor pagination and the
// OpenAPI document.
package api

import (
	"log/slog"
	"net/http"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/i18n"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/roster"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

// Services are the domain services the handlers call.
type Services struct {
	Auth       *auth.Service
	Catalog    *catalog.Catalog
	Volunteers *volunteer.Service
	Teams      *team.Service
	Roster     *roster.Service
	Projects   *project.Service
	Records    *record.Service
	Attendance *attendance.Service
	Stats      *stats.Service
}

// Server holds what the JSON handlers need.
type Server struct {
	Services
	auth *auth.Service
	cat  *i18n.Catalog
	log  *slog.Logger
	// baseURL is the platform's public address, the base of every absolute link.
	baseURL string
}

// New returns the JSON surface.
func New(svc Services, cat *i18n.Catalog, log *slog.Logger) *Server {
	return &Server{Services: svc, auth: svc.Auth, cat: cat, log: log}
}

// SetBaseURL sets the base of absolute links; call it before serving.
func (s *Server) SetBaseURL(u string) { s.baseURL = u }

// Mount registers the API routes on mux.
func (s *Server) Mount(mux *http.ServeMux) {
	sub := http.NewServeMux()
	mountRoutes(sub, s.Routes(), s.fail)
	mux.Handle("/api/", sub)
}
