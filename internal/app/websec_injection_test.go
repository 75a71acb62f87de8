package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"zhiyuan/internal/apptest"
)

// injections are fed to every search and filter parameter.
var injections = []string{"' OR 1=1 --", "%' --", `\`, `\\`, "'; DROP TABLE volunteers; --", "%", "_", "%%", `\%`, "*",
	"\" OR \"\"=\"", "1) OR (1=1", "‘ OR 1=1 --", "’; DROP TABLE accounts; --", "“%”", "＇ OR ＇1＇=＇1", "\x00", "张\x00%", "\xff\xfe", "[a-z]%"}

// nobody is a search value that matches nothing.
const nobody = "无此人zzqx"

// searchTarget is one query parameter of one list route.
type searchTarget struct {
	route, path, param, user string
	api                      bool
}

// apiSearchTargets reads the query parameters of every GET operation from
// openapi.json (which TestOpenAPIMatchesRoutes keeps true to the route
// table), at the path the route's first scenario gives it.
func apiSearchTargets(t *testing.T, env *apptest.Env) []searchTarget {
	status, raw := env.JSON("GET", "/api/v1/openapi.json", "", nil)
	if status != http.StatusOK {
		t.Fatalf("openapi.json: %d", status)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string } `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	scen := allScenarios()
	var out []searchTarget
	for pattern, ops := range doc.Paths {
		for _, p := range ops["get"].Parameters {
			if p.In != "query" {
				continue
			}
			key := "GET " + pattern
			c := scen[key][0]
			best, rank := "", -1
			for _, u := range users {
				if rk := passRank(c.expect.want(u)); rk > rank {
					best, rank = u, rk
				}
			}
			path, _, _ := strings.Cut(c.path(env, best), "?")
			out = append(out, searchTarget{route: key, path: path, param: p.Name, user: best, api: true})
		}
	}
	return out
}

// webSearchTargets collects every field of every GET form on every page the
// demo users reach.
func webSearchTargets(t *testing.T, env *apptest.Env, browsers map[string]*apptest.Browser) []searchTarget {
	seen := map[string]bool{}
	var out []searchTarget
	for _, p := range webPages(t, env, browsers) {
		walk(p.doc, func(n *html.Node) {
			if n.Data != "form" || strings.EqualFold(attr(n, "method"), "post") {
				return
			}
			action := attr(n, "action")
			if action == "" {
				action, _, _ = strings.Cut(p.path, "?")
			}
			walk(n, func(in *html.Node) {
				name := attr(in, "name")
				if (in.Data != "input" && in.Data != "select") || name == "" || name == "csrf" || seen[p.user+action+name] {
					return
				}
				seen[p.user+action+name] = true
				out = append(out, searchTarget{route: "GET " + action, path: action, param: name, user: p.user})
			})
		})
	}
	return out
}

// rows counts what a list answer shows: JSON items, or table rows and list
// items of an HTML page.
func rows(body []byte, api bool) int {
	if !api {
		return bytes.Count(body, []byte("<tr")) + bytes.Count(body, []byte("<li")) + bytes.Count(body, []byte("<article"))
	}
	var page struct{ Items []json.RawMessage }
	if json.Unmarshal(body, &page) == nil && page.Items != nil {
		return len(page.Items)
	}
	var list []json.RawMessage
	if json.Unmarshal(body, &list) == nil {
		return len(list)
	}
	return 0
}

func tableCounts(t *testing.T, env *apptest.Env) map[string]int {
	out := map[string]int{}
	for _, table := range []string{"volunteers", "accounts", "teams", "projects", "shifts", "signups", "sessions"} {
		var n int
		if err := env.App.DB.Read().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("table %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// TestInjectionStringsInSearches feeds SQL injection strings, LIKE
// wildcards, Unicode quotes, NUL and invalid UTF-8 to every search and
// filter parameter of every list route, web and API: no 5xx, never more
// rows than a search that matches nobody, and the tables intact after.
func TestInjectionStringsInSearches(t *testing.T) {
	env := apptest.New(t)
	browsers := signedInBrowsers(env)
	targets := append(apiSearchTargets(t, env), webSearchTargets(t, env, browsers)...)
	before := tableCounts(t, env) // after the scenarios' fixtures are made
	get := func(st searchTarget, value string) (int, []byte) {
		u := st.path + "?" + url.Values{st.param: {value}}.Encode()
		if st.api {
			tok := ""
			if st.user != "" {
				tok = env.Token(st.user)
			}
			return env.JSON("GET", u, tok, nil)
		}
		res, err := browsers[st.user].Client.Get(env.Server.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	tried := 0
	for _, st := range targets {
		_, base := get(st, nobody)
		_, empty := get(st, "")
		for _, inj := range injections {
			status, body := get(st, inj)
			tried++
			if status >= 500 {
				t.Errorf("%s %s=%q as %q: %d %.300s", st.route, st.param, inj, st.user, status, body)
				continue
			}
			// Control characters are cleaned out of a search, so one made
			// of nothing else is no search at all.
			limit := rows(base, st.api)
			if strings.Trim(inj, "\x00") == "" {
				limit = rows(empty, st.api)
			}
			if n := rows(body, st.api); status == http.StatusOK && n > limit {
				t.Errorf("%s %s=%q as %q: %d rows, a search matching nobody shows %d", st.route, st.param, inj, st.user, n, limit)
			}
		}
	}
	if after := tableCounts(t, env); !equalCounts(before, after) {
		t.Errorf("tables changed by searches: %v → %v", before, after)
	}
	if len(targets) < 20 {
		t.Errorf("only %d search parameters found", len(targets))
	}
	t.Logf("%d injection requests over %d search parameters", tried, len(targets))
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if k != "sessions" && b[k] != v {
			return false
		}
	}
	return true
}

// TestTextPostgreSQLCannotStoreIsRefused sends NUL and invalid UTF-8 in a
// path, a query string, a form, a JSON body and an upload's file name: each
// is a 400 with the Chinese message on both engines, never a database error.
func TestTextPostgreSQLCannotStoreIsRefused(t *testing.T) {
	env := apptest.New(t)
	const msg = "无法保存的字符"
	admin := env.Token("admin")
	for _, path := range []string{"/api/v1/verify/abcdefghij%00klm", "/api/v1/teams?q=%FF", "/api/v1/projects?region_code=12%00"} {
		if status, body := env.JSON("GET", path, admin, nil); status != http.StatusBadRequest || !strings.Contains(apiMessage(string(body)), msg) {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	for _, name := range []string{"团队\x00", "团队\xff"} {
		body := `{"name":` + strconvQuote(name) + `,"region_code":"120101001","contact_name":"联系人","contact_phone":"022-23456789"}`
		if status, raw := env.JSON("POST", "/api/v1/teams", admin, body); status != http.StatusBadRequest && !(status == http.StatusCreated && !strings.Contains(name, "\x00")) {
			t.Errorf("team named %q over the API: %d %s", name, status, raw)
		}
	}
	b := env.Browser()
	b.Login("admin")
	if status, body, _ := b.Get("/verify/abcdefghij%00klm"); status != http.StatusBadRequest || !strings.Contains(body, msg) {
		t.Errorf("web path with NUL: %d", status)
	}
	form := url.Values{"csrf": {b.CSRF("/teams/new")}, "name": {"团队\x00"}, "region_code": {"120101001"}, "contact_name": {"联系人"}, "contact_phone": {"022-23456789"}}
	if status, body, _ := b.Post("/teams", form); status != http.StatusBadRequest || !strings.Contains(body, msg) {
		t.Errorf("web form with NUL: %d", status)
	}
	body, ct := multipartBody(nil, "名单\xff.xlsx", peFile, int64(len(peFile)))
	if status, got := send(t, nil, env.Server.URL+"/api/v1/teams/1/imports", env.Token("team-admin"), body, ct); status != http.StatusBadRequest || !strings.Contains(apiMessage(got), msg) {
		t.Errorf("upload named in invalid UTF-8: %d %s", status, got)
	}
}

// strconvQuote writes s as a JSON string, escaping NUL as \u0000 and
// passing invalid UTF-8 through raw.
func strconvQuote(s string) string {
	return `"` + strings.ReplaceAll(s, "\x00", `\u0000`) + `"`
}
