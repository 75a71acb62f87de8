package sheet

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Excel's worksheet limits.
const (
	maxRows    = 1 << 20
	maxColumns = 1 << 14
)

// cellValue is one cell as the Reader sees it.
type cellValue struct {
	text    string // shown text: strings as stored, numbers in full, dates as 2006-01-02
	numeric bool   // stored as a number (no t attribute, or t="n")
}

// rowReader decodes the rows of a worksheet part as a stream, one row
// element at a time.
type rowReader struct {
	x        *xmlStream
	sst      *sharedStrings // nil without a shared string table
	dates    []bool         // by style index: the number format shows a date
	date1904 bool
	row      int // number of the last row read
	limits   Limits
	read     int64 // cells read so far in the sheet
}

// Limits bound the work one sheet may ask of the reader: reading a cell
// costs about a microsecond, and a crafted row of 19.6 million cells cost
// 21 s of CPU before the limits.
type Limits struct {
	// CellsPerRow caps the <c> elements of a row and its last column.
	CellsPerRow int
	// CellsPerSheet caps the cells of the whole sheet (rows × columns).
	CellsPerSheet int64
}

// DefaultLimits are generous for any import template (a few dozen
// columns): 200 cells a row, and 25 million cells a sheet, a full
// worksheet's 1,048,576 rows of 24 columns.
var DefaultLimits = Limits{CellsPerRow: 200, CellsPerSheet: 25_000_000}

// orDefault fills zero fields with DefaultLimits.
func (l Limits) orDefault() Limits {
	if l.CellsPerRow <= 0 {
		l.CellsPerRow = DefaultLimits.CellsPerRow
	}
	if l.CellsPerSheet <= 0 {
		l.CellsPerSheet = DefaultLimits.CellsPerSheet
	}
	return l
}

// next reads the next row element and returns its number and its cells up
// to column width (cells[i] is column i+1; trailing blank cells are left
// out). It returns io.EOF after the last row.
func (r *rowReader) next(width int) (int, []cellValue, error) {
	for {
		tok, err := r.x.token()
		if err != nil {
			return r.row + 1, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "row" {
				continue
			}
			// Rows without an r attribute follow the previous one.
			r.row++
			if n, err := strconv.Atoi(attr(t.Attr, "r")); err == nil {
				r.row = n
			}
			if r.row < 1 || r.row > maxRows {
				return r.row, nil, fmt.Errorf("row number %d out of range", r.row)
			}
			cells, err := r.cells(width)
			return r.row, cells, err
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				return r.row + 1, nil, io.EOF
			}
		}
	}
}

// cells reads the cells of the current row up to its end tag.
func (r *rowReader) cells(width int) ([]cellValue, error) {
	var cells []cellValue
	col, count := 0, 0
	for {
		tok, err := r.x.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				continue
			}
			col++
			count++
			if ref := attr(t.Attr, "r"); ref != "" {
				if col = columnNumber(ref); col < 1 || col > maxColumns {
					return nil, fmt.Errorf("bad cell reference %q", ref)
				}
			}
			if r.read++; r.read > r.limits.CellsPerSheet {
				return nil, &LimitError{Row: r.row, Limit: r.limits.CellsPerSheet}
			}
			if col > r.limits.CellsPerRow || count > r.limits.CellsPerRow {
				return nil, &LimitError{PerRow: true, Row: r.row, Limit: int64(r.limits.CellsPerRow)}
			}
			c, err := r.cell(t, col <= width)
			if err != nil {
				return nil, err
			}
			if c.text != "" {
				for len(cells) < col {
					cells = append(cells, cellValue{})
				}
				cells[col-1] = c
			}
		case xml.EndElement:
			if t.Name.Local == "row" {
				return cells, nil
			}
		}
	}
}

// cell reads the rest of a <c> element and returns its value if keep is
// set (columns past the header are read over).
func (r *rowReader) cell(start xml.StartElement, keep bool) (cellValue, error) {
	depth := len(r.x.open)
	var v strings.Builder
	var inline string
	inValue := false
	for {
		tok, err := r.x.token()
		if err != nil {
			return cellValue{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				inValue = true
			case "is":
				if inline, err = r.x.richText(); err != nil {
					return cellValue{}, err
				}
			}
		case xml.CharData:
			if inValue && v.Len() < maxCellBytes {
				v.Write(t)
			}
		case xml.EndElement:
			if len(r.x.open) < depth {
				if !keep {
					return cellValue{}, nil
				}
				return r.value(attr(start.Attr, "t"), attr(start.Attr, "s"), v.String(), inline)
			}
			if t.Name.Local == "v" {
				inValue = false
			}
		}
	}
}

// value interprets a cell's stored value v (or inline string) by its type
// and style.
func (r *rowReader) value(typ, style, v, inline string) (cellValue, error) {
	switch typ {
	case "s":
		if strings.TrimSpace(v) == "" {
			return cellValue{}, nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || r.sst == nil {
			return cellValue{}, fmt.Errorf("bad shared string reference %q", v)
		}
		s, err := r.sst.get(i)
		return cellValue{text: s}, err
	case "inlineStr":
		if inline == "" {
			inline = unescapeBSTR(v) // some writers put it in <v>
		}
		return cellValue{text: inline}, nil
	case "str", "e":
		return cellValue{text: unescapeBSTR(v)}, nil
	case "b":
		if strings.TrimSpace(v) == "1" {
			return cellValue{text: "TRUE"}, nil
		}
		return cellValue{text: "FALSE"}, nil
	case "d":
		return cellValue{text: strings.TrimSuffix(strings.TrimSuffix(v, "Z"), "T00:00:00")}, nil
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return cellValue{}, nil
	}
	if i, err := strconv.Atoi(style); err == nil && i >= 0 && i < len(r.dates) && r.dates[i] {
		if d, ok := excelDate(v, r.date1904); ok {
			return cellValue{text: d, numeric: true}, nil
		}
	}
	return cellValue{text: formatNumber(v), numeric: true}, nil
}

// excelDate writes a date serial number as 2006-01-02, with the time if it
// has one.
func excelDate(v string, date1904 bool) (string, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 2958465 { // 9999-12-31
		return "", false
	}
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return "", false
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(time.DateOnly), true
	}
	return t.Format(time.DateTime), true
}

func attr(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
