package sheet

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// cellScanner reads the first worksheet's XML a second time, in step with
// excelize's row iterator, for what that iterator does not expose: whether a
// cell is stored as a number, and the number exactly as stored. It watches a
// few columns only (ID number, phone, region) and keeps one row at a time.
type cellScanner struct {
	rc       io.ReadCloser
	dec      *xml.Decoder
	cols     []int      // watched column numbers (1-based); slot i is cols[i]
	vals     []cellType // the watched cells of row
	row      int        // number of the row in vals
	started  bool       // <sheetData> seen
	done     bool
	err      error
	maxRow   int // largest row number seen
}

// cellType is what the scanner learnt about one watched cell.
type cellType struct {
	numeric bool   // stored as a number (no t attribute, or t="n")
	raw     string // the stored number, e.g. "1.1010519491231E+17"
}

// newCellScanner starts reading part, decoding non-UTF-8 XML with charset
// (excelize's transcoder), and watching the given columns.
func newCellScanner(part *zip.File, charset func(string, io.Reader) (io.Reader, error), cols []int) (*cellScanner, error) {
	rc, err := part.Open()
	if err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10))
	dec.CharsetReader = charset
	return &cellScanner{rc: rc, dec: dec, cols: cols, vals: make([]cellType, len(cols))}, nil
}

// at returns the watched cells of row n (nil if the sheet has no row n),
// reading forward as far as needed. Rows must be asked for in order.
func (s *cellScanner) at(n int) ([]cellType, error) {
	for s.row < n && !s.done {
		s.scanRow()
	}
	if s.err != nil {
		return nil, fmt.Errorf("%w: worksheet XML after row %d: %v", ErrCorrupt, s.row, s.err)
	}
	if s.row == n {
		return s.vals, nil
	}
	return nil, nil
}

// scanRow reads up to the end of the next row element.
func (s *cellScanner) scanRow() {
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			s.stop(err)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sheetData":
				s.started = true
			case "row":
				// Number rows as excelize does: the r attribute, else one more.
				s.row++
				if n, err := strconv.Atoi(attr(t.Attr, "r")); err == nil && n > 0 {
					s.row = n
				}
				s.maxRow = max(s.maxRow, s.row)
				clear(s.vals)
				s.scanCells()
				return
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				s.done = true
				return
			}
		}
	}
}

// scanCells reads the cells of the current row up to its end tag.
func (s *cellScanner) scanCells() {
	col, slot, inValue := 0, -1, false
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			s.stop(err)
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				col++
				if c := columnNumber(attr(t.Attr, "r")); c > 0 {
					col = c
				}
				slot = s.slot(col)
				if slot >= 0 {
					typ := attr(t.Attr, "t")
					s.vals[slot].numeric = typ == "" || typ == "n"
				}
			case "v":
				inValue = slot >= 0 && s.vals[slot].numeric
			}
		case xml.CharData:
			if inValue && len(s.vals[slot].raw) < 64 {
				s.vals[slot].raw += string(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inValue = false
			case "c":
				slot, inValue = -1, false
			case "row":
				return
			}
		}
	}
}

// stop ends the scan; running out of input inside sheetData is an error.
func (s *cellScanner) stop(err error) {
	s.done = true
	if err != io.EOF || s.started {
		s.err = err
		if err == io.EOF {
			s.err = io.ErrUnexpectedEOF
		}
	}
}

func (s *cellScanner) slot(col int) int {
	for i, c := range s.cols {
		if c == col {
			return i
		}
	}
	return -1
}

func (s *cellScanner) close() error { return s.rc.Close() }

func attr(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// columnNumber returns the 1-based column of a cell reference such as
// "AB12", or 0 if ref does not start with column letters.
func columnNumber(ref string) int {
	n := 0
	for i := 0; i < len(ref) && i < 3; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		n = n*26 + int(c-'a'+1)
	}
	return n
}

// expandInteger writes a stored number such as "1.1010519491231E+17" or
// "13800138000" as the exact integer it denotes ("110105194912310000"). It
// reports false for anything that is not a non-negative integer.
func expandInteger(raw string) (string, bool) {
	mant, exp, hasExp := strings.Cut(strings.ToUpper(strings.TrimSpace(raw)), "E")
	e := 0
	if hasExp {
		var err error
		if e, err = strconv.Atoi(exp); err != nil || e < -30 || e > 30 {
			return "", false
		}
	}
	whole, frac, _ := strings.Cut(strings.TrimPrefix(mant, "+"), ".")
	digits := whole + frac
	if digits == "" || !allDigits(digits) {
		return "", false
	}
	point := len(whole) + e
	switch {
	case point < 0:
		point = 0
		fallthrough
	case point <= len(digits):
		if strings.Trim(digits[point:], "0") != "" {
			return "", false
		}
		digits = digits[:point]
	default:
		digits += strings.Repeat("0", point-len(digits))
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		digits = "0"
	}
	return digits, true
}
