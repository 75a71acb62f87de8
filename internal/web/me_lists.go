package web

import (
	"bytes"
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/certificate"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
)

// The volunteer's own pages are the most visited, and html/template costs a
// reflected call per action (each escaper, each method): their long lists
// are written here, every value escaped, and put in with one action.

// words translates each label once a page.
type words struct {
	p    *Page
	seen map[string]string
}

func newWords(p *Page) *words { return &words{p: p, seen: map[string]string{}} }

func (w *words) get(key string) string {
	s, ok := w.seen[key]
	if !ok {
		s = w.p.T(key)
		w.seen[key] = s
	}
	return s
}

// filler is a message with one argument, translated once and filled in by
// text: "{{.Hours}} 小时" for every line costs one translation.
type filler struct{ before, after string }

const fillMark = "\x00"

func newFiller(p *Page, key, arg string) filler {
	msg := p.T(key, arg, fillMark)
	before, after, ok := strings.Cut(msg, fillMark)
	if !ok { // a message without the argument: shown as it is
		return filler{before: msg}
	}
	return filler{before: before, after: after}
}

func (f filler) fill(v string) string { return f.before + v + f.after }

// clockTime is how the pages show a time, in Asia/Shanghai.
func clockTime(t time.Time) string { return t.In(clock.Zone).Format("2006-01-02 15:04") }

// recordsHTML writes the hours page's records.
func recordsHTML(b *bytes.Buffer, p *Page, list []record.Record) template.HTML {
	b.Reset()
	w, hours := newWords(p), newFiller(p, "hours.hours", "Hours")
	if len(list) == 0 {
		b.WriteString("<li>" + html.EscapeString(w.get("hours.none")) + "</li>")
	}
	for i := range list {
		x := &list[i]
		state := x.State
		if k, ok := recordStateKeys[x.State]; ok {
			state = w.get(k)
		}
		b.WriteString(`<li class="card"><a href="/records/` + strconv.FormatInt(x.ID, 10) + `"><strong>` + html.EscapeString(x.Activity) +
			`</strong></a> <span class="badge state-` + html.EscapeString(x.State) + `">` + html.EscapeString(state) + `</span>`)
		b.WriteString(`<span class="muted">` + clockTime(x.StartsAt) + ` – ` + clockTime(x.EndsAt) + ` · ` +
			html.EscapeString(hours.fill(certificate.FormatHours(x.Minutes))) + `</span>`)
		b.WriteString(`<span class="muted">` + html.EscapeString(x.TeamName) + "</span></li>\n")
	}
	return template.HTML(b.String())
}

// upcomingHTML writes the hours page's upcoming shifts, each with its cancel form.
func upcomingHTML(b *bytes.Buffer, p *Page, list []project.MyShift) template.HTML {
	b.Reset()
	w := newWords(p)
	if len(list) == 0 {
		b.WriteString("<li>" + html.EscapeString(w.get("shifts.none")) + "</li>")
	}
	csrf := html.EscapeString(p.CSRF)
	for i := range list {
		m := &list[i]
		b.WriteString(`<li class="card"><a href="/projects/` + strconv.FormatInt(m.ProjectID, 10) + `"><strong>` +
			html.EscapeString(m.ProjectName) + `</strong></a>`)
		if m.Status == project.SignupWaitlisted {
			b.WriteString(` <span class="badge">` + html.EscapeString(w.get("shifts.waitlisted")) + `</span>`)
		}
		b.WriteString(`<span class="muted">` + clockTime(m.StartsAt) + ` – ` + clockTime(m.EndsAt) + ` · ` + html.EscapeString(m.Place) + `</span>`)
		b.WriteString(`<form method="post" action="/signups/` + strconv.FormatInt(m.SignupID, 10) + `/cancel"><input type="hidden" name="csrf" value="` +
			csrf + `"><button type="submit" class="link danger">` + html.EscapeString(w.get("shifts.cancel")) + "</button></form></li>\n")
	}
	return template.HTML(b.String())
}
