package app_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"zhiyuan/internal/apptest"
)

// page is one HTML page a demo user reached by GET.
type page struct {
	user, path string
	doc        *html.Node
	whole      bool // a whole document, not an htmx fragment
}

// webPages fetches, as every demo user and anonymously, every path the
// scenarios give every GET route of the HTML surface (taken from the route
// table), and returns the HTML pages that answered 200.
func webPages(t *testing.T, env *apptest.Env, browsers map[string]*apptest.Browser) []page {
	scen := allScenarios()
	var out []page
	for _, r := range env.App.Routes() {
		if r.Method != "GET" || strings.HasPrefix(r.Pattern, "/api/") || r.Pattern == "/static/" {
			continue
		}
		for _, c := range scen[r.Method+" "+r.Pattern] {
			for _, u := range users {
				path := c.path(env, u)
				res, err := browsers[u].Client.Get(env.Server.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
					res.Body.Close()
					continue
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				doc, err := html.Parse(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("%s as %q: %v", path, u, err)
				}
				out = append(out, page{user: u, path: path, doc: doc, whole: bytes.Contains(raw, []byte("<body"))})
			}
		}
	}
	return out
}

func signedInBrowsers(env *apptest.Env) map[string]*apptest.Browser {
	browsers := map[string]*apptest.Browser{}
	for _, u := range users {
		b := env.Browser()
		if u != "" {
			b.Login(u)
		}
		browsers[u] = b
	}
	return browsers
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// walk calls fn on every element under n.
func walk(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

// TestEveryPostFormCarriesCSRF renders every page every demo user can reach
// and checks that each form that posts carries the visitor's CSRF token and
// that htmx requests send it as a header.
func TestEveryPostFormCarriesCSRF(t *testing.T) {
	env := apptest.New(t)
	browsers := signedInBrowsers(env)
	want := map[string]string{}
	for _, u := range users {
		want[u] = browsers[u].CSRF("/")
	}
	forms := 0
	for _, p := range webPages(t, env, browsers) {
		walk(p.doc, func(n *html.Node) {
			if n.Data == "body" && p.whole && !strings.Contains(attr(n, "hx-headers"), `"X-CSRF-Token": "`+want[p.user]+`"`) {
				t.Errorf("%s as %q: <body> does not give htmx the CSRF header", p.path, p.user)
			}
			if n.Data != "form" || !strings.EqualFold(attr(n, "method"), "post") {
				return
			}
			forms++
			var token []string
			walk(n, func(in *html.Node) {
				if in.Data == "input" && attr(in, "name") == "csrf" {
					token = append(token, attr(in, "value"))
				}
			})
			if len(token) != 1 || token[0] != want[p.user] {
				t.Errorf("%s as %q: form posting to %q has CSRF fields %q", p.path, p.user, attr(n, "action"), token)
			}
		})
	}
	if forms < 50 {
		t.Errorf("only %d post forms found: the crawl is not reaching the pages", forms)
	}
	t.Logf("%d post forms checked", forms)
}

// TestStateChangingWebRoutesRefuseMissingCSRF sends every non-GET route of
// the HTML surface, as the user its scenario lets furthest, without a
// token and with another visitor's: each is refused with 403 and the
// Chinese message, before the handler runs.
func TestStateChangingWebRoutesRefuseMissingCSRF(t *testing.T) {
	env := apptest.New(t)
	browsers := signedInBrowsers(env)
	scen := allScenarios()
	stranger := env.Browser().CSRF("/login")
	tried := 0
	for _, r := range env.App.Routes() {
		if r.Method == "GET" || strings.HasPrefix(r.Pattern, "/api/") {
			continue
		}
		c := scen[r.Method+" "+r.Pattern][0]
		best, rank := "", -1
		for _, u := range users {
			if rk := passRank(c.expect.want(u)); rk > rank {
				best, rank = u, rk
			}
		}
		path := c.path(env, best)
		for _, token := range []string{"", stranger, "x"} {
			form := url.Values{}
			if c.body != nil {
				if f, ok := c.body(best).(url.Values); ok {
					form = f
				}
			}
			if token != "" {
				form.Set("csrf", token)
			}
			status, body, _ := browsers[best].Post(path, form)
			tried++
			if status != http.StatusForbidden || !strings.Contains(body, "表单已过期或来源无效") {
				t.Errorf("%s %s as %q with CSRF %q: %d, want 403 and the message", r.Method, path, best, token, status)
			}
		}
		// A multipart upload without the token is refused the same way.
		var buf bytes.Buffer
		buf.WriteString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nx\r\n--b--\r\n")
		res, err := browsers[best].Client.Post(env.Server.URL+path, "multipart/form-data; boundary=b", &buf)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s as %q, multipart without CSRF: %d", r.Method, path, best, res.StatusCode)
		}
	}
	t.Logf("%d requests without a valid CSRF token refused", tried)
}
