package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/clock"
)

// TestCheckinOverHTTP walks the API path: a project is drafted, submitted and
// approved, a shift added, a volunteer signs up, the leader fetches the QR
// code, the volunteer scans it twice (in, out), the leader confirms the
// record, and the volunteer's summary and records show it.
func TestCheckinOverHTTP(t *testing.T) {
	env := apptest.New(t)
	leader, office, vol := env.Token("team-admin"), env.Token("heping-office"), env.Token("volunteer")
	today := time.Now().In(clock.Zone)
	id := func(raw []byte) int64 {
		var x struct{ ID int64 }
		_ = json.Unmarshal(raw, &x)
		return x.ID
	}
	status, raw := env.JSON("POST", "/api/v1/projects", leader, map[string]any{"team_id": 1, "name": "垃圾分类宣传", "category": "生态环保",
		"content": "小区垃圾分类指导", "region_code": "120101001001", "address": "花园路社区", "recruit_count": 5,
		"starts_on": today.Format("2006-01-02"), "ends_on": today.AddDate(0, 0, 7).Format("2006-01-02"),
		"contact_name": "王建国", "contact_phone": "13800138000"})
	if status != 201 || !strings.Contains(string(raw), `"state":"draft"`) {
		t.Fatalf("create project: %d %s", status, raw)
	}
	pid := id(raw)
	if status, raw := env.JSON("POST", fmt.Sprintf("/api/v1/projects/%d/submit", pid), leader, nil); status != 200 || !strings.Contains(string(raw), "pending_review") {
		t.Fatalf("submit: %d %s", status, raw)
	}
	if status, raw := env.JSON("POST", fmt.Sprintf("/api/v1/projects/%d/review", pid), office, map[string]string{"decision": "approve"}); status != 200 || !strings.Contains(string(raw), `"published"`) {
		t.Fatalf("review: %d %s", status, raw)
	}
	start := time.Now().Add(10 * time.Minute)
	status, raw = env.JSON("POST", fmt.Sprintf("/api/v1/projects/%d/shifts", pid), leader, map[string]any{
		"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339), "capacity": 1})
	if status != 201 {
		t.Fatalf("shift: %d %s", status, raw)
	}
	sid := id(raw)
	if status, raw := env.JSON("POST", fmt.Sprintf("/api/v1/shifts/%d/signups", sid), vol, nil); status != 201 {
		t.Fatalf("sign up: %d %s", status, raw)
	}
	if status, raw := env.JSON("POST", fmt.Sprintf("/api/v1/shifts/%d/signups", sid), env.Token("volunteer2"), nil); status != 409 || !strings.Contains(string(raw), "满员") {
		t.Fatalf("full shift: %d %s", status, raw)
	}
	// A forged Host header does not move the code's URL off the configured base.
	status, raw = forgedHost(t, env, "GET", fmt.Sprintf("/api/v1/shifts/%d/checkin-code", sid), leader, "")
	var code struct{ Code, URL string }
	_ = json.Unmarshal(raw, &code)
	if status != 200 || !strings.HasPrefix(code.URL, env.Server.URL+"/c/") {
		t.Fatalf("code: %d %s", status, raw)
	}
	for i, want := range []string{"check_in", "already_checked_in", "check_out"} {
		if i == 2 { // an hour into the shift on the service's clock
			env.App.Records.Now = func() time.Time { return start.Add(time.Hour) }
			env.App.Attendance.Now = env.App.Records.Now
			defer func() { env.App.Records.Now, env.App.Attendance.Now = time.Now, time.Now }()
		}
		status, raw = env.JSON("POST", "/api/v1/checkins", vol, map[string]string{"code": code.Code})
		if want == "already_checked_in" { // a second scan at once is a double scan
			if status != 409 || !strings.Contains(string(raw), `"already_checked_in"`) {
				t.Fatalf("second scan at once: %d %s", status, raw)
			}
			continue
		}
		if status != 200 || !strings.Contains(string(raw), `"action":"`+want+`"`) {
			t.Fatalf("%s: %d %s", want, status, raw)
		}
	}
	var scan struct {
		RecordID    int64 `json:"record_id"`
		VolunteerID int64 `json:"volunteer_id"`
	}
	_ = json.Unmarshal(raw, &scan)
	if status, raw := env.JSON("POST", fmt.Sprintf("/api/v1/service-records/%d/confirm", scan.RecordID), leader, nil); status != 200 || !strings.Contains(string(raw), `"confirmed"`) {
		t.Fatalf("confirm: %d %s", status, raw)
	}
	status, raw = env.JSON("GET", fmt.Sprintf("/api/v1/volunteers/%d/service-records", scan.VolunteerID), vol, nil)
	if status != 200 || !strings.Contains(string(raw), "垃圾分类宣传") {
		t.Fatalf("records: %d %s", status, raw)
	}
	status, raw = env.JSON("GET", fmt.Sprintf("/api/v1/volunteers/%d/summary", scan.VolunteerID), vol, nil)
	if status != 200 || !strings.Contains(string(raw), `"star_level":0`) {
		t.Fatalf("summary: %d %s", status, raw)
	}
	if status, _ := env.JSON("GET", fmt.Sprintf("/api/v1/volunteers/%d/summary", scan.VolunteerID), env.Token("hedong-office"), nil); status != 404 {
		t.Fatalf("another district reads the summary: %d", status)
	}
	// The calendar feed's link follows the configured base, not the Host
	// header (as do certificates' verification links: the same base).
	status, raw = forgedHost(t, env, "GET", "/api/v1/volunteers/me/shifts", vol, "")
	var mine struct {
		ICalURL string `json:"ical_url"`
	}
	_ = json.Unmarshal(raw, &mine)
	if status != 200 || !strings.HasPrefix(mine.ICalURL, env.Server.URL+"/api/v1/calendar/") {
		t.Fatalf("my shifts: %d %s", status, raw)
	}
}

// forgedHost sends a request whose Host header and X-Forwarded-Proto name
// another site.
func forgedHost(t *testing.T, env *apptest.Env, method, path, token, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, env.Server.URL+path, strings.NewReader(body))
	req.Host = "evil.example"
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}
