package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/template/parse"
)

// layoutCache keeps the layout (head, menu, footer) rendered: executing it
// cost about as much as a whole page's database reads, and for a given
// language, title, menu and signed-in state it is the same text but for the
// CSRF token and the path, which are spliced in. It is built from the
// layout template itself: the menu's paths and permissions are read from its
// {{if eq .Path "…"}} and {{if .Can "…"}}, and a layout that uses anything
// else of the page is refused when the templates are parsed, so the cached
// text cannot drift from what the template would write (a test renders
// both ways and compares).
type layoutCache struct {
	set      *template.Template // the layout with a stand-in content
	navPaths []string           // paths the menu marks as current
	perms    []string           // permissions the menu asks about
	mu       sync.RWMutex
	entries  map[layoutKey][]layoutPiece
}

// layoutKey is everything the layout's text depends on but the spliced values.
type layoutKey struct {
	lang, title string
	navPath     string // Path if the menu marks it, else ""
	perms       uint32 // bit i: the principal holds perms[i]
	signedIn    bool
}

// layoutPiece is literal text followed by a spliced value (or nothing).
type layoutPiece struct {
	text string
	then layoutSlot
}

type layoutSlot uint8

const (
	slotNone layoutSlot = iota
	slotCSRF
	slotPath
	slotContent
)

// Stand-ins rendered in place of the spliced values: letters that no
// escaper in any context changes.
const (
	standInCSRF    = "zyLayoutStandInCSRFq"
	standInPath    = "zyLayoutStandInPATHq"
	standInContent = "zyLayoutStandInCONTENTq"
)

// maxLayouts bounds the cache (titles can be names of things, ~2.5 KB a
// layout); when it is full it starts again empty, and the layouts in use
// come back at their next page.
const maxLayouts = 256

// layoutFields are the page fields and methods the layout may use.
var layoutFields = []string{"Lang", "Title", "CSRF", "Path", "Flash", "Principal", "T", "Can"}

var (
	layoutNavPath = regexp.MustCompile(`\{\{if eq \.Path "([^"]+)"\}\}`)
	layoutCan     = regexp.MustCompile(`\{\{if \.Can "([^"]+)"\}\}`)
)

// newLayoutCache parses the layout with a stand-in content and checks that
// it uses only what the cache accounts for.
func newLayoutCache() (*layoutCache, error) {
	src, err := fs.ReadFile(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	set, err := template.New("layout").Parse(string(src) + `{{define "content"}}` + standInContent + `{{end}}`)
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	if err := checkLayoutFields(set.Lookup("layout").Tree.Root); err != nil {
		return nil, err
	}
	c := &layoutCache{set: set, entries: map[layoutKey][]layoutPiece{}}
	for _, m := range layoutNavPath.FindAllSubmatch(src, -1) {
		c.navPaths = append(c.navPaths, string(m[1]))
	}
	for _, m := range layoutCan.FindAllSubmatch(src, -1) {
		if !slices.Contains(c.perms, string(m[1])) {
			c.perms = append(c.perms, string(m[1]))
		}
	}
	if len(c.perms) > 32 {
		return nil, errors.New("web: layout: more permissions than the cache's key holds")
	}
	return c, nil
}

// checkLayoutFields refuses a layout that uses the page in a way the cache
// does not account for: a field or method other than layoutFields; the CSRF
// token or the path anywhere but written out ({{.CSRF}}), where they are
// spliced, except the path compared with a literal ({{if eq .Path "/x"}}),
// which the key holds; T or Can with other than literal arguments; a range,
// with, variable or call of a template other than content.
func checkLayoutFields(n parse.Node) error {
	var err error
	fail := func(format string, args ...any) {
		if err == nil {
			err = fmt.Errorf("web: layout: "+format+"; the layout cache does not account for it", args...)
		}
	}
	var walk func(n parse.Node)
	command := func(c *parse.CommandNode, written bool) {
		for i, a := range c.Args {
			f, ok := a.(*parse.FieldNode)
			if !ok {
				walk(a)
				continue
			}
			name := strings.Join(f.Ident, ".")
			switch {
			case len(f.Ident) != 1 || !slices.Contains(layoutFields, name):
				fail(".%s is not one of %v", name, layoutFields)
			case (name == "T" || name == "Can") && i == 0:
				for _, arg := range c.Args[1:] {
					if _, lit := arg.(*parse.StringNode); !lit {
						fail("%s takes %s", name, arg)
					}
				}
				return
			case name == "CSRF" && !written:
				fail("%s uses the CSRF token", c)
			case name == "Path" && !written && !(len(c.Args) == 3 && i == 1 && c.Args[0].String() == "eq" && c.Args[2].Type() == parse.NodeString):
				fail("%s uses the path", c)
			}
		}
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			written := len(n.Pipe.Decl) == 0 && len(n.Pipe.Cmds) == 1 && len(n.Pipe.Cmds[0].Args) == 1
			for _, c := range n.Pipe.Cmds {
				command(c, written)
			}
		case *parse.IfNode:
			if len(n.Pipe.Decl) > 0 {
				fail("%s declares a variable", n.Pipe)
			}
			for _, c := range n.Pipe.Cmds {
				command(c, false)
			}
			walk(n.List)
			walk(n.ElseList)
		case *parse.PipeNode:
			fail("%s is a nested pipeline", n)
		case *parse.RangeNode, *parse.WithNode, *parse.ChainNode, *parse.VariableNode, *parse.DotNode, *parse.BreakNode, *parse.ContinueNode:
			fail("%s", n)
		case *parse.TemplateNode:
			if n.Name != "content" {
				fail("it calls %q", n.Name)
			}
		}
	}
	walk(n)
	return err
}

// spliceable reports whether s is written unchanged by every escaper, so it
// can stand where a stand-in was rendered.
func spliceable(s string, path bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' ||
			path && (c == '/' || c == '.')) {
			return false
		}
	}
	return true
}

// pieces returns the layout for p split at its spliced values, rendering it
// the first time; ok is false when p needs the template itself (a message
// in the page, values no stand-in can take).
func (c *layoutCache) pieces(p *Page) (_ []layoutPiece, ok bool, err error) {
	if p.Flash != "" || !spliceable(p.CSRF, false) || !spliceable(p.Path, true) {
		return nil, false, nil
	}
	k := layoutKey{lang: p.Lang, title: p.Title, signedIn: p.Principal != nil}
	if slices.Contains(c.navPaths, p.Path) {
		k.navPath = p.Path
	}
	for i, perm := range c.perms {
		if p.Can(perm) {
			k.perms |= 1 << i
		}
	}
	c.mu.RLock()
	pcs, ok := c.entries[k]
	c.mu.RUnlock()
	if ok {
		return pcs, true, nil
	}
	stand := *p
	stand.CSRF = standInCSRF
	if k.navPath == "" { // else the menu compares the path, which the key holds
		stand.Path = standInPath
	}
	var b bytes.Buffer
	if err := c.set.ExecuteTemplate(&b, "layout", &stand); err != nil {
		return nil, false, err
	}
	pcs = splitAtStandIns(b.String())
	c.mu.Lock()
	if len(c.entries) >= maxLayouts {
		clear(c.entries)
	}
	c.entries[k] = pcs
	c.mu.Unlock()
	return pcs, true, nil
}

// splitAtStandIns cuts rendered text at each stand-in.
func splitAtStandIns(s string) []layoutPiece {
	var pcs []layoutPiece
	for {
		i, slot, n := -1, slotNone, 0
		for _, st := range []struct {
			text string
			slot layoutSlot
		}{{standInCSRF, slotCSRF}, {standInPath, slotPath}, {standInContent, slotContent}} {
			if j := strings.Index(s, st.text); j >= 0 && (i < 0 || j < i) {
				i, slot, n = j, st.slot, len(st.text)
			}
		}
		if i < 0 {
			return append(pcs, layoutPiece{text: s})
		}
		pcs = append(pcs, layoutPiece{text: s[:i], then: slot})
		s = s[i+n:]
	}
}

// writeLayout writes the layout's pieces with p's values and the page's content.
func writeLayout(b *bytes.Buffer, pcs []layoutPiece, p *Page, content func() error) error {
	for _, pc := range pcs {
		b.WriteString(pc.text)
		switch pc.then {
		case slotCSRF:
			b.WriteString(p.CSRF)
		case slotPath:
			b.WriteString(p.Path)
		case slotContent:
			if err := content(); err != nil {
				return err
			}
		}
	}
	return nil
}
