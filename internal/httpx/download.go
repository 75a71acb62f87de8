package httpx

import (
	"log/slog"
	"net/http"
	"strconv"
)

// XLSXType is the media type of an .xlsx workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// PDFType is the media type of a PDF document.
const PDFType = "application/pdf"

// SendXLSX writes a workbook as a download that no cache keeps (exports hold
// personal data, masked or not).
func SendXLSX(w http.ResponseWriter, name string, data []byte) { send(w, XLSXType, name, data) }

// SendPDF writes a PDF (a certificate) as a download that no cache keeps.
func SendPDF(w http.ResponseWriter, name string, data []byte) { send(w, PDFType, name, data) }

// send writes data as the download name of media type typ.
func send(w http.ResponseWriter, typ, name string, data []byte) {
	downloadHeaders(w, typ, name)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// downloadHeaders names the response an attachment that no cache keeps.
func downloadHeaders(w http.ResponseWriter, typ, name string) {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
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
		downloadHeaders(x.w, XLSXType, x.name)
		x.w.WriteHeader(http.StatusOK)
	}
	return x.w.Write(p)
}

// Started reports whether the download began: an error after that cannot
// be shown to the client, whose file is cut short.
func (x *XLSXStream) Started() bool { return x.started }

// End ends the streamed download with the export's outcome: an error before
// the download began is answered by fail (a page or the JSON envelope);
// after it, only logged, since the client's file is cut short and will not
// open.
func (x *XLSXStream) End(r *http.Request, err error, log *slog.Logger, fail Deny) {
	switch {
	case err == nil:
	case x.started:
		log.WarnContext(r.Context(), "export cut short", "err", err)
	default:
		fail(x.w, r, err)
	}
}
