package app_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

// BenchmarkAuthenticate is the session lookup every signed-in request makes.
func BenchmarkAuthenticate(b *testing.B) {
	env := apptest.New(b)
	tok := env.Token("heping-office")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := env.App.Auth.Authenticate(ctx, tok, auth.SessionAPI); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLogin is one password login (argon2id, 19 MiB, 2 passes): slow on
// purpose.
func BenchmarkLogin(b *testing.B) {
	env := apptest.New(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := env.App.Auth.Login(ctx, "volunteer", env.Passwords["volunteer"], auth.SessionAPI, auth.Meta{IP: "10.1.1.1"}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchmarkGet drives one URL over HTTP from parallel clients, signed in as
// user: with a bearer token for the API, with a session cookie otherwise.
func benchmarkGet(b *testing.B, path, user string, api bool) {
	b.Helper()
	env := apptest.New(b)
	req, _ := http.NewRequest("GET", env.Server.URL+path, nil)
	if api {
		req.Header.Set("Authorization", "Bearer "+env.Token(user))
	} else {
		br := env.Browser()
		br.Login(user)
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: br.Cookie(httpx.SessionCookie)})
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	if res, err := client.Do(req); err != nil || res.StatusCode != 200 {
		b.Fatalf("%s: %v %v", path, res, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res, err := client.Do(req.Clone(context.Background()))
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}

// BenchmarkAPIMe is a signed-in API request through the whole stack.
func BenchmarkAPIMe(b *testing.B) { benchmarkGet(b, "/api/v1/me", "heping-office", true) }

// BenchmarkHomePage is a signed-in page: session, policy, template, CSRF token.
func BenchmarkHomePage(b *testing.B) { benchmarkGet(b, "/", "heping-office", false) }

// BenchmarkAccountList is the scoped account list of an office admin.
func BenchmarkAccountList(b *testing.B) { benchmarkGet(b, "/api/v1/accounts", "heping-office", true) }
