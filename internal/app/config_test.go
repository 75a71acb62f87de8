package app

import (
	"errors"
	"testing"
)

// TestPublicURL checks where absolute links come from: the configured base
// URL, or on loopback only the listen address; a public address without a
// base URL refuses to serve.
func TestPublicURL(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		want string
		err  bool
	}{
		{Config{Addr: "127.0.0.1:8080"}, "http://127.0.0.1:8080", false},
		{Config{Addr: "localhost:8080"}, "http://localhost:8080", false},
		{Config{Addr: "[::1]:8080"}, "http://[::1]:8080", false},
		{Config{Addr: "0.0.0.0:8080"}, "", true},
		{Config{Addr: ":8080"}, "", true},
		{Config{Addr: "10.0.0.5:8080"}, "", true},
		{Config{Addr: ":8080", BaseURL: "https://zhiyuan.example.gov.cn/"}, "https://zhiyuan.example.gov.cn", false},
		{Config{Addr: ":8080", BaseURL: "https://example.gov.cn/zhiyuan"}, "https://example.gov.cn/zhiyuan", false},
		{Config{Addr: "127.0.0.1:8080", BaseURL: "zhiyuan.example.gov.cn"}, "", true},
		{Config{Addr: "127.0.0.1:8080", BaseURL: "https://x.example/?a=1"}, "", true},
	} {
		got, err := tc.c.PublicURL("")
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%+v: %q, %v; want %q (error %v)", tc.c, got, err, tc.want, tc.err)
		}
	}
	if _, err := (Config{Addr: ":8080"}).PublicURL(""); !errors.Is(err, ErrNoBaseURL) {
		t.Errorf("public address without base URL: %v", err)
	}
}

// The double-scan window is a setting: a scan this soon after the check-in
// is refused as a double scan, not taken as the check-out.
func TestDoubleScanSetting(t *testing.T) {
	t.Setenv("ZHIYUAN_DOUBLE_SCAN_SECONDS", "")
	if got := FromEnv().DoubleScanSeconds; got != 60 {
		t.Errorf("default: %d seconds, want 60", got)
	}
	t.Setenv("ZHIYUAN_DOUBLE_SCAN_SECONDS", "300")
	if got := FromEnv().DoubleScanSeconds; got != 300 {
		t.Errorf("ZHIYUAN_DOUBLE_SCAN_SECONDS=300: %d", got)
	}
	t.Setenv("ZHIYUAN_DOUBLE_SCAN_SECONDS", "0")
	if got := FromEnv().DoubleScanSeconds; got != 60 {
		t.Errorf("ZHIYUAN_DOUBLE_SCAN_SECONDS=0 is out of bounds: %d, want the default", got)
	}
}
