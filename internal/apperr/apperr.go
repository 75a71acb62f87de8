// Package apperr is the error type that domain services return to handlers:
// a kind that decides the HTTP status, a message key that i18n turns into the
// user's language, per-field errors, and the internal cause that is logged but
// never shown.
package apperr

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"zhiyuan/internal/db"
)

// Kind classifies an error for the caller.
type Kind int

// The kinds, each with one HTTP status (see Status).
const (
	Internal Kind = iota
	BadRequest
	Unauthenticated
	Forbidden
	NotFound
	Conflict
	Invalid
	Throttled
	TooLarge
	Unavailable
)

var statuses = map[Kind]int{
	Internal:        http.StatusInternalServerError,
	BadRequest:      http.StatusBadRequest,
	Unauthenticated: http.StatusUnauthorized,
	Forbidden:       http.StatusForbidden,
	NotFound:        http.StatusNotFound,
	Conflict:        http.StatusConflict,
	Invalid:         http.StatusUnprocessableEntity,
	Throttled:       http.StatusTooManyRequests,
	TooLarge:        http.StatusRequestEntityTooLarge,
	Unavailable:     http.StatusServiceUnavailable,
}

var codes = map[Kind]string{
	Internal:        "internal",
	BadRequest:      "bad_request",
	Unauthenticated: "unauthenticated",
	Forbidden:       "forbidden",
	NotFound:        "not_found",
	Conflict:        "conflict",
	Invalid:         "invalid",
	Throttled:       "throttled",
	TooLarge:        "too_large",
	Unavailable:     "unavailable",
}

// Status returns the HTTP status for the kind.
func (k Kind) Status() int { return statuses[k] }

// Code returns the stable machine-readable name of the kind.
func (k Kind) Code() string { return codes[k] }

// Field is one invalid input field: a short code and a message key.
type Field struct {
	Code string
	Key  string
	Args map[string]any
}

// Error is a user-facing error. Key names a message in the i18n catalogs;
// Args fill its placeholders; Cause is for the log only.
type Error struct {
	Kind   Kind
	Key    string
	Args   map[string]any
	Fields map[string]Field
	Cause  error
	// RetryAfter, on a Throttled error, is how many seconds the client
	// should wait: the surfaces send it as Retry-After.
	RetryAfter int
}

// Error returns the internal description, for logs.
func (e *Error) Error() string {
	s := e.Kind.Code() + ": " + e.Key
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Cause }

// New returns an error of the kind with a message key.
func New(k Kind, key string) *Error { return &Error{Kind: k, Key: key} }

// With returns a copy of e with message arguments added.
func (e *Error) With(args map[string]any) *Error {
	c := *e
	c.Args = args
	return &c
}

// Wrap returns an internal error that logs cause and shows a generic message.
func Wrap(cause error, what string) error {
	if cause == nil {
		return nil
	}
	var ae *Error
	if errors.As(cause, &ae) {
		return cause
	}
	return &Error{Kind: Internal, Key: "error.internal", Cause: fmt.Errorf("%s: %w", what, cause)}
}

// From returns err as an *Error, treating any other error as internal,
// except that a database that cannot be reached is Unavailable (503, "try
// again shortly"): every response to an error passes through here.
func From(err error) *Error {
	var ae *Error
	if errors.As(err, &ae) && ae.Kind != Internal {
		return ae
	}
	if db.IsUnavailable(err) {
		return &Error{Kind: Unavailable, Key: "error.unavailable", Cause: err}
	}
	if ae != nil {
		return ae
	}
	return &Error{Kind: Internal, Key: "error.internal", Cause: err}
}

// Mask returns as in place of a refusal (not found, forbidden, a missing
// row, …), so one refusal can stand for another without telling why. An
// internal failure or a database that cannot be reached passes through
// unchanged: a refusal must never hide an outage.
func Mask(err error, as *Error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, db.ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
		return as
	}
	if k := From(err).Kind; k == Internal || k == Unavailable {
		return err
	}
	return as
}

// Is reports whether err is an *Error of kind k.
func Is(err error, k Kind) bool {
	var ae *Error
	return errors.As(err, &ae) && ae.Kind == k
}

// Fields collects field errors for one input; its Err is nil while empty.
type Fields map[string]Field

// Add records a field error with its code and message key.
func (f Fields) Add(field, code, key string) { f[field] = Field{Code: code, Key: key} }

// AddArgs records a field error whose message takes arguments.
func (f Fields) AddArgs(field, code, key string, args map[string]any) {
	f[field] = Field{Code: code, Key: key, Args: args}
}

// Err returns an Invalid error carrying the fields, or nil if there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Key: "error.invalid", Fields: map[string]Field(f)}
}
