package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// openWritten opens a workbook this package wrote, for inspection.
func openWritten(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("excelize cannot open the workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// assertText checks that a cell holds a string and has the text format.
func assertText(t *testing.T, f *excelize.File, sheet, ref, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, ref)
	if err != nil || got != want {
		t.Errorf("%s = %q, %v; want %q", ref, got, err, want)
	}
	typ, err := f.GetCellType(sheet, ref)
	if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
		t.Errorf("%s has cell type %v, want a string", ref, typ)
	}
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil || style.NumFmt != 49 {
		t.Errorf("%s has number format %d, want 49 (text)", ref, style.NumFmt)
	}
}

func TestReportRoundTrip(t *testing.T) {
	headers := []string{"姓名", "证件号码", "手机号码", "居住区域", "备注"}
	rep, err := NewReport(headers)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Add(5, []string{"张三", "110105194912310021", "13800138000", "120101", ""}, "证件号码校验位错误"); err != nil {
		t.Fatal(err)
	}
	if err := rep.Add(9, []string{"李四", "110105194912310000", "", "120101", "x"}, "证件号码被 Excel 改成了科学计数法，请以文本格式重新输入；缺少手机号码"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := rep.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v (buffer %d)", n, err, buf.Len())
	}
	if err := rep.Add(1, nil, "late"); err == nil {
		t.Error("Add after WriteTo succeeded")
	}
	f := openWritten(t, buf.Bytes())
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]string{"原行号", "错误说明"}, headers...); !slices.Equal(rows[0], want) {
		t.Errorf("header = %q, want %q", rows[0], want)
	}
	if rows[1][0] != "5" || rows[1][1] != "证件号码校验位错误" || rows[2][0] != "9" {
		t.Errorf("rows = %q", rows[1:])
	}
	assertText(t, f, sheet, "D2", "110105194912310021")
	assertText(t, f, sheet, "E2", "13800138000")
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}

	// The report imports again: the first two columns are ignored.
	_, back := readAll(t, buf.Bytes())
	if len(back) != 2 || back[0].Number != 2 || back[0].Fields[FieldIDNumber] != "110105194912310021" || back[0].Notes != nil {
		t.Fatalf("report read back = %+v", back)
	}
}

func TestTemplate(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTemplate(&buf, lang); err != nil {
				t.Fatal(err)
			}
			f := openWritten(t, buf.Bytes())
			sheets := f.GetSheetList()
			help := map[string]string{"zh": "填写说明", "en": "Instructions"}[lang]
			if len(sheets) != 2 || sheets[1] != help {
				t.Fatalf("sheets = %q", sheets)
			}
			rows, err := f.GetRows(sheets[0])
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"姓名", "证件号码", "手机号码", "居住区域", "证件类型", "性别", "出生日期", "技能", "服务类别", "标签"}
			if !slices.Equal(rows[0], want) {
				t.Errorf("headers = %q", rows[0])
			}
			assertText(t, f, sheets[0], "B2", TemplateExampleID)
			for _, col := range []string{"B", "C"} {
				id, err := f.GetColStyle(sheets[0], col)
				if err != nil {
					t.Fatal(err)
				}
				if style, _ := f.GetStyle(id); style == nil || style.NumFmt != 49 {
					t.Errorf("column %s is not formatted as text", col)
				}
			}
			id, _ := f.GetCellStyle(sheets[0], "A1")
			if style, _ := f.GetStyle(id); style == nil || style.Font == nil || !style.Font.Bold {
				t.Error("required header is not bold")
			}
			dvs, err := f.GetDataValidations(sheets[0])
			if err != nil || len(dvs) != 2 {
				t.Errorf("data validations = %d, %v", len(dvs), err)
			}
			helpRows, err := f.GetRows(help)
			if err != nil || len(helpRows) < 11 || helpRows[1][1] != map[string]string{"zh": "（必填）", "en": "（必填） required"}[lang] {
				t.Errorf("instructions = %q, %v", helpRows, err)
			}

			// The template imports as it is: one example row.
			_, back := readAll(t, buf.Bytes())
			if len(back) != 1 || back[0].Fields[FieldIDNumber] != TemplateExampleID || back[0].Fields[FieldRegion] != "120101001" {
				t.Fatalf("template read back = %+v", back)
			}
		})
	}
}

func TestExport(t *testing.T) {
	e, err := NewExport("名单:2024/01*", []string{"姓名", "证件号码", "手机号码", "服务时长"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if err := e.Add(fmt.Sprintf("志愿者%d", i), fmt.Sprintf("1101**********%03dX", i), "138****8000", "12.5"); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := e.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := e.WriteTo(&buf); err == nil {
		t.Error("second WriteTo succeeded")
	}
	if err := e.Close(); err != nil {
		t.Errorf("Close after WriteTo = %v", err)
	}
	f := openWritten(t, buf.Bytes())
	if got := f.GetSheetList(); !slices.Equal(got, []string{"名单_2024_01_"}) {
		t.Fatalf("sheets = %q", got)
	}
	rows, err := f.GetRows("名单_2024_01_")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1001 || rows[1000][0] != "志愿者999" || rows[1000][1] != "1101**********999X" {
		t.Fatalf("%d rows, last %q", len(rows), rows[len(rows)-1])
	}
	assertText(t, f, "名单_2024_01_", "D2", "12.5")
	if w, _ := f.GetColWidth("名单_2024_01_", "B"); w != 22 {
		t.Errorf("ID column width = %v, want 22", w)
	}
}

func TestExportClose(t *testing.T) {
	e, err := NewExport("", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Add("x"); !errors.Is(err, errWritten) {
		t.Errorf("Add after Close = %v", err)
	}
}

func TestSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"":         "Sheet1",
		"'quoted'": "quoted",
		"志愿者名单":    "志愿者名单",
		"a[b]c?d":  "a_b_c_d",
		"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三": "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
	} {
		if got := sheetName(in); got != want {
			t.Errorf("sheetName(%q) = %q, want %q", in, got, want)
		}
	}
}
