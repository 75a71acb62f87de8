package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
)

// TestCalendarFeedRenewAndPasswordChange checks that a volunteer's calendar
// feed URL works until its owner renews it or changes the password, that
// the renewed URL works, and that the database holds no token.
func TestCalendarFeedRenewAndPasswordChange(t *testing.T) {
	env := apptest.New(t)
	vol := env.Token("volunteer")
	feedURL := func() string {
		status, raw := env.JSON("GET", "/api/v1/volunteers/me/shifts", vol, nil)
		var out struct {
			ICalURL string `json:"ical_url"`
		}
		if err := json.Unmarshal(raw, &out); status != 200 || err != nil || out.ICalURL == "" {
			t.Fatalf("my shifts: %d %s", status, raw)
		}
		return strings.TrimPrefix(out.ICalURL, env.Server.URL)
	}
	feed := func(path string) int {
		status, _ := env.JSON("GET", path, "", nil)
		return status
	}
	first := feedURL()
	if feed(first) != 200 {
		t.Fatalf("feed %s does not open", first)
	}
	status, raw := env.JSON("POST", "/api/v1/volunteers/me/calendar/renew", vol, nil)
	var renewed struct {
		ICalURL string `json:"ical_url"`
	}
	_ = json.Unmarshal(raw, &renewed)
	second := strings.TrimPrefix(renewed.ICalURL, env.Server.URL)
	if status != 200 || second == first || second != feedURL() {
		t.Fatalf("renew: %d %s (was %s)", status, raw, first)
	}
	if feed(first) != http.StatusNotFound || feed(second) != 200 {
		t.Fatalf("after renewal: old %d, new %d", feed(first), feed(second))
	}
	var audited int
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'calendar_renew'`).Scan(&audited)
	if audited != 1 {
		t.Fatalf("renewals audited: %d", audited)
	}

	p := env.Principal("volunteer")
	if err := env.App.Auth.ChangePassword(context.Background(), p, env.Passwords["volunteer"], "a-new-password-456", ""); err != nil {
		t.Fatal(err)
	}
	if feed(second) != http.StatusNotFound {
		t.Fatal("the feed outlives a password change")
	}
	status, raw = env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": "volunteer", "password": "a-new-password-456"})
	var login struct{ Token string }
	if err := json.Unmarshal(raw, &login); status != 200 || err != nil {
		t.Fatalf("login: %d %s", status, raw)
	}
	vol = login.Token
	if third := feedURL(); third == second || third == first || feed(third) != 200 {
		t.Fatalf("feed after the password change: %s", third)
	}
}
