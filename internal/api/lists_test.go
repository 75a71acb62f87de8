package api_test

import (
	"net/http"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
)

// TestListsInBodiesBounded: a list in a request body longer than the limit
// is refused before any work (422 naming the field), and a body holding one
// id hundreds of thousands of times is refused as too large (413).
func TestListsInBodiesBounded(t *testing.T) {
	env := apptest.New(t)
	tok := env.Token("team-admin")
	ids := strings.TrimSuffix(strings.Repeat("7,", 1001), ",")
	status, body := env.JSON("POST", "/api/v1/service-records", tok,
		`{"volunteer_id": 1, "project_id": 1, "starts_at": "2026-01-01T08:00:00+08:00", "ends_at": "2026-01-01T10:00:00+08:00",
		"content": "补录", "evidence_upload_ids": [`+ids+`]}`)
	if e := decodeError(t, body); status != http.StatusUnprocessableEntity || e.Error.Fields["evidence_upload_ids"].Code != "too_many" {
		t.Fatalf("1,001 evidence ids: %d %s", status, body)
	}
	ids = strings.TrimSuffix(strings.Repeat("7,", 340000), ",")
	status, body = env.JSON("POST", "/api/v1/service-records", tok, `{"evidence_upload_ids": [`+ids+`]}`)
	if status != http.StatusRequestEntityTooLarge && status != http.StatusUnprocessableEntity {
		t.Fatalf("340,000 evidence ids: %d %.200s", status, body)
	}
}
