package httpx

import (
	"log/slog"
	"net/http"

	"zhiyuan/internal/apperr"
)

// ErrNotFound answers a path that names nothing.
var ErrNotFound = apperr.New(apperr.NotFound, "error.not_found")

// Failure is err as the client is told it (a page or the JSON envelope),
// logged first when the client cannot be told the cause: an internal error,
// or the database out of reach.
func Failure(r *http.Request, log *slog.Logger, err error) *apperr.Error {
	e := apperr.From(err)
	switch e.Kind {
	case apperr.Internal:
		log.ErrorContext(r.Context(), "request failed", "err", err)
	case apperr.Unavailable:
		log.WarnContext(r.Context(), "database unavailable", "err", err)
	}
	return e
}
