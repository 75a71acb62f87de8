package auth_test

import (
	"context"
	"strings"
	"testing"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
)

func TestCheckPassword(t *testing.T) {
	for _, c := range []struct {
		pw, username string
		related      []string
		code         string
	}{
		{"aaaaaaaa", "carol", nil, "repeated"},
		{"        ", "carol", nil, "blank"},
		{"\t \u3000 \t   ", "carol", nil, "blank"},
		{"short", "carol", nil, "too_short"},
		{"", "carol", nil, "too_short"},
		{strings.Repeat("ab", 200), "carol", nil, "too_long"},
		{"heping-admin", "heping-admin", nil, "has_username"},
		{"Heping-Admin!2026", "heping-admin", nil, "has_username"},
		{"password", "carol", nil, "weak"},
		{"12345678", "carol", nil, "weak"},
		{"qwertyuiop", "carol", nil, "weak"},
		{"1qaz2wsx", "carol", nil, "weak"},
		{"abcd1234", "carol", nil, "weak"},
		{"13812345678", "", []string{"13812345678"}, "weak"},
		{"bench-password", "admin", nil, ""},
		{"password-123", "carol", nil, ""},
		{"correct horse battery", "carol", nil, ""},
		{"hn7kq2xvm3pa", "v000001", nil, ""},
	} {
		err := auth.CheckPassword(c.pw, c.username, c.related...)
		got := ""
		if err != nil {
			e := apperr.From(err)
			if e.Kind != apperr.Invalid {
				t.Fatalf("%q: %v", c.pw, err)
			}
			got = e.Fields["password"].Code
		}
		if got != c.code {
			t.Errorf("CheckPassword(%q, %q) = %q, want %q", c.pw, c.username, got, c.code)
		}
	}
}

// TestWeakPasswordRefusedEverywhere: account creation and password change
// refuse a trivially weak password with the field's own message.
func TestWeakPasswordRefusedEverywhere(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	_, err := s.CreateAccount(ctx, auth.System, auth.NewAccount{Username: "frank", Password: "frank-frank"})
	if f := apperr.From(err).Fields["password"]; f.Key != "auth.password_has_username" {
		t.Fatalf("password containing the username: %v", err)
	}
	a := mustCreate(t, s, auth.System, auth.NewAccount{Username: "grace"})
	p := &auth.Principal{AccountID: a.ID, Username: a.Username}
	err = s.ChangePassword(ctx, p, "password-123", "        ", "")
	if f := apperr.From(err).Fields["password"]; f.Key != "auth.password_blank" {
		t.Fatalf("eight spaces: %v", err)
	}
	if err := s.ChangePassword(ctx, p, "password-123", "aaaaaaaa", ""); apperr.From(err).Fields["password"].Code != "repeated" {
		t.Fatalf("aaaaaaaa: %v", err)
	}
}
