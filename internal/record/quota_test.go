package record_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/record"
)

// Each account may upload so many evidence files, or bytes, in 24 hours:
// past that 429 with Retry-After and a message saying the limit; other
// accounts are not affected, and the count is of the last 24 hours.
func TestUploadQuota(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	env.App.Records.Now = func() time.Time { return now }
	env.App.Records.SetUploadQuota(record.UploadQuota{Files: 2, Bytes: 1 << 20})
	leader, office := env.Principal("team-admin"), env.Principal("heping-office")
	for i := range 2 {
		if _, err := env.App.Records.Upload(ctx, leader, "a.png", img.Bytes()); err != nil {
			t.Fatalf("upload %d: %v", i, err)
		}
	}
	if _, err := env.App.Records.Upload(ctx, leader, "a.png", img.Bytes()); !apperr.Is(err, apperr.Throttled) {
		t.Fatalf("third upload: %v, want throttled", err)
	}
	var mw bytes.Buffer
	w := multipart.NewWriter(&mw)
	fw, _ := w.CreateFormFile("file", "a.png")
	fw.Write(img.Bytes())
	w.Close()
	req, _ := http.NewRequest("POST", env.Server.URL+"/api/v1/uploads", &mw)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+env.Token("team-admin"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "最多 2 个文件") {
		t.Errorf("API past the quota: %d Retry-After %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	var n int
	if err := env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM uploads`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d uploads stored, want 2", n)
	}
	if _, err := env.App.Records.Upload(ctx, office, "a.png", img.Bytes()); err != nil {
		t.Errorf("another account: %v", err)
	}
	now = now.Add(25 * time.Hour)
	if _, err := env.App.Records.Upload(ctx, leader, "a.png", img.Bytes()); err != nil {
		t.Errorf("a day later: %v", err)
	}
	env.App.Records.SetUploadQuota(record.UploadQuota{Files: 100, Bytes: int64(img.Len()) + 1})
	if _, err := env.App.Records.Upload(ctx, leader, "a.png", img.Bytes()); !apperr.Is(err, apperr.Throttled) {
		t.Errorf("past the byte quota: %v", err)
	}
}
