package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/certificate"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/i18n"
	"zhiyuan/internal/region"
)

//go:embed templates
var templateFiles embed.FS

// Page is what every template receives.
type Page struct {
	Lang      string
	Title     string
	Principal *auth.Principal
	CSRF      string
	Path      string
	Flash     string
	Form      url.Values
	Errors    map[string]string
	Error     string
	Data      any
	cat       *i18n.Catalog
}

// T translates a key; args are name, value pairs.
func (p *Page) T(key string, args ...any) string {
	var m map[string]any
	if len(args) > 1 {
		m = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			m[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	return p.cat.T(p.Lang, key, m)
}

// RoleName is the translated name of a role.
func (p *Page) RoleName(r auth.Role) string { return p.T("role." + string(r)) }

// RegionName is the full name of a region code, or the code if unknown.
func (p *Page) RegionName(code string) string {
	if code == "" {
		return p.T("region.everywhere")
	}
	if n := region.FullName(code); n != "" {
		return n
	}
	return code
}

// Hours shows minutes as hours with one decimal, as certificates do.
func (p *Page) Hours(minutes int) string { return certificate.FormatHours(minutes) }

// HoursOf formats a large count of minutes as hours with one decimal and
// thousands separators, rounded like certificate.FormatHours.
func (p *Page) HoursOf(minutes int64) string {
	if minutes < 0 {
		return "-" + p.HoursOf(-minutes)
	}
	tenths := (minutes*10 + 30) / 60
	return p.Count(tenths/10) + "." + strconv.FormatInt(tenths%10, 10)
}

// Count formats a count with thousands separators: 2,476,000.
func (p *Page) Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Inc is i+1, for ranks counted from one.
func (p *Page) Inc(i int) int { return i + 1 }

// Date formats a date in Asia/Shanghai as 2026年3月5日.
func (p *Page) Date(t time.Time) string { return certificate.FormatDate(t) }

// Clock formats a time of day in Asia/Shanghai.
func (p *Page) Clock(t time.Time) string { return t.In(clock.Zone).Format("15:04") }

// Time formats a time in Asia/Shanghai.
func (p *Page) Time(t time.Time) string { return t.In(clock.Zone).Format("2006-01-02 15:04") }

// Has reports whether the signed-in principal holds the role.
func (p *Page) Has(role string) bool { return p.Principal.Has(auth.Role(role)) }

// Can reports whether the principal may use routes guarded by perm.
func (p *Page) Can(perm string) bool { return auth.Allowed(p.Principal, auth.Permission(perm)) }

// templates maps a page name to its parsed template set (layout + page +
// the partials it calls).
type templates map[string]*template.Template

// partialSet names the set of the partials alone, for htmx fragments; no page
// can have the name, since files named partial_* are not pages.
const partialSet = "partial_*"

// templateCall finds the templates a file calls by name.
var templateCall = regexp.MustCompile(`\{\{-?\s*template\s+"([^"]+)"`)

// templateDefine finds the templates a file defines.
var templateDefine = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)

func parseTemplates() (templates, error) {
	pages, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	// Files named partial_*.html are partials available to every page; each
	// page's set holds only those it calls (parsing all of them into each of
	// forty pages' sets cost more heap than the pages themselves).
	partials, err := fs.Glob(templateFiles, "templates/partial_*.html")
	if err != nil {
		return nil, err
	}
	definedIn := map[string]string{} // template name → partial file
	for _, f := range partials {
		b, err := fs.ReadFile(templateFiles, f)
		if err != nil {
			return nil, err
		}
		for _, m := range templateDefine.FindAllSubmatch(b, -1) {
			definedIn[string(m[1])] = f
		}
	}
	t := templates{}
	if len(partials) > 0 {
		set, err := template.New(partialSet).ParseFS(templateFiles, partials...)
		if err != nil {
			return nil, fmt.Errorf("web: partials: %w", err)
		}
		t[partialSet] = set
	}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "partial_") {
			continue
		}
		files, err := withPartials([]string{"templates/layout.html", p}, definedIn)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		set, err := template.New(name).ParseFS(templateFiles, files...)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		t[name] = set
	}
	return t, nil
}

// withPartials adds to files the partial files their templates call, and
// those the partials call in turn.
func withPartials(files []string, definedIn map[string]string) ([]string, error) {
	for i := 0; i < len(files); i++ {
		b, err := fs.ReadFile(templateFiles, files[i])
		if err != nil {
			return nil, err
		}
		for _, m := range templateCall.FindAllSubmatch(b, -1) {
			if f, ok := definedIn[string(m[1])]; ok && !slices.Contains(files, f) {
				files = append(files, f)
			}
		}
	}
	return files, nil
}

// page builds the template data for a request.
func (s *Server) page(w http.ResponseWriter, r *http.Request, titleKey string) *Page {
	p := &Page{Lang: s.lang(r), Principal: httpx.Principal(r), Path: r.URL.Path, cat: s.cat}
	p.CSRF = s.csrfToken(s.csrfBinding(w, r))
	p.Title = p.T(titleKey)
	if f := r.URL.Query().Get("flash"); f != "" && strings.HasPrefix(f, "flash.") {
		p.Flash = p.T(f)
	}
	return p
}

// render executes a page template into a buffer first, so that a template
// error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.tmpl[name]
	if !ok {
		s.fail(w, r, apperr.Wrap(errors.New("no template "+name), "web: render"))
		return
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.execute(buf, t, p); err != nil {
		s.log.ErrorContext(r.Context(), "template failed", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// execute writes page p of set t: its layout from the cache where it can,
// else the whole page through the template.
func (s *Server) execute(buf *bytes.Buffer, t *template.Template, p *Page) error {
	pcs, ok, err := s.layouts.pieces(p)
	if err != nil {
		return err
	}
	if !ok {
		return t.ExecuteTemplate(buf, "layout", p)
	}
	return writeLayout(buf, pcs, p, func() error { return t.ExecuteTemplate(buf, "content", p) })
}

// Pages are rendered into pooled buffers, so that a busy server does not
// grow a fresh one for every page.
var buffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 32<<10)) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // keep no buffer of an unusually large page
	}
	b.Reset()
	buffers.Put(b)
}

// renderPartial executes one partial template on its own: an htmx fragment.
func (s *Server) renderPartial(w http.ResponseWriter, r *http.Request, name string, data any) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.tmpl[partialSet].ExecuteTemplate(buf, name, data); err != nil {
		s.log.ErrorContext(r.Context(), "template failed", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

// fail renders an error page (or redirects to login when not signed in).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := httpx.Failure(r, s.log, err)
	if e.Kind == apperr.Unauthenticated && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	httpx.SetRetryAfter(w, e)
	p := s.page(w, r, "error.title")
	p.Error = p.T(e.Key, flatten(e.Args)...)
	p.Data = e.Kind.Status()
	s.render(w, r, e.Kind.Status(), "error", p)
}

// formError re-renders a form page (or a search page, from its query) with
// the error's messages beside its fields.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, name string, p *Page, err error) {
	e := apperr.From(err)
	if e.Kind == apperr.Internal {
		s.fail(w, r, err)
		return
	}
	httpx.SetRetryAfter(w, e)
	p.Form = r.PostForm
	if r.Method == http.MethodGet {
		p.Form = r.URL.Query()
	}
	p.Error = p.T(e.Key, flatten(e.Args)...)
	p.Errors = map[string]string{}
	for field, fe := range e.Fields {
		p.Errors[field] = p.T(fe.Key, flatten(fe.Args)...)
	}
	s.render(w, r, e.Kind.Status(), name, p)
}

func flatten(m map[string]any) []any {
	out := make([]any, 0, 2*len(m))
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

// lang picks the request's language: the account's, then the cookie, then
// the browser's.
func (s *Server) lang(r *http.Request) string {
	if p := httpx.Principal(r); p != nil && i18n.Valid(p.Locale) {
		return p.Locale
	}
	choice := ""
	if c, err := r.Cookie(langCookie); err == nil {
		choice = c.Value
	}
	return i18n.Pick(choice, r.Header.Get("Accept-Language"))
}
