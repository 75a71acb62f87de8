package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
)

// claimCodeOnTeamPage reads a claim's code from the team admin's claims page.
func claimCodeOnTeamPage(t *testing.T, admin *apptest.Browser, claimID string) string {
	t.Helper()
	status, body, _ := admin.Get("/teams/1/claims")
	if status != http.StatusOK {
		t.Fatalf("team claims page: %d", status)
	}
	m := regexp.MustCompile(`data-testid="claim-code">(\d{6})</strong>[\s\S]*?/claims/` + regexp.QuoteMeta(claimID) + `/approve`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("claim %s not on the team's page:\n%s", claimID, body)
	}
	return m[1]
}

func wrongCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// preregisterForClaim registers someone on team 1's behalf through the page.
func preregisterForClaim(t *testing.T, admin *apptest.Browser, n int) (id, phone string) {
	t.Helper()
	id, phone = apptest.ResidentID("120101", apptest.BornYearsAgo(60, n), 300+n), apptest.Mobile(700+n)
	form := registration("孙认领", id, phone)
	form.Del("password")
	form.Set("csrf", admin.CSRF("/teams/1/members/new"))
	if status, _, _ := admin.Post("/teams/1/members/new", form); status != http.StatusSeeOther {
		t.Fatalf("preregister: %d", status)
	}
	return id, phone
}

// The team's admin sees the pending claim and its code (audited) and
// approves it; the claimant then signs in with the password they chose.
func TestTeamAdminApprovesClaim(t *testing.T) {
	env := apptest.New(t)
	admin := env.Browser()
	admin.Login("team-admin")
	_, body, _ := admin.Get("/teams/1/claims")
	mustContain(t, "no claims", body, "待完成的档案认领", "没有待完成的认领申请。")
	id, phone := preregisterForClaim(t, admin, 1)
	b := env.Browser()
	status, body, _ := b.Post("/claim", url.Values{"csrf": {b.CSRF("/claim")}, "id_number": {id}, "phone": {phone},
		"password": {"password-123"}, "password_confirm": {"password-123"}})
	m := confirmAction.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("claim: %d", status)
	}
	claimCodeOnTeamPage(t, admin, m[2])
	var viewed int
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'view_claim_codes' AND username = 'team-admin'`).Scan(&viewed)
	if viewed != 1 {
		t.Fatalf("viewing the codes audited %d times", viewed)
	}
	me := env.Browser()
	if status, _, _ := me.Post("/login", url.Values{"csrf": {me.CSRF("/login")}, "username": {phone}, "password": {"password-123"}}); status == http.StatusSeeOther {
		t.Fatal("signed in before the claim completed")
	}
	status, _, loc := admin.Post("/teams/1/claims/"+m[2]+"/approve", url.Values{"csrf": {admin.CSRF("/teams/1/claims")}})
	if status != http.StatusSeeOther || loc != "/teams/1/claims" {
		t.Fatalf("approve: %d %q", status, loc)
	}
	if status, _, _ := me.Post("/login", url.Values{"csrf": {me.CSRF("/login")}, "username": {phone}, "password": {"password-123"}}); status != http.StatusSeeOther {
		t.Fatalf("sign in after approval: %d", status)
	}
	// The code of an approved claim completes nothing more.
	status, body, _ = b.Post(m[1], url.Values{"csrf": {b.CSRF("/claim")}, "code": {"123456"}})
	if status != http.StatusConflict || !strings.Contains(body, "认领申请已结束") {
		t.Fatalf("code after approval: %d", status)
	}
}

// Past the limit the claim form answers 429 with Retry-After and says when
// to try again, in the page's language.
func TestClaimFormIsThrottled(t *testing.T) {
	env := apptest.New(t)
	env.App.Volunteers.Limits.Claim = auth.Limit{Max: 2, Window: 30 * time.Minute}
	b := env.Browser()
	form := url.Values{"csrf": {b.CSRF("/claim")}, "id_number": {"11010519491231002X"}, "phone": {"13700009999"},
		"password": {"password-123"}, "password_confirm": {"password-123"}}
	for range 2 {
		if status, _, _ := b.Post("/claim", form); status != http.StatusNotFound {
			t.Fatalf("claim: %d", status)
		}
	}
	req, _ := http.NewRequest("POST", env.Server.URL+"/claim", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	// The window began with the first claim, a moment ago.
	retry, _ := strconv.Atoi(res.Header.Get("Retry-After"))
	if res.StatusCode != http.StatusTooManyRequests || retry < 1790 || retry > 1800 || !strings.Contains(string(body), "认领尝试过于频繁，请 30 分钟后再试。") {
		t.Fatalf("throttled claim: %d %q\n%s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
}
