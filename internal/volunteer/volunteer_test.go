package volunteer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/volunteer"
)

type vjson struct {
	ID          int64
	VolunteerNo string `json:"volunteer_no"`
	Gender      string
	BirthDate   string `json:"birth_date"`
	IDNumber    string `json:"id_number"`
	Phone       string
	Tags        []string
	TeamIDs     []int64 `json:"team_ids"`
	Claimed     bool
}

type errJSON struct {
	Error struct {
		Code    string
		Message string
		Fields  map[string]struct{ Code, Message string }
	}
}

func register(t *testing.T, env *apptest.Env, body map[string]any) (int, vjson, errJSON) {
	t.Helper()
	status, raw := env.JSON("POST", "/api/v1/volunteers", "", body)
	var v vjson
	var e errJSON
	_ = json.Unmarshal(raw, &v)
	_ = json.Unmarshal(raw, &e)
	return status, v, e
}

func adult(n int) map[string]any {
	return map[string]any{
		"real_name": "测试" + strconv.Itoa(n), "id_number": apptest.ResidentID("120101", apptest.BornYearsAgo(30, n), 11+2*n),
		"phone": apptest.Mobile(n), "region_code": "120101001001", "password": "password-123",
		"tags": []string{"党员", "青年"}, "skills": []string{"急救"}, "service_categories": []string{"社区服务"},
	}
}

func TestRegisterAndLogInWithPhoneOrNumber(t *testing.T) {
	env := apptest.New(t)
	in := adult(1)
	in["phone"] = "+86 137 0000 0001"
	status, v, e := register(t, env, in)
	if status != 201 {
		t.Fatalf("register: %d %+v", status, e)
	}
	if !volunteer.ValidNo(v.VolunteerNo) || v.Gender != "M" || !strings.Contains(v.IDNumber, "********") || v.Phone != "137****0001" {
		t.Fatalf("registered: %+v", v)
	}
	if len(v.Tags) != 2 || !v.Claimed {
		t.Fatalf("tags/claimed: %+v", v)
	}
	for _, login := range []string{"13700000001", v.VolunteerNo} {
		status, body := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": login, "password": "password-123"})
		if status != 200 {
			t.Fatalf("login with %s: %d %s", login, status, body)
		}
	}
}

func TestRegistrationRefusals(t *testing.T) {
	env := apptest.New(t)
	if status, _, e := register(t, env, adult(1)); status != 201 {
		t.Fatalf("first: %d %+v", status, e)
	}
	badCheck := adult(2)
	id := badCheck["id_number"].(string)
	last := byte('0')
	if id[17] == '0' {
		last = '1'
	}
	badCheck["id_number"] = id[:17] + string(last)
	feb30 := adult(3)
	feb30["id_number"] = fixCheck("12010119900230" + "123")
	under14 := adult(4)
	under14["id_number"] = apptest.ResidentID("120101", apptest.BornYearsAgo(13, 10), 31)
	minor := adult(5)
	minor["id_number"] = apptest.ResidentID("120101", apptest.BornYearsAgo(16, 10), 41)
	dupPhone := adult(6)
	dupPhone["phone"] = adult(1)["phone"]
	passport := adult(7)
	passport["id_type"], passport["id_number"] = "passport", "E12345678"
	unknown := adult(8)
	unknown["region_code"], unknown["tags"] = "120199", []string{"党员", "宇航员"}
	weak := adult(9)
	weak["password"] = "1234"
	spaces, repeated, common, ownPhone := adult(10), adult(11), adult(12), adult(13)
	spaces["password"], repeated["password"], common["password"] = "        ", "aaaaaaaa", "qwerty123"
	ownPhone["password"] = ownPhone["phone"]
	cases := []struct {
		name   string
		in     map[string]any
		status int
		field  string
		code   string
		msg    string
	}{
		{"duplicate ID", adult(1), 409, "", "conflict", "该证件号码已注册"},
		{"wrong check digit", badCheck, 422, "id_number", "checksum", "校验位不正确"},
		{"impossible birth date", feb30, 422, "id_number", "birth_date", "出生日期不存在"},
		{"under 14", under14, 422, "id_number", "under_age", "未满 14 周岁"},
		{"minor without guardian", minor, 422, "guardian_name", "required", "监护人"},
		{"phone in use", dupPhone, 409, "phone", "taken", "已被其他志愿者使用"},
		{"passport without birth date", passport, 422, "birth_date", "format", "出生日期"},
		{"unknown region", unknown, 422, "region_code", "unknown", "行政区划代码不存在"},
		{"unknown tag", unknown, 422, "tags", "unknown", "宇航员"},
		{"short password", weak, 422, "password", "too_short", "至少 8 位"},
		{"password of spaces", spaces, 422, "password", "blank", "空格"},
		{"password of one character", repeated, 422, "password", "repeated", "同一个字符"},
		{"common password", common, 422, "password", "weak", "太容易被猜到"},
		{"password that is the phone number", ownPhone, 422, "password", "weak", "太容易被猜到"},
	}
	for _, c := range cases {
		status, _, e := register(t, env, c.in)
		if status != c.status {
			t.Errorf("%s: status %d, want %d (%+v)", c.name, status, c.status, e)
			continue
		}
		if c.field == "" {
			if !strings.Contains(e.Error.Message, c.msg) {
				t.Errorf("%s: message %q", c.name, e.Error.Message)
			}
			continue
		}
		f := e.Error.Fields[c.field]
		if f.Code != c.code || !strings.Contains(f.Message, c.msg) {
			t.Errorf("%s: field %s = %+v", c.name, c.field, f)
		}
	}
	var n int
	if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM volunteers WHERE real_name LIKE '测试%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d volunteers saved; refused registrations must save nothing", n)
	}
	// A minor with a guardian's consent registers.
	minor["guardian_name"], minor["guardian_phone"], minor["guardian_consent"] = "张父", "13800138000", true
	if status, _, e := register(t, env, minor); status != 201 {
		t.Fatalf("minor with guardian: %d %+v", status, e)
	}
	// A passport holder gives birth date and gender.
	passport["birth_date"], passport["gender"] = "1988-03-04", "女"
	if status, v, e := register(t, env, passport); status != 201 || v.Gender != "F" || v.BirthDate != "1988-03-04" {
		t.Fatalf("passport: %d %+v %+v", status, v, e)
	}
}

func fixCheck(first17 string) string {
	sum := 0
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * w[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

func TestNumbersAreEncryptedAtRest(t *testing.T) {
	env := apptest.New(t)
	in := adult(1)
	if status, _, e := register(t, env, in); status != 201 {
		t.Fatalf("%d %+v", status, e)
	}
	rows, err := env.App.DB.Read().QueryContext(context.Background(), `SELECT * FROM volunteers`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			var b []byte
			switch x := v.(type) {
			case string:
				b = []byte(x)
			case []byte:
				b = x
			}
			for _, secret := range []string{in["id_number"].(string), in["phone"].(string), in["id_number"].(string)[6:14]} {
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("column %s holds %q in clear", cols[i], secret)
				}
			}
		}
	}
}

func TestRevealIsScopedAndAudited(t *testing.T) {
	env := apptest.New(t)
	in := adult(1)
	_, v, _ := register(t, env, in)
	path := "/api/v1/volunteers/" + strconv.FormatInt(v.ID, 10) + "/reveal"
	status, body := env.JSON("POST", path, env.Token("heping-office"), nil)
	if status != 200 || !strings.Contains(string(body), in["id_number"].(string)) || !strings.Contains(string(body), in["phone"].(string)) {
		t.Fatalf("reveal in scope: %d %s", status, body)
	}
	if status, _ := env.JSON("POST", path, env.Token("hedong-office"), nil); status != 404 {
		t.Fatalf("reveal out of scope: %d", status)
	}
	if status, _ := env.JSON("POST", path, env.Token("quanyechang"), nil); status != 403 {
		t.Fatalf("community worker reveal: %d", status)
	}
	var who string
	err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT username FROM audit_log WHERE action = 'reveal' AND entity_id = $1`,
		strconv.FormatInt(v.ID, 10)).Scan(&who)
	if err != nil || who != "heping-office" {
		t.Fatalf("reveal audit: %q %v", who, err)
	}
	if strings.Contains(env.Logs.String(), in["id_number"].(string)) || strings.Contains(env.Logs.String(), in["phone"].(string)) {
		t.Fatal("an ID or phone number reached the log")
	}
}

func TestPreregisterThenClaim(t *testing.T) {
	env := apptest.New(t)
	admin := env.Token("team-admin")
	in := adult(1)
	delete(in, "password")
	status, raw := env.JSON("POST", "/api/v1/teams/1/volunteers", admin, in)
	if status != 201 {
		t.Fatalf("preregister: %d %s", status, raw)
	}
	var pre vjson
	_ = json.Unmarshal(raw, &pre)
	if pre.Claimed || len(pre.TeamIDs) != 1 || pre.TeamIDs[0] != 1 {
		t.Fatalf("preregistered: %+v", pre)
	}
	// Registering with the same ID is refused with the way out.
	self := adult(1)
	if status, _, e := register(t, env, self); status != 409 || !strings.Contains(e.Error.Message, "认领") {
		t.Fatalf("self-register over unclaimed: %d %+v", status, e)
	}
	claim := map[string]any{"id_number": in["id_number"], "phone": apptest.Mobile(99), "password": "password-123"}
	if status, _ := env.JSON("POST", "/api/v1/volunteers/claim", "", claim); status != 404 {
		t.Fatalf("claim with the wrong phone: %d", status)
	}
	claim["phone"] = in["phone"]
	claimID := openClaim(t, env, claim)
	got := confirm(t, env, claimID, codeOf(t, env, claimID), 200)
	if !got.Claimed || got.ID != pre.ID || got.VolunteerNo != pre.VolunteerNo || len(got.TeamIDs) != 1 {
		t.Fatalf("claim: %+v", got)
	}
	if status, _ := env.JSON("POST", "/api/v1/volunteers/claim", "", claim); status != 409 {
		t.Fatalf("second claim: %d", status)
	}
	status, body := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": in["phone"].(string), "password": "password-123"})
	if status != 200 {
		t.Fatalf("login after claim: %d %s", status, body)
	}
}

func TestSearchIsScoped(t *testing.T) {
	env := apptest.New(t)
	for i := 1; i <= 3; i++ {
		register(t, env, adult(i))
	}
	other := adult(4)
	other["region_code"], other["tags"], other["skills"] = "120102001", []string{"巾帼"}, []string{"外语"}
	register(t, env, other)

	count := func(token, query string) (int, int) {
		status, raw := env.JSON("GET", "/api/v1/volunteers?"+query, token, nil)
		var p struct{ Items []vjson }
		_ = json.Unmarshal(raw, &p)
		return status, len(p.Items)
	}
	heping, hedong, city := env.Token("heping-office"), env.Token("hedong-office"), env.Token("tianjin-office")
	// Demo data is there too; "q=测试" picks this test's people by name.
	cases := []struct {
		token, query string
		status, n    int
	}{
		{heping, "q=测试", 200, 3},
		{hedong, "q=测试", 200, 1},
		{city, "q=测试", 200, 4},
		{city, "q=测试&tag=巾帼", 200, 1},
		{city, "q=测试&tag=党员&region_code=120101", 200, 3},
		{city, "q=测试&skill=外语", 200, 1},
		{heping, "q=" + apptest.Mobile(2), 200, 1},
		{heping, "q=" + adult(3)["id_number"].(string), 200, 1},
		// A hit by full ID number confirms the number: only those who may
		// reveal numbers search by one (the street's worker and the team may not).
		{env.Token("quanyechang"), "q=" + adult(3)["id_number"].(string), 422, 0},
		{env.Token("team-admin"), "q=" + adult(3)["id_number"].(string), 422, 0},
		{city, "q=" + adult(3)["id_number"].(string), 200, 1},
		{hedong, "q=" + apptest.Mobile(2), 200, 0},
		{heping, "region_code=120102", 403, 0},
		{heping, "tag=宇航员", 422, 0},
		{env.Token("volunteer"), "", 403, 0},
		{env.Token("team-admin"), "q=测试", 200, 0},
		{env.Token("team-admin"), "limit=200", 200, 17},
		{hedong, "limit=200", 200, 1},
	}
	for _, c := range cases {
		status, n := count(c.token, c.query)
		if status != c.status || n != c.n {
			t.Errorf("search %q: %d with %d items, want %d with %d", c.query, status, n, c.status, c.n)
		}
	}
}

func TestUpdateProfile(t *testing.T) {
	env := apptest.New(t)
	in := adult(1)
	register(t, env, in)
	status, body := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": in["phone"].(string), "password": "password-123"})
	if status != 200 {
		t.Fatal(status)
	}
	var tok struct{ Token string }
	_ = json.Unmarshal(body, &tok)
	status, body = env.JSON("PUT", "/api/v1/volunteers/me", tok.Token, map[string]any{"tags": []string{"宇航员"}, "region_code": "99"})
	var e errJSON
	_ = json.Unmarshal(body, &e)
	if status != 422 || e.Error.Fields["tags"].Code != "unknown" || e.Error.Fields["region_code"].Code != "unknown" {
		t.Fatalf("bad update: %d %s", status, body)
	}
	status, body = env.JSON("PUT", "/api/v1/volunteers/me", tok.Token, map[string]any{"tags": []string{"退役军人"}, "skills": []string{"驾驶"}, "region_code": "120101002"})
	var v vjson
	_ = json.Unmarshal(body, &v)
	if status != 200 || len(v.Tags) != 1 || v.Tags[0] != "退役军人" {
		t.Fatalf("update: %d %s", status, body)
	}
	status, body = env.JSON("GET", "/api/v1/volunteers?q=测试&tag=退役军人&skill=驾驶&region_code=120101002", env.Token("heping-office"), nil)
	if status != 200 || !strings.Contains(string(body), v.VolunteerNo) {
		t.Fatalf("search after update: %d %s", status, body)
	}
	status, _ = env.JSON("GET", "/api/v1/volunteers?q=测试&tag=党员", env.Token("heping-office"), nil)
	if status != 200 {
		t.Fatal(status)
	}
}

// TestSearchByTagPages: a tag's search pages through the tagged volunteers
// in (region, id) order, each once.
func TestSearchByTagPages(t *testing.T) {
	env := apptest.New(t)
	regions := []string{"120101002", "120101001001", "120101002", "120101001", "120101001001", "120101003"}
	var tagged []int64
	for i, code := range regions {
		in := adult(i + 1)
		in["region_code"] = code
		if i%3 == 2 {
			in["tags"] = []string{"青年"} // not 党员
		}
		_, v, _ := register(t, env, in)
		if i%3 != 2 {
			tagged = append(tagged, v.ID)
		}
	}
	type item struct {
		ID         int64
		RegionCode string `json:"region_code"`
	}
	list := func(token, query string) []item {
		t.Helper()
		var all []item
		cursor := ""
		for {
			status, raw := env.JSON("GET", "/api/v1/volunteers?"+query+"&limit=2&cursor="+cursor, token, nil)
			var p struct {
				Items      []item
				NextCursor string `json:"next_cursor"`
			}
			if err := json.Unmarshal(raw, &p); status != 200 || err != nil {
				t.Fatalf("%s: %d %s", query, status, raw)
			}
			all = append(all, p.Items...)
			if p.NextCursor == "" {
				return all
			}
			cursor = p.NextCursor
		}
	}
	heping := env.Token("heping-office")
	got := list(heping, "q=测试&tag=党员")
	if len(got) != len(tagged) {
		t.Fatalf("tag pages: %+v, want the %d tagged %v", got, len(tagged), tagged)
	}
	for i, x := range got {
		if !slices.Contains(tagged, x.ID) {
			t.Fatalf("untagged volunteer %d listed", x.ID)
		}
		if i > 0 && (x.RegionCode < got[i-1].RegionCode || x.RegionCode == got[i-1].RegionCode && x.ID <= got[i-1].ID) {
			t.Fatalf("not in (region, id) order: %+v", got)
		}
	}
	if street := list(heping, "q=测试&tag=党员&region_code=120101001"); len(street) != 3 {
		t.Fatalf("street 120101001: %+v, want 3", street)
	}
}
