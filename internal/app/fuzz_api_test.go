package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"hash/fnv"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
)

// bodyRoute is an API route that takes a request body, with the path and
// the user its first authorization scenario gives it.
type bodyRoute struct {
	key, method, path, user, token string
	seed                           []byte
}

// bodyRoutes lists every API route whose method carries a body, taken from
// the route table (so a new route is fuzzed without a change here), each
// with the path of its first scenario and the user who gets furthest in it:
// a success, else a validation error, else any answer past the guard.
func bodyRoutes(env *apptest.Env) []bodyRoute {
	scen := allScenarios()
	var out []bodyRoute
	for _, r := range env.App.Routes() {
		if !strings.HasPrefix(r.Pattern, "/api/") || r.Method == "GET" || r.Method == "HEAD" {
			continue
		}
		key := r.Method + " " + r.Pattern
		c := scen[key][0] // TestEveryRouteHasScenarios guarantees one
		best, rank := "", -1
		for _, u := range users {
			if rk := passRank(c.expect.want(u)); rk > rank {
				best, rank = u, rk
			}
		}
		br := bodyRoute{key: key, method: r.Method, path: c.path(env, best), user: best}
		var body any
		if c.body != nil {
			body = c.body(best)
		}
		if c.bodyOf != nil {
			body = c.bodyOf(env, best)
		}
		switch b := body.(type) {
		case nil:
		case string:
			br.seed = []byte(b)
		default:
			br.seed, _ = json.Marshal(b)
		}
		if best != "" && !strings.Contains(key, "/auth/logout") {
			br.token = env.Token(best)
		}
		out = append(out, br)
	}
	slices.SortFunc(out, func(a, b bodyRoute) int { return strings.Compare(a.key, b.key) })
	return out
}

// passRank orders outcomes by how far a request gets.
func passRank(status int) int {
	switch {
	case status >= 200 && status < 300:
		return 4
	case status == http.StatusUnprocessableEntity:
		return 3
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return 0
	default:
		return 2
	}
}

// pick returns the route named by key, or, for a key that names none (the
// fuzzer mutates it), the route its hash selects.
func pick(routes []bodyRoute, key string) bodyRoute {
	for _, r := range routes {
		if r.key == key {
			return r
		}
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return routes[h.Sum32()%uint32(len(routes))]
}

// nastyBodies are sent to every route as seeds.
var nastyBodies = []string{"", "null", "{}", "[]", `"x"`, "0", "-1e309", "{", `{"a":1}{"b":2}`, `{"id":1,"id":"x"}`,
	`{"name":"\u0000\ud800"}`, "\xff\xfe{}", `{"volunteer_id":9223372036854775807,"team_id":-9223372036854775808}`,
	`{"starts_at":"9999-99-99T99:99:99Z","ends_at":"0000-00-00","capacity":1e20}`, `{"hours":[1,1,1,1,1,1,1,1,1,1,1,1]}`,
	`{"real_name":"' OR 1=1 --","id_number":"%","phone":"_","region_code":"1201'; DROP TABLE volunteers; --"}`,
	strings.Repeat("[", 5000), `{"code":"` + strings.Repeat("A", 3000) + `"}`}

var envelopeRE = regexp.MustCompile(`^\{"error":\{"code":"[a-z_]+","message":"[^"]+"`)

// FuzzJSONBodies sends arbitrary bodies to every API route that takes one,
// as a signed-in user of the right role, on one app per fuzzing process.
// No answer may be a 5xx; every answer is the JSON error envelope (with a
// Chinese message) or a success body.
func FuzzJSONBodies(f *testing.F) {
	env := apptest.New(f)
	routes := bodyRoutes(env)
	// Every nasty body goes to every route in a plain test run; when fuzzing,
	// each route gets one of them, which keeps the baseline short.
	nasty := len(nastyBodies)
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		nasty = 1
	}
	for i, r := range routes {
		if r.seed != nil {
			f.Add(r.key, r.seed)
		}
		for j := range nasty {
			f.Add(r.key, []byte(nastyBodies[(i+j)%len(nastyBodies)]))
		}
	}
	f.Fuzz(func(t *testing.T, key string, body []byte) {
		r := pick(routes, key)
		token := r.token
		if r.user != "" && token == "" {
			token = login(t, env, r.user) // logout ends the session it is sent with
		}
		req, err := http.NewRequest(r.method, env.Server.URL+r.path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if problem := badAnswer(res, data); problem != "" {
			t.Fatalf("%s %s as %q with %q: %d: %s\n%.400s", r.method, r.path, r.user, body, res.StatusCode, problem, data)
		}
	})
}

// badAnswer says what is wrong with an API answer, or "".
func badAnswer(res *http.Response, data []byte) string {
	switch {
	case res.StatusCode >= 500:
		return "server error"
	case res.StatusCode == http.StatusNoContent:
		if len(data) > 0 {
			return "204 with a body"
		}
		return ""
	case !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || !json.Valid(data):
		return "not JSON"
	case res.StatusCode >= 400:
		if !envelopeRE.Match(data) {
			return "not the error envelope"
		}
		var e struct{ Error struct{ Message string } }
		_ = json.Unmarshal(data, &e)
		if !strings.ContainsFunc(e.Error.Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			return "error message not in Chinese"
		}
	case bytes.HasPrefix(data, []byte(`{"error":`)):
		return "success status with an error body"
	}
	return ""
}

// login opens a fresh API session for user (not over HTTP, whose logins the
// fuzzed login bodies may have throttled for this address).
func login(t *testing.T, env *apptest.Env, user string) string {
	sess, _, err := env.App.Auth.Login(context.Background(), user, env.Passwords[user], auth.SessionAPI, auth.Meta{IP: "192.0.2.1"})
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return sess.Token
}
