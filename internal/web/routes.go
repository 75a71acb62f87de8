package web

import (
	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

// Routes is the whole HTML surface: every route names its permission.
func (s *Server) Routes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/{$}", Perm: auth.PermPublic, Handler: s.home},
		{Method: "GET", Pattern: "/static/", Perm: auth.PermPublic, Handler: s.static()},
		{Method: "GET", Pattern: "/login", Perm: auth.PermPublic, Handler: s.loginForm},
		{Method: "POST", Pattern: "/login", Perm: auth.PermPublic, Handler: s.login},
		{Method: "POST", Pattern: "/logout", Perm: auth.PermSignedIn, Handler: s.logout},
		{Method: "POST", Pattern: "/locale", Perm: auth.PermPublic, Handler: s.setLocale},
		{Method: "GET", Pattern: "/account", Perm: auth.PermSignedIn, Handler: s.accountPage},
		{Method: "POST", Pattern: "/account/password", Perm: auth.PermSignedIn, Handler: s.changePassword},

		{Method: "GET", Pattern: "/admin/accounts", Perm: auth.PermAccountsView, Handler: s.accountList},
		{Method: "GET", Pattern: "/admin/accounts/new", Perm: auth.PermAccountsAdmin, Handler: s.accountNewForm},
		{Method: "POST", Pattern: "/admin/accounts", Perm: auth.PermAccountsAdmin, Handler: s.accountCreate},
		{Method: "GET", Pattern: "/admin/accounts/{id}", Perm: auth.PermAccountsView, Handler: s.accountDetail},
		{Method: "POST", Pattern: "/admin/accounts/{id}/grants", Perm: auth.PermAccountsAdmin, Handler: s.grantAdd},
		{Method: "POST", Pattern: "/admin/accounts/{id}/grants/{grant}/revoke", Perm: auth.PermAccountsAdmin, Handler: s.grantRevoke},
		{Method: "POST", Pattern: "/admin/accounts/{id}/disable", Perm: auth.PermAccountsAdmin, Handler: s.accountDisable},
		{Method: "POST", Pattern: "/admin/accounts/{id}/enable", Perm: auth.PermAccountsAdmin, Handler: s.accountEnable},
		{Method: "GET", Pattern: "/admin/audit", Perm: auth.PermAuditView, Handler: s.auditList},

		{Method: "GET", Pattern: "/", Perm: auth.PermPublic, Handler: s.notFound},
	}
}
