// Package surface holds what the two surfaces, web (HTML) and api (JSON),
// are both built from: the domain services their handlers call and what
// every handler needs beside them. Each is built the same way:
// New(Config, Services, Deps), its own settings in its Config.
package surface

import (
	"log/slog"

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

// Deps are what every handler needs beside the services.
type Deps struct {
	// Messages translates the surface's words and errors.
	Messages *i18n.Catalog
	// Log receives what a handler cannot tell the client.
	Log *slog.Logger
}
