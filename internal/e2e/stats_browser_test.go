package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDashboard opens the district office's dashboard on a phone: the
// charts are drawn (ECharts under the page's CSP), the numbers sit in tables,
// and a street is one tap away.
func TestBrowserDashboard(t *testing.T) {
	bin := build(t)
	dsn, extra := database(t, bin)
	srv := start(t, bin, append([]string{"--db", dsn, "--demo"}, extra...)...)
	ctx := browser(t)

	run(t, ctx, "log in", chromedp.Steps(
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "heping-office"),
		chromedp.SendKeys(chromedp.CSS("#password"), srv.Passwords["heping-office"]),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=nav-stats]")),
		chromedp.Click(chromedp.CSS("[data-testid=nav-stats]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=stats-figures]")),
	))
	// ECharts draws SVG into the chart boxes once its script has run.
	run(t, ctx, "charts drawn", chromedp.Poll[bool](`document.querySelectorAll(".chart svg").length >= 4`))
	total := run(t, ctx, "total", chromedp.Text(chromedp.CSS("[data-testid=volunteers-total]")))
	if total == "" || total == "0" {
		t.Fatalf("registered volunteers of Heping: %q", total)
	}
	fitsPhone(t, ctx, "dashboard")

	run(t, ctx, "drill down", chromedp.Steps(
		chromedp.Click(chromedp.CSS(`[data-testid=stats-children] a`)),
		chromedp.WaitVisible(chromedp.CSS(".trail")),
	))
	title := run(t, ctx, "street title", chromedp.Text(chromedp.CSS("main h1")))
	if !strings.Contains(title, "街道") {
		t.Fatalf("after drilling down the heading is %q", title)
	}
	trail := run(t, ctx, "trail", chromedp.Text(chromedp.CSS(".trail")))
	if !strings.Contains(trail, "和平区") {
		t.Fatalf("trail %q", trail)
	}

	// The public page shows totals to anyone, charts included.
	run(t, ctx, "public page", chromedp.Steps(
		chromedp.Navigate(srv.URL+"/stats/120101"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=stats-figures]")),
	))
	run(t, ctx, "public chart", chromedp.Poll[bool](`document.querySelectorAll(".chart svg").length >= 1`))
	fitsPhone(t, ctx, "stats-public")

	// The open shifts, from the menu.
	run(t, ctx, "open shifts", chromedp.Steps(
		chromedp.Click(chromedp.CSS("[data-testid=nav-open-shifts]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=open-shifts]")),
	))
	fitsPhone(t, ctx, "open-shifts")
}
