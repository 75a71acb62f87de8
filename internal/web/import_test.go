package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
)

var reportLink = regexp.MustCompile(`href="(/imports/\d+/report\.xlsx)"`)

// TestImportThroughTheForm is a team admin's import on the web: the upload
// form, the result with its counts and problems, the error report, and the
// roster export.
func TestImportThroughTheForm(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	b.Login("team-admin")
	csrf := b.CSRF("/teams/1/import")
	data := apptest.Workbook(t, [][]any{
		{"姓名", "证件号码", "手机号码", "居住区域"},
		{"网导一", apptest.ResidentID("120101", apptest.BornYearsAgo(33, 1), 501), "13622220001", "120101001"},
		{"网导二", "110105194912310021", "13622220002", "120101001"},
	})
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("file", "名单.xlsx")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", env.Server.URL+"/teams/1/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	html := string(page)
	if res.StatusCode != 200 || !strings.Contains(html, `data-testid="import-saved">1<`) || !strings.Contains(html, `data-testid="import-failed">1<`) {
		t.Fatalf("result page: %d\n%s", res.StatusCode, html)
	}
	if !strings.Contains(html, "校验位不正确") {
		t.Fatal("the failed row's reason is not shown")
	}
	m := reportLink.FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no report link")
	}
	for _, path := range []string{m[1], "/teams/1/members.xlsx", "/imports/template.xlsx"} {
		res, err := b.Client.Get(env.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	// Without a file: the form again, with the message.
	status, html, _ := b.Post("/teams/1/import", map[string][]string{"csrf": {csrf}})
	if status != 422 || !strings.Contains(html, "请选择要导入的 Excel 文件") {
		t.Fatalf("no file: %d", status)
	}
}
