package api

import (
	"net/http"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

// Routes is the whole JSON surface; the OpenAPI document lists exactly these.
func (s *Server) Routes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/openapi.json", Perm: auth.PermPublic, Handler: s.openapi},
		{Method: "POST", Pattern: "/api/v1/auth/login", Perm: auth.PermPublic, Handler: s.login},
		{Method: "POST", Pattern: "/api/v1/auth/logout", Perm: auth.PermSignedIn, Handler: s.logout},
		{Method: "GET", Pattern: "/api/v1/me", Perm: auth.PermSignedIn, Handler: s.me},
		{Method: "GET", Pattern: "/api/v1/regions", Perm: auth.PermPublic, Handler: s.regions},
		{Method: "GET", Pattern: "/api/v1/accounts", Perm: auth.PermAccountsView, Handler: s.accountList},
		{Method: "POST", Pattern: "/api/v1/accounts", Perm: auth.PermAccountsAdmin, Handler: s.accountCreate},
		{Method: "GET", Pattern: "/api/v1/accounts/{id}", Perm: auth.PermAccountsView, Handler: s.accountGet},
		{Method: "POST", Pattern: "/api/v1/accounts/{id}/grants", Perm: auth.PermAccountsAdmin, Handler: s.grantAdd},
		{Method: "DELETE", Pattern: "/api/v1/accounts/{id}/grants/{grant}", Perm: auth.PermAccountsAdmin, Handler: s.grantRevoke},
		{Method: "GET", Pattern: "/api/v1/audit", Perm: auth.PermAuditView, Handler: s.auditList},
	}
}

// mountRoutes registers routes and answers unknown API paths with the JSON
// envelope instead of the HTML 404 page.
func mountRoutes(mux *http.ServeMux, routes []httpx.Route, deny httpx.Deny) {
	httpx.Mount(mux, routes, deny)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { deny(w, r, errNoRoute) })
}
