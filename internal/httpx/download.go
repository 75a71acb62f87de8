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

// XLSXStream is a response as the io.Writer of a workbook streamed to the
// client as it is zipped, so that no export holds its whole file in memory.
// The download headers go out with the first byte: an error returned before
// anything was written can still be shown as an error page.
type XLSXStream struct {
	w       http.ResponseWriter
	name    string
	started bool
}

// NewXLSXStream starts a streamed download of the workbook name.
func NewXLSXStream(w http.ResponseWriter, name string) *XLSXStream {
	return &XLSXStream{w: w, name: name}
}

// Write sends p, with the download headers first.
func (x *XLSXStream) Write(p []byte) (int, error) {
	if !x.started {
		x.started = true
		x.w.Header().Set("Content-Type", XLSXType)
		x.w.Header().Set("Content-Disposition", `attachment; filename="`+x.name+`"`)
		x.w.Header().Set("Cache-Control", "no-store")
		x.w.WriteHeader(http.StatusOK)
	}
	return x.w.Write(p)
}

// Started reports whether the download began: an error after that cannot
// be shown to the client, whose file is cut short.
func (x *XLSXStream) Started() bool { return x.started }
