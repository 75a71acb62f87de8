package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/httpx"
)

func TestLoginFlow(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()

	status, body, _ := b.Get("/login")
	if status != 200 || !strings.Contains(body, "<h1>登录</h1>") || !strings.Contains(body, `<label for="username">用户名</label>`) {
		t.Fatalf("login page: %d", status)
	}
	// No CSRF token: refused, nothing happens.
	status, body, _ = b.Post("/login", url.Values{"username": {"admin"}, "password": {env.Passwords["admin"]}})
	if status != http.StatusForbidden || !strings.Contains(body, "表单已过期或来源无效") {
		t.Fatalf("login without CSRF: %d", status)
	}
	if b.Cookie(httpx.SessionCookie) != "" {
		t.Fatal("session issued without CSRF token")
	}
	// A token bound to another visitor is refused too.
	other := env.Browser().CSRF("/login")
	status, _, _ = b.Post("/login", url.Values{"csrf": {other}, "username": {"admin"}, "password": {env.Passwords["admin"]}})
	if status != http.StatusForbidden {
		t.Fatalf("login with someone else's CSRF token: %d", status)
	}
	// Wrong password: the form again, with the message and the username kept.
	csrf := b.CSRF("/login")
	status, body, _ = b.Post("/login", url.Values{"csrf": {csrf}, "username": {"heping-office"}, "password": {"wrong-password"}})
	if status != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误。") || !strings.Contains(body, `value="heping-office"`) {
		t.Fatalf("wrong password: %d", status)
	}
	// Session fixation: a planted session cookie is replaced at login.
	u, _ := url.Parse(env.Server.URL)
	b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: httpx.SessionCookie, Value: "planted-by-attacker", Path: "/"}})
	csrf = b.CSRF("/login")
	status, _, loc := b.Post("/login", url.Values{"csrf": {csrf}, "username": {"heping-office"}, "password": {env.Passwords["heping-office"]}, "next": {"//evil.example/"}})
	if status != http.StatusSeeOther || loc != "/" {
		t.Fatalf("login: %d → %q (an off-site next must become /)", status, loc)
	}
	sess := b.Cookie(httpx.SessionCookie)
	if sess == "" || sess == "planted-by-attacker" {
		t.Fatalf("session cookie after login = %q", sess)
	}
	status, body, _ = b.Get("/")
	if status != 200 || !strings.Contains(body, "您好，和平区文明办") || !strings.Contains(body, "文明办管理员") || !strings.Contains(body, "天津市 和平区") {
		t.Fatalf("home after login: %d\n%s", status, body)
	}
	if !strings.Contains(body, `href="/admin/accounts"`) || !strings.Contains(body, `href="/admin/audit"`) {
		t.Fatal("office admin's home lacks the admin shortcuts")
	}
	// Logout ends the session on the server: the old cookie no longer works.
	csrf = b.CSRF("/")
	status, _, loc = b.Post("/logout", url.Values{"csrf": {csrf}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("logout: %d %q", status, loc)
	}
	replay := env.Browser()
	replay.Client.Jar.SetCookies(u, []*http.Cookie{{Name: httpx.SessionCookie, Value: sess, Path: "/"}})
	if status, _, loc := replay.Get("/account"); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("old session cookie after logout: %d %q", status, loc)
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	csrf := b.CSRF("/login")
	res, err := b.Client.PostForm(env.Server.URL+"/login", url.Values{"csrf": {csrf}, "username": {"volunteer"}, "password": {env.Passwords["volunteer"]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var found bool
	for _, c := range res.Cookies() {
		if c.Name == httpx.SessionCookie && c.Value != "" {
			found = true
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Fatalf("session cookie attributes: %+v", c)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

func TestExpiredSessionRedirectsToLogin(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	b.Login("volunteer")
	if _, err := env.App.DB.Write().ExecContext(context.Background(), `UPDATE sessions SET expires_at = 1`); err != nil {
		t.Fatal(err)
	}
	env.App.Auth.ForgetSessions() // the change was made behind the service's back
	status, _, loc := b.Get("/account")
	if status != http.StatusSeeOther || loc != "/login?next=%2Faccount" {
		t.Fatalf("expired session: %d %q", status, loc)
	}
	if b.Cookie(httpx.SessionCookie) != "" {
		t.Fatal("dead session cookie not cleared")
	}
}

func TestSecurityHeaders(t *testing.T) {
	env := apptest.New(t)
	res, err := http.Get(env.Server.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP = %q", csp)
	}
	for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
}

func TestTemplatesHaveNoInlineScript(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	b.Login("admin")
	for _, p := range []string{"/", "/account", "/admin/accounts", "/admin/accounts/new", "/admin/accounts/1", "/admin/audit"} {
		_, body, _ := b.Get(p)
		if strings.Contains(body, "<script>") || strings.Contains(body, " onclick=") || strings.Contains(body, "style=") {
			t.Errorf("%s has inline script or style, which the CSP blocks", p)
		}
	}
}

func TestLanguageSwitch(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	b.Login("volunteer")
	csrf := b.CSRF("/")
	status, _, loc := b.Post("/locale", url.Values{"csrf": {csrf}, "lang": {"en"}, "next": {"/account"}})
	if status != http.StatusSeeOther || loc != "/account" {
		t.Fatalf("switch: %d %q", status, loc)
	}
	_, body, _ := b.Get("/account")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Change password") {
		t.Fatal("page not in English after switching")
	}
	// The choice is kept on the account, so a new login is in English too.
	b2 := env.Browser()
	b2.Login("volunteer")
	if _, body, _ := b2.Get("/"); !strings.Contains(body, "Hello, 张志愿") {
		t.Fatal("account language not remembered")
	}
	// Anonymous visitors follow Accept-Language.
	req, _ := http.NewRequest("GET", env.Server.URL+"/login", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.8")
	res, _ := http.DefaultClient.Do(req)
	res.Body.Close()
	if !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Fatal("login page not HTML")
	}
}

func TestCreateAccountFormShowsFieldErrors(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	b.Login("heping-office")
	csrf := b.CSRF("/admin/accounts/new")
	status, body, _ := b.Post("/admin/accounts", url.Values{"csrf": {csrf}, "username": {"X"}, "display_name": {"新社工"},
		"password": {"short"}, "region_code": {"120101001"}, "role": {"community_worker"}, "grant_region_code": {"120101001"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", status)
	}
	for _, want := range []string{"用户名格式不正确", "密码至少 8 位。", `value="新社工"`, `value="community_worker" selected`} {
		if !strings.Contains(body, want) {
			t.Errorf("re-rendered form lacks %q", want)
		}
	}
	status, _, loc := b.Post("/admin/accounts", url.Values{"csrf": {csrf}, "username": {"new-worker"}, "display_name": {"新社工"},
		"password": {"password-123"}, "region_code": {"120101001"}, "role": {"community_worker"}, "grant_region_code": {"120101001"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/accounts/") {
		t.Fatalf("valid form: %d %q", status, loc)
	}
	_, body, _ = b.Get(loc)
	if !strings.Contains(body, "new-worker") || !strings.Contains(body, "街道社区工作者") || !strings.Contains(body, "劝业场街道") {
		t.Fatal("new account page lacks its grant")
	}
}

func TestAccountListIsScoped(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	b.Login("hedong-office")
	_, body, _ := b.Get("/admin/accounts")
	if !strings.Contains(body, "hedong-office") || strings.Contains(body, "heping-office") || strings.Contains(body, "quanyechang") {
		t.Fatal("Hedong's office admin sees accounts outside Hedong")
	}
	_, body, _ = b.Get("/admin/audit")
	if strings.Contains(body, "120101") || strings.Contains(body, "和平区") {
		t.Fatal("Hedong's office admin sees Heping's audit entries")
	}
}

func TestUnknownPageIs404InChinese(t *testing.T) {
	env := apptest.New(t)
	status, body, _ := env.Browser().Get("/nowhere")
	if status != 404 || !strings.Contains(body, "页面或记录不存在。") {
		t.Fatalf("%d", status)
	}
}
