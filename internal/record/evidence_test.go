package record

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"testing"
)

// validPDF is a minimal well-formed PDF: a catalog, a page tree and a page,
// with its cross-reference table at the offset startxref names.
const validPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n" +
	"0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"

// xrefStreamPDF ends with a cross-reference stream (PDF 1.5 and later).
const xrefStreamPDF = "%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
	"3 0 obj\n<< /Type /XRef /Size 4 /Root 1 0 R /W [1 2 1] /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n110\n%%EOF\n"

func encodePNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 16, 16))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hugePNG is a valid PNG header declaring w × h pixels, with no pixel data.
func hugePNG(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2
	b = binary.BigEndian.AppendUint32(b, 13)
	chunk := append([]byte("IHDR"), ihdr...)
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

// Evidence is checked whole, not by its first bytes: a PNG or JPEG
// signature followed by HTML, a truncated image, a PNG with HTML after its
// end, a PNG declaring 40 gigapixels and a PDF without its cross-reference
// structure are refused; real images and PDFs pass.
func TestEvidenceValid(t *testing.T) {
	pngData := encodePNG(t)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	html := []byte("<html><script>alert(document.cookie)</script></html>")
	for _, c := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"png", pngData, true},
		{"jpeg", jpg.Bytes(), true},
		{"pdf", []byte(validPDF), true},
		{"pdf with a cross-reference stream", []byte(xrefStreamPDF), true},
		{"png signature then html", append([]byte("\x89PNG\r\n\x1a\n"), html...), false},
		{"png then html", append(bytes.Clone(pngData), html...), false},
		{"truncated png", pngData[:len(pngData)-20], false},
		{"png of 200,000 × 200,000 pixels", hugePNG(200_000, 200_000), false},
		{"jpeg signature then html", append([]byte("\xff\xd8\xff\xe0"), html...), false},
		{"truncated jpeg", jpg.Bytes()[:jpg.Len()/2], false},
		{"pdf header then html", append([]byte("%PDF-1.4\n"), html...), false},
		{"pdf without xref", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"), false},
		{"pdf whose startxref points nowhere", []byte(validPDF[:len(validPDF)-10] + "99999\n%%EOF\n"), false},
		{"pdf without %%EOF", []byte(validPDF[:len(validPDF)-6]), false},
	} {
		ct := http.DetectContentType(c.data)
		if got := evidenceTypes[ct] && evidenceValid(ct, c.data); got != c.ok {
			t.Errorf("%s (%s): valid %v, want %v", c.name, ct, got, c.ok)
		}
	}
}
