package sheet

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// NoteMangled is the Row.Notes value for an ID number that Excel stored as a
// number, losing its last digits or showing it in scientific notation. The
// user must re-enter the number in a cell formatted as text.
const NoteMangled = "mangled"

// Row is one non-blank data row of the first worksheet.
type Row struct {
	// Number is the 1-based row number as Excel shows it (blank rows count).
	// Report it to the user, also when a value repeats within the file.
	Number int
	// Fields maps each canonical field that has a column in the sheet to its
	// cleaned value, "" when the cell is blank.
	Fields map[string]string
	// Raw holds the cells as read, one per header column, for the report.
	// Numbers are written in full ("110105194912310000", not
	// "1.10105E+17") and dates as 2006-01-02.
	Raw []string
	// Notes maps a field to a finding such as NoteMangled; nil when none.
	Notes map[string]string
}

// Reader streams the rows of an uploaded workbook's first worksheet. It is
// not safe for concurrent use.
type Reader struct {
	sheet   io.ReadCloser
	rows    rowSource
	sst     *sharedStrings
	dir     string // temporary files of a large shared string table
	headers []string
	fields  []string    // canonical field of each column, "" for others
	pending *pendingRow // the first data row, read with the header
	err     error       // sticky end: io.EOF or what ended reading
}

// Open reads the header row of an uploaded .xlsx, recognised by content
// whatever its name. The Reader reads r (which must stay readable until
// Close) as a stream: the first worksheet is decompressed and decoded row by
// row, and a large shared string table is unpacked to temporary files, so
// memory stays flat however many rows the sheet has. Errors wrap
// ErrNotXLSX, ErrCorrupt, ErrTooLarge, ErrEmpty, ErrMissingColumns or
// ErrDuplicateColumn (the last two as *ColumnError). Close the Reader.
func Open(r io.ReaderAt, size int64) (*Reader, error) {
	return OpenLimited(r, size, DefaultLimits)
}

// OpenLimited is Open with limits on the cells read (zero fields take
// DefaultLimits); past them reading ends with a *LimitError, which wraps
// ErrTooManyCells and ErrTooLarge.
func OpenLimited(r io.ReaderAt, size int64, lim Limits) (*Reader, error) {
	rd := &Reader{}
	err := sniff(r, size)
	switch {
	case err == nil:
		err = rd.open(r, size, lim.orDefault())
	case errors.Is(err, ErrNotXLSX) && !errors.Is(err, ErrOldXLS) && !errors.Is(err, ErrNotSheet):
		// Not a zip: a CSV file, if it is text at all.
		var rows *csvRows
		if rows, err = openCSV(r, size, lim.orDefault()); err == nil {
			rd.rows = rows
			err = rd.readHeader()
		}
	}
	if err != nil {
		_ = rd.Close()
		return nil, err
	}
	return rd, nil
}

func (rd *Reader) open(r io.ReaderAt, size int64, lim Limits) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if err = checkArchive(zr); err != nil {
		return err
	}
	parts, err := findParts(zr)
	if err != nil {
		return err
	}
	base := rowReader{date1904: parts.date1904, limits: lim}
	if parts.styles != nil {
		var styles stylesXML
		if decodePart(parts.styles, &styles) {
			base.dates = styles.dateStyles()
		}
	}
	if parts.sst != nil {
		if parts.sst.UncompressedSize64 > smallSST {
			if rd.dir, err = os.MkdirTemp("", "zhiyuan-sheet-"); err != nil {
				return fmt.Errorf("sheet: temporary directory: %w", err)
			}
		}
		rd.sst, err = loadSharedStrings(parts.sst, rd.dir)
		if err != nil {
			return unreadable(err, "shared strings")
		}
		base.sst = rd.sst
	}
	// The first sheet with a header: an office's workbook may open on an
	// empty sheet or one of instructions. Without one, the first sheet's
	// error is the answer.
	var firstErr error
	for i, sheet := range parts.sheets {
		if sheet == nil {
			continue
		}
		err := rd.openSheet(sheet, base)
		if err == nil || !rd.noHeader(err) {
			return err
		}
		if i == 0 {
			firstErr = err
		}
		if cerr := rd.sheet.Close(); cerr != nil {
			return fmt.Errorf("%w: %v", ErrCorrupt, cerr)
		}
		rd.sheet, rd.pending = nil, nil
	}
	return firstErr
}

// openSheet starts reading sheet, with a row reader set up like base, and
// reads its header.
func (rd *Reader) openSheet(sheet *zip.File, base rowReader) error {
	var err error
	if rd.sheet, err = sheet.Open(); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	base.x = newXMLStream(bufio.NewReaderSize(rd.sheet, 64<<10))
	rd.rows = &base
	return rd.readHeader()
}

// noHeader reports whether the sheet just read holds no header at all
// (empty, or not one known column name), so that the next is tried.
func (rd *Reader) noHeader(err error) bool {
	return errors.Is(err, ErrEmpty) || (errors.Is(err, ErrMissingColumns) && !slices.ContainsFunc(rd.fields, func(f string) bool { return f != "" }))
}

// rowSource gives the rows of a sheet one by one: a worksheet's XML
// (rowReader) or a CSV file's records (csvRows).
type rowSource interface {
	next(width int) (int, []cellValue, error)
}

// maxTitleRows is how many non-blank rows above the header an office's
// sheet may carry (a title, a date, a unit) before its header row.
const maxTitleRows = 5

// readHeader finds the header row: the first non-blank row with at least two
// known column names, after at most maxTitleRows rows of titles (a
// 花名册's "和平区志愿者花名册" and "填报日期" lines). A header of two rows
// (merged cells: "证件信息" over "证件类型" and "证件号码") is read as one:
// a column the first row does not name takes the name below it. Without any
// such row the first non-blank row is the header, and its missing columns
// are reported as before.
func (rd *Reader) readHeader() error {
	var first []cellValue
	for seen := 0; ; {
		num, cells, err := rd.rows.next(maxColumns)
		if errors.Is(err, io.EOF) {
			if first != nil {
				return rd.setHeader(first, nil)
			}
			return ErrEmpty
		}
		if err != nil {
			return unreadable(err, fmt.Sprintf("row %d", num))
		}
		if blankCells(cells) {
			continue
		}
		if known(cells) >= 2 {
			return rd.headerFrom(cells)
		}
		if first == nil {
			first = cells
		}
		if seen++; seen > maxTitleRows {
			return rd.setHeader(first, nil)
		}
	}
}

// headerFrom takes cells as the header row and reads the row below it: a
// second header row when it names columns the first leaves unnamed and has
// no data under the named ones, otherwise the first data row, kept for Next.
func (rd *Reader) headerFrom(cells []cellValue) error {
	num, below, err := rd.rows.next(maxColumns)
	switch {
	case errors.Is(err, io.EOF):
		return rd.setHeader(cells, nil)
	case err != nil:
		return unreadable(err, fmt.Sprintf("row %d", num))
	case continuesHeader(cells, below):
		return rd.setHeader(cells, below)
	}
	rd.pending = &pendingRow{num: num, cells: below}
	return rd.setHeader(cells, nil)
}

// continuesHeader reports whether below is the lower half of a two-row
// header under top: it names a known column where top names none, and
// every cell it fills under a named column of top is blank.
func continuesHeader(top, below []cellValue) bool {
	adds := false
	for i, c := range below {
		text := Clean(c.text)
		if text == "" {
			continue
		}
		if i < len(top) && FieldForHeader(top[i].text) != "" {
			return false
		}
		if FieldForHeader(c.text) != "" {
			adds = true
		}
	}
	return adds
}

// setHeader maps the header cells (and the second header row's, if any) to
// fields and checks them.
func (rd *Reader) setHeader(top, below []cellValue) error {
	cells := slices.Clone(top)
	for len(cells) < len(below) {
		cells = append(cells, cellValue{})
	}
	for i, c := range below {
		if FieldForHeader(cells[i].text) == "" && Clean(c.text) != "" {
			cells[i] = c
		}
	}
	for len(cells) > 0 && Clean(cells[len(cells)-1].text) == "" {
		cells = cells[:len(cells)-1]
	}
	rd.headers = make([]string, len(cells))
	rd.fields = make([]string, len(cells))
	for i, c := range cells {
		rd.headers[i] = c.text
		rd.fields[i] = FieldForHeader(c.text)
	}
	return checkHeader(rd.headers, rd.fields)
}

// blankCells reports whether every cell is blank.
func blankCells(cells []cellValue) bool {
	return !slices.ContainsFunc(cells, func(c cellValue) bool { return Clean(c.text) != "" })
}

// known counts the cells that name a known column.
func known(cells []cellValue) int {
	n := 0
	for _, c := range cells {
		if FieldForHeader(c.text) != "" {
			n++
		}
	}
	return n
}

// pendingRow is a data row read while looking for the header, returned
// first by Next.
type pendingRow struct {
	num   int
	cells []cellValue
}

// checkHeader reports missing required fields, then fields named twice.
func checkHeader(headers, fields []string) error {
	missing := &ColumnError{Err: ErrMissingColumns}
	for _, c := range columns {
		if c.required && !slices.Contains(fields, c.field) {
			missing.Fields = append(missing.Fields, c.field)
			missing.Headers = append(missing.Headers, c.header)
		}
	}
	if len(missing.Fields) > 0 {
		return missing
	}
	dup := &ColumnError{Err: ErrDuplicateColumn}
	for i, f := range fields {
		if f == "" || slices.Index(fields, f) < i || !slices.Contains(fields[i+1:], f) {
			continue // not a field, reported with its first column, or not repeated
		}
		for j := i; j < len(fields); j++ {
			if fields[j] == f {
				dup.Fields = append(dup.Fields, f)
				dup.Headers = append(dup.Headers, Clean(headers[j]))
			}
		}
	}
	if len(dup.Fields) > 0 {
		return dup
	}
	return nil
}

// unreadable classifies an error that ended reading at where: past a limit
// the sheet is too large (the error says which limit), otherwise corrupt.
func unreadable(err error, where string) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	return fmt.Errorf("%w: %s: %v", ErrCorrupt, where, err)
}

// Headers returns the header cells as written in the sheet.
func (rd *Reader) Headers() []string { return slices.Clone(rd.headers) }

// Next returns the next non-blank data row, or io.EOF after the last one.
// Rows whose cells are all blank are skipped (their numbers are not reused);
// cells right of the last header cell are ignored.
// An error wrapping ErrCorrupt means the rest of the sheet cannot be read;
// the rows returned before it were read whole.
func (rd *Reader) Next() (Row, error) {
	if rd.err != nil {
		return Row{}, rd.err
	}
	if p := rd.pending; p != nil {
		rd.pending = nil
		if row, ok := rd.build(p.num, p.cells); ok {
			return row, nil
		}
	}
	for {
		num, cells, err := rd.rows.next(len(rd.headers))
		if errors.Is(err, io.EOF) {
			rd.err = io.EOF
			return Row{}, rd.err
		}
		if err != nil {
			rd.err = unreadable(err, fmt.Sprintf("row %d", num))
			return Row{}, rd.err
		}
		if row, ok := rd.build(num, cells); ok {
			return row, nil
		}
	}
}

// build cleans the cells of one row; it reports false for a blank row.
func (rd *Reader) build(num int, cells []cellValue) (Row, bool) {
	row := Row{Number: num, Fields: make(map[string]string, 8), Raw: make([]string, len(rd.headers))}
	blank := true
	for i, f := range rd.fields {
		var c cellValue
		if i < len(cells) {
			c = cells[i]
		}
		row.Raw[i] = c.text
		if f == "" {
			blank = blank && Clean(c.text) == ""
			continue
		}
		v := cleanField(f, c.text)
		blank = blank && v == ""
		row.Fields[f] = v
		if f == FieldIDNumber && (isScientific(v) || (c.numeric && IDNumberLooksMangled(v))) {
			row.Notes = map[string]string{FieldIDNumber: NoteMangled}
		}
	}
	return row, !blank
}

// cleanField applies Clean and the field's own tidying.
func cleanField(field, v string) string {
	switch field {
	case FieldIDNumber:
		return cleanIDNumber(v)
	case FieldRealName, FieldRegion:
		return joinHan(Clean(v))
	}
	return Clean(v)
}

// Close releases the Reader and removes its temporary files.
func (rd *Reader) Close() error {
	var errs []error
	if rd.sheet != nil {
		errs = append(errs, rd.sheet.Close())
	}
	if rd.sst != nil {
		errs = append(errs, rd.sst.close())
	}
	if rd.dir != "" {
		errs = append(errs, os.RemoveAll(rd.dir))
	}
	*rd = Reader{err: errors.New("sheet: reader closed")}
	return errors.Join(errs...)
}
