package roster_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
)

// importWithReport imports a file with one bad row as the team admin and
// returns the batch id and the report's URL.
func importWithReport(t *testing.T, env *apptest.Env, badID string) (int64, string) {
	t.Helper()
	data := apptest.Workbook(t, [][]any{{"姓名", "证件号码", "手机号码", "居住区域"},
		{"赵一", id(1), "13711110001", "120101001"}, {"钱二", badID, "13711110002", "火星"}})
	status, raw := upload(t, env, env.Token("team-admin"), "/api/v1/teams/1/imports", "名单.xlsx", data)
	var res result
	if err := json.Unmarshal(raw, &res); status != 200 || err != nil || res.Failed != 1 || res.ReportURL == "" {
		t.Fatalf("import: %d %s", status, raw)
	}
	var batch int64
	if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT MAX(id) FROM import_batches`).Scan(&batch); err != nil {
		t.Fatal(err)
	}
	return batch, res.ReportURL
}

// The error report holds the failed rows' numbers in full: it is stored
// sealed, only the uploader and those who may reveal numbers in the
// team's region may download it, and each download is audited.
func TestImportReportIsSealedAndGuarded(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	batch, url := importWithReport(t, env, id(2))

	var stored []byte
	if err := env.App.DB.Read().QueryRowContext(ctx, `SELECT report FROM import_batches WHERE id = $1`, batch).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) == 0 {
		t.Fatal("no report stored")
	}
	if _, err := zip.NewReader(bytes.NewReader(stored), int64(len(stored))); err == nil {
		t.Fatal("the stored report is a readable xlsx: not sealed")
	}
	if _, err := env.App.Keys.Open(stored, "import_batches.report "+strconv.FormatInt(batch, 10)); err != nil {
		t.Fatalf("the stored report does not open with the key and its batch: %v", err)
	}
	if _, err := env.App.Keys.Open(stored, "import_batches.report "+strconv.FormatInt(batch+1, 10)); err == nil {
		t.Fatal("the sealed report opens as another batch's")
	}

	// A second admin of the same team, who did not upload the file.
	admin := env.Principal("admin")
	if _, err := env.App.Auth.CreateAccount(ctx, admin, auth.NewAccount{Username: "team-admin-2", Password: "a-long-password-2", RegionCode: "120101",
		Grant: auth.Grant{Role: auth.RoleTeamAdmin, TeamID: 1}}); err != nil {
		t.Fatal(err)
	}
	env.Passwords["team-admin-2"] = "a-long-password-2"
	for user, want := range map[string]int{"team-admin": 200, "heping-office": 200, "admin": 200, "team-admin-2": 404, "hedong-office": 404} {
		status, data := getBytes(t, env, env.Token(user), url)
		if status != want {
			t.Errorf("%s: %d, want %d", user, status, want)
			continue
		}
		if status != 200 {
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if !strings.Contains(strings.Join(rows[len(rows)-1], "|"), id(2)) {
			t.Errorf("%s: the report lacks the row's ID number: %v", user, rows)
		}
	}
	var audited int
	if err := env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'download' AND entity = 'import_batch' AND entity_id = $1`,
		strconv.FormatInt(batch, 10)).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 3 {
		t.Errorf("downloads audited: %d, want 3", audited)
	}
	// The web page's link obeys the same rule.
	b := env.Browser()
	b.Login("team-admin-2")
	if status, _, _ := b.Get("/imports/" + strconv.FormatInt(batch, 10) + "/report.xlsx"); status != http.StatusNotFound {
		t.Errorf("web, another team admin: %d", status)
	}
}

// Reports are deleted by the server after the retention period, once
// however many processes purge at the same time, and the purge is audited.
func TestImportReportsExpire(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	old, _ := importWithReport(t, env, id(2))
	if _, err := env.App.DB.Write().ExecContext(ctx, `UPDATE import_batches SET created_at = $1 WHERE id = $2`,
		time.Now().Add(-31*24*time.Hour).Unix(), old); err != nil {
		t.Fatal(err)
	}
	fresh, url := importWithReport(t, env, id(3))
	purged := make(chan int64, 2)
	for range 2 {
		go func() {
			n, err := env.App.Roster.PurgeReports(ctx, time.Now())
			if err != nil {
				t.Error(err)
			}
			purged <- n
		}()
	}
	if a, b := <-purged, <-purged; a+b != 1 {
		t.Fatalf("purged %d and %d reports, want 1 in all", a, b)
	}
	var left int
	if err := env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM import_batches WHERE report IS NOT NULL`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 1 {
		t.Fatalf("%d reports left, want the fresh one", left)
	}
	if status, _ := getBytes(t, env, env.Token("team-admin"), "/api/v1/imports/"+strconv.FormatInt(old, 10)+"/report.xlsx"); status != 404 {
		t.Errorf("expired report: %d", status)
	}
	if status, _ := getBytes(t, env, env.Token("team-admin"), url); status != 200 {
		t.Errorf("fresh report %d: %d", fresh, status)
	}
	var audits int
	if err := env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'purge' AND entity = 'import_report'`).Scan(&audits); err != nil {
		t.Fatal(err)
	}
	if audits != 1 {
		t.Errorf("purges audited: %d, want 1", audits)
	}
}
