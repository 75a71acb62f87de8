// Package apptest starts the whole application on a fresh test database with
// the demo data, behind a real HTTP listener, and gives tests signed-in
// clients for every demo account.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/app"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/dbtest"
	"zhiyuan/internal/demo"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/volunteer"
)

// Env is a running application with its demo accounts.
type Env struct {
	T         testing.TB
	App       *app.App
	Server    *httptest.Server
	Passwords map[string]string // username → password
	Logs      *SafeBuffer

	mu     sync.Mutex
	tokens map[string]string
}

// SafeBuffer is a bytes.Buffer safe for concurrent writes (the server's log).
type SafeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends to the buffer.
func (s *SafeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns the contents.
func (s *SafeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// roomy is a rate limit the tests sharing one address do not reach.
var roomy = auth.Limit{Max: 1 << 20, Window: time.Hour}

// New starts the application on a fresh database loaded with the demo data.
func New(t testing.TB) *Env {
	t.Helper()
	d := dbtest.New(t)
	master := bytes.Repeat([]byte{7}, 32)
	keys, err := pii.NewKeyring(master)
	if err != nil {
		t.Fatal(err)
	}
	logs := &SafeBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	// The server's address is the configured public base URL, as a
	// deployment's would be; links never follow a request's Host.
	var h http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	a, err := app.New(app.Config{Addr: "127.0.0.1:0", BaseURL: "http://" + srv.Listener.Addr().String()}, d, keys, log)
	if err != nil {
		t.Fatal(err)
	}
	// Every test client shares one address: the authorization matrix alone
	// registers and claims more than a real address may in an hour. Tests of
	// the limits set their own.
	a.Volunteers.Limits = volunteer.Limits{Register: roomy, Probe: roomy, Claim: roomy, ClaimPerRecord: roomy, Confirm: roomy}
	h = a.Handler()
	accounts, err := demo.Load(context.Background(), a.DemoServices())
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{T: t, App: a, Passwords: map[string]string{}, Logs: logs, tokens: map[string]string{}}
	for _, acc := range accounts {
		e.Passwords[acc.Username] = acc.Password
	}
	srv.Start()
	e.Server = srv
	t.Cleanup(e.Server.Close)
	return e
}

// Token returns an API bearer token for a demo user (logging in once).
func (e *Env) Token(username string) string {
	e.T.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if tok, ok := e.tokens[username]; ok {
		return tok
	}
	status, body := e.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": e.Passwords[username]})
	if status != http.StatusOK {
		e.T.Fatalf("login %s: %d %s", username, status, body)
	}
	var out struct{ Token string }
	_ = json.Unmarshal(body, &out)
	e.tokens[username] = out.Token
	return out.Token
}

// Principal returns the signed-in principal of a demo user (through an
// API token), as a service method receives it.
func (e *Env) Principal(username string) *auth.Principal {
	e.T.Helper()
	p, err := e.App.Auth.Authenticate(context.Background(), e.Token(username), auth.SessionAPI)
	if err != nil {
		e.T.Fatalf("authenticate %s: %v", username, err)
	}
	return p
}

// JSON sends a request with an optional bearer token and JSON body; body may
// be a string (sent as is) or a value to marshal.
func (e *Env) JSON(method, path, token string, body any) (int, []byte) {
	e.T.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, e.Server.URL+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, data
}

// Browser is a cookie-keeping client that does not follow redirects.
type Browser struct {
	env    *Env
	Client *http.Client
}

// Browser returns a new anonymous browser-like client.
func (e *Env) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{env: e, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Get fetches a page and returns status, body and the Location header.
func (b *Browser) Get(path string) (int, string, string) {
	b.env.T.Helper()
	res, err := b.Client.Get(b.env.Server.URL + path)
	if err != nil {
		b.env.T.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data), res.Header.Get("Location")
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF fetches a page and returns the CSRF token in its forms.
func (b *Browser) CSRF(path string) string {
	b.env.T.Helper()
	_, body, _ := b.Get(path)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		b.env.T.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

// Post submits a form as is (include "csrf" to pass the check).
func (b *Browser) Post(path string, form url.Values) (int, string, string) {
	b.env.T.Helper()
	res, err := b.Client.PostForm(b.env.Server.URL+path, form)
	if err != nil {
		b.env.T.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data), res.Header.Get("Location")
}

// Login signs a demo user in through the login form.
func (b *Browser) Login(username string) {
	b.env.T.Helper()
	form := url.Values{"csrf": {b.CSRF("/login")}, "username": {username}, "password": {b.env.Passwords[username]}}
	status, body, _ := b.Post("/login", form)
	if status != http.StatusSeeOther {
		b.env.T.Fatalf("login %s: %d %s", username, status, body)
	}
}

// Cookie returns the value of a cookie the browser holds for the server.
func (b *Browser) Cookie(name string) string {
	u, _ := url.Parse(b.env.Server.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}
