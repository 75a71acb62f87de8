// Package sheet is the spreadsheet side of volunteer import and roster
// export: it reads an uploaded .xlsx as a stream of cleaned rows, writes the
// per-row error report and the downloadable import template, and streams
// large exports. It knows nothing of the database or of validation beyond
// cleaning cells; the import service validates each Row and decides what to
// save.
//
// All readers and writers stream through excelize (github.com/xuri/excelize/v2):
// rows are read with File.Rows and written with StreamWriter, which spill to
// temporary files, so memory stays flat however many rows a sheet has.
package sheet
