package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/clock"
	"zhiyuan/internal/pii"
)

// TestLoad runs N concurrent clients on a mixed workload against the real
// binary for D seconds (ZHIYUAN_LOAD_CLIENTS, ZHIYUAN_LOAD_SECONDS; small
// defaults for CI) and requires zero 5xx and every response well-formed:
// JSON is the error envelope or a success body, HTML is a whole document,
// redirects go where expected. It logs the counts and latencies, and scans
// the server's log for every ID and phone number it sent.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	clients, seconds := envInt(t, "ZHIYUAN_LOAD_CLIENTS", 64), envInt(t, "ZHIYUAN_LOAD_SECONDS", 5)
	bin := build(t)
	dsn, extra := database(t, bin)
	p := start(t, bin, append([]string{"--db", dsn, "--demo"}, extra...)...)
	l := newLoad(t, p, clients)
	l.setup()
	// Every client registers and signs in first (password hashing bounds
	// this ramp-up); the clock starts when all have.
	tokens := make([]string, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tokens[i] = l.join(i)
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	for i, tok := range tokens {
		if tok == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.run(i, tok, deadline)
		}()
	}
	wg.Wait()
	l.report(seconds)
	if code := p.stop(t); code != 0 {
		t.Errorf("exit status after the load: %d", code)
	}
	logs := p.stderr.String()
	for _, s := range l.secrets() {
		if strings.Contains(logs, s) {
			t.Errorf("the server log holds a personal number sent during the load (%s…)", s[:4])
		}
	}
	if strings.Contains(logs, `"level":"ERROR"`) {
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, `"level":"ERROR"`) {
				t.Errorf("server error during the load: %.500s", line)
			}
		}
	}
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q is not a positive number", name, s)
	}
	return n
}

// load is the shared state of one load run.
type load struct {
	t        *testing.T
	p        *process
	http     *http.Client
	clients  int
	tokens   map[string]string // demo user → API token
	web      map[string]*http.Client
	csrf     map[string]string
	project  int64
	checkin  int64   // the shift every client checks in to
	shifts   []int64 // shifts for sign-up and cancel cycles
	codeMu   sync.Mutex
	code     string
	codeAt   time.Time
	statsMu  sync.Mutex
	kinds    map[string]*kindStats
	secretMu sync.Mutex
	numbers  []string
}

type kindStats struct {
	requests int
	byClass  [6]int // 1xx…5xx by first digit
	bad      int
	took     []time.Duration
}

func newLoad(t *testing.T, p *process, clients int) *load {
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: time.Minute}
	return &load{t: t, p: p, clients: clients, http: &http.Client{Transport: tr, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		tokens: map[string]string{}, web: map[string]*http.Client{}, csrf: map[string]string{}, kinds: map[string]*kindStats{}}
}

// reply is one response, read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request, times it, checks its form and counts it under kind.
// expect is "json", "html" or a redirect target ("→/login?next=…").
func (l *load) do(kind string, c *http.Client, method, path, token string, body any, expect string) reply {
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		r, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		data, _ := json.Marshal(b)
		r, ctype = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, l.p.URL+path, r)
	if err != nil {
		l.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c == nil {
		c = l.http
	}
	began := time.Now()
	res, err := c.Do(req)
	var out reply
	if err == nil {
		out = reply{status: res.StatusCode, header: res.Header}
		out.body, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	took := time.Since(began)
	problem := ""
	if err != nil {
		problem = err.Error()
	} else {
		problem = malformed(out, expect)
	}
	l.statsMu.Lock()
	k := l.kinds[kind]
	if k == nil {
		k = &kindStats{}
		l.kinds[kind] = k
	}
	k.requests++
	k.took = append(k.took, took)
	if err == nil && out.status >= 100 && out.status < 600 {
		k.byClass[out.status/100]++
	}
	if problem != "" {
		k.bad++
	}
	l.statsMu.Unlock()
	if problem != "" {
		l.t.Errorf("%s %s %s: %s (%d %.300s)", kind, method, path, problem, out.status, out.body)
	}
	return out
}

var envelopeRE = regexp.MustCompile(`^\{"error":\{"code":"[a-z_]+","message":"[^"]+`)

// malformed returns what is wrong with a response, or "".
func malformed(r reply, expect string) string {
	ct := r.header.Get("Content-Type")
	switch {
	case r.status >= 500:
		return "server error"
	case strings.HasPrefix(expect, "→"):
		if r.status != http.StatusSeeOther || r.header.Get("Location") != expect[len("→"):] {
			return "redirect to " + r.header.Get("Location") + ", want " + expect
		}
	case expect == "json":
		if r.status == http.StatusNoContent {
			if len(r.body) != 0 {
				return "204 with a body"
			}
			return ""
		}
		if !strings.HasPrefix(ct, "application/json") || !json.Valid(r.body) {
			return "not JSON (" + ct + ")"
		}
		if r.status >= 400 && !envelopeRE.Match(r.body) {
			return "error without the envelope"
		}
		if r.status < 400 && bytes.HasPrefix(r.body, []byte(`{"error":`)) {
			return "success status with an error body"
		}
	case expect == "html":
		body := strings.TrimSpace(string(r.body))
		if !strings.HasPrefix(ct, "text/html") || !strings.HasPrefix(body, "<!doctype html>") || !strings.HasSuffix(body, "</html>") {
			return "not a whole HTML document (" + ct + ")"
		}
		if r.status != http.StatusOK {
			return "page answered " + strconv.Itoa(r.status)
		}
	}
	return ""
}

func (l *load) mustJSON(r reply, want int, v any) {
	if r.status != want {
		l.t.Fatalf("setup: status %d, want %d: %.300s", r.status, want, r.body)
	}
	if v != nil {
		if err := json.Unmarshal(r.body, v); err != nil {
			l.t.Fatalf("setup: %v", err)
		}
	}
}

type idOnly struct {
	ID int64 `json:"id"`
}

// setup signs the demo users in, publishes a project with a shift to check
// in to (starting soon) and shifts for sign-up cycles (tomorrow, one an hour).
func (l *load) setup() {
	for _, u := range []string{"team-admin", "heping-office", "volunteer"} {
		var out struct{ Token string }
		l.mustJSON(l.do("setup", nil, "POST", "/api/v1/auth/login", "", map[string]string{"username": u, "password": l.p.Passwords[u]}, "json"), 200, &out)
		l.tokens[u] = out.Token
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: l.http.Transport, CheckRedirect: l.http.CheckRedirect}
		l.web[u] = c
		csrf := l.pageCSRF(c, "/login")
		r := l.do("setup", c, "POST", "/login", "", url.Values{"csrf": {csrf}, "username": {u}, "password": {l.p.Passwords[u]}}, "→/")
		if r.status != http.StatusSeeOther {
			l.t.Fatalf("web login %s: %d", u, r.status)
		}
		l.csrf[u] = l.pageCSRF(c, "/account")
	}
	leader := l.tokens["team-admin"]
	now := time.Now().In(clock.Zone)
	var pr idOnly
	l.mustJSON(l.do("setup", nil, "POST", "/api/v1/projects", leader, map[string]any{"team_id": 1, "name": "负载测试社区服务", "category": "社区服务",
		"content": "负载测试", "region_code": "120101001001", "address": "花园路社区", "recruit_count": 10000,
		"starts_on": now.Format("2006-01-02"), "ends_on": now.AddDate(0, 0, 7).Format("2006-01-02"),
		"contact_name": "王建国", "contact_phone": "13800138000"}, "json"), 201, &pr)
	l.project = pr.ID
	l.mustJSON(l.do("setup", nil, "POST", fmt.Sprintf("/api/v1/projects/%d/submit", pr.ID), leader, nil, "json"), 200, nil)
	l.mustJSON(l.do("setup", nil, "POST", fmt.Sprintf("/api/v1/projects/%d/review", pr.ID), l.tokens["heping-office"], map[string]string{"decision": "approve"}, "json"), 200, nil)
	shift := func(start time.Time, d time.Duration) int64 {
		var s idOnly
		l.mustJSON(l.do("setup", nil, "POST", fmt.Sprintf("/api/v1/projects/%d/shifts", pr.ID), leader, map[string]any{
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(d).Format(time.RFC3339), "capacity": 10000}, "json"), 201, &s)
		return s.ID
	}
	l.checkin = shift(time.Now().Add(10*time.Minute), 2*time.Hour)
	tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 6, 0, 0, 0, now.Location())
	for h := range 12 {
		l.shifts = append(l.shifts, shift(tomorrow.Add(time.Duration(h)*time.Hour), time.Hour))
	}
	l.refreshCode(true)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (l *load) pageCSRF(c *http.Client, path string) string {
	r := l.do("setup", c, "GET", path, "", nil, "html")
	m := csrfRE.FindSubmatch(r.body)
	if m == nil {
		l.t.Fatalf("no CSRF token on %s", path)
	}
	return string(m[1])
}

// refreshCode fetches the shift's check-in code as its leader when the one
// held is older than 20 seconds (codes live 30 to 60).
func (l *load) refreshCode(force bool) string {
	l.codeMu.Lock()
	defer l.codeMu.Unlock()
	if force || time.Since(l.codeAt) > 20*time.Second {
		var out struct{ Code string }
		r := l.do("checkin-code", nil, "GET", fmt.Sprintf("/api/v1/shifts/%d/checkin-code", l.checkin), l.tokens["team-admin"], nil, "json")
		if r.status == 200 && json.Unmarshal(r.body, &out) == nil && out.Code != "" {
			l.code, l.codeAt = out.Code, time.Now()
		}
	}
	return l.code
}

// person is the registration of the k-th person of client i: a valid ID
// number and a phone number no one else has.
func (l *load) person(i, k int) map[string]any {
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*7+k/900)
	first17 := fmt.Sprintf("120101%s%03d", birth.Format("20060102"), k%900)
	c, err := pii.ResidentCheckChar(first17)
	if err != nil {
		l.t.Fatal(err)
	}
	id, phone := first17+string(c), fmt.Sprintf("136%04d%04d", i, k%10000)
	l.secretMu.Lock()
	l.numbers = append(l.numbers, id, phone)
	l.secretMu.Unlock()
	return map[string]any{"real_name": "负载" + string([]rune("甲乙丙丁戊己庚辛壬癸")[k%10]), "id_type": "resident",
		"id_number": id, "phone": phone, "region_code": "120101001", "password": "load-pass-123"}
}

func (l *load) secrets() []string {
	l.secretMu.Lock()
	defer l.secretMu.Unlock()
	return slices.Clone(l.numbers)
}

// join makes client i a volunteer: it registers, signs in by phone and
// signs up for the check-in shift. It returns the API token, or "".
func (l *load) join(i int) string {
	me := l.person(i, 0)
	if r := l.do("setup-register", nil, "POST", "/api/v1/volunteers", "", me, "json"); r.status != http.StatusCreated {
		l.t.Errorf("client %d: registration: %d %.200s", i, r.status, r.body)
		return ""
	}
	var login struct{ Token string }
	r := l.do("setup-login", nil, "POST", "/api/v1/auth/login", "", map[string]string{"username": me["phone"].(string), "password": "load-pass-123"}, "json")
	if r.status != 200 || json.Unmarshal(r.body, &login) != nil {
		l.t.Errorf("client %d: login by phone: %d %.200s", i, r.status, r.body)
		return ""
	}
	l.do("setup-signup", nil, "POST", fmt.Sprintf("/api/v1/shifts/%d/signups", l.checkin), login.Token, nil, "json")
	return login.Token
}

// run is client i's mixed workload until the deadline.
func (l *load) run(i int, tok string, deadline time.Time) {
	anon := &http.Client{Transport: l.http.Transport, CheckRedirect: l.http.CheckRedirect}
	var signup int64 // the sign-up to cancel next, or 0 to sign up next
	next, scans, registered := 0, 0, 1
	office, vol := l.tokens["heping-office"], l.tokens["volunteer"]
	pid := l.project
	for n := i; time.Now().Before(deadline); n++ {
		switch n % 12 {
		case 0:
			l.do("public", anon, "GET", []string{"/", "/projects", "/teams", "/login", "/register", "/teams/1", fmt.Sprintf("/projects/%d", pid)}[n/12%7], "", nil, "html")
		case 1:
			l.do("redirect", anon, "GET", "/account", "", nil, "→/login?next=%2Faccount")
		case 2:
			l.do("volunteer-page", l.web["volunteer"], "GET", []string{"/me/hours", "/account", "/my/teams", "/me/volunteer", "/me/code"}[n/12%5], "", nil, "html")
		case 3:
			l.do("project-list", nil, "GET", []string{"/api/v1/projects", fmt.Sprintf("/api/v1/projects/%d/shifts", pid), "/api/v1/projects?q=" + url.QueryEscape("社区")}[n/12%3], "", nil, "json")
		case 4:
			q := url.QueryEscape([]string{"张", "李红", "王", "13900", "120101"}[n/12%5])
			l.do("office-search", nil, "GET", "/api/v1/volunteers?q="+q, office, nil, "json")
		case 5:
			l.do("office-search-page", l.web["heping-office"], "GET", "/admin/volunteers?q="+url.QueryEscape("张"), "", nil, "html")
		case 6:
			if signup == 0 {
				var s idOnly
				r := l.do("signup", nil, "POST", fmt.Sprintf("/api/v1/shifts/%d/signups", l.shifts[next%len(l.shifts)]), tok, nil, "json")
				next++
				if r.status == http.StatusCreated && json.Unmarshal(r.body, &s) == nil {
					signup = s.ID
				}
			} else {
				l.do("cancel", nil, "DELETE", fmt.Sprintf("/api/v1/signups/%d", signup), tok, nil, "json")
				signup = 0
			}
		case 7:
			if scans < 2 {
				l.do("checkin", nil, "POST", "/api/v1/checkins", tok, map[string]string{"code": l.refreshCode(false)}, "json")
				scans++
			} else {
				l.do("api-read", nil, "GET", "/api/v1/volunteers/me/shifts", tok, nil, "json")
			}
		case 8:
			l.do("api-read", nil, "GET", []string{"/api/v1/me", "/api/v1/volunteers/me", "/api/v1/teams", "/api/v1/regions?parent=1201"}[n/12%4], tok, nil, "json")
		case 9:
			l.do("api-read", nil, "GET", "/api/v1/teams/mine", vol, nil, "json")
		case 10:
			if n/12%4 == 0 && registered < 900 {
				l.do("register", nil, "POST", "/api/v1/volunteers", "", l.person(i, registered), "json")
				registered++
			} else {
				l.do("public", anon, "GET", "/api/v1/projects?limit=5", "", nil, "json")
			}
		case 11:
			l.do("locale", l.web["volunteer"], "POST", "/locale", "", url.Values{"csrf": {l.csrf["volunteer"]}, "lang": {"zh"}, "next": {"/me/hours"}}, "→/me/hours")
		}
	}
}

// report logs the counts and latencies per kind and in all (the timed
// window, without the setup kinds), and fails on any 5xx or malformed
// response, setup included.
func (l *load) report(seconds int) {
	l.statsMu.Lock()
	defer l.statsMu.Unlock()
	names := make([]string, 0, len(l.kinds))
	for k := range l.kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	var all kindStats
	errors, bad := 0, 0
	for _, name := range names {
		k := l.kinds[name]
		p50, p99 := percentiles(k.took)
		l.t.Logf("%-18s %7d requests  2xx %6d  3xx %6d  4xx %6d  5xx %d  malformed %d  p50 %v  p99 %v",
			name, k.requests, k.byClass[2], k.byClass[3], k.byClass[4], k.byClass[5], k.bad, p50, p99)
		errors, bad = errors+k.byClass[5], bad+k.bad
		if strings.HasPrefix(name, "setup") {
			continue
		}
		all.requests += k.requests
		all.bad += k.bad
		for c := range all.byClass {
			all.byClass[c] += k.byClass[c]
		}
		all.took = append(all.took, k.took...)
	}
	p50, p99 := percentiles(all.took)
	l.t.Logf("load: %d clients for %d s: %d requests (%.0f/s), 5xx %d, malformed %d, p50 %v, p99 %v",
		l.clients, seconds, all.requests, float64(all.requests)/float64(seconds), all.byClass[5], all.bad, p50, p99)
	if errors > 0 || bad > 0 {
		l.t.Errorf("%d responses were 5xx and %d malformed", errors, bad)
	}
}

func percentiles(d []time.Duration) (time.Duration, time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond / 10), s[len(s)*99/100].Round(time.Millisecond / 10)
}
