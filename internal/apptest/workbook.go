package apptest

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Workbook builds an .xlsx from rows of cells; a float64 cell is written as
// a number, the way Excel stores an ID typed into a General cell.
func Workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
