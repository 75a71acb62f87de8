package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"zhiyuan/internal/clock"
)

// apiCall sends a JSON request to the running server and decodes the answer
// into out (if not nil), failing unless the status is want.
func apiCall(t *testing.T, method, url, token string, body, out any, want int) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d\n%s", method, url, res.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
	}
}

// apiLogin returns an API token of a demo account.
func apiLogin(t *testing.T, srv *process, username string) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	apiCall(t, "POST", srv.URL+"/api/v1/auth/login", "", map[string]string{"username": username, "password": srv.Passwords[username]}, &out, http.StatusOK)
	return out.Token
}

// TestBrowserCheckin is the check-in at the place of service: the team
// publishes a project with a shift starting soon (through the API), 张志愿
// signs up on the project's page in Chromium on a phone, then opens the
// leader's current QR code URL, presses the button and is checked in.
func TestBrowserCheckin(t *testing.T) {
	bin := build(t)
	dsn, extra := database(t, bin)
	srv := start(t, bin, append([]string{"--db", dsn, "--demo"}, extra...)...)
	ctx := browser(t)

	admin, office := apiLogin(t, srv, "team-admin"), apiLogin(t, srv, "heping-office")
	cst := clock.Zone
	today := time.Now().In(cst)
	var pj struct {
		ID int64 `json:"id"`
	}
	apiCall(t, "POST", srv.URL+"/api/v1/projects", admin, map[string]any{"team_id": 1, "name": "浏览器签到项目", "category": "社区服务",
		"content": "楼门值守", "region_code": "120101001001", "address": "花园路社区", "recruit_count": 5,
		"starts_on": today.Format("2006-01-02"), "ends_on": today.AddDate(0, 1, 0).Format("2006-01-02"),
		"contact_name": "王建国", "contact_phone": "13800138000"}, &pj, http.StatusCreated)
	project := fmt.Sprintf("%s/api/v1/projects/%d", srv.URL, pj.ID)
	apiCall(t, "POST", project+"/submit", admin, nil, nil, http.StatusOK)
	apiCall(t, "POST", project+"/review", office, map[string]string{"decision": "approve"}, nil, http.StatusOK)
	start := time.Now().Add(20 * time.Minute).Truncate(time.Minute)
	var sh struct {
		ID int64 `json:"id"`
	}
	apiCall(t, "POST", project+"/shifts", admin, map[string]any{"starts_at": start.Format(time.RFC3339),
		"ends_at": start.Add(2 * time.Hour).Format(time.RFC3339), "capacity": 3, "place": "社区门口"}, &sh, http.StatusCreated)
	page := fmt.Sprintf("/projects/%d", pj.ID)

	run(t, ctx, "volunteer logs in", chromedp.Steps(
		chromedp.Navigate(srv.URL+page),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=shifts]")),
		chromedp.Navigate(srv.URL+"/login?next="+page),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "volunteer"),
		chromedp.SendKeys(chromedp.CSS("#password"), srv.Passwords["volunteer"]),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("[data-testid=signup-%d]", sh.ID))),
	))
	if title := run(t, ctx, "title", chromedp.Text(chromedp.CSS("main h1"))); title != "浏览器签到项目" {
		t.Fatalf("project page heading %q", title)
	}
	fitsPhone(t, ctx, "checkin-project")
	run(t, ctx, "sign up", chromedp.Steps(
		chromedp.Click(chromedp.CSS(fmt.Sprintf("[data-testid=signup-%d]", sh.ID))),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	if seats := run(t, ctx, "seats", chromedp.Text(chromedp.CSS("[data-testid=seats]"))); !strings.Contains(seats, "已报 1 / 3 人") {
		t.Fatalf("seats after signing up %q", seats)
	}
	fitsPhone(t, ctx, "checkin-signed-up")

	// The leader's phone shows the code; the volunteer's camera opens its URL.
	var code struct {
		URL string `json:"url"`
	}
	apiCall(t, "GET", fmt.Sprintf("%s/api/v1/shifts/%d/checkin-code", srv.URL, sh.ID), admin, nil, &code, http.StatusOK)
	if !strings.HasPrefix(code.URL, srv.URL+"/c/") {
		t.Fatalf("check-in URL %q", code.URL)
	}
	run(t, ctx, "open code", chromedp.Steps(
		chromedp.Navigate(code.URL),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=checkin-button]")),
	))
	if shift := run(t, ctx, "shift", chromedp.Text(chromedp.CSS("[data-testid=checkin-shift]"))); !strings.Contains(shift, "浏览器签到项目") {
		t.Fatalf("check-in page names %q", shift)
	}
	fitsPhone(t, ctx, "checkin-confirm")
	run(t, ctx, "check in", chromedp.Steps(
		chromedp.Click(chromedp.CSS("[data-testid=checkin-button]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=checkin-result]")),
	))
	if got := run(t, ctx, "result", chromedp.Text(chromedp.CSS("[data-testid=checkin-result]"))); got != "已签到" {
		t.Fatalf("check-in result %q", got)
	}
	fitsPhone(t, ctx, "checkin-done")

	// The next scan, an hour into the shift, checks out and makes the
	// service record (one within a minute of the check-in would be refused).
	srv.setClock(t, time.Until(start)+time.Hour)
	apiCall(t, "GET", fmt.Sprintf("%s/api/v1/shifts/%d/checkin-code", srv.URL, sh.ID), admin, nil, &code, http.StatusOK)
	run(t, ctx, "check out", chromedp.Steps(
		chromedp.Navigate(code.URL),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=checkin-button]")),
		chromedp.Click(chromedp.CSS("[data-testid=checkin-button]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=record-minutes] a")),
	))
	if got := run(t, ctx, "result", chromedp.Text(chromedp.CSS("[data-testid=checkin-result]"))); got != "已签退" {
		t.Fatalf("check-out result %q", got)
	}
	recordPath := run(t, ctx, "record link", chromedp.Evaluate[string](`document.querySelector("[data-testid=record-minutes] a").getAttribute("href")`))

	for _, p := range []struct{ path, wait, name string }{
		{"/me/code", "[data-testid=qr] svg", "checkin-my-code"},
		{"/me/hours", "[data-testid=summary]", "checkin-my-hours"},
		{"/projects", "[data-testid=project-list]", "checkin-projects"},
	} {
		run(t, ctx, p.path, chromedp.Steps(chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait))))
		fitsPhone(t, ctx, p.name)
	}

	// The leader's page: a code large enough to scan from a phone held up.
	run(t, ctx, "leader logs in", chromedp.Steps(
		chromedp.Click(chromedp.CSS("header form button")),
		chromedp.WaitVisible(chromedp.CSS("#username")), // the login page after signing out
		chromedp.Navigate(fmt.Sprintf("%s/shifts/%d/code", srv.URL, sh.ID)),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "team-admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), srv.Passwords["team-admin"]),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=qr] svg")),
	))
	if w := run(t, ctx, "code width", chromedp.Evaluate[float64](`document.querySelector("[data-testid=qr] svg").getBoundingClientRect().width`)); w < 300 {
		t.Errorf("the check-in code is only %.0f px wide", w)
	}
	fitsPhone(t, ctx, "checkin-leader")
	for _, p := range []struct{ path, wait, name string }{
		{page, "[data-testid=add-shift]", "checkin-manager-project"},
		{"/projects/new", "[data-testid=create-project]", "checkin-project-new"},
	} {
		run(t, ctx, p.path, chromedp.Steps(chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait))))
		fitsPhone(t, ctx, p.name)
	}
	// The leader confirms the record on its page.
	run(t, ctx, "confirm", chromedp.Steps(
		chromedp.Navigate(srv.URL+recordPath),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=confirm-record]")),
		chromedp.Click(chromedp.CSS("[data-testid=confirm-record]")),
		chromedp.WaitNotPresent(chromedp.CSS("[data-testid=confirm-record]")),
	))
	if state := run(t, ctx, "state", chromedp.Text(chromedp.CSS("[data-testid=record-state]"))); state != "已确认" {
		t.Fatalf("record state after confirming %q", state)
	}

	// Hours from earlier, backfilled with evidence and approved by a second
	// person (through the API), so that the certificate has hours to show.
	vol := apiLogin(t, srv, "volunteer")
	var me struct {
		ID int64 `json:"id"`
	}
	apiCall(t, "GET", srv.URL+"/api/v1/volunteers/me", vol, nil, &me, http.StatusOK)
	upload := uploadEvidence(t, srv.URL, admin)
	past := time.Now().Add(-48 * time.Hour).Truncate(time.Hour)
	var bf struct {
		ID int64 `json:"id"`
	}
	apiCall(t, "POST", srv.URL+"/api/v1/service-records", admin, map[string]any{"volunteer_id": me.ID, "project_id": pj.ID,
		"starts_at": past.Format(time.RFC3339), "ends_at": past.Add(150 * time.Minute).Format(time.RFC3339),
		"content": "楼门值守（补录）", "evidence_upload_ids": []int64{upload}}, &bf, http.StatusCreated)
	apiCall(t, "POST", fmt.Sprintf("%s/api/v1/service-records/%d/approve", srv.URL, bf.ID), office, nil, nil, http.StatusOK)

	// The volunteer asks for her certificate and checks it on the verify page.
	run(t, ctx, "volunteer again", chromedp.Steps(
		chromedp.Click(chromedp.CSS("header form button")),
		chromedp.WaitVisible(chromedp.CSS("#username")), // the login page after signing out
		chromedp.Navigate(srv.URL+"/login?next=/me/hours"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "volunteer"),
		chromedp.SendKeys(chromedp.CSS("#password"), srv.Passwords["volunteer"]),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=certificate-1]")),
		chromedp.Click(chromedp.CSS("[data-testid=certificate-1]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=certificate-pdf]")),
	))
	// The scanned hour and 2.5 backfilled, on top of the demo's month of
	// confirmed service, all with the one team.
	var sum struct {
		ConfirmedMinutes int64 `json:"confirmed_minutes"`
	}
	apiCall(t, "GET", fmt.Sprintf("%s/api/v1/volunteers/%d/summary", srv.URL, me.ID), vol, nil, &sum, http.StatusOK)
	want := strconv.FormatFloat(float64(sum.ConfirmedMinutes)/60, 'f', 1, 64)
	cert := run(t, ctx, "certificate", chromedp.Text(chromedp.CSS("[data-testid=certificate]")))
	if !strings.Contains(cert, "ZY-") || !strings.Contains(cert, want) || sum.ConfirmedMinutes < 210 {
		t.Fatalf("certificate page %q, want %s hours (at least the 3.5 of this test)", cert, want)
	}
	fitsPhone(t, ctx, "checkin-certificate")
	verify := run(t, ctx, "verify link", chromedp.Evaluate[string](`document.querySelector("a[href*='/verify/']").href`))
	run(t, ctx, "verify", chromedp.Steps(chromedp.Navigate(verify), chromedp.WaitVisible(chromedp.CSS("[data-testid=verdict]"))))
	if v := run(t, ctx, "verdict", chromedp.Text(chromedp.CSS("[data-testid=verdict]"))); !strings.Contains(v, "真实证明") {
		t.Fatalf("verify page says %q", v)
	}
	fitsPhone(t, ctx, "checkin-verify")
	run(t, ctx, "my certificates", chromedp.Steps(chromedp.Navigate(srv.URL+"/me/hours"), chromedp.WaitVisible(chromedp.CSS("[data-testid=my-certificates]"))))
	if mine := run(t, ctx, "list", chromedp.Text(chromedp.CSS("[data-testid=my-certificates]"))); !strings.Contains(mine, "ZY-") {
		t.Fatalf("my certificates %q", mine)
	}
	// She also asks the team to correct the short record from the check-out.
	run(t, ctx, "correction", chromedp.Steps(
		chromedp.Navigate(srv.URL+recordPath),
		chromedp.WaitVisible(chromedp.CSS("#correction")),
		chromedp.SendKeys(chromedp.CSS("#correction"), "实际服务了两小时"),
		chromedp.Click(chromedp.CSS("[data-testid=request-correction]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	if code := srv.stop(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}

// uploadEvidence uploads a tiny PDF as evidence and returns its id.
func uploadEvidence(t *testing.T, base, token string) int64 {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "签到表.pdf")
	fw.Write([]byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
		"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n" +
		"0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/uploads", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		ID int64 `json:"id"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %v", res.StatusCode, err)
	}
	return out.ID
}
