package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Office workers' sheets: a title and a date line above the header, and a
// header of two rows where merged cells group columns ("证件信息" over
// "证件类型" and "证件号码"). The header is found by its names and the rows
// keep their numbers as Excel shows them.
func TestHeaderBelowTitlesAndOverTwoRows(t *testing.T) {
	cells := rowCells(t, 1, "和平区劝业场街道志愿者花名册")
	cells = append(cells, rowCells(t, 2, "填报单位：劝业场街道志愿服务队", nil, nil, "填报日期：2026年12月7日")...)
	cells = append(cells, rowCells(t, 4, "姓名", "证件信息", nil, "手机号码", "所在地区")...)
	cells = append(cells, rowCells(t, 5, nil, "证件类型", "证件号码")...)
	cells = append(cells, rowCells(t, 6, "张三", "居民身份证", "11010519491231002X", "13800138000", "120101")...)
	cells = append(cells, rowCells(t, 7, "李四", "居民身份证", "110105194912310021", "13800138001", "120101")...)
	r, rows := readAll(t, buildXLSX(t, cells))
	if got, want := r.fields, []string{FieldRealName, FieldIDType, FieldIDNumber, FieldPhone, FieldRegion}; !slices.Equal(got, want) {
		t.Fatalf("fields %q, want %q (headers %q)", got, want, r.Headers())
	}
	if len(rows) != 2 || rows[0].Number != 6 || rows[0].Fields[FieldIDNumber] != "11010519491231002X" || rows[1].Fields[FieldRealName] != "李四" {
		t.Fatalf("rows %+v", rows)
	}
}

// A one-row header right under a title: the first data row, read while
// checking for a second header row, is not lost.
func TestFirstDataRowUnderTitledHeader(t *testing.T) {
	cells := rowCells(t, 1, "志愿者名单")
	cells = append(cells, rowCells(t, 2, "姓名", "证件号码", "手机号码", "所在地区")...)
	cells = append(cells, rowCells(t, 3, "张三", "11010519491231002X", "13800138000", "120101")...)
	_, rows := readAll(t, buildXLSX(t, cells))
	if len(rows) != 1 || rows[0].Number != 3 || rows[0].Fields[FieldPhone] != "13800138000" {
		t.Fatalf("rows %+v", rows)
	}
}

// A sheet whose header misses a required column is still reported as such,
// whatever rows of titles come first.
func TestMissingColumnsUnderTitles(t *testing.T) {
	cells := rowCells(t, 1, "名单")
	cells = append(cells, rowCells(t, 2, "姓名", "手机号码")...)
	cells = append(cells, rowCells(t, 3, "张三", "13800138000")...)
	_, err := openBytes(buildXLSX(t, cells))
	var ce *ColumnError
	if !errors.As(err, &ce) || !errors.Is(err, ErrMissingColumns) || !slices.Contains(ce.Fields, FieldIDNumber) {
		t.Fatalf("Open: %v, want the missing 证件号码 column", err)
	}
}

// A workbook that opens on an empty sheet and a sheet of instructions: the
// first sheet with a header is read.
func TestFirstSheetWithAHeader(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("填表说明"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr("填表说明", "A1", "请按模板填写，证件号码列设为文本格式。"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("名单"); err != nil {
		t.Fatal(err)
	}
	for i, row := range [][]string{{"姓名", "证件号码", "手机号码", "所在地区"}, {"张三", "11010519491231002X", "13800138000", "120101"}} {
		if err := f.SetSheetRow("名单", fmt.Sprintf("A%d", i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, rows := readAll(t, buf.Bytes())
	if len(rows) != 1 || rows[0].Fields[FieldRealName] != "张三" {
		t.Fatalf("rows %+v", rows)
	}
	// A workbook of empty sheets only is empty, as before.
	empty := excelize.NewFile()
	defer empty.Close()
	if _, err := empty.NewSheet("Sheet2"); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := empty.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := openBytes(buf.Bytes()); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty workbook: %v", err)
	}
}

// CSV as office workers save it: UTF-8 with a byte order mark, or GBK from
// Excel on a Chinese Windows; a title line above the header is fine too.
func TestCSVInUTF8AndGBK(t *testing.T) {
	text := "志愿者名单\r\n姓名,证件号码,手机号码,所在地区\r\n张三,11010519491231002X,13800138000,和平区\r\n\"李, 四\",110105194912310021,13800138001,120101\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"utf-8": []byte("\xef\xbb\xbf" + text), "gbk": []byte(gbk)} {
		_, rows := readAll(t, data)
		if len(rows) != 2 || rows[0].Number != 3 || rows[0].Fields[FieldRealName] != "张三" || rows[0].Fields[FieldRegion] != "和平区" ||
			rows[1].Fields[FieldRealName] != "李, 四" || rows[1].Fields[FieldIDNumber] != "110105194912310021" {
			t.Errorf("%s: rows %+v", name, rows)
		}
	}
	// An ID number Excel wrote in scientific notation into the CSV is
	// reported as shortened, as in a workbook.
	_, rows := readAll(t, []byte("姓名,证件号码,手机号码,居住区域\n王五,1.10105E+17,13800138002,120101\n"))
	if len(rows) != 1 || rows[0].Notes[FieldIDNumber] != NoteMangled {
		t.Errorf("scientific ID: %+v", rows)
	}
}

// An old .xls (an OLE2 compound file) is refused with its own message;
// bytes that are not text are not taken for CSV.
func TestOldXLSAndBinaryRefused(t *testing.T) {
	xls := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 504)...)
	if _, err := openBytes(xls); !errors.Is(err, ErrOldXLS) || !strings.Contains(Message(err, "zh"), "另存为") {
		t.Errorf(".xls: %v (%s)", err, Message(err, "zh"))
	}
	if _, err := openBytes([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")); !errors.Is(err, ErrNotXLSX) {
		t.Errorf("png: %v", err)
	}
}

// A web page saved under a spreadsheet's name is not taken for CSV.
func TestMarkupIsNotCSV(t *testing.T) {
	for _, page := range []string{"<!DOCTYPE html><html><body><table><tr><td>姓名</td></tr></table>", "\xef\xbb\xbf  <?xml version=\"1.0\"?><svg/>"} {
		if _, err := openBytes([]byte(page)); !errors.Is(err, ErrNotSheet) || !strings.Contains(Message(err, "zh"), "文件不是 Excel 工作簿") {
			t.Errorf("%.20q: %v", page, err)
		}
	}
}
