package certificate

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// hoursSample is a three-record certificate totalling 7530 minutes, which
// shows as 125.5 hours.
func hoursSample() Data {
	d := sample(0)
	d.Records = []RecordLine{
		{Date: "2026-01-05", Project: "社区疫情防控志愿服务", Content: "入户排查与物资配送", Minutes: 2400},
		{Date: "2026-02-10", Project: "文明交通劝导", Content: "路口文明劝导", Minutes: 2565},
		{Date: "2026-03-01", Project: "敬老助老", Content: "陪伴老人、助餐", Minutes: 2565},
	}
	d.TotalMinutes = 7530
	return d
}

func TestRenderTextReadsBack(t *testing.T) {
	tool(t, "pdftotext", "poppler-utils", true)
	d := signed(t, hoursSample())
	text := run(t, "pdftotext", "-enc", "UTF-8", writePDF(t, d), "-")
	for _, want := range []string{
		"志愿服务证明",
		"王晓燕",
		"居民身份证",
		"110105********002X",
		"V12010420260001",
		"125.5",
		"ZY-2026-000123",
		"天津市南开区学府街道新时代文明实践志愿服务队",
		"李建国",
		"138****1234",
		"2026年3月5日",
		"扫码核验",
		"2026-02-10", "40.0", "42.8", // a record's date; the records' hours
		"第1页/共1页",
		"fb7970219e26d1f4", // the key id
		EncodeSignature(d.Signature),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
	// The statement, wherever its lines break.
	flat := strings.ReplaceAll(text, "\n", "")
	for _, want := range []string{
		"兹证明 王晓燕（证件类型：居民身份证，证件号码：110105********002X，志愿者编号：V12010420260001）",
		"自 2026年1月5日 至 2026年3月1日 在本组织参加志愿服务，累计服务时长 125.5 小时。",
		"主要服务内容：社区疫情防控、文明交通劝导、敬老助老和垃圾分类宣传。",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("statement lacks %q in:\n%s", want, text)
		}
	}
	if KeyID(mustSigner(t).PublicKey()) != "fb7970219e26d1f4" {
		t.Errorf("key id of the test seed changed: %s", KeyID(mustSigner(t).PublicKey()))
	}
}

func mustSigner(t testing.TB) *Signer {
	t.Helper()
	s, err := NewSigner(testSeed)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRenderManyRecordsSpansPages(t *testing.T) {
	tool(t, "pdfinfo", "poppler-utils", true)
	d := signed(t, sample(60))
	path := writePDF(t, d)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo shows no page count")
	}
	pages, _ := strconv.Atoi(m[1])
	if pages < 2 {
		t.Fatalf("60 records on %d page(s), want at least 2", pages)
	}
	text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	for i := 1; i <= pages; i++ {
		if want := fmt.Sprintf("第%d页/共%d页", i, pages); !strings.Contains(text, want) {
			t.Errorf("no footer %q", want)
		}
	}
	for _, r := range []string{"2026-01-05", "2026-03-05"} { // first and last record
		if !strings.Contains(text, r) {
			t.Errorf("record dated %s missing", r)
		}
	}
	if !strings.Contains(text, FormatHours(d.TotalMinutes)) {
		t.Errorf("total %s missing", FormatHours(d.TotalMinutes))
	}
}

// TestRenderMetadataChecksOffline checks a PDF the way an offline holder
// would: the Subject holds the signature line and the signed payload.
func TestRenderMetadataChecksOffline(t *testing.T) {
	tool(t, "pdfinfo", "poppler-utils", true)
	d := signed(t, hoursSample())
	info := run(t, "pdfinfo", "-enc", "UTF-8", writePDF(t, d))
	start := strings.Index(info, "Subject:")
	end := strings.Index(info, "\nAuthor:")
	if start < 0 || end < start {
		t.Fatalf("no Subject in pdfinfo output:\n%s", info)
	}
	subject := strings.TrimSpace(info[start+len("Subject:") : end])
	sigLine, payload, ok := strings.Cut(subject, "\n\n")
	if !ok {
		t.Fatalf("Subject has no payload:\n%s", subject)
	}
	m := regexp.MustCompile(`密钥ID：([0-9a-f]{16})　签名：([A-Za-z0-9_-]+)$`).FindStringSubmatch(sigLine)
	if m == nil {
		t.Fatalf("Subject signature line %q", sigLine)
	}
	pub := mustSigner(t).PublicKey()
	if m[1] != KeyID(pub) {
		t.Errorf("key id %s, want %s", m[1], KeyID(pub))
	}
	sig, err := DecodeSignature(m[2])
	if err != nil {
		t.Fatal(err)
	}
	if payload+"\n" != string(Payload(d)) {
		t.Errorf("Subject payload\n%s\nwant\n%s", payload, Payload(d))
	}
	if !Verify(pub, d, sig) {
		t.Error("signature from the PDF does not verify")
	}
}

func TestRenderQRCodeDecodes(t *testing.T) {
	tool(t, "pdftoppm", "poppler-utils", true)
	tool(t, "zbarimg", "zbar-tools", false)
	d := signed(t, hoursSample())
	prefix := t.TempDir() + "/page"
	run(t, "pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", writePDF(t, d), prefix)
	got := strings.TrimSpace(run(t, "zbarimg", "-q", "--raw", prefix+"-1.png"))
	if got != d.VerifyURL {
		t.Errorf("QR code reads %q, want %q", got, d.VerifyURL)
	}
}

func TestRenderRejects(t *testing.T) {
	unsigned := sample(2)
	if _, err := Render(unsigned); !errors.Is(err, ErrInvalid) {
		t.Errorf("unsigned: %v, want ErrInvalid", err)
	}
	bad := sample(2)
	bad.VolunteerName = ""
	if _, err := Render(signed(t, bad)); !errors.Is(err, ErrInvalid) {
		t.Errorf("no name: %v, want ErrInvalid", err)
	}
	odd := sample(2)
	odd.VolunteerName = "王\U000F0000" // a private-use character no font has
	if _, err := Render(signed(t, odd)); !errors.Is(err, ErrMissingGlyph) {
		t.Errorf("unprintable name: %v, want ErrMissingGlyph", err)
	}
}

func TestRenderLongSummaryContinues(t *testing.T) {
	tool(t, "pdfinfo", "poppler-utils", true)
	d := sample(3)
	d.Summary = strings.Repeat("协助社区开展入户排查、信息登记和物资配送。", 120)
	info := run(t, "pdfinfo", writePDF(t, signed(t, d)))
	if !regexp.MustCompile(`(?m)^Pages:\s+[2-9]$`).MatchString(info) {
		t.Errorf("a 2,500-character summary should take 2 or more pages:\n%s", info)
	}
}

func TestRenderNoRecords(t *testing.T) {
	d := sample(0)
	d.TotalMinutes = 90
	if _, err := Render(signed(t, d)); err != nil {
		t.Fatal(err)
	}
}

// TestRenderConcurrent shares the parsed font between goroutines; run with
// -race.
func TestRenderConcurrent(t *testing.T) {
	d := signed(t, sample(8))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := Render(d); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// TestRenderRestSummary: the records not listed are shown summed by year
// and team, before the listed ones, and the period starts with them.
func TestRenderRestSummary(t *testing.T) {
	pdftotext := tool(t, "pdftotext", "poppler-utils", true)
	d := signed(t, withRest(3))
	text := strings.Join(strings.Fields(run(t, pdftotext, "-enc", "UTF-8", writePDF(t, d), "-")), "")
	for _, want := range []string{"另有43条较早的服务记录，按年度和团队汇总如下", "甲队", "乙队", "40.0", "2024年2月1日", "近期服务记录如下",
		FormatHours(d.TotalMinutes)} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}
