package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// csvSample is how much of a file decides whether it is text, and in which
// encoding: UTF-8 if the sample is, else GB18030 (which reads GBK and
// GB2312, what Excel on a Chinese Windows saves as "CSV").
const csvSample = 64 << 10

// csvRows reads the rows of a CSV file, as rowReader reads a worksheet's.
type csvRows struct {
	r      *csv.Reader
	limits Limits
	read   int64
	row    int
}

// openCSV starts reading r as CSV, in UTF-8 (with or without a byte order
// mark) or GB18030. It returns ErrNotXLSX when the start of r is not text.
func openCSV(r io.ReaderAt, size int64, lim Limits) (*csvRows, error) {
	head := make([]byte, min(size, csvSample))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if !looksLikeText(head) || isMarkup(head) {
		return nil, fmt.Errorf("%w: content starts %q", ErrNotSheet, head[:min(len(head), 4)])
	}
	var in io.Reader = io.NewSectionReader(r, 0, size)
	if !utf8.Valid(trimPartialRune(head, size)) {
		in = transform.NewReader(in, simplifiedchinese.GB18030.NewDecoder())
	}
	br := bufio.NewReaderSize(in, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	c := csv.NewReader(br)
	c.FieldsPerRecord = -1
	c.LazyQuotes = true
	c.ReuseRecord = true
	return &csvRows{r: c, limits: lim}, nil
}

// next returns the next record as cells (all text), numbered by its line.
func (c *csvRows) next(width int) (int, []cellValue, error) {
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return c.row + 1, nil, io.EOF
	}
	if err != nil {
		return c.row + 1, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	c.row, _ = c.r.FieldPos(0)
	if len(rec) > c.limits.CellsPerRow {
		return c.row, nil, &LimitError{PerRow: true, Row: c.row, Limit: int64(c.limits.CellsPerRow)}
	}
	if c.read += int64(len(rec)); c.read > c.limits.CellsPerSheet {
		return c.row, nil, &LimitError{Row: c.row, Limit: c.limits.CellsPerSheet}
	}
	cells := make([]cellValue, min(len(rec), width))
	for i := range cells {
		cells[i] = cellValue{text: rec[i]}
	}
	return c.row, cells, nil
}

// looksLikeText reports whether a file's start can be CSV: no NUL bytes and
// few control characters (an .xls, a PDF or an image has many).
func looksLikeText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	controls := 0
	for _, c := range b {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			controls++
		}
	}
	return controls*100 < len(b)
}

// isMarkup reports whether text is HTML or XML (a web page saved as .xls,
// an SVG), not CSV.
func isMarkup(b []byte) bool {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// trimPartialRune drops a UTF-8 sequence cut off at the sample's end.
func trimPartialRune(b []byte, size int64) []byte {
	if int64(len(b)) == size {
		return b
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			return b
		}
	}
	return b
}
