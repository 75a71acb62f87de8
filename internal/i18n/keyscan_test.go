package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// keyShape is what a message key looks like: dotted lower-case words.
var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// actionsByHand are the audit actions the scan cannot resolve to literals,
// with the values they take (checked where they are validated).
var actionsByHand = map[string][]string{
	"service.go: move argument 3": {"approve", "reject"}, // project.Review.Decision, validated in ReviewProject
}

// sourceScan is what the Go sources tell about message keys.
type sourceScan struct {
	keys     map[string][]string // key literal → files using it
	prefixes map[string][]string // "prefix." joined with a run-time value → files
	actions  map[string][]string // audit actions written → files
	unknown  []string            // audit action expressions not resolved to literals
}

// scanSources parses every non-test Go file under root and collects each
// string literal shaped like a key under one of the catalog's prefixes,
// each key prefix joined at run time, and every audit action written:
// audit.Entry{Action: …} with a literal, a constant, a local variable
// assigned literals, or a parameter whose callers pass literals.
func scanSources(t *testing.T, root string, catalogPrefixes map[string]bool) sourceScan {
	t.Helper()
	sc := sourceScan{keys: map[string][]string{}, prefixes: map[string][]string{}, actions: map[string][]string{}}
	fset := token.NewFileSet()
	var files []*ast.File
	consts := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	lit := func(e ast.Expr) (string, bool) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			s, err := strconv.Unquote(b.Value)
			return s, err == nil
		}
		return "", false
	}
	for _, f := range files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if v, ok := lit(vs.Values[i]); ok {
								consts[n.Name] = v
							}
						}
					}
				}
			}
		}
	}
	type paramUse struct {
		fn    string
		index int
	}
	var viaParams []paramUse
	for _, f := range files {
		name := filepath.Base(fset.File(f.Pos()).Name())
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, ok := lit(n); ok && keyShape.MatchString(s) && !strings.HasSuffix(s, "_") && catalogPrefixes[strings.SplitN(s, ".", 2)[0]] {
					sc.keys[s] = append(sc.keys[s], name)
				}
			case *ast.BinaryExpr:
				if s, ok := lit(n.X); ok && n.Op == token.ADD && (strings.HasSuffix(s, ".") || strings.HasSuffix(s, "_")) && strings.Contains(s, ".") &&
					catalogPrefixes[strings.SplitN(s, ".", 2)[0]] {
					sc.prefixes[s] = append(sc.prefixes[s], name)
				}
			case *ast.FuncDecl:
				if n.Body == nil {
					return true
				}
				// audit.Entry{Action: x} inside this function.
				ast.Inspect(n.Body, func(m ast.Node) bool {
					cl, ok := m.(*ast.CompositeLit)
					if !ok {
						return true
					}
					if sel, ok := cl.Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Entry" {
						return true
					}
					for _, el := range cl.Elts {
						kv, ok := el.(*ast.KeyValueExpr)
						if !ok || kv.Key.(*ast.Ident).Name != "Action" {
							continue
						}
						if s, ok := lit(kv.Value); ok {
							sc.actions[s] = append(sc.actions[s], name)
							continue
						}
						id, ok := kv.Value.(*ast.Ident)
						if !ok {
							sc.unknown = append(sc.unknown, name)
							continue
						}
						if v, ok := consts[id.Name]; ok {
							sc.actions[v] = append(sc.actions[v], name)
							continue
						}
						found := false
						ast.Inspect(n.Body, func(a ast.Node) bool {
							as, ok := a.(*ast.AssignStmt)
							if !ok {
								return true
							}
							for i, l := range as.Lhs {
								if li, ok := l.(*ast.Ident); ok && li.Name == id.Name && i < len(as.Rhs) {
									if s, ok := lit(as.Rhs[i]); ok {
										sc.actions[s] = append(sc.actions[s], name)
										found = true
									}
								}
							}
							return true
						})
						index := 0
						for _, field := range n.Type.Params.List {
							for _, pn := range field.Names {
								if pn.Name == id.Name {
									viaParams = append(viaParams, paramUse{n.Name.Name, index})
									found = true
								}
								index++
							}
						}
						if !found {
							sc.unknown = append(sc.unknown, name+": "+id.Name)
						}
					}
					return true
				})
			}
			return true
		})
	}
	// The literals callers pass for an action parameter.
	for _, f := range files {
		name := filepath.Base(fset.File(f.Pos()).Name())
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := ""
			switch c := call.Fun.(type) {
			case *ast.Ident:
				fn = c.Name
			case *ast.SelectorExpr:
				fn = c.Sel.Name
			}
			for _, u := range viaParams {
				if u.fn != fn || u.index >= len(call.Args) {
					continue
				}
				if s, ok := lit(call.Args[u.index]); ok {
					sc.actions[s] = append(sc.actions[s], name)
				} else if id, ok := call.Args[u.index].(*ast.Ident); ok && consts[id.Name] != "" {
					sc.actions[consts[id.Name]] = append(sc.actions[consts[id.Name]], name)
				} else {
					sc.unknown = append(sc.unknown, name+": "+fn+" argument "+strconv.Itoa(u.index))
				}
			}
			return true
		})
	}
	return sc
}

// templatePrefix finds keys built in templates: (print "prefix." .Field).
var templatePrefix = regexp.MustCompile(`\(print "([a-z_]+(?:\.[a-z_]+)*\.)"`)

// TestEveryKeyLiteralExists: every key-shaped literal of the Go sources
// (under any prefix the catalogs use, not a fixed list), every prefix
// joined with a value at run time, and every audit action, whose label the
// audit page builds as "audit.action." + action, has its message.
func TestEveryKeyLiteralExists(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := c.Keys("zh")
	prefixes := map[string]bool{}
	for _, k := range keys {
		prefixes[strings.SplitN(k, ".", 2)[0]] = true
	}
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(self), "..")
	sc := scanSources(t, root, prefixes)
	if len(sc.keys) < 200 || len(sc.actions) < 15 {
		t.Fatalf("found %d keys and %d audit actions: the scanner is broken", len(sc.keys), len(sc.actions))
	}
	for k, where := range sc.keys {
		if !slices.Contains(keys, k) {
			t.Errorf("%v use message key %q, which the catalogs lack", slices.Compact(where), k)
		}
	}
	for p, where := range sc.prefixes {
		if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, p) }) {
			t.Errorf("%v build keys from %q, which no message starts with", slices.Compact(where), p)
		}
	}
	for a, where := range sc.actions {
		if !slices.Contains(keys, "audit.action."+a) {
			t.Errorf("%v write audit action %q, which has no label audit.action.%s", slices.Compact(where), a, a)
		}
	}
	for _, u := range sc.unknown {
		values, ok := actionsByHand[u]
		if !ok {
			t.Errorf("audit action not resolved to a literal: %s (list its values in actionsByHand)", u)
		}
		for _, a := range values {
			if !slices.Contains(keys, "audit.action."+a) {
				t.Errorf("%s writes audit action %q, which has no label", u, a)
			}
		}
	}
	// Templates: keys joined with a value.
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range templatePrefix.FindAllStringSubmatch(string(b), -1) {
			if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, m[1]) }) {
				t.Errorf("%s builds keys from %q, which no message starts with", filepath.Base(path), m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
