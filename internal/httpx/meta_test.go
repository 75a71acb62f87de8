package httpx

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestMetaFollowsTrustProxy: login throttling and sessions see the client's
// address as configured — the peer, or X-Real-IP behind a trusted proxy.
func TestMetaFollowsTrustProxy(t *testing.T) {
	for _, trust := range []bool{false, true} {
		var got string
		h := Observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = Meta(r).IP }),
			slog.New(slog.NewTextHandler(io.Discard, nil)), NewMetrics(prometheus.NewRegistry()), trust)
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "10.0.0.1:5555"
		req.Header.Set("X-Real-IP", "203.0.113.7")
		h.ServeHTTP(httptest.NewRecorder(), req)
		want := "10.0.0.1"
		if trust {
			want = "203.0.113.7"
		}
		if got != want {
			t.Errorf("trust=%v: IP %q, want %q", trust, got, want)
		}
	}
}
