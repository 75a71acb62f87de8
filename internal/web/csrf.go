package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/httpx"
)

// CSRF protection: every state-changing request from a browser must carry a
// token that is an HMAC of the visitor's session token (or, before login, of
// a random anonymous cookie). A page from another site cannot read the token,
// so it cannot forge the form.

const (
	anonCookie = "zy_anon"
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

var errCSRF = apperr.New(apperr.Forbidden, "error.csrf")

// csrfBinding returns what the visitor's token is bound to, issuing an
// anonymous cookie if the visitor has neither that nor a session.
func (s *Server) csrfBinding(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(httpx.SessionCookie); err == nil && c.Value != "" && httpx.Principal(r) != nil {
		return "s:" + c.Value
	}
	if c, err := r.Cookie(anonCookie); err == nil && len(c.Value) >= 16 {
		return "a:" + c.Value
	}
	var b [18]byte
	_, _ = rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	httpx.SetCookie(w, anonCookie, v, time.Now().Add(24*time.Hour), s.cfg.SecureCookies)
	// Later reads in this request see the new cookie.
	r.AddCookie(&http.Cookie{Name: anonCookie, Value: v})
	return "a:" + v
}

func (s *Server) csrfToken(binding string) string {
	m := hmac.New(sha256.New, s.cfg.CSRFKey)
	m.Write([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses unsafe methods whose token does not match the visitor.
func (s *Server) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		// A body over the route's limit cannot be read for its token: say
		// it is too large rather than that the form has expired.
		// ParseForm first: for a URL-encoded body ParseMultipartForm
		// reports only that it is not multipart, hiding the limit.
		if e, ok := httpx.TooLarge(r.ParseForm()); ok {
			s.fail(w, r, e)
			return
		}
		if e, ok := httpx.TooLarge(r.ParseMultipartForm(32 << 20)); ok {
			s.fail(w, r, e)
			return
		}
		got := r.Header.Get(csrfHeader)
		if got == "" {
			got = r.PostFormValue(csrfField)
		}
		want := s.csrfToken(s.csrfBinding(w, r))
		if got == "" || !hmac.Equal([]byte(got), []byte(want)) {
			s.fail(w, r, errCSRF)
			return
		}
		if err := httpx.CheckForm(r); err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
