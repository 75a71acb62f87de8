package app_test

import (
	"io"
	"net/http"
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
