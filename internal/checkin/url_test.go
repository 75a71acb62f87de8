package checkin

import (
	"errors"
	"testing"
)

func TestCheckinURL(t *testing.T) {
	code := Code{Value: "EQG4y6AcYBjTSbqvB4gICx-W"}
	tests := []struct {
		name, base, want string
		err              error
	}{
		{"https", "https://zhiyuan.example.cn", "https://zhiyuan.example.cn/c/" + code.Value, nil},
		{"trailing slash", "https://zhiyuan.example.cn/", "https://zhiyuan.example.cn/c/" + code.Value, nil},
		{"http with port", "http://localhost:8080", "http://localhost:8080/c/" + code.Value, nil},
		{"path prefix", "https://example.cn/zhiyuan/", "https://example.cn/zhiyuan/c/" + code.Value, nil},
		{"upper-case scheme", "HTTPS://example.cn", "https://example.cn/c/" + code.Value, nil},
		{"escaped path", "https://example.cn/a b", "https://example.cn/a%20b/c/" + code.Value, nil},
		{"empty", "", "", ErrBaseURL},
		{"relative", "/zhiyuan", "", ErrBaseURL},
		{"no scheme", "zhiyuan.example.cn", "", ErrBaseURL},
		{"ftp", "ftp://example.cn", "", ErrBaseURL},
		{"javascript", "javascript:alert(1)", "", ErrBaseURL},
		{"no host", "https://", "", ErrBaseURL},
		{"port only", "https://:443", "", ErrBaseURL},
		{"user info", "https://user:pw@example.cn", "", ErrBaseURL},
		{"query", "https://example.cn/?a=1", "", ErrBaseURL},
		{"empty query", "https://example.cn/?", "", ErrBaseURL},
		{"fragment", "https://example.cn/#x", "", ErrBaseURL},
		{"control character", "https://example.cn/\n", "", ErrBaseURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckinURL(tt.base, code)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("CheckinURL(%q): error %v, want %v", tt.base, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("CheckinURL(%q) = %q, want %q", tt.base, got, tt.want)
			}
			if verr := ValidateBaseURL(tt.base); (verr == nil) != (tt.err == nil) {
				t.Errorf("ValidateBaseURL(%q) = %v, CheckinURL error %v", tt.base, verr, err)
			}
		})
	}
}

func TestCheckinURLBadValue(t *testing.T) {
	for _, v := range []string{"", "a/b", "a?b", "../x", "a b"} {
		if _, err := CheckinURL("https://example.cn", Code{Value: v}); !errors.Is(err, ErrMalformed) {
			t.Errorf("value %q: got %v, want ErrMalformed", v, err)
		}
	}
}

func TestCheckinURLIssued(t *testing.T) {
	c, _ := testCodes(t)
	code := c.Issue(42)
	u, err := CheckinURL("https://zhiyuan.example.cn", code)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("URL: %s (%d bytes)", u, len(u))
	if err := c.Verify(u[len("https://zhiyuan.example.cn/c/"):], 42); err != nil {
		t.Errorf("code taken from the URL: %v", err)
	}
}
