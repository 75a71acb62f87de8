package web

import (
	"bytes"
	"testing"

	"zhiyuan/internal/auth"
)

// BenchmarkLayout renders the error page, most of which is the layout
// (head, menu, footer), for a signed-in volunteer: through the template
// alone and with the layout from the cache.
func BenchmarkLayout(b *testing.B) {
	sets, cat, c := layoutFixture(b)
	p := &Page{Lang: "zh", Title: "出错了", Principal: &auth.Principal{AccountID: 7, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}},
		CSRF: "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEF", Path: "/me/shifts", Error: "x", cat: cat}
	t := sets["error"]
	var buf bytes.Buffer
	for _, v := range []struct {
		name string
		run  func() error
	}{
		{"template", func() error { return t.ExecuteTemplate(&buf, "layout", p) }},
		{"cached", func() error {
			pcs, _, err := c.pieces(p)
			if err != nil {
				return err
			}
			return writeLayout(&buf, pcs, p, func() error { return t.ExecuteTemplate(&buf, "content", p) })
		}},
	} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := v.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}
