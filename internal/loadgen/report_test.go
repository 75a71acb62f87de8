package loadgen

import (
	"strings"
	"testing"
)

// The comparison pages' targets are judged at compare scale only; the
// others at every scale.
func TestComparisonTargetsJudgedAtCompareScale(t *testing.T) {
	cmp := target{text: "≥ 1,900 req/s", minPS: 1900, compare: true}
	for _, c := range []struct {
		scale string
		row   Row
		want  string
	}{
		{"compare", Row{PerSec: 2000, Target: cmp}, "yes"},
		{"compare", Row{PerSec: 1000, Target: cmp}, "no"},
		{"small", Row{PerSec: 2000, Target: cmp}, forInformation},
		{"tianjin", Row{PerSec: 1000, Target: cmp}, forInformation},
		{"small", Row{PerSec: 1000, Target: target{text: "≥ 500", minPS: 500}}, "yes"},
	} {
		c.row.judge(Scales[c.scale])
		if c.row.Met != c.want {
			t.Errorf("%s, %.0f req/s: %q, want %q", c.scale, c.row.PerSec, c.row.Met, c.want)
		}
	}
	rep := &Report{Scale: Scales["small"], Rows: []Row{{Name: "html: open shifts list", Met: forInformation}}}
	if md := rep.Markdown(); !strings.Contains(md, "judged at compare scale") || !strings.Contains(md, "| for information |") {
		t.Errorf("the report does not say where the comparison is judged:\n%s", md)
	}
}

// The compare scale runs the three comparison pages unless told otherwise.
func TestCompareScaleRunsTheHTMLPages(t *testing.T) {
	s := Scales["compare"]
	if s.Volunteers != 10000 || s.Accounts != 10000 || s.Clients != 16 || !s.Compare {
		t.Fatalf("compare scale: %+v", s)
	}
	c := Config{Scale: s}
	for name, want := range map[string]bool{"html: open shifts list": true, "html: sign up for a shift": true,
		"html: my upcoming and past shifts": true, "check-in burst": false, "xlsx import": false} {
		if c.wants(name) != want {
			t.Errorf("compare scale runs %q: %v", name, !want)
		}
	}
	c.Only = []string{"all"}
	if !c.wants("xlsx import") {
		t.Error("--only all leaves out the import")
	}
	if c := (Config{Scale: Scales["small"]}); !c.wants("xlsx import") {
		t.Error("small scale leaves out the import")
	}
}
