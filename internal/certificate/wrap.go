package certificate

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

// measurer measures text in the embedded font, caching each rune's advance
// width at 1 pt (widths scale with the size; gopdf applies no kerning here).
type measurer struct {
	pdf   *gopdf.GoPdf
	width map[rune]float64
}

func newMeasurer(pdf *gopdf.GoPdf) *measurer {
	return &measurer{pdf: pdf, width: make(map[rune]float64)}
}

// text returns the width of s at size pt, or an error wrapping
// ErrMissingGlyph for a character the font lacks.
func (m *measurer) text(s string, size float64) (float64, error) {
	total := 0.0
	for _, r := range s {
		w, ok := m.width[r]
		if !ok {
			has, err := m.pdf.IsCurrFontContainGlyph(r)
			if err != nil {
				return 0, err
			}
			if !has {
				return 0, fmt.Errorf("%w: %q (U+%04X)", ErrMissingGlyph, r, r)
			}
			if err := m.pdf.SetFontSize(100); err != nil {
				return 0, err
			}
			pts, err := m.pdf.MeasureTextWidth(string(r))
			if err != nil {
				return 0, err
			}
			w = pts / 100
			m.width[r] = w
		}
		total += w
	}
	return total * size, nil
}

// Chinese line-breaking rules (避头尾): these never start a line…
const noLineStart = "，。、；：？！）】》」』”’·…—%,.;:?!)]}"

// …and these never end one.
const noLineEnd = "（【《「『“‘([{"

// wrap breaks s into lines no wider than width at size pt, the first line
// indent points narrower. Chinese has no spaces, so a line may break
// between any two CJK characters; a run of printable ASCII (a number, a code, a Latin word) is kept whole unless it
// is wider than a line. A line never starts with closing punctuation nor
// ends with opening punctuation: the characters next to it move down, or
// when there is nothing to move, the closing punctuation hangs past the end.
func (m *measurer) wrap(s string, size, width, indent float64) ([]string, error) {
	toks := tokens(s)
	var lines []string
	var cur []string
	curW := 0.0
	room := func() float64 {
		if len(lines) == 0 {
			return width - indent
		}
		return width
	}
	flush := func() {
		lines = append(lines, strings.Join(cur, ""))
		cur, curW = cur[:0], 0
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w, err := m.text(t, size)
		if err != nil {
			return nil, err
		}
		switch {
		case len(cur) == 0 && len(lines) > 0 && isOneOf(t, noLineStart):
			lines[len(lines)-1] += t // after a break at a space: hang it
			continue
		case len(cur) == 0 && t == " ":
			continue // no leading space on a line
		case curW+w <= room():
		case w > room() && utf8.RuneCountInString(t) > 1:
			// A run wider than a line: break it between characters.
			toks = append(toks[:i], append(splitRunes(t), toks[i+1:]...)...)
			i--
			continue
		case len(cur) == 0:
			// Too wide but alone on its line: place it anyway.
		default:
			if t == " " {
				flush()
				continue
			}
			// Break before t, moving characters down with it so that the
			// next line starts with no closing and this one ends with no
			// opening punctuation.
			next, nextW := []string{t}, w
			for n := len(cur); n > 1 && (isOneOf(next[0], noLineStart) || isOneOf(cur[n-1], noLineEnd)); n-- {
				cw, _ := m.text(cur[n-1], size) // measured before: cannot fail
				if nextW+cw > width {
					break
				}
				next, nextW = append([]string{cur[n-1]}, next...), nextW+cw
				cur = cur[:n-1]
			}
			if isOneOf(next[0], noLineStart) {
				// Nothing left to move down with it: hang it instead.
				cur, curW = append(cur, next...), curW+w
				continue
			}
			flush()
			cur, curW = append(cur, next...), nextW
			continue
		}
		cur = append(cur, t)
		curW += w
	}
	if len(cur) > 0 || len(lines) == 0 {
		flush()
	}
	return lines, nil
}

// tokens splits s into unbreakable pieces: a maximal run of printable ASCII
// other than space, or any other single character.
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] > ' ' && s[j] < 0x7f {
			j++
		}
		if j == i {
			_, n := utf8.DecodeRuneInString(s[i:])
			j = i + n
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func splitRunes(s string) []string {
	out := make([]string, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// isOneOf reports whether t is a single character from set.
func isOneOf(t, set string) bool {
	r, n := utf8.DecodeRuneInString(t)
	return n == len(t) && strings.ContainsRune(set, r)
}
