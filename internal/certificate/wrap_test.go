package certificate

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

// testMeasurer returns a measurer on a fresh document with the font set.
func testMeasurer(t testing.TB) *measurer {
	t.Helper()
	fc, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := pdf.AddTTFFontFromFontContainer(fontFamily, fc); err != nil {
		t.Fatal(err)
	}
	if err := pdf.SetFont(fontFamily, "", 12); err != nil {
		t.Fatal(err)
	}
	return newMeasurer(pdf)
}

func TestFontHasDigitsAndLatin(t *testing.T) {
	m := testMeasurer(t)
	for _, r := range "0123456789ABCXYZabcxyz*-_.:/志愿服务证明（），。：、" {
		w, err := m.text(string(r), 12)
		if err != nil || w <= 0 {
			t.Errorf("%q: width %v, %v", r, w, err)
		}
	}
}

// checkWrap checks the rules wrap promises for one result.
func checkWrap(t *testing.T, m *measurer, s string, lines []string, width float64) {
	t.Helper()
	if got := strings.Join(lines, ""); strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(s, " ", "") {
		t.Fatalf("wrap lost text:\n%q\n%q", s, got)
	}
	for i, l := range lines {
		body := strings.TrimRightFunc(l, func(r rune) bool { return strings.ContainsRune(noLineStart, r) })
		w, _ := m.text(body, 12) // closing punctuation may hang
		if w > width+0.01 && len(tokens(body)) > 1 {
			t.Errorf("line %d %q is %.1f pt wide, limit %.1f", i, l, w, width)
		}
		if i > 0 && l != "" {
			if first := tokens(l)[0]; isOneOf(first, noLineStart) {
				t.Errorf("line %d starts with %q", i, first)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	m := testMeasurer(t)
	s := "兹证明 王晓燕（证件类型：居民身份证，证件号码：110105********002X，志愿者编号：V12010420260001）在本组织参加志愿服务。"
	for _, width := range []float64{60, 100, 144.5, 200, 467} {
		lines, err := m.wrap(s, 12, width, 0)
		if err != nil {
			t.Fatal(err)
		}
		checkWrap(t, m, s, lines, width)
		for _, tok := range []string{"110105********002X", "V12010420260001"} {
			if w, _ := m.text(tok, 12); w <= width && !strings.Contains(strings.Join(lines, "\n"), tok) {
				t.Errorf("width %v: %s was broken: %q", width, tok, lines)
			}
		}
	}
	// Closing punctuation takes the character before it to the next line.
	w, _ := m.text("一二三", 12)
	lines, _ := m.wrap("一二三。四", 12, w+1, 0)
	if len(lines) != 2 || lines[0] != "一二" || lines[1] != "三。四" {
		t.Errorf("punctuation rule: %q", lines)
	}
	// Opening punctuation does not end a line.
	lines, _ = m.wrap("一二（三四", 12, w+1, 0)
	if lines[0] != "一二" {
		t.Errorf("opening punctuation ends a line: %q", lines)
	}
	// A code wider than the line is broken between characters.
	lines, _ = m.wrap(strings.Repeat("X", 40), 12, 50, 0)
	if len(lines) < 2 {
		t.Errorf("long run not broken: %q", lines)
	}
	checkWrap(t, m, strings.Repeat("X", 40), lines, 50)
}

func FuzzWrap(f *testing.F) {
	f.Add("兹证明 王晓燕（证件类型：居民身份证）。", 80.0)
	f.Add("ABC DEF。。（（", 20.0)
	m := testMeasurer(f)
	f.Fuzz(func(t *testing.T, s string, width float64) {
		if !utf8.ValidString(s) || printable(s) != nil || width < 20 || width > 1000 {
			return
		}
		lines, err := m.wrap(s, 12, width, 0)
		if err != nil {
			return // a character the font lacks
		}
		checkWrap(t, m, s, lines, width)
	})
}
