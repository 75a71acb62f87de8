package record_test

import (
	"context"
	"strings"
	"testing"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/httpx"
)

// FuzzVerifyCode looks arbitrary codes up on the public verification path of
// one issued certificate: only its own code finds it (genuine, with its
// serial); anything else is "not found", never another error.
func FuzzVerifyCode(f *testing.F) {
	fx := setup(f)
	confirmedHours(f, fx)
	ctx := context.Background()
	rec := fx.env.App.Records
	c, err := rec.IssueCertificate(ctx, fx.vol, fx.volID, 1, "https://zy.example.cn")
	if err != nil {
		f.Fatal(err)
	}
	real := c.Data.VerifyCode
	for _, s := range []string{real, real[:len(real)-1] + "A", strings.ToUpper(real), real + " ", "", "' OR 1=1 --", "%", "_________%",
		strings.Repeat("A", 64), strings.Repeat("A", 65), "\\%' OR verify_code LIKE '%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		if !httpx.PlainText(code) {
			return // refused at the HTTP edge before any lookup
		}
		v, err := rec.Verify(ctx, code)
		switch {
		case code == real:
			if err != nil || !v.Genuine || v.Serial != c.Data.Serial {
				t.Fatalf("the real code: %+v, %v", v, err)
			}
		case err == nil:
			t.Fatalf("code %q found certificate %s", code, v.Serial)
		case !apperr.Is(err, apperr.NotFound):
			t.Fatalf("code %q: %v", code, err)
		}
	})
}
