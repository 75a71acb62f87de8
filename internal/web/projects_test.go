package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/clock"
)

var (
	projectPath  = regexp.MustCompile(`^/projects/(\d+)\?flash=flash\.project_created$`)
	shiftIDs     = regexp.MustCompile(`data-testid="shift-(\d+)"`)
	qrText       = regexp.MustCompile(`data-testid="qr-text">[^<]*/c/([A-Za-z0-9_-]+)<`)
	recordLink   = regexp.MustCompile(`href="/records/(\d+)"`)
	pdfLink      = regexp.MustCompile(`href="(/certificates/\d+\.pdf)"`)
	personalText = regexp.MustCompile(`data-testid="qr-text">([A-Za-z0-9_-]+)<`)
)

// post submits form with the CSRF token of the page at from.
func post(b *apptest.Browser, from, path string, form url.Values) (int, string, string) {
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.CSRF(from))
	return b.Post(path, form)
}

// TestProjectCheckinFlow follows a project from the team's draft to the
// volunteer's certificate: the team admin drafts it with a shift starting
// soon and submits it, Heping's office approves it, 张志愿 signs up, scans
// the leader's code in and out, the team confirms the record, and she asks
// for her certificate.
func TestProjectCheckinFlow(t *testing.T) {
	env := apptest.New(t)
	admin, office, vol := env.Browser(), env.Browser(), env.Browser()
	admin.Login("team-admin")
	office.Login("heping-office")
	vol.Login("volunteer")

	status, body, _ := admin.Get("/projects/new")
	if status != http.StatusOK {
		t.Fatalf("new project form: %d", status)
	}
	mustContain(t, "new project form", body, "<h1>发布项目</h1>", `name="team_id"`, `value="社区服务"`, `name="region_pick"`)

	cst := clock.Zone
	today := time.Now().In(cst)
	form := url.Values{"team_id": {"1"}, "name": {"网页测试项目"}, "category": {"社区服务"}, "content": {"楼门值守"},
		"region_code": {"120101001001"}, "address": {"花园路社区"}, "recruit_count": {"10"},
		"starts_on": {today.Format("2006-01-02")}, "ends_on": {today.AddDate(0, 1, 0).Format("2006-01-02")},
		"contact_name": {"王建国"}, "contact_phone": {"13800138000"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("name", "")
	status, body, _ = post(admin, "/projects/new", "/projects", bad)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("project without a name: %d", status)
	}
	mustContain(t, "project form error", body, "请填写项目名称", `value="花园路社区"`)

	status, _, loc := post(admin, "/projects/new", "/projects", form)
	m := projectPath.FindStringSubmatch(loc)
	if status != http.StatusSeeOther || m == nil {
		t.Fatalf("create project: %d %q", status, loc)
	}
	page := "/projects/" + m[1]
	_, body, _ = admin.Get(loc)
	mustContain(t, "draft page", body, "项目草稿已保存", "草稿", `data-testid="submit-project"`, `data-testid="add-shift"`)

	start := time.Now().In(cst).Add(20 * time.Minute).Truncate(time.Minute)
	status, _, _ = post(admin, page, page+"/shifts", url.Values{"starts_at": {start.Format("2006-01-02T15:04")},
		"ends_at": {start.Add(time.Hour).Format("2006-01-02T15:04")}, "capacity": {"1"}, "waitlist": {"0"}, "place": {"社区门口"}})
	if status != http.StatusSeeOther {
		t.Fatalf("add shift: %d", status)
	}
	status, body, _ = post(admin, page, page+"/shifts", url.Values{"starts_at": {"明天上午"}, "capacity": {"1"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("shift with a bad time: %d", status)
	}
	mustContain(t, "shift form error", body, "请填写时间")
	if status, _, _ = post(admin, page, page+"/submit", nil); status != http.StatusSeeOther {
		t.Fatalf("submit: %d", status)
	}

	// The volunteer does not see the project before the office approves it.
	if status, _, _ = vol.Get(page); status != http.StatusNotFound {
		t.Fatalf("pending project seen by a volunteer: %d", status)
	}
	_, body, _ = office.Get("/projects?state=pending_review")
	mustContain(t, "review queue", body, `href="`+page+`"`, "待审核")
	_, body, _ = office.Get(page)
	mustContain(t, "review form", body, "待审核", `action="`+page+`/review"`)
	status, body, _ = post(office, page, page+"/review", url.Values{"decision": {"reject"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("reject without a reason: %d", status)
	}
	if status, _, _ = post(office, page, page+"/review", url.Values{"decision": {"approve"}}); status != http.StatusSeeOther {
		t.Fatalf("approve: %d", status)
	}

	_, body, _ = vol.Get("/projects?q=网页测试")
	mustContain(t, "project list", body, `href="`+page+`"`, "网页测试项目")
	_, body, _ = vol.Get(page)
	mustContain(t, "published page", body, "已发布", "已报 0 / 1 人", "报名", "社区门口", start.Format("2006-01-02 15:04"))
	sm := shiftIDs.FindStringSubmatch(body)
	if sm == nil {
		t.Fatal("no shift on the project page")
	}
	shift := "/shifts/" + sm[1]
	status, _, loc = post(vol, page, shift+"/signup", nil)
	if status != http.StatusSeeOther || !strings.Contains(loc, "flash.signed_up") {
		t.Fatalf("sign up: %d %q", status, loc)
	}
	_, body, _ = vol.Get(loc)
	mustContain(t, "signed up", body, "报名成功", "已报 1 / 1 人")
	status, body, _ = post(vol, page, shift+"/signup", nil)
	if status != http.StatusConflict {
		t.Fatalf("second sign-up: %d", status)
	}
	mustContain(t, "second sign-up", body, "您已报名该班次", "网页测试项目")

	// The leader's page shows the code, refreshing itself.
	_, body, _ = admin.Get(page)
	mustContain(t, "manager's project page", body, `href="`+shift+`/code"`)
	status, body, _ = admin.Get(shift + "/code")
	if status != http.StatusOK {
		t.Fatalf("leader's code page: %d", status)
	}
	mustContain(t, "leader's code page", body, "<svg", `hx-get="`+shift+`/code/fragment"`, `hx-trigger="every 25s"`, "网页测试项目")
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
		t.Error("leader's page has inline script or style")
	}
	status, frag, _ := admin.Get(shift + "/code/fragment")
	if status != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(frag), `<div id="qr"`) || strings.Contains(frag, "<html") {
		t.Fatalf("code fragment: %d %.200s", status, frag)
	}
	cm := qrText.FindStringSubmatch(body)
	if cm == nil {
		t.Fatal("no check-in URL on the leader's page")
	}
	code := "/c/" + cm[1]

	// The volunteer's phone opens the code: a page first, the scan on the button.
	anon := env.Browser()
	if status, _, loc = anon.Get(code); status != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape(code) {
		t.Fatalf("anonymous check-in: %d %q", status, loc)
	}
	status, body, _ = vol.Get(code)
	if status != http.StatusOK {
		t.Fatalf("check-in page: %d", status)
	}
	mustContain(t, "check-in page", body, "网页测试项目", `data-testid="checkin-button"`)
	status, body, _ = post(vol, code, code, nil)
	if status != http.StatusOK {
		t.Fatalf("check in: %d %s", status, body)
	}
	mustContain(t, "checked in", body, "已签到")

	// Check out after the shift, as if two hours had passed.
	env.App.Records.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	env.App.Attendance.Now = env.App.Records.Now
	defer func() { env.App.Records.Now, env.App.Attendance.Now = time.Now, time.Now }()
	status, body, _ = post(vol, code, code, nil)
	if status != http.StatusOK {
		t.Fatalf("check out: %d %s", status, body)
	}
	mustContain(t, "checked out", body, "已签退", "60 分钟")
	// The leader enters her personal code by hand: after the shift, too late.
	_, mine, _ := vol.Get("/me/code")
	pc := personalText.FindStringSubmatch(mine)
	if pc == nil {
		t.Fatal("no personal code text")
	}
	status, lbody, _ := post(admin, shift+"/code", shift+"/scan", url.Values{"code": {pc[1]}})
	if status != http.StatusConflict {
		t.Fatalf("leader scan after the shift: %d", status)
	}
	mustContain(t, "late leader scan", lbody, "班次已结束", "<svg")
	rm := recordLink.FindStringSubmatch(body)
	if rm == nil {
		t.Fatal("no record link after check-out")
	}
	rec := "/records/" + rm[1]

	status, body, _ = vol.Get("/me/hours")
	if status != http.StatusOK {
		t.Fatalf("hours: %d", status)
	}
	mustContain(t, "hours", body, "待确认", "网页测试项目", `href="`+rec+`"`)
	if strings.Contains(body, "/me/certificates") {
		t.Error("a certificate offered before the hours are confirmed")
	}
	_, body, _ = vol.Get(rec)
	mustContain(t, "own record", body, "待确认", "1.0")
	if strings.Contains(body, "confirm-record") {
		t.Error("the volunteer may confirm her own record")
	}
	if status, _, _ = post(vol, rec, rec+"/confirm", nil); status != http.StatusForbidden {
		t.Fatalf("volunteer confirms: %d", status)
	}
	_, body, _ = admin.Get(rec)
	mustContain(t, "manager's record", body, `data-testid="confirm-record"`, "生成")
	if status, _, _ = post(admin, rec, rec+"/confirm", nil); status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", status)
	}
	_, body, _ = admin.Get(rec)
	mustContain(t, "confirmed record", body, "已确认", "确认")

	_, body, _ = vol.Get("/me/hours")
	mustContain(t, "hours after confirmation", body, "已确认", "1.0 小时", `action="/me/certificates"`)
	status, body, _ = post(vol, "/me/hours", "/me/certificates", url.Values{"team_id": {"1"}})
	if status != http.StatusOK {
		t.Fatalf("certificate: %d %s", status, body)
	}
	pm := pdfLink.FindStringSubmatch(body)
	if pm == nil {
		t.Fatalf("no PDF link: %.500s", body)
	}
	res, err := vol.Client.Get(env.Server.URL + pm[1])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("certificate PDF: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	if status, _, _ = office.Get(strings.Replace(pm[1], "/certificates/", "/certificates/9", 1)); status != http.StatusNotFound {
		t.Fatalf("missing certificate: %d", status)
	}

	// Voiding needs a reason.
	if status, _, _ = post(admin, rec, rec+"/void", url.Values{"reason": {""}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("void without a reason: %d", status)
	}
}

// TestPersonalCode shows the volunteer's own code, which the leader enters
// by hand.
func TestPersonalCode(t *testing.T) {
	env := apptest.New(t)
	vol := env.Browser()
	vol.Login("volunteer")
	status, body, _ := vol.Get("/me/code")
	if status != http.StatusOK {
		t.Fatalf("my code: %d", status)
	}
	mustContain(t, "my code", body, "我的签到码", "<svg", `hx-get="/me/code/fragment"`, `hx-trigger="every 25s"`)
	status, frag, _ := vol.Get("/me/code/fragment")
	if status != http.StatusOK || !strings.Contains(frag, "<svg") || strings.Contains(frag, "<html") {
		t.Fatalf("my code fragment: %d", status)
	}
	_, home, _ := vol.Get("/")
	mustContain(t, "volunteer's home", home, `href="/me/hours"`, `href="/me/code"`, `href="/projects"`)
}

// TestProjectsInEnglish shows the project screens in English beside Chinese.
func TestProjectsInEnglish(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	if status, _, _ := b.Post("/locale", url.Values{"csrf": {b.CSRF("/projects")}, "lang": {"en"}, "next": {"/projects"}}); status != http.StatusSeeOther {
		t.Fatalf("choose English: %d", status)
	}
	_, body, _ := b.Get("/projects")
	mustContain(t, "English project list", body, "<h1>Volunteer-service projects</h1>", "All categories")
	_, body, _ = b.Get("/")
	mustContain(t, "English home", body, `href="/projects"`, "Find published projects and sign up")
}
