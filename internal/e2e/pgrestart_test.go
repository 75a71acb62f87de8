package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const pgBin = "/usr/lib/postgresql/15/bin"

// privatePostgres is a PostgreSQL 15 instance of the test's own.
type privatePostgres struct {
	dir, data string
	port      int
	asUser    []string // runuser prefix when running as root
}

// startPrivatePostgres initialises and starts a PostgreSQL 15 cluster in a
// temporary directory on a free port, stopped when the test ends.
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pgBin, "pg_ctl")); err != nil {
		if os.Getenv("ZHIYUAN_REQUIRE_BROWSER") != "" {
			t.Fatalf("PostgreSQL 15 binaries are required (ZHIYUAN_REQUIRE_BROWSER is set) but %s/pg_ctl is missing", pgBin)
		}
		t.Skipf("PostgreSQL 15 binaries not installed in %s: the database-loss test needs its own PostgreSQL", pgBin)
	}
	dir, err := os.MkdirTemp("", "zhiyuan-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	pg := &privatePostgres{dir: dir, data: filepath.Join(dir, "data"), port: freePort(t)}
	if os.Geteuid() == 0 { // initdb refuses root: run the server as postgres
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres OS user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		pg.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	pg.run(t, "initdb", "-D", pg.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	pg.start(t)
	t.Cleanup(func() { _ = pg.command("pg_ctl", "-D", pg.data, "-m", "immediate", "stop").Run() })
	return pg
}

func (pg *privatePostgres) command(name string, args ...string) *exec.Cmd {
	argv := append(append(append([]string{}, pg.asUser...), filepath.Join(pgBin, name)), args...)
	return exec.Command(argv[0], argv[1:]...)
}

func (pg *privatePostgres) run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := pg.command(name, args...).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(pg.dir, "log"))
		t.Fatalf("%s %v: %v\n%s\n%s", name, args, err, out, log)
	}
}

func (pg *privatePostgres) start(t *testing.T) {
	t.Helper()
	pg.run(t, "pg_ctl", "-D", pg.data, "-l", filepath.Join(pg.dir, "log"), "-w", "-t", "60",
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", pg.port, pg.dir), "start")
}

func (pg *privatePostgres) stop(t *testing.T) {
	t.Helper()
	pg.run(t, "pg_ctl", "-D", pg.data, "-m", "fast", "-w", "stop")
}

func (pg *privatePostgres) dsn() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// answer is one response's status, content type and body.
func answer(t *testing.T, method, url, token string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Accept-Language", "zh-CN")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), string(b)
}

// waitFor polls until ok holds, for at most limit; it fails the test after.
func waitFor(t *testing.T, what string, limit time.Duration, ok func() bool) time.Duration {
	t.Helper()
	began := time.Now()
	for !ok() {
		if time.Since(began) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(began)
}

// webLogin signs a demo account in through the login form and returns a
// client holding the session cookie.
func webLogin(t *testing.T, srv *process, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.Get(srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the login page:\n%.500s", page)
	}
	res, err = c.PostForm(srv.URL+"/login", url.Values{"csrf": {string(m[1])}, "username": {username}, "password": {srv.Passwords[username]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || sessionCookie(c, srv) == "" {
		t.Fatalf("web login as %s: %d, session %q", username, res.StatusCode, sessionCookie(c, srv))
	}
	return c
}

func sessionCookie(c *http.Client, srv *process) string {
	u, _ := url.Parse(srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "zy_session" {
			return ck.Value
		}
	}
	return ""
}

// TestPostgresRestartUnderLoad stops the server's PostgreSQL while writes
// are coming in: the server answers 503 with a clear message (the JSON
// envelope on the API, a page on the web, /healthz), recovers by itself
// when the database is back, and loses nothing it acknowledged.
func TestPostgresRestartUnderLoad(t *testing.T) {
	pg := startPrivatePostgres(t)
	bin := build(t)
	key := filepath.Join(t.TempDir(), "zhiyuan.key")
	if out, err := exec.Command(bin, "key", "generate", key).CombinedOutput(); err != nil {
		t.Fatalf("key generate: %v %s", err, out)
	}
	srv := start(t, bin, "--db", pg.dsn(), "--secret-key-file", key, "--demo")
	w := newWorkload(t, srv, pg.dsn())
	browser := webLogin(t, srv, "volunteer")
	session := sessionCookie(browser, srv)
	w.start(3)
	w.waitResumed(time.Time{}, resumeLimit) // every kind of write works before the outage

	w.outage(true)
	pg.stop(t)
	waitFor(t, "healthz says 503", 20*time.Second, func() bool {
		status, _, _ := answer(t, "GET", srv.URL+"/healthz", "")
		return status == http.StatusServiceUnavailable
	})
	status, ctype, body := answer(t, "GET", srv.URL+"/api/v1/volunteers/me", w.leader)
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &env); status != http.StatusServiceUnavailable || err != nil ||
		env.Error.Code != "unavailable" || env.Error.Message != "数据库暂时无法访问，请稍后再试。" {
		t.Fatalf("API while the database is away: %d %s %s", status, ctype, body)
	}
	status, ctype, body = answer(t, "GET", srv.URL+"/projects", "")
	if status != http.StatusServiceUnavailable || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, "数据库暂时无法访问，请稍后再试。") {
		t.Fatalf("web page while the database is away: %d %s\n%.500s", status, ctype, body)
	}
	res, err := browser.Get(srv.URL + "/me/hours") // a signed-in page
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(page), "数据库暂时无法访问，请稍后再试。") {
		t.Fatalf("signed-in page while the database is away: %d\n%.500s", res.StatusCode, page)
	}
	if sessionCookie(browser, srv) != session {
		t.Fatal("the session cookie was dropped while the database was away")
	}
	time.Sleep(time.Second) // the load keeps coming while the database is away

	pg.start(t)
	recovered := waitFor(t, "the server recovers by itself", 30*time.Second, func() bool {
		status, _, _ := answer(t, "GET", srv.URL+"/healthz", "")
		return status == http.StatusOK
	})
	if status, _, body := answer(t, "GET", srv.URL+"/api/v1/volunteers/me", w.leader); status != http.StatusNotFound && status != http.StatusOK {
		t.Fatalf("API after recovery: %d %s", status, body)
	}
	if res, err := browser.Get(srv.URL + "/me/hours"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the same browser session after recovery: %v %v", res.StatusCode, err)
	} else {
		res.Body.Close()
	}
	w.outage(false)
	// Every kind of write is acknowledged again, and from now on no 5xx.
	w.waitResumed(time.Now(), resumeLimit)
	time.Sleep(1500 * time.Millisecond)
	w.finish()
	w.checkNo5xx()
	found := w.verify(pg.dsn())
	t.Logf("database loss: PostgreSQL stopped (pg_ctl stop -m fast) under load and started again; healthy again %v after the restart; %s; %d acknowledged writes found",
		recovered.Round(100*time.Millisecond), w.summary(), found)
	if code := srv.stop(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}
