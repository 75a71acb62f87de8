package api

import (
	"net/http"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in loginRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	sess, _, err := s.Auth.Login(r.Context(), in.Username, in.Password, auth.SessionAPI,
		httpx.Meta(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt.UTC()})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	tok, _ := httpx.BearerToken(r)
	if err := s.Auth.Logout(r.Context(), tok); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// meResponse is the signed-in account.
type meResponse struct {
	ID          int64       `json:"id"`
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	Locale      string      `json:"locale"`
	RegionCode  string      `json:"region_code"`
	Grants      []grantJSON `json:"grants"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	writeJSON(w, http.StatusOK, meResponse{ID: p.AccountID, Username: p.Username, DisplayName: p.DisplayName,
		Locale: p.Locale, RegionCode: p.RegionCode, Grants: grantsJSON(p.Grants)})
}
