package record_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/record"
)

// addConfirmed gives the fixture's volunteer n confirmed records of the
// fixture's team and project, of minutes each, one a day from start,
// written directly (the way an import of past years writes them).
func addConfirmed(t testing.TB, f *fixture, n, minutes int, start time.Time) []int64 {
	t.Helper()
	ctx := context.Background()
	w := f.env.App.DB.Write()
	ids := make([]int64, n)
	for i := range n {
		at := start.AddDate(0, 0, i).Unix()
		if err := w.QueryRowContext(ctx, `INSERT INTO service_records (volunteer_id, team_id, project_id, region_code, activity, content,
			starts_at, ends_at, minutes, state, confirmed_at, created_at, updated_at)
			VALUES ($1, 1, $2, '120101001001', '社区卡口值守', '测温登记', $3, $4, $5, 'confirmed', $3, $3, $3) RETURNING id`,
			f.volID, f.shift.ProjectID, at, at+int64(minutes)*60, minutes).Scan(&ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.ExecContext(ctx, `INSERT INTO volunteer_hours (volunteer_id, confirmed_minutes, pending_minutes, updated_at)
		VALUES ($1, $2, 0, 0) ON CONFLICT (volunteer_id) DO UPDATE SET confirmed_minutes = volunteer_hours.confirmed_minutes + excluded.confirmed_minutes`,
		f.volID, n*minutes); err != nil {
		t.Fatal(err)
	}
	return ids
}

func count(t testing.TB, f *fixture, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.env.App.DB.Read().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCertificateRevokedWhenRecordVoided: voiding a record a certificate
// counted revokes it (verify, API and page say so and why, the volunteer's
// hours page too, audited); a new one covers what remains; lowering a
// counted record's hours revokes that one in turn.
func TestCertificateRevokedWhenRecordVoided(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	confirmedHours(t, f)
	extra := addConfirmed(t, f, 1, 60, f.shift.StartsAt.AddDate(0, 0, -30))
	c1, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn")
	if err != nil || c1.Data.TotalMinutes != 240 {
		t.Fatalf("issue: %+v %v", c1.Data, err)
	}
	var voided int64
	list, _ := rec.OfVolunteer(ctx, f.vol, f.volID)
	for _, r := range list {
		if r.Minutes == 180 {
			voided = r.ID
		}
	}
	const reason = "冒名签到，记录作废"
	if _, err := rec.Void(ctx, f.leader, voided, reason); err != nil {
		t.Fatal(err)
	}
	v, err := rec.Verify(ctx, c1.Data.VerifyCode)
	if err != nil || !v.Revoked || v.RevokedReason != reason || v.RevokedAt.IsZero() || !v.Genuine {
		t.Fatalf("verify after void: %+v %v", v, err)
	}
	status, body := f.env.JSON("GET", "/api/v1/verify/"+c1.Data.VerifyCode, "", nil)
	var got map[string]any
	_ = json.Unmarshal(body, &got)
	if status != 200 || got["revoked"] != true || got["revoked_reason"] != reason || got["revoked_at"] == nil {
		t.Fatalf("API verify: %d %s", status, body)
	}
	if _, page, _ := f.env.Browser().Get("/verify/" + c1.Data.VerifyCode); !strings.Contains(page, "已撤销") || !strings.Contains(page, reason) {
		t.Fatal("verify page does not say the certificate was revoked and why")
	}
	mine, err := rec.MyHours(ctx, f.vol, nil)
	if err != nil || len(mine.Certificates) != 1 || !mine.Certificates[0].Revoked || mine.Certificates[0].RevokedReason != reason {
		t.Fatalf("hours page certificates: %+v %v", mine.Certificates, err)
	}
	b := f.env.Browser()
	if st, _, _ := b.Post("/login", url.Values{"csrf": {b.CSRF("/login")}, "username": {apptest.Mobile(700)}, "password": {"password-123"}}); st != 303 {
		t.Fatalf("volunteer login: %d", st)
	}
	if _, page, _ := b.Get("/me/hours"); !strings.Contains(page, "证明已撤销") || !strings.Contains(page, reason) {
		t.Fatal("the volunteer's hours page does not show the certificate as revoked and why")
	}
	if n := count(t, f, `SELECT COUNT(*) FROM audit_log WHERE action = 'revoke' AND entity = 'certificate' AND entity_id = $1`,
		itoa(c1.ID)); n != 1 {
		t.Fatalf("revocation audited %d times", n)
	}
	// What remains: a new certificate, not the revoked one.
	c2, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn")
	if err != nil || c2.ID == c1.ID || c2.Data.TotalMinutes != 60 {
		t.Fatalf("issue after revocation: %d %+v %v", c2.ID, c2.Data, err)
	}
	// Lowering the remaining record's hours revokes that one too.
	r, _ := rec.Get(ctx, f.leader, extra[0])
	if _, err := rec.Amend(ctx, f.leader, extra[0], record.Amendment{StartsAt: r.StartsAt.Format(time.RFC3339),
		EndsAt: r.StartsAt.Add(30 * time.Minute).Format(time.RFC3339), Reason: "签退时间登记有误"}); err != nil {
		t.Fatal(err)
	}
	if v, err := rec.Verify(ctx, c2.Data.VerifyCode); err != nil || !v.Revoked || v.RevokedReason != "签退时间登记有误" {
		t.Fatalf("verify after lowering: %+v %v", v, err)
	}
	// The remaining 30 minutes: certificate three.
	c3, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn")
	if err != nil || c3.Data.TotalMinutes != 30 {
		t.Fatalf("third certificate: %+v %v", c3.Data, err)
	}
	if v, _ := rec.Verify(ctx, c3.Data.VerifyCode); v.Revoked || !v.Genuine {
		t.Fatalf("third certificate: %+v", v)
	}
}

// TestCertificateBounded: 250 records give a certificate that lists the
// latest 200 and sums the 50 earlier ones by year and team, a PDF of a few
// pages, and asking again the same day returns the same certificate.
func TestCertificateBounded(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	addConfirmed(t, f, 250, 60, time.Date(2024, 12, 1, 2, 0, 0, 0, time.UTC))
	c, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	summed := 0
	for _, l := range c.Data.Rest {
		summed += l.Records
	}
	if len(c.Data.Records) != 200 || summed != 50 || c.Data.TotalMinutes != 250*60 || len(c.Data.Rest) != 2 ||
		c.Data.Rest[0].Year != "2024" || c.Data.Rest[0].Team != "和平区劝业场街道志愿服务队" {
		t.Fatalf("certificate: %d listed, %d summed in %+v, %d minutes", len(c.Data.Records), summed, c.Data.Rest, c.Data.TotalMinutes)
	}
	if n := count(t, f, `SELECT COUNT(*) FROM certificate_records WHERE certificate_id = $1`, c.ID); n != 250 {
		t.Fatalf("%d records linked, want 250", n)
	}
	again, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn")
	if err != nil || again.ID != c.ID || again.Data.Serial != c.Data.Serial {
		t.Fatalf("asked again: %d (first %d) %v", again.ID, c.ID, err)
	}
	if n := count(t, f, `SELECT COUNT(*) FROM certificates WHERE volunteer_id = $1`, f.volID); n != 1 {
		t.Fatalf("%d certificates stored, want 1", n)
	}
	_, pdf, err := rec.CertificatePDF(ctx, f.vol, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext missing")
	}
	path := filepath.Join(t.TempDir(), "c.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"另有50条较早的服务记录，按年度和团队汇总如下", "250.0", "2024年12月1日", "共8页"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// A revoked certificate is not handed out again.
	if _, err := f.env.App.DB.Write().ExecContext(ctx, `UPDATE certificates SET revoked_at = 1 WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	if fresh, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn"); err != nil || fresh.ID == c.ID {
		t.Fatalf("after revocation: %d %v", fresh.ID, err)
	}
	if _, err := rec.IssueCertificate(ctx, f.vol, f.volID, 99, "https://zy.example.cn"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("unknown team: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
