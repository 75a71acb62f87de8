package sheet

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/xuri/excelize/v2"
)

// NoteMangled is the Row.Notes value for an ID number that Excel stored as a
// number, losing its last digits or showing it in scientific notation. The
// user must re-enter the number in a cell formatted as text.
const NoteMangled = "mangled"

// Row is one non-empty data row of the first worksheet.
type Row struct {
	// Number is the 1-based row number as Excel shows it (blank rows count).
	// Report it to the user, also when a value repeats within the file.
	Number int
	// Fields maps each canonical field that has a column in the sheet to its
	// cleaned value, "" when the cell is blank.
	Fields map[string]string
	// Raw holds the cells as read, one per header column, for the report.
	Raw []string
	// Notes maps a field to a finding such as NoteMangled; nil when none.
	Notes map[string]string
}

// Reader streams the rows of an uploaded workbook's first worksheet. It is
// not safe for concurrent use.
type Reader struct {
	dir     string // private temporary directory, removed by Close
	tmp     *os.File
	book    *excelize.File
	rows    *excelize.Rows
	types   *cellScanner // nil if the worksheet part could not be located
	watched []string     // field of each cellScanner slot
	headers []string
	fields  []string // canonical field of each column, "" for others
	num     int      // row number of the last row excelize returned
	err     error    // sticky end: io.EOF or the error that ended reading
}

// Open reads an uploaded .xlsx (by content, whatever its name) and its
// header row. The upload is copied to a temporary file and the first
// worksheet is read as a stream, so memory does not grow with the number of
// rows. Errors wrap ErrNotXLSX, ErrCorrupt, ErrTooLarge, ErrEmpty,
// ErrMissingColumns or ErrDuplicateColumn (the last two as *ColumnError).
// Close the Reader when done.
func Open(r io.ReaderAt, size int64) (*Reader, error) {
	if err := sniff(r, size); err != nil {
		return nil, err
	}
	rd := &Reader{}
	if err := rd.open(r, size); err != nil {
		_ = rd.Close()
		return nil, err
	}
	return rd, nil
}

func (rd *Reader) open(r io.ReaderAt, size int64) error {
	var err error
	if rd.dir, err = os.MkdirTemp("", "zhiyuan-sheet-"); err != nil {
		return fmt.Errorf("sheet: temporary directory: %w", err)
	}
	if rd.tmp, err = os.Create(filepath.Join(rd.dir, "upload.xlsx")); err != nil {
		return fmt.Errorf("sheet: temporary file: %w", err)
	}
	if _, err = io.Copy(rd.tmp, io.NewSectionReader(r, 0, size)); err != nil {
		return fmt.Errorf("sheet: copying the upload: %w", err)
	}
	zr, err := zip.NewReader(rd.tmp, size)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if err = checkArchive(zr); err != nil {
		return err
	}
	rd.book, err = excelize.OpenFile(rd.tmp.Name(), excelize.Options{
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: xmlSpill,
		TmpDir:            rd.dir,
		ShortDatePattern:  "yyyy-mm-dd",
	})
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	sheets := rd.book.GetSheetList()
	if len(sheets) == 0 {
		return fmt.Errorf("%w: no worksheet", ErrCorrupt)
	}
	if rd.rows, err = rd.book.Rows(sheets[0]); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if err = rd.readHeader(); err != nil {
		return err
	}
	return rd.startScanner(zr)
}

// readHeader takes the first non-blank row as the header row and maps its
// cells to fields.
func (rd *Reader) readHeader() error {
	for rd.rows.Next() {
		rd.num++
		cells, err := rd.rows.Columns()
		if err != nil {
			return fmt.Errorf("%w: row %d: %v", ErrCorrupt, rd.num, err)
		}
		if !slices.ContainsFunc(cells, func(c string) bool { return Clean(c) != "" }) {
			continue
		}
		rd.headers = cells
		rd.fields = make([]string, len(cells))
		for i, h := range cells {
			rd.fields[i] = FieldForHeader(h)
		}
		return checkHeader(cells, rd.fields)
	}
	if err := rd.rows.Error(); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return ErrEmpty
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

// startScanner starts the cell-type scanner on the ID, phone and region
// columns. Without the worksheet part, rows are still read, and ID numbers
// are judged by their shape alone.
func (rd *Reader) startScanner(zr *zip.Reader) error {
	part, ok := firstSheetPart(zr)
	if !ok {
		return nil
	}
	var cols []int
	for i, f := range rd.fields {
		if f == FieldIDNumber || f == FieldPhone || f == FieldRegion {
			cols = append(cols, i+1)
			rd.watched = append(rd.watched, f)
		}
	}
	var err error
	if rd.types, err = newCellScanner(part, rd.book.CharsetReader, cols); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return nil
}

// Headers returns the header cells as written in the sheet.
func (rd *Reader) Headers() []string { return slices.Clone(rd.headers) }

// Next returns the next non-blank data row, or io.EOF after the last one.
// Rows whose cells are all blank are skipped (their numbers are not reused).
// An error wrapping ErrCorrupt means the rest of the sheet cannot be read.
func (rd *Reader) Next() (Row, error) {
	if rd.err != nil {
		return Row{}, rd.err
	}
	for rd.rows.Next() {
		rd.num++
		cells, err := rd.rows.Columns()
		if err != nil {
			rd.err = fmt.Errorf("%w: row %d: %v", ErrCorrupt, rd.num, err)
			return Row{}, rd.err
		}
		row, ok := rd.build(cells)
		if !ok {
			continue
		}
		if err := rd.applyTypes(&row); err != nil {
			rd.err = err
			return Row{}, err
		}
		return row, nil
	}
	rd.err = rd.finish()
	return Row{}, rd.err
}

// build cleans the cells of one row; it reports false for a blank row.
func (rd *Reader) build(cells []string) (Row, bool) {
	raw := make([]string, len(rd.headers))
	copy(raw, cells)
	fields := make(map[string]string, 8)
	blank := true
	for i, f := range rd.fields {
		if f == "" {
			blank = blank && Clean(raw[i]) == ""
			continue
		}
		v := cleanField(f, raw[i])
		blank = blank && v == ""
		fields[f] = v
	}
	if blank {
		return Row{}, false
	}
	return Row{Number: rd.num, Fields: fields, Raw: raw}, true
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

// applyTypes replaces the values of numeric ID, phone and region cells with
// the exact stored number and notes ID numbers Excel has mangled.
func (rd *Reader) applyTypes(row *Row) error {
	id := row.Fields[FieldIDNumber]
	if rd.types == nil {
		if IDNumberLooksMangled(id) {
			row.Notes = map[string]string{FieldIDNumber: NoteMangled}
		}
		return nil
	}
	cells, err := rd.types.at(row.Number)
	if err != nil {
		return err
	}
	numericID := false
	for i, c := range cells {
		if !c.numeric || c.raw == "" {
			continue
		}
		digits, ok := expandInteger(c.raw)
		if !ok {
			continue
		}
		f := rd.watched[i]
		row.Fields[f] = digits
		if f == FieldIDNumber {
			numericID, id = true, digits
		}
	}
	if (numericID && IDNumberLooksMangled(id)) || isScientific(id) {
		row.Notes = map[string]string{FieldIDNumber: NoteMangled}
	}
	return nil
}

// finish checks that the sheet was read to its end.
func (rd *Reader) finish() error {
	if err := rd.rows.Error(); err != nil {
		return fmt.Errorf("%w: after row %d: %v", ErrCorrupt, rd.num, err)
	}
	if rd.types == nil {
		return io.EOF
	}
	if _, err := rd.types.at(math.MaxInt); err != nil {
		return err
	}
	if rd.types.maxRow > rd.num {
		return fmt.Errorf("%w: reading stopped at row %d of %d", ErrCorrupt, rd.num, rd.types.maxRow)
	}
	return io.EOF
}

// Close releases the workbook and removes its temporary files.
func (rd *Reader) Close() error {
	var errs []error
	if rd.types != nil {
		errs = append(errs, rd.types.close())
	}
	if rd.rows != nil {
		_ = rd.rows.Close() // returns the iterator's read error, already reported by Next
	}
	if rd.book != nil {
		errs = append(errs, rd.book.Close())
	}
	if rd.tmp != nil {
		errs = append(errs, rd.tmp.Close())
	}
	if rd.dir != "" {
		errs = append(errs, os.RemoveAll(rd.dir))
	}
	*rd = Reader{err: errors.New("sheet: reader closed")}
	return errors.Join(errs...)
}
