package sheet

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// ErrTooManyRows reports an export or report past Excel's 1,048,576 rows;
// split it into several files.
var ErrTooManyRows = errors.New("sheet: more rows than a worksheet holds")

// errWritten reports use of a writer after WriteTo or Close.
var errWritten = errors.New("sheet: workbook already written or closed")

// streamBook is a one-sheet workbook written row by row through excelize's
// StreamWriter, which keeps at most 16 MB in memory and spills the rest to
// a temporary file. Every column is formatted as text, so that ID and phone
// numbers stay as typed when the file is edited and imported again.
type streamBook struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	row  int // last row written
	done bool
}

// newStreamBook starts a workbook with one sheet, a bold frozen header row
// and the given column widths.
func newStreamBook(sheet string, headers []string, widths []float64) (*streamBook, error) {
	f := excelize.NewFile()
	b, err := startStreamBook(f, sheetName(sheet), headers, widths)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("sheet: starting workbook: %w", err)
	}
	return b, nil
}

func startStreamBook(f *excelize.File, name string, headers []string, widths []float64) (*streamBook, error) {
	if name != "Sheet1" {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, err
	}
	head, err := f.NewStyle(headerStyle())
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	if err = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err = sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if len(headers) > 0 {
		if err = sw.SetColStyle(1, len(headers), text); err != nil {
			return nil, err
		}
	}
	values := make([]any, len(headers))
	for i, h := range headers {
		values[i] = excelize.Cell{StyleID: head, Value: h}
	}
	b := &streamBook{f: f, sw: sw}
	return b, b.add(values)
}

// headerStyle is bold text on light grey.
func headerStyle() *excelize.Style {
	return &excelize.Style{
		NumFmt: 49,
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#EDEDED"}},
	}
}

// add writes the next row. String values take the column's text format.
func (b *streamBook) add(values []any) error {
	if b.done {
		return errWritten
	}
	if b.row >= excelize.TotalRows {
		return fmt.Errorf("%w: %d", ErrTooManyRows, excelize.TotalRows)
	}
	b.row++
	cell, err := excelize.CoordinatesToCellName(1, b.row)
	if err != nil {
		return err
	}
	if err = b.sw.SetRow(cell, values); err != nil {
		return fmt.Errorf("sheet: writing row %d: %w", b.row, err)
	}
	return nil
}

// writeTo finishes the sheet and writes the workbook to w, zipping straight
// into w rather than into an in-memory buffer. It releases the workbook.
func (b *streamBook) writeTo(w io.Writer) (int64, error) {
	if b.done {
		return 0, errWritten
	}
	defer b.close()
	if err := b.sw.Flush(); err != nil {
		return 0, fmt.Errorf("sheet: finishing sheet: %w", err)
	}
	cw := &countingWriter{w: w}
	b.f.ZipWriter = func(io.Writer) excelize.ZipWriter { return zip.NewWriter(cw) }
	if _, err := b.f.WriteToBuffer(); err != nil {
		return cw.n, fmt.Errorf("sheet: writing workbook: %w", err)
	}
	return cw.n, nil
}

// close releases the workbook and its temporary file.
func (b *streamBook) close() error {
	if b.done {
		return nil
	}
	b.done = true
	return b.f.Close()
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// sheetName makes s a valid worksheet name: at most 31 characters, none of
// : \ / ? * [ ], not starting or ending with an apostrophe.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, Clean(s))
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	s = strings.Trim(s, "'")
	if s == "" {
		return "Sheet1"
	}
	return s
}

// columnWidth picks a width for a column from its header: wide enough for
// the header, and for the values of ID and phone columns.
func columnWidth(header string) float64 {
	switch FieldForHeader(header) {
	case FieldIDNumber:
		return 22
	case FieldPhone:
		return 16
	}
	w := 4.0
	for _, r := range header {
		w++
		if r >= 0x1100 {
			w++ // CJK characters are twice as wide
		}
	}
	return min(max(w, 12), 40)
}
