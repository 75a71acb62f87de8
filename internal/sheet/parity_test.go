package sheet

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReaderMatchesExcelize reads cells of every kind excelize writes and
// compares the text with what excelize itself reads back.
func TestReaderMatchesExcelize(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set := func(ref string, v any) {
		t.Helper()
		if err := f.SetCellValue("Sheet1", ref, v); err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range []string{"姓名", "证件号码", "手机号码", "居住区域", "标签", "备注", "出生日期"} {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		set(ref, h)
	}
	set("A2", " 前后空格 ")
	set("B2", "_x0041_ literal")
	set("C2", "a & b <c> \"d\"")
	set("D2", "line1\nline2")
	set("E2", true)
	set("F2", 12.5)
	set("G2", -3)
	if err := f.SetCellRichText("Sheet1", "A3", []excelize.RichTextRun{{Text: "张"}, {Text: "三", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	set("B3", 0.1)
	set("C3", "😀 emoji")
	set("D3", "天津市和平区")
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`yyyy"年"m"月"d"日"`)})
	if err != nil {
		t.Fatal(err)
	}
	set("G3", 18263)
	if err := f.SetCellStyle("Sheet1", "G3", "G3", dateStyle); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	want, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	_, rows := readAll(t, buf.Bytes())
	if len(rows) != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	for i, row := range rows {
		for j, got := range row.Raw {
			w := ""
			if j < len(want[i+1]) {
				w = want[i+1][j]
			}
			switch {
			case i == 0 && j == 5, i == 0 && j == 6, i == 1 && j == 1: // numbers: excelize applies General
				continue
			case i == 1 && j == 6:
				w = "1949-12-31" // excelize shows the format, 1949年12月31日
			}
			if got != w {
				t.Errorf("row %d col %d: %q, excelize reads %q", row.Number, j+1, got, w)
			}
		}
	}
	if rows[0].Raw[5] != "12.5" || rows[0].Raw[6] != "-3" || rows[1].Raw[1] != "0.1" {
		t.Errorf("numbers = %q %q %q", rows[0].Raw[5], rows[0].Raw[6], rows[1].Raw[1])
	}
	if rows[1].Fields[FieldRealName] != "张三" || rows[0].Fields[FieldRegion] != "line1 line2" {
		t.Errorf("fields = %q", rows[1].Fields)
	}
}

func ptr[T any](v T) *T { return &v }

// TestReaderLargeSharedStrings reads a workbook laid out as Excel saves it,
// with a shared string table large enough to go to temporary files.
func TestReaderLargeSharedStrings(t *testing.T) {
	const n = bigSSTRows
	_, rows := readAll(t, bigSST(t))
	if len(rows) != n {
		t.Fatalf("%d rows", len(rows))
	}
	for _, i := range []int{0, 1, 77777, n - 1} {
		r := rows[i]
		id := r.Fields[FieldIDNumber]
		if r.Number != i+2 || r.Fields[FieldRealName] != fmt.Sprintf("志愿者%d", i) || r.Fields[FieldPhone] != fmt.Sprintf("138%08d", i) || r.Fields[FieldRegion] != "120101001" {
			t.Errorf("row %d = %+v", i+2, r)
		}
		if mangled := r.Notes[FieldIDNumber] == NoteMangled; mangled != (i%10 == 0) || (!mangled && id != fmt.Sprintf("1101051949%08d", i)) {
			t.Errorf("row %d: ID %q, notes %v", i+2, id, r.Notes)
		}
	}
}
