package record_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/certificate"
)

// confirmedHours gives the fixture's volunteer one confirmed 3-hour record.
func confirmedHours(t testing.TB, f *fixture) {
	t.Helper()
	ctx := context.Background()
	rec := f.env.App.Records
	if _, err := f.env.App.Attendance.ScanCode(ctx, f.vol, f.code(t), nil); err != nil {
		t.Fatal(err)
	}
	*f.clock = f.shift.EndsAt
	scan, err := f.env.App.Attendance.ScanCode(ctx, f.vol, f.code(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rec.Confirm(ctx, f.leader, scan.RecordID); err != nil {
		t.Fatal(err)
	}
}

func TestCertificateIssueVerifyAndTamper(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	if _, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("certificate without confirmed hours: %v", err)
	}
	confirmedHours(t, f)
	// Another volunteer cannot ask for this volunteer's certificate.
	other := f.env.Principal("volunteer2")
	if _, err := rec.IssueCertificate(ctx, other, f.volID, 1, "https://zy.example.cn"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("someone else's certificate: %v", err)
	}
	// A volunteer without the team must name it (谁记录谁证明).
	if _, err := rec.IssueCertificate(ctx, f.vol, f.volID, 0, "https://zy.example.cn"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("no team: %v", err)
	}
	c, err := rec.IssueCertificate(ctx, f.vol, f.volID, 1, "https://zy.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	if c.Data.TotalMinutes != 180 || !strings.HasPrefix(c.Data.Serial, "ZY-") || c.Data.IssuerTeam != "和平区劝业场街道志愿服务队" {
		t.Fatalf("certificate: %+v", c.Data)
	}
	_, pdf, err := rec.CertificatePDF(ctx, f.vol, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		path := filepath.Join(t.TempDir(), "c.pdf")
		os.WriteFile(path, pdf, 0o600)
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), "")
		for _, want := range []string{"志愿服务证明", "扫码者", c.Data.IDNumberMasked, c.Data.VolunteerNo, "3.0", c.Data.Serial, "社区卡口值守"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	} else if os.Getenv("CI") != "" {
		t.Fatal("pdftotext missing in CI")
	}
	v, err := rec.Verify(ctx, c.Data.VerifyCode)
	if err != nil || !v.Genuine || v.Serial != c.Data.Serial || v.VolunteerName != "扫**" || v.TotalMinutes != 180 {
		t.Fatalf("verify: %+v %v", v, err)
	}
	pub, _ := rec.PublicKey()
	if !certificate.Verify(pub, c.Data, c.Data.Signature) {
		t.Fatal("signature does not verify offline")
	}
	status, page, _ := f.env.Browser().Get("/verify/" + c.Data.VerifyCode)
	if status != 200 || !strings.Contains(page, "真实证明") || !strings.Contains(page, c.Data.Serial) || strings.Contains(page, "扫码者") {
		t.Fatalf("verify page: %d", status)
	}
	// Someone edits the stored hours: the signature no longer holds.
	if _, err := f.env.App.DB.Write().ExecContext(ctx, `UPDATE certificates SET payload = REPLACE(payload, '"TotalMinutes":180', '"TotalMinutes":1800') WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	if v, err := rec.Verify(ctx, c.Data.VerifyCode); err != nil || v.Genuine || v.TotalMinutes != 1800 {
		t.Fatalf("tampered certificate verified: %+v %v", v, err)
	}
	if _, page, _ := f.env.Browser().Get("/verify/" + c.Data.VerifyCode); !strings.Contains(page, "签名不符") {
		t.Fatal("verify page does not flag the tampered certificate")
	}
	if _, err := rec.Verify(ctx, "nope-nope-nope"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("unknown code: %v", err)
	}
}
