package app_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/record"
	"zhiyuan/internal/roster"
)

// Files that lie about their type by name.
var (
	peFile   = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8"), bytes.Repeat([]byte{0}, 200)...)
	htmlFile = []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
)

// multipartBody streams a form with extra fields and one file of size bytes
// (content first, then zeros), so an oversized upload needs no memory.
func multipartBody(fields map[string]string, filename string, content []byte, size int64) (io.Reader, string) {
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	_, _ = w.CreateFormFile("file", filename)
	boundary := w.Boundary()
	tail := "\r\n--" + boundary + "--\r\n"
	pad := max(size-int64(len(content)), 0)
	return io.MultiReader(&head, bytes.NewReader(content), io.LimitReader(zeros{}, pad), strings.NewReader(tail)),
		"multipart/form-data; boundary=" + boundary
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func send(t *testing.T, c *http.Client, url, token string, body io.Reader, ctype string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, body)
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data)
}

func apiMessage(body string) string {
	var e struct{ Error struct{ Message string } }
	_ = json.Unmarshal([]byte(body), &e)
	return e.Error.Message
}

// TestUploadsCheckedByContentAndSize sends evidence and roster files whose
// names lie about their content, and bodies over the limit, through the API
// and the web form: each is refused with a Chinese message (413 for the
// oversized ones), and a real photo is accepted.
func TestUploadsCheckedByContentAndSize(t *testing.T) {
	env := apptest.New(t)
	leader := env.Token("team-admin")
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	upload := env.Server.URL + "/api/v1/uploads"
	for _, f := range []struct {
		name string
		data []byte
	}{{"evidence.jpg", peFile}, {"evidence.jpg", htmlFile}, {"evidence.pdf", htmlFile}, {"签到表.png", []byte("GIF89a")}} {
		body, ct := multipartBody(nil, f.name, f.data, int64(len(f.data)))
		status, got := send(t, nil, upload, leader, body, ct)
		if status != http.StatusUnprocessableEntity || !strings.Contains(got, "只接受 JPEG、PNG 图片或 PDF 文件") {
			t.Errorf("evidence %s (%.10q…): %d %s", f.name, f.data, status, got)
		}
	}
	body, ct := multipartBody(nil, "photo.jpg", photo.Bytes(), int64(photo.Len()))
	if status, got := send(t, nil, upload, leader, body, ct); status != http.StatusCreated {
		t.Fatalf("a real photo: %d %s", status, got)
	}
	body, ct = multipartBody(nil, "photo.jpg", photo.Bytes(), record.MaxUpload+1)
	if status, got := send(t, nil, upload, leader, body, ct); status != http.StatusRequestEntityTooLarge || !strings.Contains(apiMessage(got), "10 MB") {
		t.Errorf("evidence just over 10 MB: %d %s", status, got)
	}
	body, ct = multipartBody(nil, "photo.jpg", photo.Bytes(), record.MaxUpload+1<<20)
	if status, got := send(t, nil, upload, leader, body, ct); status != http.StatusRequestEntityTooLarge || !strings.Contains(apiMessage(got), "10 MB") {
		t.Errorf("oversized evidence body: %d %s", status, got)
	}

	imports := env.Server.URL + "/api/v1/teams/1/imports"
	for _, data := range [][]byte{peFile, htmlFile} {
		body, ct := multipartBody(nil, "名单.xlsx", data, int64(len(data)))
		status, got := send(t, nil, imports, leader, body, ct)
		if status != http.StatusUnprocessableEntity || !strings.Contains(apiMessage(got), "文件不是 Excel 工作簿") {
			t.Errorf("roster import of %.10q…: %d %s", data, status, got)
		}
	}
	body, ct = multipartBody(nil, "名单.xlsx", apptest.Workbook(t, [][]any{{"姓名"}}), roster.MaxUpload+1<<20)
	if status, got := send(t, nil, imports, leader, body, ct); status != http.StatusRequestEntityTooLarge || !strings.Contains(apiMessage(got), "128 MB") {
		t.Errorf("oversized roster import: %d %s", status, got)
	}

	b := env.Browser()
	b.Login("team-admin")
	csrf := b.CSRF("/teams/1/import")
	page := env.Server.URL + "/teams/1/import"
	for _, data := range [][]byte{peFile, htmlFile} {
		body, ct := multipartBody(map[string]string{"csrf": csrf}, "名单.xlsx", data, int64(len(data)))
		status, got := send(t, b.Client, page, "", body, ct)
		if status != http.StatusUnprocessableEntity || !strings.Contains(got, "文件不是 Excel 工作簿") {
			t.Errorf("web import of %.10q…: %d", data, status)
		}
	}
	body, ct = multipartBody(map[string]string{"csrf": csrf}, "名单.xlsx", peFile, roster.MaxUpload+1<<20)
	if status, got := send(t, b.Client, page, "", body, ct); status != http.StatusRequestEntityTooLarge || !strings.Contains(got, "128 MB") {
		t.Errorf("oversized web import: %d", status)
	}
}
