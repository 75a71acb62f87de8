package api

import (
	"net/http"
	"strconv"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

type grantJSON struct {
	ID           int64  `json:"id"`
	Role         string `json:"role"`
	RegionCode   string `json:"region_code,omitempty"`
	TeamID       int64  `json:"team_id,omitempty"`
	DepartmentID int64  `json:"department_id,omitempty"`
}

func grantsJSON(gs []auth.Grant) []grantJSON {
	out := make([]grantJSON, 0, len(gs))
	for _, g := range gs {
		out = append(out, grantJSON{ID: g.ID, Role: string(g.Role), RegionCode: g.RegionCode, TeamID: g.TeamID, DepartmentID: g.DepartmentID})
	}
	return out
}

type accountJSON struct {
	ID          int64       `json:"id"`
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	RegionCode  string      `json:"region_code"`
	Locale      string      `json:"locale"`
	Disabled    bool        `json:"disabled"`
	CreatedAt   time.Time   `json:"created_at"`
	Grants      []grantJSON `json:"grants,omitempty"`
}

func toAccountJSON(a auth.Account) accountJSON {
	j := accountJSON{ID: a.ID, Username: a.Username, DisplayName: a.DisplayName, RegionCode: a.RegionCode,
		Locale: a.Locale, Disabled: a.Disabled, CreatedAt: a.CreatedAt.UTC()}
	if a.Grants != nil {
		j.Grants = grantsJSON(a.Grants)
	}
	return j
}

func (s *Server) accountList(w http.ResponseWriter, r *http.Request) {
	limit, after, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Auth.ListAccounts(r.Context(), httpx.Principal(r), auth.AccountQuery{Search: r.URL.Query().Get("q"), After: after, Limit: limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]accountJSON, 0, len(list))
	for _, a := range list {
		items = append(items, toAccountJSON(a))
	}
	writeJSON(w, http.StatusOK, newPage(items, limit, func(a accountJSON) int64 { return a.ID }))
}

type grantRequest struct {
	Role         string `json:"role"`
	RegionCode   string `json:"region_code"`
	TeamID       int64  `json:"team_id"`
	DepartmentID int64  `json:"department_id"`
}

func (g *grantRequest) grant() auth.Grant {
	if g == nil {
		return auth.Grant{}
	}
	return auth.Grant{Role: auth.Role(g.Role), RegionCode: g.RegionCode, TeamID: g.TeamID, DepartmentID: g.DepartmentID}
}

type accountRequest struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	Password    string        `json:"password"`
	RegionCode  string        `json:"region_code"`
	Locale      string        `json:"locale"`
	Grant       *grantRequest `json:"grant"`
}

func (s *Server) accountCreate(w http.ResponseWriter, r *http.Request) {
	var in accountRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Auth.CreateAccount(r.Context(), httpx.Principal(r), auth.NewAccount{Username: in.Username,
		DisplayName: in.DisplayName, Password: in.Password, RegionCode: in.RegionCode, Locale: in.Locale, Grant: in.Grant.grant()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/accounts/"+strconv.FormatInt(a.ID, 10))
	writeJSON(w, http.StatusCreated, toAccountJSON(a))
}

func (s *Server) accountGet(w http.ResponseWriter, r *http.Request) {
	a, err := s.Auth.Account(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAccountJSON(a))
}

func (s *Server) grantAdd(w http.ResponseWriter, r *http.Request) {
	var in grantRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := s.Auth.AddGrant(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), in.grant())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, grantsJSON([]auth.Grant{g})[0])
}

func (s *Server) grantRevoke(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.RevokeGrant(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), httpx.PathID(r, "grant")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) accountDisable(w http.ResponseWriter, r *http.Request) { s.setDisabled(w, r, true) }
func (s *Server) accountEnable(w http.ResponseWriter, r *http.Request)  { s.setDisabled(w, r, false) }

// setDisabled disables or enables the account and answers it as it now is.
func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	a, err := s.Auth.SetDisabled(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), disabled)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAccountJSON(a))
}
