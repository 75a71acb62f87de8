package record

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"regexp"
	"strconv"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/db"
)

// maxEvidencePixels caps the pixels of an evidence image before it is
// decoded: a small PNG may declare 100,000 × 100,000 pixels and ask the
// decoder for 40 GB. 50 megapixels is more than any phone camera takes.
const maxEvidencePixels = 50_000_000

// evidenceValid reports whether data is whole, well-formed evidence of type
// ct (as http.DetectContentType named it from the first bytes): an image
// that decodes completely (a PNG with nothing after its end), or a PDF
// whose structure (header, cross-reference table or stream and trailer,
// %%EOF) holds together. First bytes alone let a PNG signature followed by
// HTML through.
func evidenceValid(ct string, data []byte) bool {
	switch ct {
	case "image/png":
		return imageDecodes(data, png.DecodeConfig, png.Decode) && pngEndsAtIEND(data)
	case "image/jpeg":
		return imageDecodes(data, jpeg.DecodeConfig, jpeg.Decode)
	case "application/pdf":
		return pdfWellFormed(data)
	}
	return false
}

func imageDecodes(data []byte, config func(io.Reader) (image.Config, error), decode func(io.Reader) (image.Image, error)) bool {
	c, err := config(bytes.NewReader(data))
	if err != nil || c.Width <= 0 || c.Height <= 0 || int64(c.Width)*int64(c.Height) > maxEvidencePixels {
		return false
	}
	_, err = decode(bytes.NewReader(data))
	return err == nil
}

// pngEndsAtIEND walks the PNG's chunks: the file must end with IEND's CRC.
func pngEndsAtIEND(data []byte) bool {
	i := 8 // the signature
	for i+12 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[i:]))
		if n < 0 || n > len(data)-i-12 {
			return false
		}
		typ := string(data[i+4 : i+8])
		i += 12 + n
		if typ == "IEND" {
			return i == len(data)
		}
	}
	return false
}

var (
	pdfHeader    = regexp.MustCompile(`^%PDF-[12]\.[0-9]`)
	pdfStartXref = regexp.MustCompile(`startxref\s+([0-9]{1,12})\s+%%EOF\s*$`)
	pdfXrefObj   = regexp.MustCompile(`^[0-9]+\s+[0-9]+\s+obj\b`)
)

// pdfWellFormed checks a PDF's skeleton as a reader finds it: the header,
// then from the end "startxref N %%EOF", where N is the offset of a
// cross-reference table ("xref", followed by a trailer naming the /Root)
// or of a cross-reference stream object (with /Type /XRef and /Root).
func pdfWellFormed(data []byte) bool {
	if !pdfHeader.Match(data) {
		return false
	}
	tail := data[max(0, len(data)-1024):]
	m := pdfStartXref.FindSubmatch(tail)
	if m == nil {
		return false
	}
	off, err := strconv.Atoi(string(m[1]))
	if err != nil || off < 9 || off >= len(data)-len(tail)+bytes.LastIndex(tail, []byte("startxref")) {
		return false
	}
	at := data[off:]
	switch {
	case bytes.HasPrefix(at, []byte("xref")):
		t := bytes.Index(at, []byte("trailer"))
		return t > 0 && bytes.Contains(at[t:], []byte("/Root"))
	case pdfXrefObj.Match(at):
		end := bytes.Index(at, []byte("stream"))
		return end > 0 && bytes.Contains(at[:end], []byte("/XRef")) && bytes.Contains(at[:end], []byte("/Root"))
	}
	return false
}

// UploadQuota bounds the evidence one account may upload in a day.
type UploadQuota struct {
	Files int   // files a day
	Bytes int64 // bytes a day
}

// DefaultUploadQuota is 500 files or 1 GB a day per account: a team's
// busiest day of backfills is a few dozen photos.
var DefaultUploadQuota = UploadQuota{Files: 500, Bytes: 1 << 30}

// errUploadQuota is the refusal past the quota.
func errUploadQuota(q UploadQuota) error {
	e := apperr.New(apperr.Throttled, "record.upload_quota").With(map[string]any{"Files": q.Files, "MB": q.Bytes >> 20})
	e.RetryAfter = 3600
	return e
}

// checkUploadQuota refuses, in the upload's transaction, an upload that
// would take the account past its quota over the last 24 hours.
func (s *Service) checkUploadQuota(ctx context.Context, tx db.Querier, accountID int64, size int, now time.Time) error {
	q := s.uploadQuota()
	files, bytes, err := uploadsSince(ctx, tx, accountID, now.Add(-24*time.Hour).Unix())
	if err != nil {
		return apperr.Wrap(err, "record: upload quota")
	}
	if files+1 > q.Files || bytes+int64(size) > q.Bytes {
		return errUploadQuota(q)
	}
	return nil
}

// SetUploadQuota sets the daily evidence quota of each account (zero
// fields keep the default). Call it before serving.
func (s *Service) SetUploadQuota(q UploadQuota) {
	if q.Files <= 0 {
		q.Files = DefaultUploadQuota.Files
	}
	if q.Bytes <= 0 {
		q.Bytes = DefaultUploadQuota.Bytes
	}
	s.quota = &q
}

func (s *Service) uploadQuota() UploadQuota {
	if s.quota == nil {
		return DefaultUploadQuota
	}
	return *s.quota
}
