package web

import (
	"net/http"
	"strconv"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

var (
	errPageNotFound = httpx.ErrNotFound
	errBadID        = apperr.New(apperr.NotFound, "account.not_found")
)

// accountListData is the account list page.
type accountListData struct {
	Accounts []auth.Account
	Search   string
	Next     int64
}

func (s *Server) accountList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, err := apperr.QueryID(q, "after")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Auth.ListAccounts(r.Context(), httpx.Principal(r), auth.AccountQuery{Search: q.Get("q"), After: after, Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := accountListData{Accounts: list, Search: q.Get("q")}
	if len(list) == 50 {
		d.Next = list[len(list)-1].ID
	}
	p := s.page(w, r, "accounts.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "accounts", p)
}

// accountFormData offers the roles the principal may grant.
type accountFormData struct {
	Roles []auth.Role
}

func grantableRoles(p *auth.Principal) []auth.Role {
	var out []auth.Role
	for _, r := range auth.Roles {
		if r == auth.RolePlatformAdmin && !p.Has(auth.RolePlatformAdmin) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func (s *Server) accountNewForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "accounts.new_title")
	p.Data = accountFormData{Roles: grantableRoles(p.Principal)}
	s.render(w, r, http.StatusOK, "account_new", p)
}

func (s *Server) accountCreate(w http.ResponseWriter, r *http.Request) {
	in := auth.NewAccount{
		Username:    r.PostFormValue("username"),
		DisplayName: r.PostFormValue("display_name"),
		Password:    r.PostFormValue("password"),
		RegionCode:  strings.TrimSpace(r.PostFormValue("region_code")),
		Grant:       grantFromForm(r),
	}
	a, err := s.Auth.CreateAccount(r.Context(), httpx.Principal(r), in)
	if err != nil {
		p := s.page(w, r, "accounts.new_title")
		p.Data = accountFormData{Roles: grantableRoles(p.Principal)}
		s.formError(w, r, "account_new", p, err)
		return
	}
	http.Redirect(w, r, "/admin/accounts/"+strconv.FormatInt(a.ID, 10)+"?flash=flash.account_created", http.StatusSeeOther)
}

func grantFromForm(r *http.Request) auth.Grant {
	g := auth.Grant{Role: auth.Role(r.PostFormValue("role"))}
	g.RegionCode = strings.TrimSpace(r.PostFormValue("grant_region_code"))
	g.TeamID, _ = strconv.ParseInt(r.PostFormValue("team_id"), 10, 64)
	g.DepartmentID, _ = strconv.ParseInt(r.PostFormValue("department_id"), 10, 64)
	return g
}

// accountDetailData is the account page of the admin screens.
type accountDetailData struct {
	Account auth.Account
	Roles   []auth.Role
	// CanManage offers the forms that change the account.
	CanManage bool
}

func (s *Server) accountDetail(w http.ResponseWriter, r *http.Request) {
	s.showAccount(w, r, http.StatusOK, nil)
}

// showAccount renders the account page, with err's messages if a grant failed.
func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, err error) {
	id, perr := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if perr != nil {
		s.fail(w, r, errBadID)
		return
	}
	a, aerr := s.Auth.Account(r.Context(), httpx.Principal(r), id)
	if aerr != nil {
		s.fail(w, r, aerr)
		return
	}
	p := s.page(w, r, "accounts.detail_title")
	p.Data = accountDetailData{Account: a, Roles: grantableRoles(p.Principal), CanManage: auth.CanManageAccount(p.Principal, a)}
	if err != nil {
		s.formError(w, r, "account_detail", p, err)
		return
	}
	s.render(w, r, status, "account_detail", p)
}

func (s *Server) grantAdd(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, errBadID)
		return
	}
	if _, err := s.Auth.AddGrant(r.Context(), httpx.Principal(r), id, grantFromForm(r)); err != nil {
		if e := apperr.From(err); e.Kind == apperr.NotFound {
			s.fail(w, r, err)
			return
		}
		s.showAccount(w, r, apperr.From(err).Kind.Status(), err)
		return
	}
	http.Redirect(w, r, "/admin/accounts/"+r.PathValue("id")+"?flash=flash.grant_added", http.StatusSeeOther)
}

func (s *Server) grantRevoke(w http.ResponseWriter, r *http.Request) {
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	gid, err2 := strconv.ParseInt(r.PathValue("grant"), 10, 64)
	if err1 != nil || err2 != nil {
		s.fail(w, r, errBadID)
		return
	}
	if err := s.Auth.RevokeGrant(r.Context(), httpx.Principal(r), id, gid); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/accounts/"+r.PathValue("id")+"?flash=flash.grant_revoked", http.StatusSeeOther)
}

func (s *Server) accountDisable(w http.ResponseWriter, r *http.Request) { s.setDisabled(w, r, true) }
func (s *Server) accountEnable(w http.ResponseWriter, r *http.Request)  { s.setDisabled(w, r, false) }

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, errBadID)
		return
	}
	if _, err := s.Auth.SetDisabled(r.Context(), httpx.Principal(r), id, disabled); err != nil {
		s.fail(w, r, err)
		return
	}
	flash := "flash.account_enabled"
	if disabled {
		flash = "flash.account_disabled"
	}
	http.Redirect(w, r, "/admin/accounts/"+r.PathValue("id")+"?flash="+flash, http.StatusSeeOther)
}
