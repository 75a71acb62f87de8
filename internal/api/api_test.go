package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zhiyuan/internal/api"
	"zhiyuan/internal/apptest"
)

type envelope struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  map[string]struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}

func decodeError(t *testing.T, body []byte) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not an error envelope: %s", body)
	}
	return e
}

func TestBadInputGetsClearErrors(t *testing.T) {
	env := apptest.New(t)
	tok := env.Token("heping-office")
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		code, message             string
		field                     string
	}{
		{"malformed JSON", "POST", "/api/v1/accounts", tok, `{"username":`, 400, "bad_request", "请求内容不是有效的 JSON。", ""},
		{"unknown field", "POST", "/api/v1/accounts", tok, `{"username":"abc","nope":1}`, 400, "bad_request", "请求中含有未知字段“nope”。", "nope"},
		{"invalid UTF-8", "POST", "/api/v1/accounts", tok, "{\"username\":\"ab\xffcd\",\"password\":\"password-123\"}", 400, "bad_request", "请求中含有无法保存的字符（如空字符或乱码），请检查后重试。", ""},
		{"trailing data", "POST", "/api/v1/auth/login", "", `{"username":"a","password":"b"} {}`, 400, "bad_request", "", ""},
		{"oversized body", "POST", "/api/v1/accounts", tok, `{"username":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "too_large", "请求内容过大，不能超过 1 MB。", ""},
		{"wrong password", "POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "wrong-password"}, 401, "unauthenticated", "用户名或密码错误。", ""},
		{"unknown user", "POST", "/api/v1/auth/login", "", map[string]string{"username": "ghost", "password": "wrong-password"}, 401, "unauthenticated", "用户名或密码错误。", ""},
		{"no token", "GET", "/api/v1/me", "", nil, 401, "unauthenticated", "请先登录。", ""},
		{"garbage token", "GET", "/api/v1/me", "not-a-token", nil, 401, "unauthenticated", "", ""},
		{"invalid fields", "POST", "/api/v1/accounts", tok, map[string]any{"username": "A", "password": "short", "region_code": "120101"}, 422, "invalid", "提交的信息有误，请按提示修改。", "password"},
		{"unknown region in account", "POST", "/api/v1/accounts", tok, map[string]any{"username": "abcd", "password": "password-123", "region_code": "120199"}, 422, "invalid", "", "region_code"},
		{"out of scope", "POST", "/api/v1/accounts", tok, map[string]any{"username": "abcd", "password": "password-123", "region_code": "120102"}, 403, "forbidden", "所属地区不在您的辖区内。", ""},
		{"duplicate username", "POST", "/api/v1/accounts", tok, map[string]any{"username": "volunteer", "password": "password-123", "region_code": "120101"}, 409, "conflict", "", "username"},
		{"unknown region", "GET", "/api/v1/regions?parent=120199", "", nil, 404, "not_found", "行政区划代码不存在。", "parent"},
		{"bad cursor", "GET", "/api/v1/accounts?cursor=bm9wZQ", tok, nil, 400, "bad_request", "分页参数无效。", ""},
		{"bad limit", "GET", "/api/v1/accounts?limit=-1", tok, nil, 400, "bad_request", "", ""},
		{"bad filter", "GET", "/api/v1/volunteers?team_id=abc", tok, nil, 400, "bad_request", "查询参数“team_id”的值无效。", "team_id"},
		{"bad filter in an export", "GET", "/api/v1/volunteers.xlsx?team_id=-3", tok, nil, 400, "bad_request", "查询参数“team_id”的值无效。", "team_id"},
		{"unknown route", "GET", "/api/v1/nothing-here", tok, nil, 404, "not_found", "", ""},
		{"account of another district", "GET", "/api/v1/accounts/" + strconv.FormatInt(4, 10), tok, nil, 404, "not_found", "", ""},
	}
	for _, c := range cases {
		status, body := env.JSON(c.method, c.path, c.token, c.body)
		if status != c.status {
			t.Errorf("%s: status %d, want %d: %.300s", c.name, status, c.status, body)
			continue
		}
		e := decodeError(t, body)
		if e.Error.Code != c.code {
			t.Errorf("%s: code %q, want %q", c.name, e.Error.Code, c.code)
		}
		if c.message != "" && e.Error.Message != c.message {
			t.Errorf("%s: message %q, want %q", c.name, e.Error.Message, c.message)
		}
		if c.field != "" && e.Error.Fields[c.field].Message == "" {
			t.Errorf("%s: no message for field %s: %s", c.name, c.field, body)
		}
	}
	// Nothing was created by the refused requests.
	var n int
	if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM accounts WHERE username = 'abcd'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a refused request created an account")
	}
}

func TestMessagesFollowAcceptLanguage(t *testing.T) {
	env := apptest.New(t)
	req, _ := http.NewRequest("GET", env.Server.URL+"/api/v1/me", nil)
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e envelope
	_ = json.NewDecoder(res.Body).Decode(&e)
	if e.Error.Message != "Please sign in first." {
		t.Fatalf("English message = %q", e.Error.Message)
	}
	if res.Header.Get("WWW-Authenticate") == "" {
		t.Fatal("401 without WWW-Authenticate")
	}
}

func TestLoginMeLogout(t *testing.T) {
	env := apptest.New(t)
	tok := env.Token("heping-office")
	status, body := env.JSON("GET", "/api/v1/me", tok, nil)
	if status != 200 {
		t.Fatalf("me: %d %s", status, body)
	}
	var me struct {
		Username string
		Grants   []struct {
			Role       string
			RegionCode string `json:"region_code"`
		}
	}
	_ = json.Unmarshal(body, &me)
	if me.Username != "heping-office" || len(me.Grants) != 1 || me.Grants[0].Role != "office_admin" {
		t.Fatalf("me = %s", body)
	}
	if status, _ := env.JSON("POST", "/api/v1/auth/logout", tok, nil); status != 204 {
		t.Fatalf("logout: %d", status)
	}
	if status, _ := env.JSON("GET", "/api/v1/me", tok, nil); status != 401 {
		t.Fatalf("token alive after logout: %d", status)
	}
}

func TestRegions(t *testing.T) {
	env := apptest.New(t)
	status, body := env.JSON("GET", "/api/v1/regions?parent=1201", "", nil)
	if status != 200 {
		t.Fatal(status)
	}
	var out struct {
		Parent struct{ Code, Name string }
		Items  []struct{ Code, Name, Level string }
	}
	_ = json.Unmarshal(body, &out)
	if out.Parent.Code != "1201" || len(out.Items) != 16 || out.Items[0].Name != "和平区" || out.Items[0].Level != "county" {
		t.Fatalf("Tianjin's districts: %s", body)
	}
	_, body = env.JSON("GET", "/api/v1/regions", "", nil)
	_ = json.Unmarshal(body, &out)
	if len(out.Items) != 31 {
		t.Fatalf("provinces: %d", len(out.Items))
	}
}

func TestCursorPagination(t *testing.T) {
	env := apptest.New(t)
	tok := env.Token("admin")
	var all []string
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		status, body := env.JSON("GET", "/api/v1/accounts?limit=3&cursor="+cursor, tok, nil)
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		var p struct {
			Items      []struct{ Username string }
			NextCursor string `json:"next_cursor"`
		}
		_ = json.Unmarshal(body, &p)
		for _, it := range p.Items {
			all = append(all, it.Username)
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	if len(all) != 10 || all[0] != "admin" || all[9] != "chengguan" {
		t.Fatalf("paged through %v", all)
	}
}

// openapiDoc is the part of the OpenAPI document the tests check.
type openapiDoc struct {
	OpenAPI string                                 `json:"openapi"`
	Paths   map[string]map[string]openapiOperation `json:"paths"`
}

type openapiOperation struct {
	OperationID string                     `json:"operationId"`
	Security    *[]map[string]any          `json:"security"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

func loadDoc(t *testing.T) openapiDoc {
	t.Helper()
	var d openapiDoc
	if err := json.Unmarshal(api.OpenAPI(), &d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return d
}

// TestOpenAPIMatchesRoutes keeps the document true: every API route is
// documented with its method, every documented operation is a route, and
// public routes are exactly those whose security is empty.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	env := apptest.New(t)
	doc := loadDoc(t)
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	routes := map[string]bool{}
	for _, r := range env.App.Routes() {
		if !strings.HasPrefix(r.Pattern, "/api/") {
			continue
		}
		key := strings.ToLower(r.Method) + " " + r.Pattern
		routes[key] = true
		op, ok := doc.Paths[r.Pattern][strings.ToLower(r.Method)]
		if !ok {
			t.Errorf("route %s is not in openapi.json", key)
			continue
		}
		public := op.Security != nil && len(*op.Security) == 0
		if public != (r.Perm == "public") {
			t.Errorf("%s: documented public=%v, route permission %s", key, public, r.Perm)
		}
		if _, ok := op.Responses["401"]; !public && !ok {
			t.Errorf("%s: needs a token but does not document 401", key)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !routes[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not a route", method, path)
			}
		}
	}
	status, body := env.JSON("GET", "/api/v1/openapi.json", "", nil)
	if status != 200 || string(body) != string(api.OpenAPI()) {
		t.Fatal("served document differs from the embedded one")
	}
}

// TestResponsesAreDocumented sends requests that produce each kind of answer
// and checks the status is among the operation's documented responses.
func TestResponsesAreDocumented(t *testing.T) {
	env := apptest.New(t)
	doc := loadDoc(t)
	admin, office := env.Token("admin"), env.Token("heping-office")
	reqs := []struct {
		method, path, pattern, token string
		body                         any
	}{
		{"POST", "/api/v1/auth/login", "", "", map[string]string{"username": "x", "password": "y"}},
		{"POST", "/api/v1/auth/login", "", "", `{`},
		{"GET", "/api/v1/me", "", "", nil},
		{"GET", "/api/v1/regions?parent=12", "/api/v1/regions", "", nil},
		{"GET", "/api/v1/regions?parent=99", "/api/v1/regions", "", nil},
		{"GET", "/api/v1/accounts", "", office, nil},
		{"GET", "/api/v1/accounts", "", env.Token("volunteer"), nil},
		{"POST", "/api/v1/accounts", "", office, map[string]any{"username": "doc-test", "password": "password-123", "region_code": "120101"}},
		{"POST", "/api/v1/accounts", "", office, map[string]any{"username": "doc-test", "password": "password-123", "region_code": "120101"}},
		{"POST", "/api/v1/accounts", "", office, map[string]any{"username": "D", "password": "x"}},
		{"GET", "/api/v1/accounts/1", "/api/v1/accounts/{id}", admin, nil},
		{"GET", "/api/v1/accounts/4", "/api/v1/accounts/{id}", office, nil},
		{"POST", "/api/v1/accounts/7/grants", "/api/v1/accounts/{id}/grants", admin, map[string]any{"role": "resident"}},
		{"POST", "/api/v1/accounts/7/grants", "/api/v1/accounts/{id}/grants", admin, map[string]any{"role": "nope"}},
		{"DELETE", "/api/v1/accounts/7/grants/999", "/api/v1/accounts/{id}/grants/{grant}", admin, nil},
		{"GET", "/api/v1/audit", "", admin, nil},
		{"POST", "/api/v1/auth/logout", "", office, nil},
	}
	for _, r := range reqs {
		pattern := r.pattern
		if pattern == "" {
			pattern = r.path
		}
		status, body := env.JSON(r.method, r.path, r.token, r.body)
		op := doc.Paths[pattern][strings.ToLower(r.method)]
		if _, ok := op.Responses[strconv.Itoa(status)]; !ok {
			t.Errorf("%s %s answered %d, which openapi.json does not document (%.200s)", r.method, r.path, status, body)
		}
	}
}

var secretLike = regexp.MustCompile(`"token":"[A-Za-z0-9_-]{40,}"`)

func TestTokensAreNotLogged(t *testing.T) {
	env := apptest.New(t)
	tok := env.Token("admin")
	env.JSON("GET", "/api/v1/me", tok, nil)
	logs := env.Logs.String()
	if strings.Contains(logs, tok) || secretLike.MatchString(logs) {
		t.Fatal("a bearer token was written to the log")
	}
	if strings.Contains(logs, env.Passwords["admin"]) {
		t.Fatal("a password was written to the log")
	}
	if !slices.ContainsFunc(strings.Split(logs, "\n"), func(l string) bool { return strings.Contains(l, `"route":"GET /api/v1/me"`) }) {
		t.Fatal("requests are not logged with their route")
	}
}
