package web

import (
	"net/http"
	"time"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/i18n"
)

const langCookie = "zy_lang"

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "home.title")
	s.render(w, r, http.StatusOK, "home", p)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "account.title")
	s.render(w, r, http.StatusOK, "account", p)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	keep := ""
	if c, err := r.Cookie(httpx.SessionCookie); err == nil {
		keep = c.Value
	}
	if r.PostFormValue("password") != r.PostFormValue("password_confirm") {
		p := s.page(w, r, "account.title")
		p.Form = r.PostForm
		p.Errors = map[string]string{"password_confirm": p.T("account.password_mismatch")}
		s.render(w, r, http.StatusUnprocessableEntity, "account", p)
		return
	}
	err := s.Auth.ChangePassword(r.Context(), httpx.Principal(r), r.PostFormValue("old_password"), r.PostFormValue("password"), keep)
	if err != nil {
		s.formError(w, r, "account", s.page(w, r, "account.title"), err)
		return
	}
	http.Redirect(w, r, "/account?flash=flash.password_changed", http.StatusSeeOther)
}

// setLocale switches the interface language: for the account if signed in,
// and in a cookie either way.
func (s *Server) setLocale(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if !i18n.Valid(lang) {
		lang = i18n.Default
	}
	if p := httpx.Principal(r); p != nil {
		if err := s.Auth.SetLocale(r.Context(), p, lang); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", Expires: time.Now().AddDate(1, 0, 0),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}
