package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
)

// The authorization matrix: every route of every surface, tried as every demo
// role (and anonymously), inside and outside the role's scope, with the exact
// status expected. A route added without scenarios here fails
// TestEveryRouteHasScenarios, so no route is ever open by accident.

var users = []string{"", "admin", "tianjin-office", "heping-office", "hedong-office", "quanyechang",
	"team-admin", "volunteer", "resident", "chengguan"}

// outcome gives the status per user; Default applies to users not listed.
type outcome struct {
	Default int
	By      map[string]int
}

func (o outcome) want(user string) int {
	if s, ok := o.By[user]; ok {
		return s
	}
	return o.Default
}

// call is one request of a scenario; path and body may depend on the user.
type call struct {
	path func(env *apptest.Env, user string) string
	body func(user string) any // JSON value, or url.Values for forms
	// bodyOf, if set, is used instead of body when the body needs the environment.
	bodyOf func(env *apptest.Env, user string) any
	expect outcome
}

func fixed(p string) func(*apptest.Env, string) string {
	return func(*apptest.Env, string) string { return p }
}

func accountPath(prefix, username, suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		return fmt.Sprintf("%s%d%s", prefix, accountID(env, username), suffix)
	}
}

func accountID(env *apptest.Env, username string) int64 {
	var id int64
	if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT id FROM accounts WHERE username = $1`, username).Scan(&id); err != nil {
		env.T.Fatalf("account %s: %v", username, err)
	}
	return id
}

// freshGrant gives username a new volunteer grant (as the system) and
// returns the revoke path for it, so each user revokes a grant of its own.
func freshGrant(prefix, username, suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		id := accountID(env, username)
		a, err := env.App.Auth.Account(context.Background(), auth.System, id)
		if err != nil {
			env.T.Fatal(err)
		}
		for _, g := range a.Grants {
			if g.Role == auth.RoleResident {
				return fmt.Sprintf("%s%d/grants/%d%s", prefix, id, g.ID, suffix)
			}
		}
		g, err := env.App.Auth.AddGrant(context.Background(), auth.System, id, auth.Grant{Role: auth.RoleResident})
		if err != nil {
			env.T.Fatal(err)
		}
		return fmt.Sprintf("%s%d/grants/%d%s", prefix, id, g.ID, suffix)
	}
}

// hepingAdmin returns the id of a platform admin whose account's region
// lies in Heping (created as the system on first use): no office may change
// it, whatever its district.
func hepingAdmin(env *apptest.Env) int64 {
	var id int64
	err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT id FROM accounts WHERE username = 'heping-platform'`).Scan(&id)
	if err == nil {
		return id
	}
	a, err := env.App.Auth.CreateAccount(context.Background(), auth.System, auth.NewAccount{Username: "heping-platform",
		Password: "password-123", RegionCode: "120101001", Grant: auth.Grant{Role: auth.RolePlatformAdmin}})
	if err != nil {
		env.T.Fatal(err)
	}
	return a.ID
}

func hepingAdminPath(prefix, suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		return fmt.Sprintf("%s%d%s", prefix, hepingAdmin(env), suffix)
	}
}

// ownAccountPath is the user's own account (the admin's for the anonymous).
func ownAccountPath(prefix, suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, user string) string {
		if user == "" {
			user = "admin"
		}
		return fmt.Sprintf("%s%d%s", prefix, accountID(env, user), suffix)
	}
}

const (
	ok       = http.StatusOK
	created  = http.StatusCreated
	noBody   = http.StatusNoContent
	see      = http.StatusSeeOther
	unauth   = http.StatusUnauthorized
	denied   = http.StatusForbidden
	missing  = http.StatusNotFound
	conflict = http.StatusConflict
)

// admins of the whole city and of Heping see Heping's records; Hedong's does not.
var hepingRecord = map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "hedong-office": missing, "": unauth}

func with(def int, by map[string]int, extra ...any) outcome {
	m := map[string]int{}
	for k, v := range by {
		m[k] = v
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1].(int)
	}
	return outcome{Default: def, By: m}
}

func newAccountBody(region string) func(string) any {
	return func(user string) any {
		return map[string]any{"username": "m-" + strings.ReplaceAll(user, "-", "") + "-" + region, "password": "password-123", "region_code": region}
	}
}

func newAccountForm(region string) func(string) any {
	return func(user string) any {
		return url.Values{"username": {"w-" + strings.ReplaceAll(user, "-", "") + "-" + region}, "password": {"password-123"}, "region_code": {region}}
	}
}

var officeAdmins = map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "hedong-office": ok, "": unauth}

func apiScenarios() map[string][]call {
	return map[string][]call{
		"GET /api/v1/openapi.json": {{path: fixed("/api/v1/openapi.json"), expect: outcome{Default: ok}}},
		"POST /api/v1/auth/login": {{path: fixed("/api/v1/auth/login"),
			body:   func(u string) any { return map[string]string{"username": "nobody-" + u, "password": "wrong-password"} },
			expect: outcome{Default: unauth}}},
		"POST /api/v1/auth/logout": {{path: fixed("/api/v1/auth/logout"), expect: with(noBody, map[string]int{"": unauth})}},
		"GET /api/v1/me":           {{path: fixed("/api/v1/me"), expect: with(ok, map[string]int{"": unauth})}},
		"GET /api/v1/regions": {
			{path: fixed("/api/v1/regions?parent=1201"), expect: outcome{Default: ok}},
			{path: fixed("/api/v1/regions?parent=999999"), expect: outcome{Default: missing}},
		},
		"GET /api/v1/accounts": {{path: fixed("/api/v1/accounts"), expect: with(denied, officeAdmins)}},
		"POST /api/v1/accounts": {
			{path: fixed("/api/v1/accounts"), body: newAccountBody("120101001"),
				expect: with(denied, map[string]int{"admin": created, "tianjin-office": created, "heping-office": created, "": unauth})},
			{path: fixed("/api/v1/accounts"), body: newAccountBody("110105"),
				expect: with(denied, map[string]int{"admin": created, "": unauth})},
		},
		"GET /api/v1/accounts/{id}": {
			{path: accountPath("/api/v1/accounts/", "quanyechang", ""), expect: with(denied, hepingRecord)},
			{path: accountPath("/api/v1/accounts/", "hedong-office", ""),
				expect: with(denied, map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": missing, "hedong-office": ok, "": unauth})},
		},
		"POST /api/v1/accounts/{id}/grants": {
			{path: accountPath("/api/v1/accounts/", "volunteer2", "/grants"),
				body:   func(user string) any { return map[string]any{"role": "community_worker", "region_code": "120101002"} },
				expect: with(denied, hepingRecord, "admin", created, "tianjin-office", conflict, "heping-office", conflict)},
			{path: accountPath("/api/v1/accounts/", "volunteer2", "/grants"),
				body:   func(user string) any { return map[string]any{"role": "platform_admin"} },
				expect: with(denied, hepingRecord, "admin", created, "tianjin-office", denied, "heping-office", denied)},
		},
		"DELETE /api/v1/accounts/{id}/grants/{grant}": {
			{path: freshGrant("/api/v1/accounts/", "resident", ""),
				expect: with(denied, hepingRecord, "admin", noBody, "tianjin-office", noBody, "heping-office", noBody)},
		},
		"POST /api/v1/accounts/{id}/disable": {
			{path: accountPath("/api/v1/accounts/", "volunteer2", "/disable"),
				expect: with(denied, hepingRecord)},
			{path: hepingAdminPath("/api/v1/accounts/", "/disable"),
				expect: with(denied, hepingRecord, "admin", ok, "tianjin-office", denied, "heping-office", denied)},
			{path: ownAccountPath("/api/v1/accounts/", "/disable"),
				expect: with(denied, officeAdmins, "admin", conflict, "tianjin-office", conflict, "heping-office", conflict, "hedong-office", conflict)},
		},
		"POST /api/v1/accounts/{id}/enable": {
			{path: accountPath("/api/v1/accounts/", "volunteer2", "/enable"),
				expect: with(denied, hepingRecord)},
			{path: hepingAdminPath("/api/v1/accounts/", "/enable"),
				expect: with(denied, hepingRecord, "admin", ok, "tianjin-office", denied, "heping-office", denied)},
		},
		"GET /api/v1/audit": {{path: fixed("/api/v1/audit"), expect: with(denied, officeAdmins)}},
	}
}

// webOK are the web statuses for a GET guarded by an office-admin permission.
var webAdmins = map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "hedong-office": ok, "": see}

func webScenarios() map[string][]call {
	anyone := outcome{Default: ok}
	signedIn := with(ok, map[string]int{"": see})
	return map[string][]call{
		"GET /{$}":     {{path: fixed("/"), expect: anyone}},
		"GET /static/": {{path: fixed("/static/app.css"), expect: anyone}},
		"GET /login":   {{path: fixed("/login"), expect: with(ok, nil, "admin", see, "tianjin-office", see, "heping-office", see, "hedong-office", see, "quanyechang", see, "team-admin", see, "volunteer", see, "resident", see, "chengguan", see)}},
		"POST /login":  {{path: fixed("/login"), body: func(u string) any { return url.Values{"username": {"web-nobody-" + u}, "password": {"x"}} }, expect: outcome{Default: unauth}}},
		"POST /logout": {{path: fixed("/logout"), body: func(string) any { return url.Values{} }, expect: with(see, map[string]int{"": unauth})}},
		"POST /locale": {{path: fixed("/locale"), body: func(string) any { return url.Values{"lang": {"zh"}} }, expect: outcome{Default: see}}},
		"GET /account": {{path: fixed("/account"), expect: signedIn}},
		"POST /account/password": {{path: fixed("/account/password"),
			body: func(string) any {
				return url.Values{"old_password": {"wrong-password"}, "password": {"new-password-1"}, "password_confirm": {"new-password-1"}}
			},
			expect: with(http.StatusUnprocessableEntity, map[string]int{"": unauth})}},
		"GET /admin/accounts":     {{path: fixed("/admin/accounts"), expect: with(denied, webAdmins)}},
		"GET /admin/accounts/new": {{path: fixed("/admin/accounts/new"), expect: with(denied, webAdmins)}},
		"POST /admin/accounts": {{path: fixed("/admin/accounts"), body: newAccountForm("120101002"),
			expect: with(denied, map[string]int{"admin": see, "tianjin-office": see, "heping-office": see, "hedong-office": denied, "": unauth})}},
		"GET /admin/accounts/{id}": {{path: accountPath("/admin/accounts/", "quanyechang", ""),
			expect: with(denied, map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "hedong-office": missing, "": see})}},
		"POST /admin/accounts/{id}/grants": {{path: accountPath("/admin/accounts/", "volunteer", "/grants"),
			body:   func(string) any { return url.Values{"role": {"community_worker"}, "grant_region_code": {"120101001"}} },
			expect: with(denied, map[string]int{"admin": see, "tianjin-office": conflict, "heping-office": conflict, "hedong-office": missing, "": unauth})}},
		"POST /admin/accounts/{id}/grants/{grant}/revoke": {{path: freshGrant("/admin/accounts/", "volunteer", "/revoke"), body: func(string) any { return url.Values{} },
			expect: with(denied, map[string]int{"admin": see, "tianjin-office": see, "heping-office": see, "hedong-office": missing, "": unauth})}},
		"POST /admin/accounts/{id}/disable": {
			{path: accountPath("/admin/accounts/", "volunteer2", "/disable"), body: func(string) any { return url.Values{} },
				expect: with(denied, map[string]int{"admin": see, "tianjin-office": see, "heping-office": see, "hedong-office": missing, "": unauth})},
			{path: hepingAdminPath("/admin/accounts/", "/disable"), body: func(string) any { return url.Values{} },
				expect: with(denied, map[string]int{"admin": see, "hedong-office": missing, "": unauth})},
		},
		"POST /admin/accounts/{id}/enable": {
			{path: accountPath("/admin/accounts/", "volunteer2", "/enable"), body: func(string) any { return url.Values{} },
				expect: with(denied, map[string]int{"admin": see, "tianjin-office": see, "heping-office": see, "hedong-office": missing, "": unauth})},
			{path: hepingAdminPath("/admin/accounts/", "/enable"), body: func(string) any { return url.Values{} },
				expect: with(denied, map[string]int{"admin": see, "hedong-office": missing, "": unauth})},
		},
		"GET /admin/audit": {{path: fixed("/admin/audit"), expect: with(denied, webAdmins)}},
		"GET /":            {{path: fixed("/no-such-page"), expect: outcome{Default: missing}}},
	}
}

func opsScenarios() map[string][]call {
	return map[string][]call{
		"GET /healthz": {{path: fixed("/healthz"), expect: outcome{Default: ok}}},
	}
}

func allScenarios() map[string][]call {
	all := map[string][]call{}
	for _, m := range []map[string][]call{apiScenarios(), registryScenarios(), webScenarios(), webRegistryScenarios(), projectScenarios(), webProjectScenarios(), statsScenarios(), opsScenarios(), claimScenarios(), webClaimScenarios()} {
		for k, v := range m {
			all[k] = v
		}
	}
	return all
}

func TestEveryRouteHasScenarios(t *testing.T) {
	env := apptest.New(t)
	scen := allScenarios()
	seen := map[string]bool{}
	for _, r := range env.App.Routes() {
		key := r.Method + " " + r.Pattern
		seen[key] = true
		if !r.Perm.Known() {
			t.Errorf("route %s has no known permission", key)
		}
		if len(scen[key]) == 0 {
			t.Errorf("route %s has no authorization scenarios", key)
		}
	}
	for key := range scen {
		if !seen[key] {
			t.Errorf("scenarios for %s, which is not a route", key)
		}
	}
}

// orderedKeys sorts the scenarios, with the logouts last since they end the
// sessions the other scenarios use.
func orderedKeys(scen map[string][]call) []string {
	keys := make([]string, 0, len(scen))
	for k := range scen {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := strings.Contains(keys[i], "logout"), strings.Contains(keys[j], "logout")
		if li != lj {
			return lj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// TestAuthorizationMatrix runs every scenario as every user. Users act in
// a fixed order, so a write by one (a revoked grant) is seen by the next.
func TestAuthorizationMatrix(t *testing.T) {
	env := apptest.New(t)
	browsers := map[string]*apptest.Browser{}
	for _, u := range users {
		b := env.Browser()
		if u != "" {
			b.Login(u)
		}
		browsers[u] = b
	}
	csrf := map[string]string{}
	for _, u := range users {
		csrf[u] = browsers[u].CSRF("/")
	}
	tried := 0
	scen := allScenarios()
	for _, key := range orderedKeys(scen) {
		calls := scen[key]
		method := strings.SplitN(key, " ", 2)[0]
		isAPI := strings.Contains(key, "/api/")
		for i, c := range calls {
			for _, u := range users {
				path := c.path(env, u)
				var body any
				if c.body != nil {
					body = c.body(u)
				}
				if c.bodyOf != nil {
					body = c.bodyOf(env, u)
				}
				var status int
				var got string
				if isAPI || !strings.Contains(key, "/") || strings.HasPrefix(key, "GET /healthz") {
					tok := ""
					if u != "" && isAPI {
						tok = env.Token(u)
					}
					var b []byte
					status, b = env.JSON(method, path, tok, body)
					got = string(b)
				} else if method == "GET" {
					status, got, _ = browsers[u].Get(path)
				} else {
					form, _ := body.(url.Values)
					if form == nil {
						form = url.Values{}
					}
					form.Set("csrf", csrf[u])
					status, got, _ = browsers[u].Post(path, form)
				}
				tried++
				if want := c.expect.want(u); status != want {
					if len(got) > 300 {
						got = got[:300]
					}
					t.Errorf("%s #%d as %q: %s → %d, want %d\n%s", key, i, u, path, status, want, got)
				}
			}
		}
	}
	if t.Failed() {
		for _, line := range strings.Split(env.Logs.String(), "\n") {
			if strings.Contains(line, `"level":"ERROR"`) {
				t.Log(line)
			}
		}
	}
	t.Logf("authorization matrix: %d requests over %d routes × %d users", tried, len(allScenarios()), len(users))
}
