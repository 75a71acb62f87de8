package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/i18n"
)

var (
	errNoRoute     = httpx.ErrNotFound
	errMethod      = apperr.New(apperr.MethodNotAllowed, "error.method_not_allowed")
	errBadJSON     = apperr.New(apperr.BadRequest, "error.bad_json")
	errContentType = apperr.New(apperr.BadRequest, "error.unsupported_media")
	errBadCursor   = apperr.New(apperr.BadRequest, "error.bad_cursor")
)

// errorBody is the envelope of DESIGN.md.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string                 `json:"code"`
	Message   string                 `json:"message"`
	Fields    map[string]fieldDetail `json:"fields,omitempty"`
	RequestID string                 `json:"request_id,omitempty"`
}

type fieldDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// lang is the caller's language: the account's, else Accept-Language.
func lang(r *http.Request) string {
	if p := httpx.Principal(r); p != nil && i18n.Valid(p.Locale) {
		return p.Locale
	}
	return i18n.Pick("", r.Header.Get("Accept-Language"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// fail writes err as the error envelope in the caller's language.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := httpx.Failure(r, s.log, err)
	l := lang(r)
	body := errorBody{Error: errorDetail{Code: e.Kind.Code(), Message: s.cat.T(l, e.Key, e.Args),
		RequestID: w.Header().Get("X-Request-Id")}}
	if len(e.Fields) > 0 {
		body.Error.Fields = map[string]fieldDetail{}
		for name, f := range e.Fields {
			body.Error.Fields[name] = fieldDetail{Code: f.Code, Message: s.cat.T(l, f.Key, f.Args)}
		}
	}
	httpx.SetRetryAfter(w, e)
	if e.Kind == apperr.Unauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="zhiyuan"`)
	}
	writeJSON(w, e.Kind.Status(), body)
}

// unknownField returns the field named by encoding/json's unknown-field
// error (it has no type of its own: `json: unknown field "name"`).
func unknownField(err error) (string, bool) {
	q, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return "", false
	}
	name, uerr := strconv.Unquote(q)
	if uerr != nil || !utf8.ValidString(name) || len(name) > 64 {
		return "", false
	}
	return name, true
}

// decode reads a JSON request body into v: the content type must be JSON,
// invalid UTF-8 (which the decoder would turn into U+FFFD), unknown fields
// (named) and trailing data are refused, and the body limit applies.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return errContentType
		}
	}
	data, err := io.ReadAll(r.Body)
	if e, ok := httpx.TooLarge(err); ok {
		return e
	} else if err != nil {
		return &apperr.Error{Kind: apperr.BadRequest, Key: "error.bad_json", Cause: err}
	}
	if !utf8.Valid(data) {
		return httpx.ErrBadText
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if name, ok := unknownField(err); ok {
			args := map[string]any{"Field": name}
			return &apperr.Error{Kind: apperr.BadRequest, Key: "error.unknown_field", Args: args, Cause: err,
				Fields: map[string]apperr.Field{name: {Code: "unknown", Key: "error.unknown_field", Args: args}}}
		}
		return &apperr.Error{Kind: apperr.BadRequest, Key: "error.bad_json", Cause: err}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errBadJSON
	}
	return httpx.CheckValue(v)
}
