package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/httpx"
)

var (
	volunteerNo = regexp.MustCompile(`data-testid="volunteer-no">(\d{12})<`)
	// confirmAction is the claim-sent page's form: the path and the claim id.
	confirmAction = regexp.MustCompile(`action="(/claim/([A-Za-z0-9_-]+)/confirm)"`)
	teamPath      = regexp.MustCompile(`^/teams/(\d+)\?flash=flash\.team_created$`)
	detailLink    = regexp.MustCompile(`href="/admin/volunteers/(\d+)"`)
)

func registration(name, id, phone string) url.Values {
	return url.Values{"real_name": {name}, "id_type": {"resident"}, "id_number": {id}, "phone": {phone},
		"region_code": {"120101001002"}, "tags": {"青年", "党员"}, "service_categories": {"应急救援"},
		"skills": {"急救、驾驶,摄影"}, "languages": {"英语"}, "available_time": {"周末"}, "publish_consent": {"1"},
		"password": {"password-123"}, "password_confirm": {"password-123"}}
}

// wrongCheck changes the check character of an 18-digit ID number.
func wrongCheck(id string) string {
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// TestRegistryFlow follows a volunteer from the registration form to a team
// of their own: register, sign in with the phone number, found a team that
// the district office approves on its page, manage its members; the office
// then finds the volunteer, and another district cannot see them.
func TestRegistryFlow(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()

	status, body, _ := b.Get("/register")
	if status != http.StatusOK {
		t.Fatalf("register form: %d", status)
	}
	mustContain(t, "register form", body, "<h1>注册志愿者</h1>", `<label for="real_name">真实姓名</label>`,
		"居民身份证", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "港澳台居民居住证", "外国人永久居留身份证",
		`value="社区服务"`, `value="党员"`, `name="region_pick"`, "未满 18 周岁须填写监护人")

	id, phone := apptest.ResidentID("120101", apptest.BornYearsAgo(25, 3), 201), apptest.Mobile(201)
	form := registration("赵网页", wrongCheck(id), phone)
	form.Set("csrf", b.CSRF("/register"))
	status, body, _ = b.Post("/register", form)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("bad check digit: %d", status)
	}
	mustContain(t, "re-rendered form", body, "证件号码校验位不正确，请核对后重新填写。", `id="id_number-error"`,
		`value="赵网页"`, `value="`+phone+`"`, `value="急救、驾驶,摄影"`, `value="青年" checked`, `value="党员" checked`,
		`value="应急救援" checked`, `value="周末"`, `name="publish_consent" value="1" checked`, "天津市 和平区 劝业场街道")
	if strings.Contains(body, "password-123") {
		t.Error("the re-rendered form echoes the password")
	}

	form.Set("id_number", id)
	form.Set("password_confirm", "password-456")
	if status, body, _ = b.Post("/register", form); status != http.StatusUnprocessableEntity || !strings.Contains(body, "两次输入的密码不一致。") {
		t.Fatalf("password mismatch: %d", status)
	}

	form.Set("password_confirm", "password-123")
	status, body, _ = b.Post("/register", form)
	m := volunteerNo.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("register: %d\n%s", status, body)
	}
	no := m[1]
	mustContain(t, "registered page", body, "注册成功", "志愿者编号", "137****0201", `href="/login"`)

	// The same ID again: the message, and the ways out.
	status, body, _ = b.Post("/register", form)
	if status != http.StatusConflict {
		t.Fatalf("second registration: %d", status)
	}
	mustContain(t, "conflict", body, "该证件号码已注册", `href="/claim"`)

	// Sign in with the phone number, as the page says.
	me := env.Browser()
	status, _, _ = me.Post("/login", url.Values{"csrf": {me.CSRF("/login")}, "username": {phone}, "password": {"password-123"}})
	if status != http.StatusSeeOther {
		t.Fatalf("login with phone: %d", status)
	}
	status, body, _ = me.Get("/me/volunteer")
	if status != http.StatusOK {
		t.Fatalf("my profile: %d", status)
	}
	mustContain(t, "my profile", body, no, "赵网页", "120101********", "137****0201", "青年", "党员", "应急救援", "急救、驾驶、摄影", "英语")
	if strings.Contains(body, id) || strings.Contains(body, phone) {
		t.Error("my profile shows a number unmasked")
	}
	if status, _, loc := me.Get("/register"); status != http.StatusSeeOther || loc != "/me/volunteer" {
		t.Errorf("register while signed in: %d %q", status, loc)
	}

	// Found a team; it awaits review.
	status, body, _ = me.Get("/teams/new")
	if status != http.StatusOK || !strings.Contains(body, "自由加入") || !strings.Contains(body, "审核加入") || !strings.Contains(body, "仅限邀请") {
		t.Fatalf("team form: %d", status)
	}
	csrf := me.CSRF("/teams/new")
	status, body, _ = me.Post("/teams", url.Values{"csrf": {csrf}, "name": {"X"}, "region_code": {"12"}, "contact_phone": {"1"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid team: %d", status)
	}
	mustContain(t, "team form errors", body, "团队名称应为 2–60 个字。", "团队所在区域至少要选到地市。", "请填写联系人。")
	status, _, loc := me.Post("/teams", url.Values{"csrf": {csrf}, "name": {"劝业场网页志愿服务队"}, "region_code": {"120101001"},
		"contact_name": {"赵网页"}, "contact_phone": {phone}, "type": {"社区志愿服务队"}, "join_mode": {"open"},
		"description": {"社区环境整治。"}})
	tm := teamPath.FindStringSubmatch(loc)
	if status != http.StatusSeeOther || tm == nil {
		t.Fatalf("found team: %d %q", status, loc)
	}
	teamURL := "/teams/" + tm[1]
	_, body, _ = me.Get(loc)
	mustContain(t, "new team page", body, "团队已提交，等待所在地文明办审核。", "团队通过审核后，您将成为团队管理员。", "待审核", "天津市 和平区 劝业场街道", "社区志愿服务队", "137****0201", "自由加入")
	if strings.Contains(body, phone) || strings.Contains(body, `action="`+teamURL+`/review"`) {
		t.Error("the founder sees the full phone number or the review form")
	}
	if status, _, _ := env.Browser().Get(teamURL); status != http.StatusNotFound {
		t.Errorf("a pending team is shown to anonymous visitors: %d", status)
	}

	// Heping's office approves it on the team's page.
	office := env.Browser()
	office.Login("heping-office")
	_, body, _ = office.Get("/admin/teams/review")
	mustContain(t, "review queue", body, "劝业场网页志愿服务队", `href="`+teamURL+`"`)
	_, body, _ = office.Get(teamURL)
	mustContain(t, "team page for the reviewer", body, `action="`+teamURL+`/review"`, `value="approve"`, `value="reject"`)
	csrf = office.CSRF(teamURL)
	status, body, _ = office.Post(teamURL+"/review", url.Values{"csrf": {csrf}, "decision": {"reject"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "驳回或暂停须填写原因。") {
		t.Fatalf("reject without reason: %d", status)
	}
	status, _, loc = office.Post(teamURL+"/review", url.Values{"csrf": {csrf}, "decision": {"approve"}, "reason": {"材料齐全"}})
	if status != http.StatusSeeOther || loc != teamURL+"?flash=flash.team_reviewed" {
		t.Fatalf("approve: %d %q", status, loc)
	}
	status, body, _ = office.Post(teamURL+"/review", url.Values{"csrf": {csrf}, "decision": {"approve"}})
	if status != http.StatusConflict || !strings.Contains(body, "团队当前状态（已通过）下不能进行此操作。") {
		t.Errorf("approve twice: %d", status)
	}
	_, body, _ = office.Get(teamURL)
	mustContain(t, "approved team", body, "已通过", "审核记录", "材料齐全", `value="suspend"`)
	if _, body, _ = office.Get("/admin/teams/review"); strings.Contains(body, "劝业场网页志愿服务队") {
		t.Error("the approved team is still in the review queue")
	}

	// The founder is now its admin and manages its members.
	_, body, _ = me.Get(teamURL)
	mustContain(t, "team page for the founder", body, `href="`+teamURL+`/members"`, "管理员", "退出团队")
	status, body, _ = me.Get(teamURL + "/members")
	if status != http.StatusOK {
		t.Fatalf("members page: %d", status)
	}
	mustContain(t, "members page", body, "赵网页", "137****0201", "管理员", "在队", "本人已认领")
	_, body, _ = me.Get("/my/teams")
	mustContain(t, "my teams", body, "劝业场网页志愿服务队", "管理员", `href="`+teamURL+`/members"`)

	// The office finds the volunteer by phone number; Hedong's office cannot see them.
	status, body, _ = office.Get("/admin/volunteers?q=" + phone)
	dm := detailLink.FindStringSubmatch(body)
	if status != http.StatusOK || dm == nil || !strings.Contains(body, "赵网页") || !strings.Contains(body, no) {
		t.Fatalf("search by phone: %d", status)
	}
	if _, body, _ = office.Get("/admin/volunteers?q=" + phone[:10] + "9"); strings.Contains(body, "赵网页") {
		t.Error("another phone number finds the volunteer")
	}
	status, body, _ = office.Get("/admin/volunteers?region_code=999999&q=" + phone)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "行政区划代码不存在。") || !strings.Contains(body, `value="`+phone+`"`) {
		t.Errorf("search with an unknown region: %d", status)
	}
	status, body, _ = office.Get("/admin/volunteers/" + dm[1])
	if status != http.StatusOK || strings.Contains(body, id) || strings.Contains(body, phone) || !strings.Contains(body, "120101********") {
		t.Fatalf("volunteer page for the office: %d", status)
	}
	hedong := env.Browser()
	hedong.Login("hedong-office")
	if status, body, _ := hedong.Get("/admin/volunteers/" + dm[1]); status != http.StatusNotFound || !strings.Contains(body, "志愿者不存在或不在您的管理范围内。") {
		t.Errorf("Hedong's office on a Heping volunteer: %d", status)
	}
	if _, body, _ := hedong.Get("/admin/volunteers?q=" + phone); strings.Contains(body, "赵网页") {
		t.Error("Hedong's office finds a Heping volunteer")
	}
}

// TestRegisterInEnglish switches the language and sees the form's labels,
// documents and catalogue items in English.
func TestRegisterInEnglish(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	status, _, _ := b.Post("/locale", url.Values{"csrf": {b.CSRF("/register")}, "lang": {"en"}, "next": {"/register"}})
	if status != http.StatusSeeOther {
		t.Fatalf("switch: %d", status)
	}
	_, body, _ := b.Get("/register")
	mustContain(t, "English register form", body, `<html lang="en">`, "<h1>Register as a volunteer</h1>", `<label for="real_name">Real name</label>`,
		"Resident identity card", "Passport", "Mobile number", "Party member", "Community service", "Guardian", "Confirm password")
	if strings.Contains(body, "居民身份证") || strings.Contains(body, "真实姓名") {
		t.Error("Chinese labels on the English form")
	}
	form := registration("Anna Schmidt", "C12345678", apptest.Mobile(202))
	form.Set("id_type", "passport")
	form.Set("csrf", b.CSRF("/register"))
	status, body, _ = b.Post("/register", form)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("passport without birth date: %d", status)
	}
	mustContain(t, "English field errors", body, `value="passport" selected`, `id="birth_date-error"`, `id="gender-error"`)
	form.Set("birth_date", "1990-05-01")
	form.Set("gender", "F")
	status, body, _ = b.Post("/register", form)
	if status != http.StatusOK || !volunteerNo.MatchString(body) || !strings.Contains(body, "Volunteer number") {
		t.Fatalf("passport registration: %d\n%s", status, body)
	}
}

// TestPreregisterAndClaim has a team admin register someone on the team's
// behalf; the person claims the record and signs in with its number.
func TestPreregisterAndClaim(t *testing.T) {
	env := apptest.New(t)
	admin := env.Browser()
	admin.Login("team-admin")
	status, body, _ := admin.Get("/teams/1/members/new")
	if status != http.StatusOK || !strings.Contains(body, "代为登记志愿者") || strings.Contains(body, `name="password"`) {
		t.Fatalf("preregister form: %d", status)
	}
	id, phone := apptest.ResidentID("120101", apptest.BornYearsAgo(70, 9), 203), apptest.Mobile(203)
	form := registration("钱代登", id, phone)
	form.Del("password")
	form.Set("csrf", admin.CSRF("/teams/1/members/new"))
	status, _, loc := admin.Post("/teams/1/members/new", form)
	if status != http.StatusSeeOther || loc != "/teams/1/members?flash=flash.member_preregistered" {
		t.Fatalf("preregister: %d %q", status, loc)
	}
	_, body, _ = admin.Get(loc)
	mustContain(t, "members after preregistering", body, "志愿者已登记并加入团队。", "钱代登", "待本人认领")

	// Registering with the same ID points to claiming.
	b := env.Browser()
	reg := registration("钱代登", id, apptest.Mobile(204))
	reg.Set("csrf", b.CSRF("/register"))
	status, body, _ = b.Post("/register", reg)
	if status != http.StatusConflict {
		t.Fatalf("register a preregistered ID: %d", status)
	}
	mustContain(t, "unclaimed conflict", body, "该证件号码已由团队或社区代为登记", `href="/claim"`)

	_, body, _ = b.Get("/claim")
	mustContain(t, "claim form", body, "<h1>认领档案</h1>", `<label for="id_number">证件号码</label>`)
	csrf := b.CSRF("/claim")
	status, body, _ = b.Post("/claim", url.Values{"csrf": {csrf}, "id_number": {id}, "phone": {apptest.Mobile(205)},
		"password": {"password-123"}, "password_confirm": {"password-123"}})
	if status != http.StatusNotFound || !strings.Contains(body, "证件号码与手机号码不匹配") || !strings.Contains(body, `value="`+id+`"`) {
		t.Fatalf("claim with the wrong phone: %d", status)
	}
	status, body, _ = b.Post("/claim", url.Values{"csrf": {csrf}, "id_number": {id}, "phone": {phone},
		"password": {"password-123"}, "password_confirm": {"password-123"}})
	claimID := confirmAction.FindStringSubmatch(body)
	if status != http.StatusOK || claimID == nil || !strings.Contains(body, "认领申请已提交") || volunteerNo.MatchString(body) {
		t.Fatalf("claim: %d\n%s", status, body)
	}
	if b.Cookie(httpx.SessionCookie) != "" {
		t.Fatal("a pending claim signed the browser in")
	}
	code := claimCodeOnTeamPage(t, admin, claimID[2])
	status, body, _ = b.Post(claimID[1], url.Values{"csrf": {csrf}, "code": {wrongCode(code)}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "验证码不正确，还可以再试 4 次。") {
		t.Fatalf("wrong code: %d\n%s", status, body)
	}
	status, body, _ = b.Post(claimID[1], url.Values{"csrf": {csrf}, "code": {code}})
	m := volunteerNo.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil || !strings.Contains(body, "认领成功") {
		t.Fatalf("confirm: %d", status)
	}
	me := env.Browser()
	if status, _, _ := me.Post("/login", url.Values{"csrf": {me.CSRF("/login")}, "username": {m[1]}, "password": {"password-123"}}); status != http.StatusSeeOther {
		t.Fatalf("login with the volunteer number: %d", status)
	}
	_, body, _ = me.Get("/me/volunteer")
	mustContain(t, "claimed profile", body, m[1], "钱代登", "本人已认领", "代为登记", "团队编号 1")
}

// TestMembersAndJoining: a volunteer asks to join a team that approves its
// members; its admin approves, names them leader and removes them again.
func TestMembersAndJoining(t *testing.T) {
	env := apptest.New(t)
	v := env.Browser()
	v.Login("volunteer2")
	_, body, _ := v.Get("/teams/2")
	mustContain(t, "team 2 for a volunteer", body, "申请加入", `action="/teams/2/join"`)
	status, _, loc := v.Post("/teams/2/join", url.Values{"csrf": {v.CSRF("/teams/2")}})
	if status != http.StatusSeeOther || loc != "/teams/2?flash=flash.team_join_requested" {
		t.Fatalf("join: %d %q", status, loc)
	}
	_, body, _ = v.Get(loc)
	mustContain(t, "after asking", body, "申请已提交，等待团队审核。", "申请待审核", "撤回申请")
	status, body, _ = v.Post("/teams/2/join", url.Values{"csrf": {v.CSRF("/teams/2")}})
	if status != http.StatusConflict || !strings.Contains(body, "已是该团队成员或已申请加入。") {
		t.Errorf("join twice: %d", status)
	}

	office := env.Browser()
	office.Login("heping-office")
	_, body, _ = office.Get("/teams/2/members?status=pending")
	mustContain(t, "pending members", body, "李红", "申请待审核", "通过申请")
	if strings.Contains(body, "张志愿") {
		t.Error("the pending filter shows active members")
	}
	rows := regexp.MustCompile(`action="(/teams/2/members/(\d+))/approve"`).FindStringSubmatch(body)
	if rows == nil {
		t.Fatal("no approve form")
	}
	member := rows[1]
	csrf := office.CSRF("/teams/2/members")
	if status, _, loc := office.Post(member+"/approve", url.Values{"csrf": {csrf}}); status != http.StatusSeeOther || loc != "/teams/2/members?flash=flash.member_approved" {
		t.Fatalf("approve: %d %q", status, loc)
	}
	if status, body, _ := office.Post(member+"/role", url.Values{"csrf": {csrf}, "role": {"boss"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "团队角色应为管理员、队长或队员。") {
		t.Errorf("bad role: %d", status)
	}
	if status, _, _ := office.Post(member+"/role", url.Values{"csrf": {csrf}, "role": {"leader"}}); status != http.StatusSeeOther {
		t.Fatalf("set role: %d", status)
	}
	_, body, _ = v.Get("/my/teams")
	mustContain(t, "my teams", body, "天津蓝天救援队和平分队", "队长", "在队")
	if status, _, _ := office.Post(member+"/remove", url.Values{"csrf": {csrf}}); status != http.StatusSeeOther {
		t.Fatalf("remove: %d", status)
	}
	if _, body, _ = v.Get("/my/teams"); strings.Contains(body, "天津蓝天救援队和平分队") {
		t.Error("a removed member still lists the team")
	}

	// Hedong's office sees team 2 but does not manage it.
	hedong := env.Browser()
	hedong.Login("hedong-office")
	if status, _, _ := hedong.Get("/teams/2/members"); status != http.StatusForbidden {
		t.Errorf("Hedong's office on Heping's members: %d", status)
	}
	if _, body, _ := hedong.Get("/teams/2"); strings.Contains(body, "/members") || strings.Contains(body, `action="/teams/2/review"`) {
		t.Error("Hedong's office is offered to manage or review a Heping team")
	}
}

func TestRegionPicker(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	status, body, _ := b.Get("/regions/options?region_pick=120101")
	if status != http.StatusOK || !strings.Contains(body, `<option value="120101001">劝业场街道</option>`) ||
		!strings.Contains(body, `<label for="region-pick-4">街道乡镇</label>`) || !strings.Contains(body, `hx-target="#region-below-4"`) {
		t.Fatalf("streets of Heping: %d\n%s", status, body)
	}
	if status, body, _ := b.Get("/regions/options?region_pick="); status != http.StatusOK || strings.TrimSpace(body) != "" {
		t.Errorf("cleared choice: %d %q", status, body)
	}
	if status, _, _ := b.Get("/regions/options?region_pick=999999"); status != http.StatusNotFound {
		t.Errorf("unknown region: %d", status)
	}
	// The deepest level picked wins over a code typed outside it.
	form := registration("孙选区", apptest.ResidentID("120101", apptest.BornYearsAgo(40, 1), 207), apptest.Mobile(207))
	form["region_pick"] = []string{"12", "1201", "120101", "120101001", ""}
	form.Set("region_code", "110105")
	form.Set("csrf", b.CSRF("/register"))
	status, body, _ = b.Post("/register", form)
	if status != http.StatusOK {
		t.Fatalf("register with the picker: %d", status)
	}
	me := env.Browser()
	me.Post("/login", url.Values{"csrf": {me.CSRF("/login")}, "username": {apptest.Mobile(207)}, "password": {"password-123"}})
	if _, body, _ = me.Get("/me/volunteer"); !strings.Contains(body, "天津市 和平区 劝业场街道") {
		t.Error("the picked region was not recorded")
	}
}

func TestRegistryPagesHaveNoInlineScript(t *testing.T) {
	env := apptest.New(t)
	anon := env.Browser()
	office := env.Browser()
	office.Login("heping-office")
	check := func(b *apptest.Browser, paths ...string) {
		for _, p := range paths {
			status, body, _ := b.Get(p)
			if status != http.StatusOK {
				t.Errorf("%s: %d", p, status)
			}
			if strings.Contains(body, "<script>") || strings.Contains(body, " onclick=") || strings.Contains(body, "style=") {
				t.Errorf("%s has inline script or style, which the CSP blocks", p)
			}
			for _, form := range regexp.MustCompile(`(?s)<form method="post".*?</form>`).FindAllString(body, -1) {
				if !strings.Contains(form, `name="csrf"`) {
					t.Errorf("%s has a form without a CSRF token", p)
				}
			}
		}
	}
	check(anon, "/", "/register", "/claim", "/teams", "/teams/1", "/login")
	check(office, "/", "/me/volunteer", "/my/teams", "/teams/new", "/teams/1", "/teams/1/members", "/teams/1/members/new",
		"/admin/teams/review", "/admin/volunteers", "/admin/volunteers/1")
}
