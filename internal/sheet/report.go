package sheet

import "io"

// Report column headers, put first so they show on a phone screen.
const (
	// ReportRowHeader heads the column with the row number in the upload.
	ReportRowHeader = "原行号"
	// ReportProblemHeader heads the column explaining what is wrong.
	ReportProblemHeader = "错误说明"
)

// Report streams the per-row import report: for each rejected row, its
// number in the upload, what is wrong with it, and its original cells,
// stored as text so that Excel does not mangle ID numbers again. The user
// can fix the cells and import the report itself: its first two columns are
// not import columns and are ignored.
type Report struct {
	b *streamBook
}

// NewReport starts a report whose columns are 原行号, 错误说明 and then the
// upload's headers (Reader.Headers).
func NewReport(headers []string) (*Report, error) {
	all := append([]string{ReportRowHeader, ReportProblemHeader}, headers...)
	widths := make([]float64, len(all))
	widths[0], widths[1] = 8, 48
	for i, h := range headers {
		widths[i+2] = columnWidth(h)
	}
	b, err := newStreamBook("错误报告", all, widths)
	if err != nil {
		return nil, err
	}
	return &Report{b: b}, nil
}

// Add appends a row: the upload row number (Row.Number, written as a number
// so the column sorts), the problems in Chinese, and the row's original
// cells (Row.Raw).
func (r *Report) Add(rowNumber int, raw []string, problems string) error {
	values := make([]any, 2+len(raw))
	values[0], values[1] = rowNumber, problems
	for i, c := range raw {
		values[i+2] = c
	}
	return r.b.add(values)
}

// WriteTo writes the report to w and releases its temporary file; the
// Report cannot be used afterwards.
func (r *Report) WriteTo(w io.Writer) (int64, error) { return r.b.writeTo(w) }

// Close releases a report that will not be written. It is a no-op after
// WriteTo.
func (r *Report) Close() error { return r.b.close() }
