package httpx

import (
	"context"
	"net/http"
	"strings"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "zy_session"

// Authenticator resolves a token to a principal.
type Authenticator interface {
	Authenticate(ctx context.Context, token string, kind auth.SessionKind) (*auth.Principal, error)
}

// Authenticate attaches the principal of the request, if any: a bearer token
// under /api/, the session cookie elsewhere. An invalid token leaves the
// request anonymous (the route guard then answers 401); a dead session
// cookie is cleared. When the database cannot be reached the cookie is kept
// and a route that needs a principal answers 503 instead.
func Authenticate(next http.Handler, a Authenticator, secureCookies bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p *auth.Principal
		var err error
		if strings.HasPrefix(r.URL.Path, "/api/") {
			if tok, ok := BearerToken(r); ok {
				p, err = a.Authenticate(r.Context(), tok, auth.SessionAPI)
			}
		} else if c, cerr := r.Cookie(SessionCookie); cerr == nil && c.Value != "" {
			if p, err = a.Authenticate(r.Context(), c.Value, auth.SessionWeb); err != nil && !unavailable(err) {
				ClearCookie(w, SessionCookie, secureCookies)
			}
		}
		if unavailable(err) {
			infoFrom(r).authErr = err // the guard answers 503 where a principal is needed
		}
		if p != nil {
			act := audit.ActorFrom(r.Context())
			act.AccountID, act.Username = p.AccountID, p.Username
			r = r.WithContext(audit.WithActor(r.Context(), act))
			r = WithPrincipal(r, p)
			infoFrom(r).accountID = p.AccountID
		}
		next.ServeHTTP(w, r)
	})
}

func unavailable(err error) bool {
	return err != nil && apperr.From(err).Kind == apperr.Unavailable
}

// BearerToken returns the token of an "Authorization: Bearer" header.
func BearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// SetCookie sets an HttpOnly, SameSite=Lax cookie (Secure behind TLS).
func SetCookie(w http.ResponseWriter, name, value string, expires time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearCookie deletes a cookie.
func ClearCookie(w http.ResponseWriter, name string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// Meta is where the request came from, as the server is configured to see
// it (X-Real-IP only behind a trusted proxy), for sessions and throttling.
func Meta(r *http.Request) auth.Meta {
	return auth.Meta{IP: audit.ActorFrom(r.Context()).IP, UserAgent: r.UserAgent()}
}
