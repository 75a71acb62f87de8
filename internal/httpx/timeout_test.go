package httpx_test

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

// A route with its own Timeout answers after the server's write timeout has
// passed; a route without one is cut off, as before.
func TestRouteTimeoutOutlastsServerDefaults(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		_, _ = io.WriteString(w, "saved")
	}
	mux := http.NewServeMux()
	deny := func(w http.ResponseWriter, r *http.Request, err error) { http.Error(w, "no", http.StatusForbidden) }
	httpx.Mount(mux, []httpx.Route{
		{Method: "GET", Pattern: "/long", Perm: auth.PermPublic, Handler: slow, Timeout: 5 * time.Second},
		{Method: "GET", Pattern: "/short", Perm: auth.PermPublic, Handler: slow},
	}, deny)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux, WriteTimeout: 100 * time.Millisecond}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()

	res, err := http.Get(base + "/long")
	if err != nil {
		t.Fatalf("long route cut off: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "saved" {
		t.Fatalf("long route: %q", body)
	}
	if res, err := http.Get(base + "/short"); err == nil {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) == "saved" {
			t.Fatal("the server's write timeout no longer applies to ordinary routes")
		}
	}
}
