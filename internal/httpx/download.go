package httpx

import (
	"net/http"
	"strconv"
)

// XLSXType is the media type of an .xlsx workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// SendXLSX writes a workbook as a download that no cache keeps (exports hold
// personal data, masked or not).
func SendXLSX(w http.ResponseWriter, name string, data []byte) {
	w.Header().Set("Content-Type", XLSXType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}
