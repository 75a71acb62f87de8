// Package httpx is the HTTP plumbing shared by the HTML and JSON surfaces:
// the route table type, the policy guard, the request context and the
// middleware every request passes through.
package httpx

import (
	"context"
	"net/http"
	"time"

	"zhiyuan/internal/auth"
)

// Route is one entry of a surface's route table. Perm is mandatory: the
// guard checks it before Handler runs, and a test walks every route.
type Route struct {
	Method  string
	Pattern string
	Perm    auth.Permission
	Handler http.HandlerFunc
	// MaxBody limits the request body; 0 means MaxBody (1 MiB).
	MaxBody int64
	// Timeout is how long reading the request and writing the answer may
	// take, for the few routes that outlast the server's defaults (a
	// 500,000-row import); 0 keeps the defaults.
	Timeout time.Duration
}

// Deny writes the refusal for a request that lacks the route's permission:
// err is Unauthenticated (nobody signed in) or Forbidden.
type Deny func(w http.ResponseWriter, r *http.Request, err error)

// Mount registers routes on mux, each behind the policy guard and its body
// limit, then the surface's own middleware (the web surface's CSRF check).
func Mount(mux *http.ServeMux, routes []Route, deny Deny, mw ...func(http.Handler) http.Handler) {
	for _, rt := range routes {
		if !rt.Perm.Known() {
			panic("httpx: route " + rt.Method + " " + rt.Pattern + " has no known permission")
		}
		limit := rt.MaxBody
		if limit == 0 {
			limit = MaxBody
		}
		var h http.Handler = rt.Handler
		for i := len(mw) - 1; i >= 0; i-- {
			h = mw[i](h)
		}
		h = guard(rt.Method+" "+rt.Pattern, rt.Perm, plainRequest(limitBody(h, limit), deny), deny)
		if rt.Timeout > 0 {
			h = extendDeadlines(h, rt.Timeout)
		}
		mux.Handle(rt.Method+" "+rt.Pattern, h)
	}
}

// extendDeadlines gives a request d from now to be read and answered, past
// the server's own read and write timeouts.
func extendDeadlines(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		at := time.Now().Add(d)
		_ = rc.SetReadDeadline(at)
		_ = rc.SetWriteDeadline(at)
		h.ServeHTTP(w, r)
	})
}

func guard(route string, perm auth.Permission, h http.Handler, deny Deny) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoFrom(r).route = route
		p := Principal(r)
		if !auth.Allowed(p, perm) {
			if err := infoFrom(r).authErr; p == nil && err != nil {
				deny(w, r, err)
			} else if p == nil {
				deny(w, r, errUnauthenticated)
			} else {
				deny(w, r, errForbidden)
			}
			return
		}
		h.ServeHTTP(w, r)
	})
}

// probeMethods are the methods AllowedMethods tries.
var probeMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

// AllowedMethods returns the methods mux routes r's path to a pattern other
// than fallback (a catch-all that takes every method): for the Allow header
// of a 405, empty when the path is not known at all.
func AllowedMethods(mux *http.ServeMux, r *http.Request, fallback string) []string {
	var allow []string
	for _, m := range probeMethods {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != fallback {
			allow = append(allow, m)
		}
	}
	return allow
}

type principalKey struct{}

// WithPrincipal returns r with the signed-in principal attached.
func WithPrincipal(r *http.Request, p *auth.Principal) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
}

// Principal returns the signed-in principal, or nil.
func Principal(r *http.Request) *auth.Principal {
	p, _ := r.Context().Value(principalKey{}).(*auth.Principal)
	return p
}
