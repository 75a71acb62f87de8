package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zhiyuan/internal/apptest"
)

// pick chooses an option of a select and sends the change event htmx listens for.
func pick(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	// Wait until htmx has set the select up, or the change goes unheard.
	run(t, ctx, "htmx ready "+sel, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector(%q)?.["htmx-internal-data"]?.firstInitCompleted === true`, sel)))
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value; })()`, sel, value)
	if got := run(t, ctx, "pick "+sel, chromedp.Evaluate[string](js)); got != value {
		t.Fatalf("%s has no option %s", sel, value)
	}
}

// TestBrowserRegistry registers a volunteer through the form in Chromium on
// a phone, choosing the region with the htmx picker; signs in with the phone
// number and founds a team, which Heping's office approves on the team's
// page; the office then finds the volunteer with the live search. Every page
// must fit the phone's width.
func TestBrowserRegistry(t *testing.T) {
	bin := build(t)
	dsn, extra := database(t, bin)
	srv := start(t, bin, append([]string{"--db", dsn, "--demo"}, extra...)...)
	ctx := browser(t)
	id, phone := apptest.ResidentID("120101", apptest.BornYearsAgo(22, 40), 211), apptest.Mobile(211)

	run(t, ctx, "open register", chromedp.Steps(
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Click(chromedp.CSS(`main a[href="/register"]`)),
		chromedp.WaitVisible(chromedp.CSS("#real_name")),
	))
	fitsPhone(t, ctx, "registry-register")

	// The region picker: each level loads the next one.
	pick(t, ctx, "#region-pick-1", "12")
	run(t, ctx, "cities", chromedp.WaitVisible(chromedp.CSS("#region-pick-2")))
	pick(t, ctx, "#region-pick-2", "1201")
	run(t, ctx, "districts", chromedp.WaitVisible(chromedp.CSS("#region-pick-3")))
	pick(t, ctx, "#region-pick-3", "120101")
	run(t, ctx, "streets", chromedp.WaitVisible(chromedp.CSS("#region-pick-4")))
	pick(t, ctx, "#region-pick-4", "120101001")
	run(t, ctx, "communities", chromedp.WaitVisible(chromedp.CSS("#region-pick-5")))

	wrong := id[:17] + "0" // a wrong check character
	if id[17] == '0' {
		wrong = id[:17] + "1"
	}
	run(t, ctx, "fill in", chromedp.Steps(
		chromedp.SendKeys(chromedp.CSS("#real_name"), "周浏览"),
		chromedp.SendKeys(chromedp.CSS("#id_number"), wrong),
		chromedp.SendKeys(chromedp.CSS("#phone"), phone),
		chromedp.Click(chromedp.CSS(`input[name=tags][value="青年"]`)),
		chromedp.Click(chromedp.CSS(`input[name=service_categories][value="关爱老人"]`)),
		chromedp.SendKeys(chromedp.CSS("#skills"), "急救、手语"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password-123"),
		chromedp.SendKeys(chromedp.CSS("#password_confirm"), "password-123"),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#id_number-error")),
	))
	if msg := run(t, ctx, "id error", chromedp.Text(chromedp.CSS("#id_number-error"))); msg != "证件号码校验位不正确，请核对后重新填写。" {
		t.Fatalf("ID error %q", msg)
	}
	if kept := run(t, ctx, "kept region", chromedp.Value(chromedp.CSS("#region_code"))); kept != "120101001" {
		t.Fatalf("the picked region was not kept: %q", kept)
	}
	fitsPhone(t, ctx, "registry-register-error")

	run(t, ctx, "correct", chromedp.Steps(
		chromedp.SetValue(chromedp.CSS("#id_number"), id),
		chromedp.SendKeys(chromedp.CSS("#password"), "password-123"),
		chromedp.SendKeys(chromedp.CSS("#password_confirm"), "password-123"),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=volunteer-no]")),
	))
	no := run(t, ctx, "number", chromedp.Text(chromedp.CSS("[data-testid=volunteer-no]")))
	if len(no) != 12 {
		t.Fatalf("volunteer number %q", no)
	}
	fitsPhone(t, ctx, "registry-registered")

	run(t, ctx, "log in with the phone", chromedp.Steps(
		chromedp.Click(chromedp.CSS(`main a[href="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), phone),
		chromedp.SendKeys(chromedp.CSS("#password"), "password-123"),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
		chromedp.Navigate(srv.URL+"/me/volunteer"),
		chromedp.WaitVisible(chromedp.CSS(".facts")),
	))
	if facts := run(t, ctx, "profile", chromedp.Text(chromedp.CSS(".facts"))); !strings.Contains(facts, no) || !strings.Contains(facts, "劝业场街道") || strings.Contains(facts, phone) {
		t.Fatalf("profile %q", facts)
	}
	fitsPhone(t, ctx, "registry-profile")

	run(t, ctx, "found a team", chromedp.Steps(
		chromedp.Navigate(srv.URL+"/teams/new"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "劝业场浏览器志愿服务队"),
		chromedp.SendKeys(chromedp.CSS("#region_code"), "120101001"),
		chromedp.SendKeys(chromedp.CSS("#contact_name"), "周浏览"),
		chromedp.SendKeys(chromedp.CSS("#contact_phone"), phone),
		chromedp.Click(chromedp.CSS(`input[name=join_mode][value="open"]`)),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=team-state]")),
	))
	teamURL := run(t, ctx, "team url", chromedp.Location())
	teamURL = teamURL[:strings.Index(teamURL, "?")]
	if state := run(t, ctx, "state", chromedp.Text(chromedp.CSS("[data-testid=team-state]"))); state != "待审核" {
		t.Fatalf("new team state %q", state)
	}
	fitsPhone(t, ctx, "registry-team-pending")
	run(t, ctx, "log out", chromedp.Steps(
		chromedp.Click(chromedp.CSS("header form button")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))

	run(t, ctx, "office logs in", chromedp.Steps(
		chromedp.SendKeys(chromedp.CSS("#username"), "heping-office"),
		chromedp.SendKeys(chromedp.CSS("#password"), srv.Passwords["heping-office"]),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")),
		chromedp.Click(chromedp.CSS(`main a[href="/admin/teams/review"]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=review-queue]")),
	))
	fitsPhone(t, ctx, "registry-review-queue")
	run(t, ctx, "approve", chromedp.Steps(
		chromedp.Click(chromedp.CSS(`[data-testid=review-queue] a[href="`+strings.TrimPrefix(teamURL, srv.URL)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=decision][value="approve"]`)),
		chromedp.Click(chromedp.CSS(`input[name=decision][value="approve"]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/review"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	if state := run(t, ctx, "state", chromedp.Text(chromedp.CSS("[data-testid=team-state]"))); state != "已通过" {
		t.Fatalf("reviewed team state %q", state)
	}
	fitsPhone(t, ctx, "registry-team-approved")

	// Live search: typing the phone number narrows the list without a page load.
	run(t, ctx, "search", chromedp.Steps(
		chromedp.Navigate(srv.URL+"/admin/volunteers"),
		chromedp.WaitVisible(chromedp.CSS("#volunteer-rows")),
		chromedp.SendKeys(chromedp.CSS("#q"), phone),
	))
	run(t, ctx, "search results", chromedp.Poll[bool](`document.querySelectorAll("#volunteer-rows tr").length === 1 && document.querySelector("#volunteer-rows").textContent.includes("周浏览")`))
	row := run(t, ctx, "row", chromedp.Text(chromedp.CSS("#volunteer-rows tr")))
	if !strings.Contains(row, no) || !strings.Contains(row, "137****0211") {
		t.Fatalf("found row %q", row)
	}
	fitsPhone(t, ctx, "registry-volunteers")
	// An unknown region code: the message replaces the list.
	run(t, ctx, "bad region", chromedp.SendKeys(chromedp.CSS("#region_code"), "99"))
	run(t, ctx, "region error", chromedp.Poll[bool](`(document.querySelector("#volunteer-results [data-testid=form-error]")?.textContent ?? "").includes("行政区划代码不存在。")`))

	for _, p := range []struct{ path, wait, name string }{
		{"/teams", "[data-testid=team-list]", "registry-teams"},
		{"/teams/1/members", "[data-testid=members]", "registry-members"},
		{"/teams/1/members/new", "#real_name", "registry-preregister"},
	} {
		run(t, ctx, p.path, chromedp.Steps(chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait))))
		fitsPhone(t, ctx, p.name)
	}
	if code := srv.stop(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}
