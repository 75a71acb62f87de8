package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
)

// get fetches path from the test server and returns status, headers and body.
func get(t *testing.T, env *apptest.Env, method, path string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, env.Server.URL+path, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// TestStaticServesFilesOnly checks that /static/ serves its files and lists
// no directory.
func TestStaticServesFilesOnly(t *testing.T) {
	env := apptest.New(t)
	if status, _, body := get(t, env, "GET", "/static/app.css"); status != 200 || body == "" {
		t.Fatalf("app.css: %d", status)
	}
	for _, p := range []string{"/static/", "/static/vendor/", "/static/vendor", "/static/./"} {
		if status, _, body := get(t, env, "GET", p); status != 404 || strings.Contains(body, `href="app.css"`) || strings.Contains(body, `href="VERSIONS"`) {
			t.Errorf("%s: %d %.200s", p, status, body)
		}
	}
}

// TestMetricsApartAndMethods checks that the main listener does not serve
// /metrics, that a method nobody uses is counted as "other" (a client
// cannot add series), and that an unknown method on a known path answers
// 405 with Allow.
func TestMetricsApartAndMethods(t *testing.T) {
	env := apptest.New(t)
	if status, _, _ := get(t, env, "GET", "/metrics"); status != 404 {
		t.Fatalf("/metrics on the main listener: %d", status)
	}
	for _, m := range []string{"FOO", "BREW-COFFEE-1", "PROPFIND"} {
		status, h, _ := get(t, env, m, "/login")
		if status != 405 || !strings.Contains(h.Get("Allow"), "GET") {
			t.Errorf("%s /login: %d Allow %q", m, status, h.Get("Allow"))
		}
	}
	status, h, _ := get(t, env, "FOO", "/api/v1/projects")
	if status != 405 || !strings.Contains(h.Get("Allow"), "GET") {
		t.Errorf("FOO /api/v1/projects: %d Allow %q", status, h.Get("Allow"))
	}
	srv := httptest.NewServer(env.App.MetricsHandler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, m := range []string{"FOO", "BREW-COFFEE-1", "PROPFIND"} {
		if strings.Contains(string(body), `method="`+m+`"`) {
			t.Errorf("metrics count method %s as its own series", m)
		}
	}
	if !strings.Contains(string(body), `method="other"`) {
		t.Errorf("no method=\"other\" series:\n%.2000s", body)
	}
}

// TestLargeURLEncodedFormIs413 checks that a URL-encoded form over the 1 MB
// limit is refused as too large (413, naming the limit), not as an expired
// form.
func TestLargeURLEncodedFormIs413(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	form := url.Values{"csrf": {b.CSRF("/login")}, "username": {"admin"}, "password": {strings.Repeat("x", 2<<20)}}
	status, body, _ := b.Post("/login", form)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "请求内容过大，不能超过 1 MB") || strings.Contains(body, "表单已过期") {
		t.Fatalf("large form: %d %.300s", status, body)
	}
}

// TestBadFilterValuesAreRefused checks that a list's filter or position
// that is not a number is refused with a message naming it, not ignored.
func TestBadFilterValuesAreRefused(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	b.Login("heping-office")
	for path, param := range map[string]string{
		"/admin/volunteers?team_id=abc":     "team_id",
		"/admin/volunteers.xlsx?team_id=1x": "team_id",
		"/admin/volunteers?after=abc":       "after",
		"/admin/accounts?after=abc":         "after",
		"/admin/audit?before=-1":            "before",
		"/projects?after=abc":               "after",
		"/teams?after=abc":                  "after",
		"/teams/1/members?after=abc":        "after",
	} {
		status, body, _ := b.Get(path)
		if status != http.StatusBadRequest || !strings.Contains(body, "查询参数“"+param+"”的值无效。") {
			t.Errorf("%s: %d %.300s", path, status, body)
		}
	}
}
