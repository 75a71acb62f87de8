package sheet

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", " a  b ", "１２３Ｘ", "\u3000张\u00a0三\u200b", "\xff\xfe", "a\u0085b\u2028c", "　＋８６ 138"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if Clean(c) != c {
			t.Fatalf("Clean not idempotent: %q → %q → %q", s, c, Clean(c))
		}
		if !utf8.ValidString(c) || strings.HasPrefix(c, " ") || strings.HasSuffix(c, " ") || strings.Contains(c, "  ") {
			t.Fatalf("Clean(%q) = %q", s, c)
		}
		if j := joinHan(c); Clean(j) != j {
			t.Fatalf("joinHan(%q) = %q is not clean", c, j)
		}
		_ = IDNumberLooksMangled(cleanIDNumber(s))
		_, _ = expandInteger(s)
		_ = FieldForHeader(s)
	})
}

// FuzzOpen feeds arbitrary bytes to Open and Next: they must return rows or
// an error, never panic. Inputs are capped at 1 MB and reads at 1000 rows.
func FuzzOpen(f *testing.F) {
	f.Add(buildXLSX(f, append(rowCells(f, 1, "姓名", "证件号码", "手机号码", "居住区域"),
		rowCells(f, 2, "张三", numberText("1.1010519491231E+17"), 13800138000, "120101")...)))
	f.Add(rawXLSX(f, `<row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>证件号码</t></is></c>`+
		`<c t="inlineStr"><is><t>手机号码</t></is></c><c t="inlineStr"><is><t>居住区域</t></is></c></row><row r="9"><c r="B9"><v>1E17</v></c></row>`))
	f.Add([]byte("姓名,证件号码\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		r, err := Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if Message(err, "zh") == "" {
				t.Fatalf("no message for %v", err)
			}
			return
		}
		defer r.Close()
		for range 1000 {
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Next = %v, want ErrCorrupt or io.EOF", err)
				}
				return
			}
			if row.Number < 1 || row.Number > maxRows || len(row.Raw) != len(r.Headers()) {
				t.Fatalf("bad row %+v", row)
			}
		}
	})
}

// FuzzSheetXML feeds arbitrary worksheet XML, packaged as a valid .xlsx, to
// Open and Next, which reach the row parser far more often than FuzzOpen's
// mutated zips do.
func FuzzSheetXML(f *testing.F) {
	header := `<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>证件号码</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>手机号码</t></is></c><c r="D1" t="inlineStr"><is><t>居住区域</t></is></c></row>`
	f.Add(header + `<row r="2"><c r="A2" t="inlineStr"><is><r><t>张</t></r><r><t>三</t></r><rPh><t>zhang</t></rPh></is></c><c r="B2"><v>1.1010519491231E+17</v></c><c r="C2" t="b"><v>1</v></c></row>`)
	f.Add(header + `<row><c><v>1E+400</v></c><c t="s"><v>7</v></c><c t="str"><f>A1</f><v>_x0041_</v></c></row>`)
	f.Add(header + `<row r="0"/><row r="1048577"></row>`)
	f.Fuzz(func(t *testing.T, data string) {
		b := rawXLSX(t, data)
		r, err := Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		defer r.Close()
		for range 1000 {
			row, err := r.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Next = %v", err)
				}
				return
			}
			if len(row.Raw) != len(r.Headers()) {
				t.Fatalf("bad row %+v", row)
			}
		}
	})
}
