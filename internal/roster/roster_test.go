package roster_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/apptest"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func upload(t *testing.T, env *apptest.Env, token, path, name string, data []byte) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", env.Server.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

type result struct {
	Total, Saved, Failed, Created int
	Joined                        int `json:"joined_existing"`
	Errors                        []struct {
		Row            int
		Field, Message string
	}
	ReportURL string `json:"report_url"`
}

func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

func id(n int) string { return apptest.ResidentID("120101", apptest.BornYearsAgo(30, n), 101+2*n) }

func TestImportSavesValidRowsAndReportsTheRest(t *testing.T) {
	env := apptest.New(t)
	token := env.Token("team-admin")
	badCheck := id(3)
	if badCheck[17] == '0' {
		badCheck = badCheck[:17] + "1"
	} else {
		badCheck = badCheck[:17] + "0"
	}
	rows := [][]any{
		{"手机号", "身份证号", "姓名", "居住区域", "标签", "技能", "备注"}, // any order, aliases, an extra column
		{"13711110001", id(1), "赵一", "120101001001", "党员、青年", "急救", "x"},
		{"+86 137 1111 0002", fullWidth(id(2)), " 钱 二 ", "天津市和平区劝业场街道", "巾帼", "", ""},
		{"13711110003", badCheck, "孙三", "120101001", "", "", ""},
		{"13711110004", 1.2010119900101e17, "李四", "120101001", "", "", ""},
		{"13711110005", id(1), "周五", "120101001", "", "", ""}, // same ID as row 2
		{"13711110006", id(6), "吴六", "火星", "", "", ""},
		{},
		{"13711110008", id(8), "", "120101001", "", "", ""},
		{"13711110009", id(9), "郑九", "120101002", "宇航员", "", ""},
		{"13711110010", id(10), "王十", "120101006", "", "摄影", ""},
	}
	data := apptest.Workbook(t, rows)
	status, raw := upload(t, env, token, "/api/v1/teams/1/imports", "名单.xlsx", data)
	if status != 200 {
		t.Fatalf("import: %d %s", status, raw)
	}
	var res result
	_ = json.Unmarshal(raw, &res)
	if res.Total != 9 || res.Saved != 3 || res.Created != 3 || res.Failed != 6 { // the blank row 8 is skipped
		t.Fatalf("counts: %s", raw)
	}
	want := map[int]string{4: "校验位不正确", 5: "Excel", 6: "与第 2 行的证件号码重复", 7: "找不到地区“火星”", 9: "请填写真实姓名", 10: "未知的标签：宇航员"}
	got := map[int]string{}
	for _, e := range res.Errors {
		got[e.Row] += e.Message
	}
	for row, msg := range want {
		if !strings.Contains(got[row], msg) {
			t.Errorf("row %d: %q, want it to say %q", row, got[row], msg)
		}
	}
	if got[2] != "" || got[3] != "" || got[11] != "" {
		t.Errorf("valid rows reported: %v", got)
	}
	// The report holds exactly the failed rows, first columns 原行号 and 错误说明.
	status, rep := getBytes(t, env, token, res.ReportURL)
	if status != 200 {
		t.Fatalf("report: %d", status)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rep))
	if err != nil {
		t.Fatal(err)
	}
	sheetRows, _ := f.GetRows(f.GetSheetName(0))
	if len(sheetRows) != 1+6 || sheetRows[0][0] != "原行号" || sheetRows[0][1] != "错误说明" {
		t.Fatalf("report rows: %v", sheetRows)
	}
	if !strings.Contains(strings.Join(sheetRows[1], "|"), "证件号码：") {
		t.Fatalf("report row lacks the field name: %v", sheetRows[1])
	}
	// Re-importing the same file adds nobody twice.
	var before int
	countVolunteers := func() int {
		var n int
		if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM volunteers`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before = countVolunteers()
	status, raw = upload(t, env, token, "/api/v1/teams/1/imports", "名单.xlsx", data)
	_ = json.Unmarshal(raw, &res)
	if status != 200 || res.Created != 0 || res.Saved != 3 || res.Joined != 0 || countVolunteers() != before {
		t.Fatalf("re-import: %d %s (volunteers %d → %d)", status, raw, before, countVolunteers())
	}
	// The imported people are unclaimed members of the team.
	_, raw = env.JSON("GET", "/api/v1/volunteers?team_id=1&q=13711110002", token, nil)
	if !strings.Contains(string(raw), `"claimed":false`) || !strings.Contains(string(raw), "钱二") {
		t.Fatalf("imported volunteer: %s", raw)
	}
}

func getBytes(t *testing.T, env *apptest.Env, token, path string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", env.Server.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func TestImportRefusesUnreadableFiles(t *testing.T) {
	env := apptest.New(t)
	token := env.Token("team-admin")
	missing := apptest.Workbook(t, [][]any{{"姓名", "手机号码"}, {"赵一", "13711110001"}})
	cases := []struct {
		name string
		data []byte
		msg  string
	}{
		{"csv without some columns", []byte("姓名,证件号码\n赵一,110105\n"), "手机号码"},
		{"random", []byte{0x50, 0x4b, 3, 4, 0, 0, 1, 2, 3}, ""},
		{"missing columns", missing, "证件号码"},
	}
	for _, c := range cases {
		status, raw := upload(t, env, token, "/api/v1/teams/1/imports", "x.xlsx", c.data)
		if status != 422 || !strings.Contains(string(raw), c.msg) {
			t.Errorf("%s: %d %s", c.name, status, raw)
		}
	}
	if status, _ := upload(t, env, env.Token("hedong-office"), "/api/v1/teams/1/imports", "x.xlsx", missing); status != 403 {
		t.Errorf("out-of-scope import: %d", status)
	}
}

func TestExportsAreMasked(t *testing.T) {
	env := apptest.New(t)
	for _, c := range []struct{ token, path string }{
		{env.Token("team-admin"), "/api/v1/teams/1/members.xlsx"},
		{env.Token("heping-office"), "/api/v1/volunteers.xlsx?region_code=120101"},
	} {
		status, data := getBytes(t, env, c.token, c.path)
		if status != 200 {
			t.Fatalf("%s: %d %s", c.path, status, data)
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) < 10 {
			t.Fatalf("%s: %d rows", c.path, len(rows))
		}
		all := fmt.Sprint(rows)
		if !strings.Contains(all, "****") {
			t.Fatalf("%s: no masked numbers", c.path)
		}
		for _, r := range rows[1:] {
			for _, cell := range r {
				if len(cell) == 11 && strings.HasPrefix(cell, "13") && !strings.Contains(cell, "*") {
					t.Fatalf("%s: clear phone %q", c.path, cell)
				}
			}
		}
	}
	var n int
	if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'export'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("exports audited: %d", n)
	}
}

func TestTemplate(t *testing.T) {
	env := apptest.New(t)
	status, data := getBytes(t, env, "", "/api/v1/imports/template.xlsx")
	if status != 200 {
		t.Fatal(status)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) < 1 || rows[0][0] != "姓名" || rows[0][1] != "证件号码" {
		t.Fatalf("template headers: %v", rows)
	}
}

// An import does not make another team's unclaimed record a member of the
// importing team: the row is refused with a message and nothing is written.
func TestImportRefusesAnotherTeamsUnclaimedRecord(t *testing.T) {
	env := apptest.New(t)
	number := id(40)
	status, raw0 := env.JSON("POST", "/api/v1/teams/1/volunteers", env.Token("team-admin"), map[string]any{
		"real_name": "代登记", "id_number": number, "phone": "13711110040", "region_code": "120101001001"})
	if status != 201 {
		t.Fatalf("preregister: %d %s", status, raw0)
	}
	data := apptest.Workbook(t, [][]any{{"姓名", "身份证号", "手机号", "居住区域"}, {"代登记", number, "13711110040", "120101001001"}})
	status, raw := upload(t, env, env.Token("heping-office"), "/api/v1/teams/2/imports", "名单.xlsx", data)
	var res result
	_ = json.Unmarshal(raw, &res)
	if status != 200 || res.Saved != 0 || res.Failed != 1 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "其他团队") {
		t.Fatalf("import of another team's record: %d %s", status, raw)
	}
	var pre struct{ ID int64 }
	_ = json.Unmarshal(raw0, &pre)
	var n int
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM team_members WHERE team_id = 2 AND volunteer_id = $1`, pre.ID).Scan(&n)
	if pre.ID == 0 || n != 0 {
		t.Fatalf("membership of %d in team 2: %d", pre.ID, n)
	}
}

// A CSV saved by Excel on a Chinese Windows (GBK), with a title line above
// its header, imports like a workbook.
func TestImportReadsGBKCSV(t *testing.T) {
	env := apptest.New(t)
	text := "劝业场街道志愿者名单\r\n姓名,证件号码,手机号码,居住区域\r\n赵一," + id(1) + ",13711110001,120101001001\r\n钱二," + id(2) + ",13711110002,120101001\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	status, raw := upload(t, env, env.Token("team-admin"), "/api/v1/teams/1/imports", "名单.csv", []byte(gbk))
	var res result
	if status != 200 || json.Unmarshal(raw, &res) != nil || res.Saved != 2 || res.Failed != 0 {
		t.Fatalf("import: %d %s", status, raw)
	}
}
