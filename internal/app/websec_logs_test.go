package app_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
)

// TestNoPersonalNumberInTheLogs runs a whole session through both surfaces
// while keeping every log line: registrations with ID and phone numbers
// (some refused), logins by phone (some wrong), searches by ID and phone
// number in query strings, a claim, a reveal, a pre-registration and an
// import with good and bad rows. No ID or phone number used, nor its bare
// digits, may appear in the log.
func TestNoPersonalNumberInTheLogs(t *testing.T) {
	env := apptest.New(t)
	var secrets []string
	// Phones are also typed with separators (138 0013 8000, 138-0013-8000,
	// +86 …); the log must hold none of the forms, nor their URL encodings.
	spaced := func(p string) string { return p[:3] + " " + p[3:7] + " " + p[7:] }
	dashed := func(p string) string { return p[:3] + "-" + p[3:7] + "-" + p[7:] }
	phoneForms := func(p string) []string {
		forms := []string{p, spaced(p), dashed(p), p[:3] + " " + p[3:7] + "-" + p[7:], "+86 " + spaced(p), "+86" + p}
		for _, f := range forms[1:] {
			forms = append(forms, url.QueryEscape(f), url.PathEscape(f))
		}
		return forms
	}
	person := func(n int) (id, phone string) {
		id, phone = apptest.ResidentID("120101", apptest.BornYearsAgo(30, n), 300+2*n), apptest.Mobile(7000+n)
		secrets = append(secrets, id, strings.ToLower(id), id[:17])
		secrets = append(secrets, phoneForms(phone)...)
		return id, phone
	}

	for n := range 3 {
		id, phone := person(n)
		body := map[string]any{"real_name": fmt.Sprintf("日志%d", n), "id_number": id, "phone": spaced(phone),
			"region_code": "120101001001", "password": "password-123"}
		if status, raw := env.JSON("POST", "/api/v1/volunteers", "", body); status != http.StatusCreated {
			t.Fatalf("registration: %d %s", status, raw)
		}
		env.JSON("POST", "/api/v1/volunteers", "", body) // the same person again: a conflict
		env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": phone, "password": "password-123"})
		env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": spaced(phone), "password": "wrong-password"})
		env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": dashed(phone), "password": "wrong-password"})
		env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": "+86 " + spaced(phone), "password": "wrong-password"})
	}
	badID := apptest.ResidentID("120101", apptest.BornYearsAgo(31, 0), 401)
	badID = badID[:17] + map[bool]string{true: "0", false: "1"}[badID[17] != '0'] // wrong check digit
	secrets = append(secrets, badID)
	env.JSON("POST", "/api/v1/volunteers", "", map[string]any{"real_name": "错号", "id_number": badID, "phone": "12345678901",
		"region_code": "120101001001", "password": "password-123"})
	secrets = append(secrets, "12345678901")

	id, phone := person(10)
	b := env.Browser()
	form := url.Values{"csrf": {b.CSRF("/register")}, "real_name": {"网页日志"}, "id_type": {"resident"}, "id_number": {id},
		"phone": {phone}, "region_code": {"120101001001"}, "password": {"password-123"}, "password_confirm": {"password-123"}}
	if status, body, _ := b.Post("/register", form); status >= 400 {
		t.Fatalf("web registration: %d %.300s", status, body)
	}
	web := env.Browser()
	web.Post("/login", url.Values{"csrf": {web.CSRF("/login")}, "username": {phone}, "password": {"wrong-password"}})
	web.Post("/login", url.Values{"csrf": {web.CSRF("/login")}, "username": {phone}, "password": {"password-123"}})

	office := env.Token("heping-office")
	for _, q := range []string{secrets[0], secrets[1], secrets[2], phone, spaced(phone), dashed(phone), "+86 " + spaced(phone), "12345678901"} {
		env.JSON("GET", "/api/v1/volunteers?q="+url.QueryEscape(q), office, nil)
		env.JSON("GET", "/api/v1/volunteers.xlsx?q="+url.QueryEscape(q), office, nil)
		env.JSON("GET", "/api/v1/accounts?q="+url.QueryEscape(q), office, nil)
	}
	ob := env.Browser()
	ob.Login("heping-office")
	ob.Get("/admin/volunteers?q=" + url.QueryEscape(id))
	ob.Get("/admin/volunteers?q=" + url.QueryEscape(phone))
	ob.Get("/admin/accounts?q=" + url.QueryEscape(phone))
	ob.Get("/admin/volunteers?q=" + url.QueryEscape(spaced(phone)))
	anon := env.Browser()
	anon.Post("/login", url.Values{"csrf": {anon.CSRF("/login")}, "username": {spaced(phone)}, "password": {"wrong-password"}})
	env.JSON("POST", fmt.Sprintf("/api/v1/volunteers/%d/reveal", volunteerOf(env, "volunteer")), office, nil)

	claimID, claimPhone := person(20)
	env.JSON("POST", "/api/v1/volunteers/claim", "", map[string]string{"id_number": claimID, "phone": claimPhone, "password": "password-123"})
	preID, prePhone := person(21)
	leader := env.Token("team-admin")
	env.JSON("POST", "/api/v1/teams/1/volunteers", leader, map[string]any{"real_name": "预登记", "id_number": preID, "phone": prePhone, "region_code": "120101001001"})
	env.JSON("POST", "/api/v1/volunteers/claim", "", map[string]string{"id_number": preID, "phone": prePhone, "password": "password-123"})

	rowsIn := [][]any{{"姓名", "证件号码", "手机号码", "居住区域"}}
	for n := 30; n < 34; n++ {
		id, phone := person(n)
		rowsIn = append(rowsIn, []any{fmt.Sprintf("导入%d", n), id, phone, "120101001"})
	}
	rowsIn = append(rowsIn, []any{"坏行", badID, "1370000", "120101001"}, []any{"重复", rowsIn[1][1], rowsIn[1][2], "120101001"})
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "名单.xlsx")
	fw.Write(apptest.Workbook(t, rowsIn))
	w.Close()
	if status, got := send(t, nil, env.Server.URL+"/api/v1/teams/1/imports", leader, &buf, w.FormDataContentType()); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, got)
	}

	logs := env.Logs.String()
	if !strings.Contains(logs, `"route":"POST /api/v1/teams/{id}/imports"`) || !strings.Contains(logs, `"route":"GET /admin/volunteers"`) {
		t.Fatal("the session's requests are not in the captured log")
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			i := strings.Index(logs, s)
			t.Errorf("the log holds %s…: %.200s", s[:4], logs[max(0, i-100):])
		}
	}
	t.Logf("%d personal numbers checked against %d bytes of log", len(secrets), len(logs))
}
