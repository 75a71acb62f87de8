package web

import (
	"net/http"
	"strings"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if httpx.Principal(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "login.title")
	p.Form = r.URL.Query()
	s.render(w, r, http.StatusOK, "login", p)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	meta := httpx.Meta(r)
	sess, _, err := s.Auth.Login(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"), auth.SessionWeb, meta)
	if err != nil {
		p := s.page(w, r, "login.title")
		s.formError(w, r, "login", p, err)
		return
	}
	httpx.SetCookie(w, httpx.SessionCookie, sess.Token, sess.ExpiresAt, s.cfg.SecureCookies)
	httpx.ClearCookie(w, anonCookie, s.cfg.SecureCookies)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(httpx.SessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	httpx.ClearCookie(w, httpx.SessionCookie, s.cfg.SecureCookies)
	http.Redirect(w, r, "/login?flash=flash.logged_out", http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this site. Browsers drop tabs and
// newlines from a URL and read a backslash as a slash, so "/\t/evil.example"
// would lead off the site: any control character or backslash is refused.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.IndexFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) >= 0 {
		return "/"
	}
	return next
}
