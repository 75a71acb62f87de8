package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"testing"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/i18n"
)

// TestLayoutCacheWritesWhatTheTemplateWrites renders the error page for
// every mix of language, principal, path, token and message, through the
// cache (one cache for all, so that two pages sharing a key would show) and
// through the template alone, and wants the same bytes.
func TestLayoutCacheWritesWhatTheTemplateWrites(t *testing.T) {
	sets, cat, c := layoutFixture(t)
	if len(c.navPaths) < 5 || len(c.perms) < 5 {
		t.Fatalf("read %d menu paths and %d permissions from the layout", len(c.navPaths), len(c.perms))
	}
	grant := func(r auth.Role, region string, team int64) *auth.Principal {
		return &auth.Principal{AccountID: 7, Username: "u", DisplayName: "张三", Grants: []auth.Grant{{Role: r, RegionCode: region, TeamID: team}}}
	}
	principals := []*auth.Principal{nil, grant(auth.RoleVolunteer, "", 0), grant(auth.RoleTeamAdmin, "", 3),
		grant(auth.RoleOfficeAdmin, "120101", 0), grant(auth.RolePlatformAdmin, "", 0), grant(auth.RoleResident, "", 0),
		{AccountID: 9, Grants: []auth.Grant{{Role: auth.RoleVolunteer}, {Role: auth.RoleOfficeAdmin, RegionCode: "12"}}}}
	paths := []string{"/", "/me/shifts", "/shifts", "/admin/stats", "/teams/12", "/teams/12/members", "/a\"><script>x", "/a+b", ""}
	tokens := []string{"abcDEF0123-_xyz", "a+b/c=", `"><x`}
	cached, fellBack := 0, 0
	for _, lang := range i18n.Supported {
		for _, title := range []string{"出错了", `标题 <b>"&'`} {
			for _, pr := range principals {
				for _, path := range paths {
					for _, tok := range tokens {
						for _, flash := range []string{"", "已保存"} {
							p := &Page{Lang: lang, Title: title, Principal: pr, CSRF: tok, Path: path, Flash: flash,
								Error: "内容 <i>", cat: cat}
							var want, got bytes.Buffer
							if err := sets["error"].ExecuteTemplate(&want, "layout", p); err != nil {
								t.Fatal(err)
							}
							pcs, ok, err := c.pieces(p)
							if err != nil {
								t.Fatal(err)
							}
							if !ok {
								fellBack++
								continue
							}
							cached++
							if err := writeLayout(&got, pcs, p, func() error { return sets["error"].ExecuteTemplate(&got, "content", p) }); err != nil {
								t.Fatal(err)
							}
							if got.String() != want.String() {
								t.Fatalf("%s %q %+v %q %q %q: the cache wrote\n%s\nthe template\n%s", lang, title, pr, path, tok, flash, got.String(), want.String())
							}
						}
					}
				}
			}
		}
	}
	if cached < 150 || fellBack < 150 {
		t.Fatalf("%d pages from the cache, %d through the template", cached, fellBack)
	}
	if strings.Contains(standInCSRF+standInPath+standInContent, "<") {
		t.Fatal("stand-ins must be plain letters")
	}
}

func TestLayoutCacheRefusesWhatItCannotKeep(t *testing.T) {
	for _, src := range []string{
		`{{define "layout"}}{{.Principal.DisplayName}}{{template "content" .}}{{end}}`,
		`{{define "layout"}}{{.Data}}{{end}}`,
		`{{define "layout"}}{{range .Errors}}{{.}}{{end}}{{end}}`,
		`{{define "layout"}}{{template "other" .}}{{end}}{{define "other"}}{{end}}`,
		`{{define "layout"}}{{if eq .CSRF "x"}}y{{end}}{{end}}`,
		`{{define "layout"}}{{if ne .Path "/"}}y{{end}}{{end}}`,
		`{{define "layout"}}{{if eq .Path .Title}}y{{end}}{{end}}`,
		`{{define "layout"}}{{printf "%s" .CSRF}}{{end}}`,
		`{{define "layout"}}{{.Path | printf "%s"}}{{end}}`,
		`{{define "layout"}}{{$p := .Path}}{{end}}`,
		`{{define "layout"}}{{.T .Title}}{{end}}`,
		`{{define "layout"}}{{if .Can .Lang}}y{{end}}{{end}}`,
	} {
		set := template.Must(template.New("layout").Parse(src))
		if err := checkLayoutFields(set.Lookup("layout").Tree.Root); err == nil {
			t.Errorf("accepted %s", src)
		}
	}
}

func TestLayoutCacheStaysBounded(t *testing.T) {
	_, cat, c := layoutFixture(t)
	for i := range 3 * maxLayouts {
		p := &Page{Lang: "zh", Title: fmt.Sprint("项目 ", i), CSRF: "tok", Path: "/projects/1", cat: cat}
		if _, ok, err := c.pieces(p); err != nil || !ok {
			t.Fatalf("page %d: %v %v", i, ok, err)
		}
		if n := len(c.entries); n > maxLayouts {
			t.Fatalf("%d layouts kept", n)
		}
	}
}

// layoutFixture is the page templates, the catalog and an empty layout cache.
func layoutFixture(tb testing.TB) (templates, *i18n.Catalog, *layoutCache) {
	tb.Helper()
	sets, err := parseTemplates()
	if err != nil {
		tb.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	c, err := newLayoutCache()
	if err != nil {
		tb.Fatal(err)
	}
	return sets, cat, c
}
