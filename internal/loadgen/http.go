package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// transport is shared by every simulated client: connections are kept and
// reused, as a browser or phone keeps them.
var transport = &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, DisableCompression: true}

// apiClient calls the JSON API with a bearer token.
type apiClient struct {
	base  string
	token string
	http  *http.Client
}

func newAPI(base string) *apiClient {
	return &apiClient{base: base, http: &http.Client{Transport: transport}}
}

// do sends a request with an optional JSON body and decodes a JSON answer
// into out when out is not nil; a status other than want is an error.
func (c *apiClient) do(ctx context.Context, method, path string, body, out any, want int) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req, out, want)
}

func (c *apiClient) send(req *http.Request, out any, want int) (int, error) {
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode != want {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, clip(raw))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
		}
	}
	return res.StatusCode, nil
}

// login gets a bearer token for username.
func (c *apiClient) login(ctx context.Context, username, password string) error {
	var out struct {
		Token string `json:"token"`
	}
	if _, err := c.do(ctx, "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password}, &out, 200); err != nil {
		return err
	}
	c.token = out.Token
	return nil
}

// webClient is a browser: its own cookie jar, no redirects followed, and
// the CSRF token of its session.
type webClient struct {
	base string
	http *http.Client
	csrf string
}

func newWeb(base string) *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{base: base, http: &http.Client{Transport: transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// get fetches a page and returns its body; a status other than want is an error.
func (c *webClient) get(ctx context.Context, path string, want int) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return "", err
	}
	return c.send(req, want)
}

// post submits a form with the session's CSRF token.
func (c *webClient) post(ctx context.Context, path string, form url.Values, want int) (string, error) {
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.csrf)
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req, want)
}

func (c *webClient) send(req *http.Request, want int) (string, error) {
	res, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode != want {
		return string(raw), fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, clip(raw))
	}
	return string(raw), nil
}

// login signs in through the HTML form, as a person would: the login page
// first (for its CSRF token), then the form, then a page for the session's
// own token.
func (c *webClient) login(ctx context.Context, username, password string) error {
	page, err := c.get(ctx, "/login", 200)
	if err != nil {
		return err
	}
	m := csrfInput.FindStringSubmatch(page)
	if m == nil {
		return fmt.Errorf("login page: no CSRF token")
	}
	c.csrf = m[1]
	if _, err := c.post(ctx, "/login", url.Values{"username": {username}, "password": {password}}, http.StatusSeeOther); err != nil {
		return fmt.Errorf("login %s: %w", username, err)
	}
	page, err = c.get(ctx, "/me/hours", 200)
	if err != nil {
		return err
	}
	if m = csrfInput.FindStringSubmatch(page); m == nil {
		return fmt.Errorf("hours page: no CSRF token")
	}
	c.csrf = m[1]
	return nil
}

// clip shortens a response body for an error message.
func clip(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// groupCommits reads the server's shared-commit counters from /metrics
// (zero on PostgreSQL or an older server).
func groupCommits(ctx context.Context, base string) (commits, txs float64) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	if err != nil {
		return 0, 0
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, _ := strconv.ParseFloat(value, 64)
		switch name {
		case "zhiyuan_db_group_commits_total":
			commits = v
		case "zhiyuan_db_group_transactions_total":
			txs = v
		}
	}
	return commits, txs
}

// groupNote says how many write transactions shared a commit between two
// readings of groupCommits.
func groupNote(c0, t0, c1, t1 float64) string {
	if c1 <= c0 {
		return ""
	}
	return fmt.Sprintf("; %.0f write transactions in %.0f commits (%.1f per commit)", t1-t0, c1-c0, (t1-t0)/(c1-c0))
}
