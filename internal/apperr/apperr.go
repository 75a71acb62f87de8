// Package apperr is the error type that domain services return to handlers:
// a kind that decides the HTTP status, a message key that i18n turns into the
// user's language, per-field errors, and the internal cause that is logged but
// never shown.
package apperr

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

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
	// ClientClosed is a request whose client went away before the answer
	// (its context was canceled): nginx's 499, neither our failure nor theirs.
	ClientClosed
	// MethodNotAllowed is a known path asked with a method it does not take.
	MethodNotAllowed
)

// StatusClientClosed is the status logged and counted for a request whose
// client closed the connection first (nginx's convention).
const StatusClientClosed = 499

var statuses = map[Kind]int{
	Internal:         http.StatusInternalServerError,
	BadRequest:       http.StatusBadRequest,
	Unauthenticated:  http.StatusUnauthorized,
	Forbidden:        http.StatusForbidden,
	NotFound:         http.StatusNotFound,
	Conflict:         http.StatusConflict,
	Invalid:          http.StatusUnprocessableEntity,
	Throttled:        http.StatusTooManyRequests,
	TooLarge:         http.StatusRequestEntityTooLarge,
	Unavailable:      http.StatusServiceUnavailable,
	ClientClosed:     StatusClientClosed,
	MethodNotAllowed: http.StatusMethodNotAllowed,
}

var codes = map[Kind]string{
	Internal:         "internal",
	BadRequest:       "bad_request",
	Unauthenticated:  "unauthenticated",
	Forbidden:        "forbidden",
	NotFound:         "not_found",
	Conflict:         "conflict",
	Invalid:          "invalid",
	Throttled:        "throttled",
	TooLarge:         "too_large",
	Unavailable:      "unavailable",
	ClientClosed:     "client_closed",
	MethodNotAllowed: "method_not_allowed",
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
	if errors.Is(err, context.Canceled) {
		return &Error{Kind: ClientClosed, Key: "error.client_closed", Cause: err}
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
	if k := From(err).Kind; k == Internal || k == Unavailable || k == ClientClosed {
		return err
	}
	return as
}

// BadQuery refuses a query parameter whose value is not valid: 400, with
// the parameter named in the message and as a field.
func BadQuery(name string) *Error {
	args := map[string]any{"Param": name}
	return &Error{Kind: BadRequest, Key: "error.bad_query", Args: args,
		Fields: map[string]Field{name: {Code: "invalid", Key: "error.bad_query", Args: args}}}
}

// QueryID reads an optional integer query parameter (an id, a page's
// position): "" and "0" are 0 (none, the start), anything else not a
// positive integer is BadQuery.
func QueryID(v url.Values, name string) (int64, error) {
	s := v.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, BadQuery(name)
	}
	return n, nil
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
