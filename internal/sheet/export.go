package sheet

import "io"

// Export streams a roster or volunteer list into an .xlsx: one sheet, a
// frozen bold header row, every cell text. Memory stays flat however many
// rows are added. Mask personal data before adding it (pii.MaskID,
// pii.MaskPhone, pii.MaskName); Export writes what it is given.
type Export struct {
	b *streamBook
}

// NewExport starts an export with one sheet named sheetName (made valid for
// Excel: at most 31 characters, no : \ / ? * [ ]) and a header row.
func NewExport(sheetName string, headers []string) (*Export, error) {
	widths := make([]float64, len(headers))
	for i, h := range headers {
		widths[i] = columnWidth(h)
	}
	b, err := newStreamBook(sheetName, headers, widths)
	if err != nil {
		return nil, err
	}
	return &Export{b: b}, nil
}

// Add appends one row. Errors wrap ErrTooManyRows past Excel's row limit.
func (e *Export) Add(cells ...string) error {
	values := make([]any, len(cells))
	for i, c := range cells {
		values[i] = c
	}
	return e.b.add(values)
}

// WriteTo writes the workbook to w and releases its temporary file; the
// Export cannot be used afterwards.
func (e *Export) WriteTo(w io.Writer) (int64, error) { return e.b.writeTo(w) }

// Close releases an export that will not be written. It is a no-op after
// WriteTo.
func (e *Export) Close() error { return e.b.close() }
