package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvRequireBrowser makes a missing Chromium fail the test instead of
// skipping it; CI sets it.
const EnvRequireBrowser = "ZHIYUAN_REQUIRE_BROWSER"

// browser starts headless Chromium with the flags this closed network needs.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv(EnvRequireBrowser) != "" {
			t.Fatalf("chromium not installed but %s is set", EnvRequireBrowser)
		}
		t.Skip("chromium not installed (apt-get install chromium); scripts/test installs it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("accept-lang", "zh-CN,zh"), // a Chinese user's browser
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser without a timeout, on a phone-sized viewport.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// phoneWidth is the CSS width of a common phone screen.
const phoneWidth = 390

// run runs actions with a deadline on a started browser context.
func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// fitsPhone fails if the page scrolls sideways on a phone, and saves a
// screenshot when ZHIYUAN_E2E_SCREENSHOTS names a directory.
func fitsPhone(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	width := run(t, ctx, "page width", chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
	if width > phoneWidth {
		t.Errorf("%s: page is %d px wide on a %d px phone", name, width, phoneWidth)
	}
	if dir := os.Getenv("ZHIYUAN_E2E_SCREENSHOTS"); dir != "" {
		png := run(t, ctx, "screenshot", chromedp.FullScreenshot(100))
		_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

// TestBrowserLogin logs in through the real login page in Chromium on a phone
// sized window, sees the home page in Chinese, searches accounts with htmx
// (which also proves the CSP lets the vendored script run) and logs out.
func TestBrowserLogin(t *testing.T) {
	bin := build(t)
	dsn, extra := database(t, bin)
	srv := start(t, bin, append([]string{"--db", dsn, "--demo"}, extra...)...)
	ctx := browser(t)

	run(t, ctx, "open login", chromedp.Steps(
		chromedp.Navigate(srv.URL+"/admin/accounts"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
	))
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "/login?next=%2Fadmin%2Faccounts") {
		t.Fatalf("protected page did not send the browser to login: %s", loc)
	}
	title := run(t, ctx, "title", chromedp.Text(chromedp.CSS("main h1")))
	if title != "登录" {
		t.Fatalf("login heading %q", title)
	}
	fitsPhone(t, ctx, "login")

	// A wrong password first: the message appears in Chinese.
	run(t, ctx, "wrong password", chromedp.Steps(
		chromedp.SendKeys(chromedp.CSS("#username"), "heping-office"),
		chromedp.SendKeys(chromedp.CSS("#password"), "not-the-password"),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=form-error]")),
	))
	if msg := run(t, ctx, "error text", chromedp.Text(chromedp.CSS("[data-testid=form-error]"))); msg != "用户名或密码错误。" {
		t.Fatalf("error message %q", msg)
	}

	run(t, ctx, "log in", chromedp.Steps(
		chromedp.SendKeys(chromedp.CSS("#password"), srv.Passwords["heping-office"]),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#account-rows")),
	))
	fitsPhone(t, ctx, "accounts")

	// htmx search: typing filters the rows without a page load.
	run(t, ctx, "type search", chromedp.SendKeys(chromedp.CSS("#q"), "quanye"))
	run(t, ctx, "search results", chromedp.Poll[bool](`document.querySelectorAll("#account-rows tr").length === 1`))
	row := run(t, ctx, "row", chromedp.Text(chromedp.CSS("#account-rows tr")))
	if !strings.Contains(row, "quanyechang") || !strings.Contains(row, "劝业场街道") {
		t.Fatalf("filtered row %q", row)
	}

	run(t, ctx, "home", chromedp.Steps(
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
	))
	greeting := run(t, ctx, "greeting", chromedp.Text(chromedp.CSS("[data-testid=greeting]")))
	if greeting != "您好，和平区文明办" {
		t.Fatalf("greeting %q", greeting)
	}
	roles := run(t, ctx, "roles", chromedp.Text(chromedp.CSS(".cards")))
	if !strings.Contains(roles, "文明办管理员") || !strings.Contains(roles, "天津市 和平区") {
		t.Fatalf("roles %q", roles)
	}
	fitsPhone(t, ctx, "home")

	run(t, ctx, "log out", chromedp.Steps(
		chromedp.Click(chromedp.CSS("header form button")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	if flash := run(t, ctx, "flash", chromedp.Text(chromedp.CSS(".flash"))); flash != "您已退出登录。" {
		t.Fatalf("after logout %q", flash)
	}
	if code := srv.stop(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}
