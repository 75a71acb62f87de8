package roster_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/volunteer"
)

// heldWriter is a client that has not yet read its download: its first
// Write tells started and waits for release.
type heldWriter struct {
	started, release chan struct{}
	buf              bytes.Buffer
}

func (h *heldWriter) Write(p []byte) (int, error) {
	if h.started != nil {
		close(h.started)
		h.started = nil
		<-h.release
	}
	return h.buf.Write(p)
}

// Exports written at once are bounded: past the bound an export is refused
// at once with 429, Retry-After and a message in the caller's language, on
// both surfaces; once a slot frees, exports run again.
func TestConcurrentExportsAreBounded(t *testing.T) {
	env := apptest.New(t)
	env.App.Roster.SetConcurrentExports(1)
	held := &heldWriter{started: make(chan struct{}), release: make(chan struct{})}
	started := held.started
	done := make(chan error, 1)
	go func() {
		done <- env.App.Roster.ExportVolunteers(context.Background(), env.Principal("heping-office"), volunteer.Query{RegionCode: "120101"}, held, "zh")
	}()
	<-started

	token := env.Token("heping-office")
	for _, c := range []struct{ lang, want string }{{"zh-CN", "导出已达上限"}} { // the account's locale is zh
		req, _ := http.NewRequest("GET", env.Server.URL+"/api/v1/volunteers.xlsx?region_code=120101", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept-Language", c.lang)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		body.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "30" || !strings.Contains(body.String(), c.want) {
			t.Errorf("API %s: %d Retry-After %q %s", c.lang, res.StatusCode, res.Header.Get("Retry-After"), body.String())
		}
	}
	if status, _ := getBytes(t, env, env.Token("team-admin"), "/api/v1/teams/1/members.xlsx"); status != http.StatusTooManyRequests {
		t.Errorf("members export while full: %d", status)
	}
	b := env.Browser()
	b.Login("heping-office")
	if status, body, _ := b.Get("/admin/volunteers.xlsx?region_code=120101"); status != http.StatusTooManyRequests || !strings.Contains(body, "导出已达上限") {
		t.Errorf("web: %d %.300s", status, body)
	}

	close(held.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := excelize.OpenReader(bytes.NewReader(held.buf.Bytes())); err != nil {
		t.Fatalf("held export: %v", err)
	}
	status, data := getBytes(t, env, token, "/api/v1/volunteers.xlsx?region_code=120101")
	if status != 200 {
		t.Fatalf("after the slot freed: %d", status)
	}
	if _, err := excelize.OpenReader(bytes.NewReader(data)); err != nil {
		t.Fatalf("streamed export: %v", err)
	}
}
