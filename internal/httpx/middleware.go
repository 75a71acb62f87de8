package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
)

var (
	errUnauthenticated = apperr.New(apperr.Unauthenticated, "auth.not_signed_in")
	errForbidden       = apperr.New(apperr.Forbidden, "error.forbidden")
)

// routeInfo is filled in as the request passes the router and the
// authenticator, for the log line and metrics written when it ends.
type routeInfo struct {
	route     string
	accountID int64
	authErr   error // the database could not be asked who the caller is
}

type routeKey struct{}

func infoFrom(r *http.Request) *routeInfo {
	if i, ok := r.Context().Value(routeKey{}).(*routeInfo); ok {
		return i
	}
	return &routeInfo{}
}

// Metrics are the per-route request counters and latency histograms.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the HTTP metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zhiyuan_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "zhiyuan_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ClientIP returns the address of the client: the connection's peer. Behind
// a reverse proxy, trustProxy makes X-Real-IP count instead.
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if ip := net.ParseIP(r.Header.Get("X-Real-IP")); ip != nil {
			return ip.String()
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// clientRequestID returns the X-Request-Id a client sent, for the log only:
// at most 64 characters, anything outside [A-Za-z0-9._-] replaced by '_'.
func clientRequestID(r *http.Request) string {
	v := r.Header.Get("X-Request-Id")
	if len(v) > 64 {
		v = v[:64]
	}
	return strings.Map(func(c rune) rune {
		if c < utf8.RuneSelf && (c == '.' || c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return c
		}
		return '_'
	}, v)
}

// secretPaths are the paths whose last segment is a secret (a calendar
// feed's token, a check-in code, a certificate's verification code): the
// log keeps its first secretPrefix characters.
var secretPaths = []string{"/api/v1/calendar/", "/c/", "/verify/", "/api/v1/verify/"}

const secretPrefix = 4

// redactPath returns path with a secret segment cut to a short prefix.
func redactPath(path string) string {
	for _, p := range secretPaths {
		if rest, ok := strings.CutPrefix(path, p); ok {
			if len(rest) > secretPrefix {
				rest = rest[:secretPrefix] + "…"
			}
			return p + rest
		}
	}
	return path
}

// knownMethods are the methods counted under their own name in the
// metrics; any other is "other", so a client cannot add series.
var knownMethods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "OPTIONS": true, "CONNECT": true, "TRACE": true}

func methodLabel(m string) string {
	if knownMethods[m] {
		return m
	}
	return "other"
}

// Observe assigns a request id, recovers panics, logs each request and
// counts it in the metrics under its route pattern. The request id is
// always ours; an X-Request-Id the client sent is logged apart, as
// client_request_id. A request whose client went away before an error
// answer is counted and logged as 499, not as a server error.
func Observe(next http.Handler, log *slog.Logger, m *Metrics, trustProxy bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		clientID := clientRequestID(r)
		w.Header().Set("X-Request-Id", id)
		info := &routeInfo{}
		ctx := audit.WithActor(r.Context(), audit.Actor{IP: ClientIP(r, trustProxy), RequestID: id})
		ctx = context.WithValue(ctx, routeKey{}, info)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				log.ErrorContext(ctx, "panic", "request_id", id, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
				}
			}
			route := info.route
			if route == "" {
				route = "unmatched"
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			if status >= 500 && errors.Is(r.Context().Err(), context.Canceled) {
				status = apperr.StatusClientClosed
			}
			d := time.Since(start)
			method := methodLabel(r.Method)
			m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
			m.duration.WithLabelValues(route).Observe(d.Seconds())
			level := slog.LevelInfo
			if status >= 500 && status != apperr.StatusClientClosed {
				level = slog.LevelError
			}
			// The query string is not logged: it may carry personal data;
			// nor is a secret in the path.
			attrs := []slog.Attr{slog.String("request_id", id), slog.String("method", method),
				slog.String("route", route), slog.String("path", redactPath(r.URL.Path)), slog.Int("status", status),
				slog.Int("bytes", sw.bytes), slog.Float64("duration_ms", float64(d.Microseconds())/1000),
				slog.Int64("account_id", info.accountID)}
			if clientID != "" {
				attrs = append(attrs, slog.String("client_request_id", clientID))
			}
			log.LogAttrs(ctx, level, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// SecurityHeaders sets the headers every response carries. The CSP allows no
// inline script and no framing.
func SecurityHeaders(next http.Handler, tls bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// MaxBody is the default limit on request bodies; routes that take uploads
// set their own in the route table.
const MaxBody = 1 << 20

// limitBody caps a route's request bodies.
func limitBody(next http.Handler, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// TooLarge reports whether err comes from a body over its route's limit and
// returns the refusal to answer with (413), naming the limit.
func TooLarge(err error) (*apperr.Error, bool) {
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) {
		return nil, false
	}
	return apperr.New(apperr.TooLarge, "error.too_large").With(map[string]any{"Limit": fmt.Sprintf("%d MB", max(1, mb.Limit>>20))}), true
}
