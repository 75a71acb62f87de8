package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
)

// cell sets one cell of a test workbook.
type cell struct {
	ref   string
	value any // string, int, float64, time.Time …; numberText sets a raw number
	style *excelize.Style
}

// numberText is a number as Excel writes it into the sheet XML, e.g.
// "1.1010519491231E+17", stored in a numeric cell.
type numberText string

// buildXLSX writes a workbook whose first sheet holds cells (through
// excelize's ordinary API, so strings go to the shared string table).
func buildXLSX(t testing.TB, cells []cell) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for _, c := range cells {
		var err error
		switch v := c.value.(type) {
		case numberText:
			err = f.SetCellDefault("Sheet1", c.ref, string(v))
		case string:
			err = f.SetCellStr("Sheet1", c.ref, v)
		default:
			err = f.SetCellValue("Sheet1", c.ref, v)
		}
		if err != nil {
			t.Fatalf("set %s: %v", c.ref, err)
		}
		if c.style != nil {
			id, err := f.NewStyle(c.style)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle("Sheet1", c.ref, c.ref, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowCells turns a row of values into cells starting at column A.
func rowCells(t testing.TB, row int, values ...any) []cell {
	t.Helper()
	var cells []cell
	for i, v := range values {
		if v == nil {
			continue
		}
		ref, err := excelize.CoordinatesToCellName(i+1, row)
		if err != nil {
			t.Fatal(err)
		}
		cells = append(cells, cell{ref: ref, value: v})
	}
	return cells
}

// rawXLSX zips a minimal package around a hand-written worksheet XML body
// (the content of <sheetData>), for inputs excelize will not write.
func rawXLSX(t testing.TB, sheetData string) []byte {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			sheetData + `</sheetData></worksheet>`,
	}
	return zipParts(t, parts)
}

// zipParts zips named parts, stored without compression (which keeps the
// fuzz targets fast).
func zipParts(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openBytes opens b with Open.
func openBytes(b []byte) (*Reader, error) {
	return Open(bytes.NewReader(b), int64(len(b)))
}

// readAll reads every row of b, failing the test on any error.
func readAll(t testing.TB, b []byte) (*Reader, []Row) {
	t.Helper()
	r, err := openBytes(b)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = r.Close() })
	var rows []Row
	for {
		row, err := r.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("Next after %d rows: %v", len(rows), err)
			}
			return r, rows
		}
		rows = append(rows, row)
	}
}

// writeSSTBook writes an import workbook of n volunteers the way Excel
// saves one: every distinct text once in the shared string table (three per
// volunteer), cells referring to it, and every tenth ID a numeric cell.
func writeSSTBook(t testing.TB, w io.Writer, n int) {
	t.Helper()
	zw := zip.NewWriter(w)
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
	}
	for name, body := range parts {
		pw, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(pw, body)
	}
	pw, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(pw)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<si><t>姓名</t></si><si><t>证件号码</t></si><si><t>手机号码</t></si><si><t>居住区域</t></si><si><t>120101001</t></si>`)
	for i := range n {
		fmt.Fprintf(bw, "<si><t>志愿者%d</t></si><si><t>1101051949%08d</t></si><si><t>138%08d</t></si>", i, i, i)
	}
	bw.WriteString(`</sst>`)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if pw, err = zw.Create("xl/worksheets/sheet1.xml"); err != nil {
		t.Fatal(err)
	}
	bw = bufio.NewWriter(pw)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>`)
	for i := range n {
		r := i + 2
		id := fmt.Sprintf(`<c r="B%d" t="s"><v>%d</v></c>`, r, 6+3*i)
		if i%10 == 0 {
			id = fmt.Sprintf(`<c r="B%d"><v>1.1010519491231E+17</v></c>`, r)
		}
		fmt.Fprintf(bw, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c>%s<c r="C%d" t="s"><v>%d</v></c><c r="D%d" t="s"><v>4</v></c></row>`,
			r, r, 5+3*i, id, r, 7+3*i, r)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// bigSSTRows is the size of bigSST: enough for a shared string table
// larger than smallSST.
const bigSSTRows = 100000

var bigSSTOnce struct {
	sync.Once
	b []byte
}

// bigSST returns writeSSTBook's workbook of bigSSTRows volunteers.
func bigSST(t testing.TB) []byte {
	bigSSTOnce.Do(func() {
		var buf bytes.Buffer
		writeSSTBook(t, &buf, bigSSTRows)
		bigSSTOnce.b = buf.Bytes()
	})
	return bigSSTOnce.b
}
