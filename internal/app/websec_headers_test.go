package app_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
)

// checkSecurityHeaders reports what is missing from a response's headers.
func checkSecurityHeaders(h http.Header) []string {
	var bad []string
	csp := h.Get("Content-Security-Policy")
	scripts := ""
	for _, d := range strings.Split(csp, ";") {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "script-src" {
			scripts = d
		}
	}
	if scripts == "" {
		for _, d := range strings.Split(csp, ";") {
			if f := strings.Fields(d); len(f) > 0 && f[0] == "default-src" {
				scripts = d
			}
		}
	}
	if scripts == "" || strings.Contains(scripts, "'unsafe-inline'") || strings.Contains(scripts, "'unsafe-eval'") || strings.Contains(scripts, "*") {
		bad = append(bad, "CSP script sources "+strings.TrimSpace(scripts))
	}
	if h.Get("X-Frame-Options") != "DENY" && !strings.Contains(csp, "frame-ancestors 'none'") {
		bad = append(bad, "framing allowed")
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		bad = append(bad, "no nosniff")
	}
	switch h.Get("Referrer-Policy") {
	case "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin":
	default:
		bad = append(bad, "Referrer-Policy "+h.Get("Referrer-Policy"))
	}
	return bad
}

// TestSecurityHeadersOnEveryRoute requests every route of every surface (from
// the route table, at its scenarios' paths) anonymously and as the user the
// scenario lets furthest, plus unknown paths and a wrong method: every
// answer, whatever its status, carries the security headers.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	env := apptest.New(t)
	browsers := signedInBrowsers(env)
	scen := allScenarios()
	csrf := map[string]string{}
	for _, u := range users {
		csrf[u] = browsers[u].CSRF("/")
	}
	tried := 0
	check := func(what string, res *http.Response, err error) {
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		tried++
		if bad := checkSecurityHeaders(res.Header); len(bad) > 0 {
			t.Errorf("%s → %d: %s", what, res.StatusCode, strings.Join(bad, "; "))
		}
	}
	for _, r := range env.App.Routes() {
		key := r.Method + " " + r.Pattern
		c := scen[key][0]
		best, rank := "", -1
		for _, u := range users {
			if rk := passRank(c.expect.want(u)); rk > rank {
				best, rank = u, rk
			}
		}
		for _, u := range []string{"", best} {
			path := c.path(env, u)
			var body []byte
			var ctype string
			if c.body != nil {
				switch b := c.body(u).(type) {
				case url.Values:
					b.Set("csrf", csrf[u])
					body, ctype = []byte(b.Encode()), "application/x-www-form-urlencoded"
				case string:
					body, ctype = []byte(b), "application/json"
				default:
					body, _ = json.Marshal(b)
					ctype = "application/json"
				}
			} else if r.Method != "GET" && !strings.HasPrefix(r.Pattern, "/api/") {
				body, ctype = []byte(url.Values{"csrf": {csrf[u]}}.Encode()), "application/x-www-form-urlencoded"
			}
			req, _ := http.NewRequest(r.Method, env.Server.URL+path, bytes.NewReader(body))
			if ctype != "" {
				req.Header.Set("Content-Type", ctype)
			}
			if strings.HasPrefix(r.Pattern, "/api/") && u != "" {
				req.Header.Set("Authorization", "Bearer "+env.Token(u))
			}
			res, err := browsers[u].Client.Do(req)
			check(key+" as "+u, res, err)
		}
	}
	for _, p := range []string{"/no-such-page", "/api/v1/no-such-route", "/static/no-such-file.js", "/static/app.css"} {
		res, err := http.Get(env.Server.URL + p)
		check("GET "+p, res, err)
	}
	req, _ := http.NewRequest("PATCH", env.Server.URL+"/login", nil)
	res, err := http.DefaultClient.Do(req)
	check("PATCH /login", res, err)
	t.Logf("security headers checked on %d responses over %d routes", tried, len(env.App.Routes()))
}
