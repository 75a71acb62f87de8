package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"zhiyuan/internal/apperr"
)

// observed runs one request through Observe and returns the response, the
// log line and the registry.
func observed(t *testing.T, r *http.Request, h http.HandlerFunc) (*httptest.ResponseRecorder, map[string]any, *Metrics) {
	t.Helper()
	var logs bytes.Buffer
	m := NewMetrics(prometheus.NewRegistry())
	w := httptest.NewRecorder()
	Observe(h, slog.New(slog.NewJSONHandler(&logs, nil)), m, false).ServeHTTP(w, r)
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log %q: %v", logs.String(), err)
	}
	return w, line, m
}

// count reads a counter.
func count(c prometheus.Counter) float64 {
	var pb dto.Metric
	_ = c.Write(&pb)
	return pb.GetCounter().GetValue()
}

func ok(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }

// TestClientRequestIDLoggedApart checks that the request id is always ours
// and a client's X-Request-Id is logged apart, capped and sanitized.
func TestClientRequestIDLoggedApart(t *testing.T) {
	r := httptest.NewRequest("GET", "/login", nil)
	r.Header.Set("X-Request-Id", "forged-id-12345678\x01<script>"+strings.Repeat("a", 100))
	w, line, _ := observed(t, r, ok)
	id := w.Header().Get("X-Request-Id")
	if id == "" || strings.Contains(id, "forged") || line["request_id"] != id {
		t.Fatalf("request id %q, logged %v", id, line["request_id"])
	}
	cid, _ := line["client_request_id"].(string)
	if !strings.HasPrefix(cid, "forged-id-12345678__script_") || len(cid) != 64 {
		t.Fatalf("client_request_id %q", cid)
	}
	r = httptest.NewRequest("GET", "/login", nil)
	r.Header.Set("X-Request-Id", "abcdefgh12345678")
	if w, _, _ := observed(t, r, ok); w.Header().Get("X-Request-Id") == "abcdefgh12345678" {
		t.Fatal("a well-formed client id is taken as ours")
	}
}

// TestSecretsNotLogged checks that calendar tokens, check-in and
// verification codes in a path are cut to a short prefix in the log.
func TestSecretsNotLogged(t *testing.T) {
	const secret = "SeCrEtToKeN0123456789abcdefghij"
	for _, p := range []string{"/api/v1/calendar/", "/c/", "/verify/", "/api/v1/verify/"} {
		_, line, _ := observed(t, httptest.NewRequest("GET", p+secret, nil), ok)
		if path, _ := line["path"].(string); strings.Contains(path, secret[:5]) || path != p+secret[:4]+"…" {
			t.Errorf("%s: logged path %q", p, path)
		}
	}
	if _, line, _ := observed(t, httptest.NewRequest("GET", "/teams/12", nil), ok); line["path"] != "/teams/12" {
		t.Errorf("plain path logged as %v", line["path"])
	}
}

// TestClientClosedIs499 checks that a request whose client went away is
// counted and logged as 499 at info level, not as a server error.
func TestClientClosedIs499(t *testing.T) {
	if k := apperr.From(context.Canceled).Kind; k != apperr.ClientClosed {
		t.Fatalf("context.Canceled is kind %v", k)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/admin/stats", nil).WithContext(ctx)
	_, line, m := observed(t, r, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "internal", http.StatusInternalServerError) // a handler that did not know why its query failed
	})
	if line["status"] != float64(499) || line["level"] != "INFO" {
		t.Fatalf("logged %v at %v", line["status"], line["level"])
	}
	if n := count(m.requests.WithLabelValues("unmatched", "GET", "499")); n != 1 {
		t.Fatalf("499 counted %v times", n)
	}
	if n := count(m.requests.WithLabelValues("unmatched", "GET", "500")); n != 0 {
		t.Fatalf("500 counted %v times", n)
	}
}

// TestUnknownMethodLabel checks that a made-up method is counted as "other".
func TestUnknownMethodLabel(t *testing.T) {
	_, line, m := observed(t, httptest.NewRequest("X-ANYTHING", "/login", nil), ok)
	if n := count(m.requests.WithLabelValues("unmatched", "other", "200")); n != 1 || line["method"] != "other" {
		t.Fatalf("other counted %v, logged %v", n, line["method"])
	}
}
