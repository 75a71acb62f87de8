// Package sheet is the spreadsheet side of volunteer import and roster
// export: it reads an uploaded .xlsx as a stream of cleaned rows, writes the
// per-row error report and the downloadable import template, and streams
// large exports. It knows nothing of the database or of validation beyond
// cleaning cells; the import service validates each Row and decides what to
// save.
//
// Writing goes through excelize's StreamWriter, which spills to a temporary
// file. Reading is done here, on encoding/xml, rather than with excelize's
// Rows iterator, for two reasons measured on a 500,000-row sheet saved the
// way Excel saves it: excelize indexes every shared string in memory (about
// 85 bytes each, 128 MB for 1.5 million distinct cells, where this reader
// keeps them in temporary files and stays near 1 MB of live heap), and its
// iterator hides whether a cell is stored as a number, which is how Excel
// damages ID numbers.
package sheet
