package certificate

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// testSeed is a fixed signing seed, so signatures are reproducible.
var testSeed = []byte("0123456789abcdef0123456789abcdef")

// sample returns a valid, unsigned certificate with n records.
func sample(n int) Data {
	projects := []string{"社区疫情防控志愿服务", "文明交通劝导", "敬老院陪伴与助餐服务项目（学府街道）", "垃圾分类宣传"}
	contents := []string{
		"协助社区开展入户排查、信息登记和物资配送，为独居老人送药上门。",
		"在路口劝导行人和非机动车遵守交通信号。",
		"陪伴老人聊天、读报，协助午餐配送与餐后清洁；记录老人需求并反馈给社工站，跟进落实情况。",
		"在小区入口讲解分类方法，发放宣传册 200 份。",
	}
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	d := Data{
		Serial:         "ZY-2026-000123",
		VerifyCode:     "q3X9vT2mKpL8wR4z",
		VolunteerName:  "王晓燕",
		IDTypeLabel:    "居民身份证",
		IDNumberMasked: "110105********002X",
		VolunteerNo:    "V12010420260001",
		Summary:        "社区疫情防控、文明交通劝导、敬老助老和垃圾分类宣传。",
		IssuerTeam:     "天津市南开区学府街道新时代文明实践志愿服务队",
		IssuerPerson:   "李建国",
		IssuerContact:  "138****1234",
		IssuedOn:       time.Date(2026, 3, 4, 17, 30, 0, 0, time.UTC), // 2026-03-05 01:30 in Shanghai
		VerifyURL:      "https://zhiyuan.example.cn/v/q3X9vT2mKpL8wR4z",
	}
	for i := range n {
		m := 90 + 35*(i%5)
		d.Records = append(d.Records, RecordLine{
			Date:    day.AddDate(0, 0, i).Format("2006-01-02"),
			Project: projects[i%len(projects)],
			Content: contents[i%len(contents)],
			Minutes: m,
		})
		d.TotalMinutes += m
	}
	return d
}

// signed returns d sealed with the test key.
func signed(t testing.TB, d Data) Data {
	t.Helper()
	s, err := NewSigner(testSeed)
	if err != nil {
		t.Fatal(err)
	}
	return s.Seal(d)
}

func mustRender(t testing.TB, d Data) []byte {
	t.Helper()
	pdf, err := Render(d)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return pdf
}

// tool returns the path of a command-line tool the test needs. A missing
// tool skips the test, except in CI (CI set), where scripts/test installs
// poppler-utils and a missing tool is a failure; required says whether that
// applies to this tool.
func tool(t *testing.T, name, pkg string, required bool) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if required && os.Getenv("CI") != "" {
			t.Fatalf("%s not installed (apt-get install %s)", name, pkg)
		}
		t.Skipf("%s not installed (apt-get install %s)", name, pkg)
	}
	return path
}

// run runs a tool and returns its standard output.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("%s %v: %v\n%s", name, args, err, msg)
	}
	return string(out)
}

// writePDF renders d into a file in a fresh temporary directory.
func writePDF(t *testing.T, d Data) string {
	t.Helper()
	path := t.TempDir() + "/cert.pdf"
	if err := os.WriteFile(path, mustRender(t, d), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
