package sheet

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned by Open. Returned errors wrap one of them; test with
// errors.Is and show Message to the user.
var (
	// ErrNotXLSX reports an upload that is not an .xlsx workbook by content:
	// a CSV, a PDF, an old .xls, a password-protected workbook, random bytes.
	ErrNotXLSX = errors.New("sheet: not an xlsx workbook")
	// ErrOldXLS reports an old binary .xls workbook (or a password-protected
	// one, which Excel stores the same way); it wraps ErrNotXLSX.
	ErrOldXLS = fmt.Errorf("%w: old .xls", ErrNotXLSX)
	// ErrNotSheet reports a file that is neither a workbook nor text that
	// could be CSV (a PDF, an image); it wraps ErrNotXLSX.
	ErrNotSheet = fmt.Errorf("%w: not a spreadsheet", ErrNotXLSX)
	// ErrCorrupt reports a zip or workbook that is damaged or incomplete.
	ErrCorrupt = errors.New("sheet: corrupt workbook")
	// ErrTooLarge reports a workbook that unpacks to more than the import
	// accepts (this refuses zip bombs).
	ErrTooLarge = errors.New("sheet: workbook too large")
	// ErrTooManyCells reports a sheet with more cells in a row or in all
	// than Limits allow; it wraps ErrTooLarge.
	ErrTooManyCells = fmt.Errorf("%w: too many cells", ErrTooLarge)
	// ErrCellTooLarge reports one cell or tag larger than the reader holds
	// (a legitimate cell is at most 32,767 characters); it wraps ErrTooLarge.
	ErrCellTooLarge = fmt.Errorf("%w: a cell too large", ErrTooLarge)
	// ErrEmpty reports a first worksheet without a header row.
	ErrEmpty = errors.New("sheet: empty worksheet")
	// ErrMissingColumns reports a header row without some required columns;
	// the returned *ColumnError lists them.
	ErrMissingColumns = errors.New("sheet: missing required columns")
	// ErrDuplicateColumn reports two header cells naming the same field; the
	// returned *ColumnError lists them.
	ErrDuplicateColumn = errors.New("sheet: duplicate column")
)

// ColumnError is the error Open returns for a header row that lacks required
// columns (Err is ErrMissingColumns) or names a field twice (Err is
// ErrDuplicateColumn).
type ColumnError struct {
	// Err is ErrMissingColumns or ErrDuplicateColumn.
	Err error
	// Fields are the canonical fields concerned.
	Fields []string
	// Headers are the header cells concerned: the template headers of the
	// missing fields, or the duplicated cells as written in the sheet.
	Headers []string
}

// Error returns the sentinel text and the headers concerned.
func (e *ColumnError) Error() string {
	return e.Err.Error() + ": " + strings.Join(e.Headers, ", ")
}

// Unwrap returns ErrMissingColumns or ErrDuplicateColumn.
func (e *ColumnError) Unwrap() error { return e.Err }

// messages holds the user-facing text of each sentinel: Chinese, English.
var messages = []struct {
	err    error
	zh, en string
}{
	{ErrOldXLS, "这是旧版 .xls 文件或加密的工作簿，无法读取。请在 Excel 中“另存为” .xlsx（不设密码）后再上传。",
		"This is an old Excel file (.xls) or a password-protected workbook. Save it as .xlsx (without a password) in Excel, then upload again."},
	{ErrNotXLSX, "文件不是 Excel 工作簿（.xlsx）或 CSV 文件。请在 Excel 中“另存为” .xlsx 再上传。",
		"The file is neither an Excel workbook (.xlsx) nor a CSV file. Save it as .xlsx in Excel, then upload again."},
	{ErrCorrupt, "文件已损坏或不完整，无法读取。请在 Excel 中重新保存后再上传。",
		"The file is damaged or incomplete and cannot be read. Save it again in Excel and upload it again."},
	{ErrCellTooLarge, "文件过大：有单元格的内容超过 Excel 单元格的上限（32,767 个字符），无法导入。",
		"The file is too large: a cell holds more than an Excel cell can (32,767 characters)."},
	{ErrTooLarge, "文件解压后过大，无法导入。请删除多余的工作表和图片，或拆分为几个文件。",
		"The file is too large once unpacked. Remove other worksheets and pictures, or split it into several files."},
	{ErrEmpty, "工作表是空的，找不到表头行。请使用导入模板填写。",
		"The worksheets are empty: there is no header row. Please fill in the import template."},
	{ErrTooManyRows, "行数超过 Excel 工作表的上限（1,048,576 行），请分批导出。",
		"More rows than an Excel worksheet holds (1,048,576); export in several parts."},
}

// Message returns the text to show the user for an error from this package,
// in Chinese (lang "zh") or English (lang "en"). Errors from elsewhere get a
// generic "could not read the file"; nil gets "".
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	en := strings.HasPrefix(strings.ToLower(lang), "en")
	var ce *ColumnError
	if errors.As(err, &ce) {
		return columnMessage(ce, en)
	}
	var le *LimitError
	if errors.As(err, &le) {
		return le.message(en)
	}
	for _, m := range messages {
		if errors.Is(err, m.err) {
			if en {
				return m.en
			}
			return m.zh
		}
	}
	if en {
		return "The file could not be read."
	}
	return "无法读取文件。"
}

// LimitError is the error for a sheet past Limits; it wraps ErrTooManyCells.
type LimitError struct {
	PerRow bool  // the row's cells, not the sheet's, passed the limit
	Row    int   // the row where reading stopped
	Limit  int64 // the limit passed
}

// Error names the limit.
func (e *LimitError) Error() string {
	if e.PerRow {
		return fmt.Sprintf("%v: row %d has more than %d cells", ErrTooManyCells, e.Row, e.Limit)
	}
	return fmt.Sprintf("%v: more than %d cells in the sheet (at row %d)", ErrTooManyCells, e.Limit, e.Row)
}

// Unwrap returns ErrTooManyCells.
func (e *LimitError) Unwrap() error { return ErrTooManyCells }

func (e *LimitError) message(en bool) string {
	switch {
	case e.PerRow && en:
		return fmt.Sprintf("The file is too large: row %d has more than %d cells. Delete the columns the template does not have, or copy the data into a new workbook.", e.Row, e.Limit)
	case e.PerRow:
		return fmt.Sprintf("文件过大：第 %d 行超过 %d 个单元格。请删除模板以外的列，或把数据复制到新的工作簿后再上传。", e.Row, e.Limit)
	case en:
		return fmt.Sprintf("The file is too large: the worksheet has more than %d cells. Split it into several files.", e.Limit)
	}
	return fmt.Sprintf("文件过大：工作表超过 %d 个单元格。请拆分为几个文件再上传。", e.Limit)
}

// columnMessage words a ColumnError, e.g. "缺少必填列：证件号码、手机号码".
func columnMessage(e *ColumnError, en bool) string {
	missing := errors.Is(e.Err, ErrMissingColumns)
	if !en {
		if missing {
			return "缺少必填列：" + strings.Join(e.Headers, "、")
		}
		return "列名重复：" + strings.Join(e.Headers, "、") + "（同一项只能有一列）"
	}
	names := make([]string, len(e.Headers))
	for i, h := range e.Headers {
		names[i] = h
		if i < len(e.Fields) {
			if c, ok := columnOf(e.Fields[i]); ok {
				names[i] = h + " (" + c.english + ")"
			}
		}
	}
	if missing {
		return "Missing required columns: " + strings.Join(names, ", ")
	}
	return "Duplicate columns: " + strings.Join(names, ", ") + " (each field may appear only once)"
}
