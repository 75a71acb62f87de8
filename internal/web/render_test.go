package web

import (
	"testing"
	"text/template/parse"
)

// TestEveryPageSetDefinesWhatItCalls: each page's set holds only the
// partials its files call (found by a pattern), so a call the pattern missed
// would fail only when the page is shown. This walks the parsed trees.
func TestEveryPageSetDefinesWhatItCalls(t *testing.T) {
	sets, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for name, set := range sets {
		for _, tmpl := range set.Templates() {
			if tmpl.Tree == nil {
				continue
			}
			walkTemplateCalls(tmpl.Tree.Root, func(called string) {
				calls++
				if set.Lookup(called) == nil {
					t.Errorf("page %s: %s calls %q, which its set lacks", name, tmpl.Name(), called)
				}
			})
		}
	}
	if calls < 40 {
		t.Fatalf("found only %d template calls; the walk is broken", calls)
	}
	if sets["open_shifts"].Lookup("registration_fields") != nil {
		t.Error("the open shifts page's set holds a partial it does not call")
	}
}

func walkTemplateCalls(n parse.Node, f func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplateCalls(c, f)
		}
	case *parse.TemplateNode:
		f(n.Name)
	case *parse.IfNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	case *parse.RangeNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	case *parse.WithNode:
		walkTemplateCalls(n.List, f)
		walkTemplateCalls(n.ElseList, f)
	}
}
