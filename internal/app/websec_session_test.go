package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

// TestLoginReplacesAPlantedSession plants a real session of the attacker's
// own account in the victim's browser: the victim's login gets a new
// session, the attacker's cookie stays the attacker's, and the CSRF token
// from before the login no longer works after it.
func TestLoginReplacesAPlantedSession(t *testing.T) {
	env := apptest.New(t)
	attacker := env.Browser()
	attacker.Login("resident")
	planted := attacker.Cookie(httpx.SessionCookie)
	victim := env.Browser()
	u, _ := url.Parse(env.Server.URL)
	victim.Client.Jar.SetCookies(u, []*http.Cookie{{Name: httpx.SessionCookie, Value: planted, Path: "/"}})
	before := victim.CSRF("/")
	status, _, _ := victim.Post("/login", url.Values{"csrf": {before}, "username": {"volunteer"}, "password": {env.Passwords["volunteer"]}})
	if status != http.StatusSeeOther {
		t.Fatalf("victim's login: %d", status)
	}
	if got := victim.Cookie(httpx.SessionCookie); got == "" || got == planted {
		t.Fatalf("session after login = %q, the planted one is %q", got, planted)
	}
	if _, body, _ := victim.Get("/account"); !strings.Contains(body, "张志愿") {
		t.Fatal("the victim is not signed in as themself")
	}
	if _, body, _ := attacker.Get("/account"); strings.Contains(body, "张志愿") || !strings.Contains(body, "王居民") {
		t.Fatal("the planted session now reaches the victim's account")
	}
	if status, _, _ := victim.Post("/locale", url.Values{"csrf": {before}, "lang": {"en"}}); status != http.StatusForbidden {
		t.Fatalf("a CSRF token from before the login still works after it: %d", status)
	}
}

// TestLogoutEndsEverySessionKind checks that after logout neither the web
// cookie nor the API token works, and that one session's logout leaves the
// user's other sessions alone.
func TestLogoutEndsEverySessionKind(t *testing.T) {
	env := apptest.New(t)
	web, other := env.Browser(), env.Browser()
	web.Login("team-admin")
	other.Login("team-admin")
	cookie := web.Cookie(httpx.SessionCookie)
	if status, _, _ := web.Post("/logout", url.Values{"csrf": {web.CSRF("/")}}); status != http.StatusSeeOther {
		t.Fatalf("logout: %d", status)
	}
	replay := env.Browser()
	u, _ := url.Parse(env.Server.URL)
	replay.Client.Jar.SetCookies(u, []*http.Cookie{{Name: httpx.SessionCookie, Value: cookie, Path: "/"}})
	if status, _, loc := replay.Get("/leader/today"); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("web cookie after logout: %d %q", status, loc)
	}
	if status, _, _ := other.Get("/leader/today"); status != http.StatusOK {
		t.Fatalf("the user's other session ended too: %d", status)
	}
	// The API takes neither a logged-out token nor a web cookie as a token.
	tok := env.Token("team-admin")
	if status, _ := env.JSON("POST", "/api/v1/auth/logout", tok, nil); status != http.StatusNoContent {
		t.Fatalf("API logout: %d", status)
	}
	for _, bad := range []string{tok, other.Cookie(httpx.SessionCookie)} {
		if status, _ := env.JSON("GET", "/api/v1/me", bad, nil); status != http.StatusUnauthorized {
			t.Fatalf("API after logout or with a web cookie: %d", status)
		}
	}
}

// TestLoginThrottledOverHTTP: failures on one account from one address, on
// the web form and on the API, counted together and whatever name the
// volunteer signs in with (username, phone), make that address wait before
// trying that account again: 429 with Retry-After and a Chinese message,
// even to the right password. Another account from the address is let in;
// once the address has failed on too many accounts, it waits too, at most a
// minute. The server's clock is frozen, so that no wait runs out between two
// requests however slow the machine.
func TestLoginThrottledOverHTTP(t *testing.T) {
	env := apptest.New(t)
	// The clock stands still: no wait may run out between two requests.
	frozen := time.Now()
	env.App.Auth.Now = func() time.Time { return frozen }
	env.App.Auth.AddressFreeAttempts = 30
	_, raw := env.JSON("POST", fmt.Sprintf("/api/v1/volunteers/%d/reveal", volunteerOf(env, "volunteer")), env.Token("heping-office"), nil)
	var reveal struct{ Phone string }
	if err := json.Unmarshal(raw, &reveal); err != nil || reveal.Phone == "" {
		t.Fatalf("reveal: %s", raw)
	}
	b := env.Browser()
	for i := range auth.PairFreeAttempts {
		name := []string{"volunteer", reveal.Phone}[i%2]
		var status int
		if i%3 == 0 {
			status, _ = env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": name, "password": "wrong-password"})
		} else {
			status, _, _ = b.Post("/login", url.Values{"csrf": {b.CSRF("/login")}, "username": {name}, "password": {"wrong-password"}})
		}
		if status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, status)
		}
	}
	form := url.Values{"csrf": {b.CSRF("/login")}, "username": {"volunteer"}, "password": {env.Passwords["volunteer"]}}
	res, err := b.Client.PostForm(env.Server.URL+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(page), "登录失败次数过多") || !retryWithinAMinute(res) {
		t.Fatalf("web login during a wait: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	res, body := postJSON(t, env, "/api/v1/auth/login", map[string]string{"username": reveal.Phone, "password": env.Passwords["volunteer"]})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(apiMessage(body), "登录失败次数过多") || !retryWithinAMinute(res) {
		t.Fatalf("API login by phone during a wait: %d %s, Retry-After %q", res.StatusCode, body, res.Header.Get("Retry-After"))
	}
	if b.Cookie(httpx.SessionCookie) != "" {
		t.Fatal("a session was issued during a wait")
	}
	// Another account from the same address is still let in, until the
	// address itself has failed too often.
	if status, _ := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": env.Passwords["admin"]}); status != http.StatusOK {
		t.Fatalf("another account from the same address: %d", status)
	}
	for i := range env.App.Auth.AddressFreeAttempts {
		env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": fmt.Sprintf("nobody-%d", i), "password": "wrong-password"})
	}
	res, body = postJSON(t, env, "/api/v1/auth/login", map[string]string{"username": "admin", "password": env.Passwords["admin"]})
	if res.StatusCode != http.StatusTooManyRequests || !retryWithinAMinute(res) {
		t.Fatalf("login from an address that failed %d times: %d %s", env.App.Auth.AddressFreeAttempts, res.StatusCode, body)
	}
}

// retryWithinAMinute reports whether a response asks to wait between one
// second and a minute.
func retryWithinAMinute(res *http.Response) bool {
	n, err := strconv.Atoi(res.Header.Get("Retry-After"))
	return err == nil && n >= 1 && n <= int(auth.MaxLoginWait/time.Second)
}

// postJSON posts a JSON body without a token and returns the response (its
// body read).
func postJSON(t *testing.T, env *apptest.Env, path string, body any) (*http.Response, string) {
	t.Helper()
	data, _ := json.Marshal(body)
	res, err := http.Post(env.Server.URL+path, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, string(raw)
}

// TestRedirectsStayOnSite sends the after-login and after-language-switch
// targets an attacker would use for an open redirect: every answer goes to
// a path on this site, with nothing a browser would read as another host.
func TestRedirectsStayOnSite(t *testing.T) {
	env := apptest.New(t)
	evil := []string{"//evil.example/", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
		"https://evil.example/", "\\\\evil.example", " //evil.example", "/\x00/evil.example", "/\u3000/evil.example", "/%09/evil.example"}
	for _, next := range evil {
		b := env.Browser()
		s1, _, loc := b.Post("/login", url.Values{"csrf": {b.CSRF("/login")}, "username": {"volunteer"}, "password": {env.Passwords["volunteer"]}, "next": {next}})
		s2, _, loc2 := b.Post("/locale", url.Values{"csrf": {b.CSRF("/")}, "lang": {"zh"}, "next": {next}})
		for i, l := range []string{loc, loc2} {
			if status := []int{s1, s2}[i]; status == http.StatusBadRequest && strings.Contains(next, "\x00") {
				continue // NUL is refused outright
			}
			if !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//") || strings.ContainsAny(l, "\\\t\r\n\x00") {
				t.Errorf("next %q redirected to %q", next, l)
			}
		}
	}
}
