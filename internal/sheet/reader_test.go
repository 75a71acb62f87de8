package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReaderCleansAndNumbersRows reads a sheet with aliased headers in
// another order, an unknown column, blank rows, and the ID and phone forms
// Excel and input methods produce.
func TestReaderCleansAndNumbersRows(t *testing.T) {
	general := &excelize.Style{NumFmt: 0}
	cells := rowCells(t, 1, "手机", "备注", " 身份证号 ", "真实 姓名", "所在地区", "TAGS", "ID_Type", "出生日期")
	cells = append(cells, rowCells(t, 2, " +86 138 0013 8000 ", "x", "１１０１０５１９４９１２３１００２Ｘ", "张 三", "天津市　和平区 劝业场街道", "党员、 青年", "居民身份证")...)
	cells = append(cells, rowCells(t, 3, "  ", nil, "\u3000")...) // blank after cleaning
	// row 4 does not exist in the XML
	cells = append(cells, rowCells(t, 5, 13800138001, nil, numberText("1.1010519491231E+17"), "李四", 120101001)...)
	cells = append(cells, rowCells(t, 6, "13800138002", nil, "1.10105E+17", "王五", "120101")...)
	cells = append(cells, rowCells(t, 7, "13800138003", nil, "'11010519491231002x", "Li  Ming", "120101")...)
	cells = append(cells, rowCells(t, 8, "13800138004", nil, "110105194912310000", "\u200b赵\u00a0六\ufeff", "120101")...)
	cells = append(cells, rowCells(t, 9, "13800138005", nil, numberText("110105194912310021"), "钱七", "120101")...)
	cells = append(cells, rowCells(t, 10, "13800138006", nil, numberText("110105491231002"), "孙八", "120101")...)
	cells = append(cells, cell{ref: "C11", value: numberText("1.1010519491231E+17"), style: general}, cell{ref: "D11", value: "周九"})
	cells = append(cells, rowCells(t, 12, "13800138000", nil, "11010519491231002X", "张三", "120101")...) // duplicate of row 2
	cells = append(cells, cell{ref: "D13", value: "吴十"}, cell{ref: "H13", value: 18263, style: &excelize.Style{NumFmt: 14}})
	cells = append(cells, cell{ref: "J14", value: "beyond the headers"}) // blank within the header width

	r, rows := readAll(t, buildXLSX(t, cells))
	if got, want := r.Headers(), []string{"手机", "备注", " 身份证号 ", "真实 姓名", "所在地区", "TAGS", "ID_Type", "出生日期"}; !slices.Equal(got, want) {
		t.Errorf("Headers = %q, want %q", got, want)
	}
	want := []struct {
		num                  int
		phone, id, name, reg string
		mangled              bool
	}{
		{2, "+86 138 0013 8000", "11010519491231002X", "张三", "天津市和平区劝业场街道", false},
		{5, "13800138001", "110105194912310000", "李四", "120101001", true},
		{6, "13800138002", "1.10105E+17", "王五", "120101", true},
		{7, "13800138003", "11010519491231002x", "Li Ming", "120101", false},
		{8, "13800138004", "110105194912310000", "赵六", "120101", false}, // text cell: left to the checksum
		{9, "13800138005", "110105194912310021", "钱七", "120101", false},
		{10, "13800138006", "110105491231002", "孙八", "120101", false},
		{11, "", "110105194912310000", "周九", "", true},
		{12, "13800138000", "11010519491231002X", "张三", "120101", false},
		{13, "", "", "吴十", "", false},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, w := range want {
		row := rows[i]
		got := []string{row.Fields[FieldPhone], row.Fields[FieldIDNumber], row.Fields[FieldRealName], row.Fields[FieldRegion]}
		if row.Number != w.num || !slices.Equal(got, []string{w.phone, w.id, w.name, w.reg}) {
			t.Errorf("row %d = %d %q, want %d %q", i, row.Number, got, w.num, []string{w.phone, w.id, w.name, w.reg})
		}
		if mangled := row.Notes[FieldIDNumber] == NoteMangled; mangled != w.mangled {
			t.Errorf("row %d: mangled note = %v, want %v (%q)", row.Number, mangled, w.mangled, row.Fields[FieldIDNumber])
		}
		if len(row.Raw) != 8 {
			t.Errorf("row %d: Raw has %d cells, want 8", row.Number, len(row.Raw))
		}
	}
	first := rows[0]
	if got := slices.Sorted(maps.Keys(first.Fields)); !slices.Equal(got, []string{"birth_date", "id_number", "id_type", "phone", "real_name", "region", "tags"}) {
		t.Errorf("fields = %q", got)
	}
	if first.Fields[FieldTags] != "党员、 青年" || first.Raw[1] != "x" || first.Raw[2] != "１１０１０５１９４９１２３１００２Ｘ" {
		t.Errorf("row 2: tags %q, raw %q", first.Fields[FieldTags], first.Raw)
	}
	if rows[1].Raw[2] != "110105194912310000" {
		t.Errorf("row 5: raw ID %q, want the stored number in full", rows[1].Raw[2])
	}
	if got := rows[len(rows)-1].Fields[FieldBirthDate]; got != "1949-12-31" {
		t.Errorf("date cell = %q, want 1949-12-31", got)
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next after the end = %v, want io.EOF", err)
	}
}

// TestReaderHeaderAfterBlankRows takes the first non-blank row as headers.
func TestReaderHeaderAfterBlankRows(t *testing.T) {
	cells := rowCells(t, 3, "*姓名", "证件号码（必填）", "Phone", "REGION", "")
	cells = append(cells, rowCells(t, 4, "张三", "11010519491231002X", "13800138000", "120101")...)
	cells = append(cells, cell{ref: "A1", value: " "})
	_, rows := readAll(t, buildXLSX(t, cells))
	if len(rows) != 1 || rows[0].Number != 4 || rows[0].Fields[FieldRealName] != "张三" {
		t.Fatalf("rows = %+v", rows)
	}
}

// TestReaderNoDataRows returns io.EOF at once for a header-only sheet.
func TestReaderNoDataRows(t *testing.T) {
	_, rows := readAll(t, buildXLSX(t, rowCells(t, 1, "姓名", "证件号码", "手机号码", "居住区域")))
	if len(rows) != 0 {
		t.Fatalf("rows = %+v", rows)
	}
}

// TestReaderFirstSheet reads the first sheet in workbook order, not the
// first created.
func TestReaderFirstSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("志愿者"); err != nil {
		t.Fatal(err)
	}
	if err := f.MoveSheet("志愿者", "Sheet1"); err != nil {
		t.Skipf("MoveSheet: %v", err)
	}
	for sheet, name := range map[string]string{"Sheet1": "wrong", "志愿者": "right"} {
		if err := f.SetSheetRow(sheet, "A1", &[]any{"姓名", "证件号码", "手机号码", "居住区域"}); err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow(sheet, "A2", &[]any{name, "1.1E+17", "13800138000", "120101"}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, rows := readAll(t, buf.Bytes())
	if len(rows) != 1 || rows[0].Fields[FieldRealName] != "right" || rows[0].Notes[FieldIDNumber] != NoteMangled {
		t.Fatalf("rows = %+v", rows)
	}
}

// TestOpenRejects checks the errors Open gives for bad uploads and their
// messages.
func TestOpenRejects(t *testing.T) {
	valid := buildXLSX(t, rowCells(t, 1, "姓名", "证件号码", "手机号码", "居住区域"))
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(i*7919 + i/3)
	}
	tests := []struct {
		name string
		data []byte
		want error
		zh   string
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"), ErrNotXLSX, "不是 Excel 工作簿"},
		{"old xls", ole, ErrNotXLSX, "旧版 .xls"},
		{"random bytes", random, ErrNotXLSX, "不是 Excel 工作簿"},
		{"empty upload", nil, ErrNotXLSX, "不是 Excel 工作簿"},
		{"zip of text", zipParts(t, map[string]string{"a.txt": "hello"}), ErrNotXLSX, "不是 Excel 工作簿"},
		{"truncated zip", valid[:len(valid)/2], ErrCorrupt, "已损坏"},
		{"empty workbook", buildXLSX(t, nil), ErrEmpty, "工作表是空的"},
		{"blank cells only", buildXLSX(t, rowCells(t, 2, " ", "\u3000")), ErrEmpty, "工作表是空的"},
		{"missing columns", buildXLSX(t, rowCells(t, 1, "姓名", "居住区域", "性别")), ErrMissingColumns, "缺少必填列：证件号码、手机号码"},
		{"duplicate column", buildXLSX(t, rowCells(t, 1, "姓名", "手机号码", "证件号码", "手机", "居住区域")), ErrDuplicateColumn, "列名重复：手机号码、手机"},
		{"zip bomb", bomb(t), ErrTooLarge, "过大"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := openBytes(tt.data)
			if err == nil {
				r.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %v, want %v", err, tt.want)
			}
			if msg := Message(err, "zh"); !strings.Contains(msg, tt.zh) {
				t.Errorf("Message zh = %q, want it to contain %q", msg, tt.zh)
			}
			if msg := Message(err, "en"); msg == "" || msg == Message(err, "zh") {
				t.Errorf("Message en = %q", msg)
			}
		})
	}
}

// bomb is a small zip whose sheet declares it unpacks to 2 GiB.
func bomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"} {
		w, _ := zw.Create(name)
		io.WriteString(w, body)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: 2 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReaderUnderstatedSize refuses a sheet that unpacks to more than its
// header declares (the zip reader checks), rather than reading on.
func TestReaderUnderstatedSize(t *testing.T) {
	b := rawXLSX(t, `<row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>证件号码</t></is></c>`+
		`<c t="inlineStr"><is><t>手机号码</t></is></c><c t="inlineStr"><is><t>居住区域</t></is></c></row>`+
		strings.Repeat(`<row><c t="inlineStr"><is><t>张三</t></is></c></row>`, 20000))
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		h := f.FileHeader
		if strings.HasSuffix(f.Name, "sheet1.xml") {
			h.UncompressedSize64 = 300000 // a lie
		}
		raw, _ := f.OpenRaw()
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, raw)
	}
	zw.Close()
	r, err := openBytes(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for err == nil {
		_, err = r.Next()
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Next = %v, want ErrCorrupt", err)
	}
}

// TestColumnErrorMessages checks the English wording and the error list.
func TestColumnErrorMessages(t *testing.T) {
	_, err := openBytes(buildXLSX(t, rowCells(t, 1, "name", "region")))
	var ce *ColumnError
	if !errors.As(err, &ce) || !slices.Equal(ce.Fields, []string{FieldIDNumber, FieldPhone}) {
		t.Fatalf("err = %v", err)
	}
	if got, want := Message(err, "en"), "Missing required columns: 证件号码 (ID number), 手机号码 (mobile phone)"; got != want {
		t.Errorf("Message en = %q, want %q", got, want)
	}
	if got := Message(errors.New("other"), "zh"); got != "无法读取文件。" {
		t.Errorf("Message of a foreign error = %q", got)
	}
	if Message(nil, "zh") != "" {
		t.Error("Message(nil) is not empty")
	}
}

// TestReaderCorruptSheetXML reports a worksheet whose XML breaks off after
// some rows instead of ending quietly.
func TestReaderCorruptSheetXML(t *testing.T) {
	head := `<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>证件号码</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>手机号码</t></is></c><c r="D1" t="inlineStr"><is><t>居住区域</t></is></c></row>`
	good := `<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2"><v>1.1010519491231E+17</v></c></row>`
	r, err := openBytes(rawXLSX(t, head+good+`<row r="3"><c r="A3" t="inlineStr"><is><t>李四</t></is></c><c r="B3"><v>1</v></x></row>`))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, err := r.Next()
	if err != nil || row.Number != 2 || row.Fields[FieldIDNumber] != "110105194912310000" || row.Notes[FieldIDNumber] != NoteMangled {
		t.Fatalf("first row = %+v, %v", row, err)
	}
	for err == nil {
		_, err = r.Next()
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Next = %v, want ErrCorrupt", err)
	}
}

// TestReaderInlineStrings reads a hand-written sheet without cell
// references, as some generators write it.
func TestReaderInlineStrings(t *testing.T) {
	is := func(s string) string { return `<c t="inlineStr"><is><t>` + s + `</t></is></c>` }
	data := `<row>` + is("姓名") + is("证件号码") + is("手机号码") + is("居住区域") + `</row>` +
		`<row>` + is("张三") + `<c><v>110105194912310021</v></c><c t="n"><v>13800138000</v></c>` + is("120101") + `</row>`
	_, rows := readAll(t, rawXLSX(t, data))
	if len(rows) != 1 || rows[0].Number != 2 || rows[0].Fields[FieldIDNumber] != "110105194912310021" || rows[0].Notes != nil {
		t.Fatalf("rows = %+v", rows)
	}
}

// TestReaderClose removes temporary files and refuses further reads.
func TestReaderClose(t *testing.T) {
	r, err := openBytes(bigSST(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := r.dir
	if dir == "" {
		t.Fatal("a large shared string table was not unpacked to disk")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next after Close = %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary directory %s: %v", dir, err)
	}
}

// A crafted row of millions of cells without references, or a sheet past
// the cell budget, ends reading quickly as too large, with the limit named.
func TestOpenLimitsCells(t *testing.T) {
	header := `<row r="1"><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>证件号码</t></is></c>` +
		`<c t="inlineStr"><is><t>手机号码</t></is></c><c t="inlineStr"><is><t>居住区域</t></is></c></row>`
	wide := `<row r="2">` + strings.Repeat(`<c><v>1</v></c>`, 100_000) + `</row>`
	sameCol := `<row r="2">` + strings.Repeat(`<c r="A2"><v>1</v></c>`, 1_000) + `</row>`
	var tall strings.Builder
	for i := 2; i < 300; i++ {
		fmt.Fprintf(&tall, `<row r="%d"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c></row>`, i)
	}
	for _, c := range []struct {
		name, data string
		lim        Limits
		perRow     bool
		zh, en     string
	}{
		{"a row without references", header + wide, Limits{}, true, "第 2 行超过 200 个单元格", "row 2 has more than 200 cells"},
		{"one column repeated", header + sameCol, Limits{}, true, "第 2 行超过 200 个单元格", "row 2 has more than 200 cells"},
		{"a wide header", `<row r="1">` + strings.Repeat(`<c t="inlineStr"><is><t>x</t></is></c>`, 300) + `</row>`, Limits{}, true, "第 1 行超过 200", "row 1 has more"},
		{"the sheet's budget", header + tall.String(), Limits{CellsPerSheet: 1000}, false, "工作表超过 1000 个单元格", "more than 1000 cells"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := rawXLSX(t, c.data)
			r, err := OpenLimited(bytes.NewReader(b), int64(len(b)), c.lim)
			for err == nil {
				_, err = r.Next()
			}
			if r != nil {
				r.Close()
			}
			var le *LimitError
			if !errors.As(err, &le) || le.PerRow != c.perRow || !errors.Is(err, ErrTooLarge) || errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want a LimitError (per row %v) that is too large, not corrupt", err, c.perRow)
			}
			if msg := Message(err, "zh"); !strings.Contains(msg, c.zh) || !strings.Contains(msg, "过大") {
				t.Errorf("zh: %q, want %q", msg, c.zh)
			}
			if msg := Message(err, "en"); !strings.Contains(msg, c.en) || !strings.Contains(msg, "too large") {
				t.Errorf("en: %q, want %q", msg, c.en)
			}
		})
	}
}

// A cell larger than any Excel cell (a 900 MB value in the report that
// prompted this) is too large, not corrupt; in a shared string too.
func TestOpenHugeCell(t *testing.T) {
	header := `<row r="1"><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>证件号码</t></is></c>` +
		`<c t="inlineStr"><is><t>手机号码</t></is></c><c t="inlineStr"><is><t>居住区域</t></is></c></row>`
	huge := strings.Repeat("9", 3<<20)
	for name, data := range map[string][]byte{
		"a value":       rawXLSX(t, header+`<row r="2"><c><v>`+huge+`</v></c></row>`),
		"a header cell": rawXLSX(t, `<row r="1"><c t="inlineStr"><is><t>`+huge+`</t></is></c></row>`),
	} {
		t.Run(name, func(t *testing.T) {
			r, err := openBytes(data)
			for err == nil {
				_, err = r.Next()
			}
			if r != nil {
				r.Close()
			}
			if !errors.Is(err, ErrCellTooLarge) || errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want too large, not corrupt", err)
			}
			if msg := Message(err, "zh"); !strings.Contains(msg, "过大") {
				t.Errorf("zh: %q", msg)
			}
			if msg := Message(err, "en"); !strings.Contains(msg, "too large") {
				t.Errorf("en: %q", msg)
			}
		})
	}
}
