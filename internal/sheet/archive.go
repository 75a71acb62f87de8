package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"

	"golang.org/x/net/html/charset"
)

// Limits on what Open unpacks. The zip reader refuses entries longer than
// their declared size, so checking declared sizes is enough.
const (
	// maxUnzipped caps the total unpacked size: a 500,000-row sheet is a few
	// hundred MB of XML.
	maxUnzipped int64 = 1 << 30
	// maxEntries caps the number of parts.
	maxEntries = 10000
	// maxSmallPart caps the parts read whole: workbook, relationships, styles.
	maxSmallPart int64 = 8 << 20
)

// sniff classifies the first bytes of an upload: only a zip can be xlsx.
func sniff(r io.ReaderAt, size int64) error {
	head := make([]byte, 4)
	if size < 4 {
		return fmt.Errorf("%w: %d bytes", ErrNotXLSX, size)
	}
	if _, err := r.ReadAt(head, 0); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if bytes.Equal(head, []byte("%PDF")) {
		return fmt.Errorf("%w: a PDF", ErrNotSheet)
	}
	if bytes.Equal(head, []byte("\xd0\xcf\x11\xe0")) { // an OLE2 compound file: .xls, or an encrypted workbook
		return fmt.Errorf("%w: an old .xls or encrypted workbook", ErrOldXLS)
	}
	if !bytes.Equal(head, []byte("PK\x03\x04")) && !bytes.Equal(head, []byte("PK\x05\x06")) {
		return fmt.Errorf("%w: content starts %q", ErrNotXLSX, head)
	}
	return nil
}

// checkArchive refuses zips that are not a spreadsheet package or that
// unpack to more than the limits allow (zip bombs).
func checkArchive(zr *zip.Reader) error {
	if len(zr.File) > maxEntries {
		return fmt.Errorf("%w: %d parts", ErrTooLarge, len(zr.File))
	}
	var total uint64
	contentTypes, workbook := false, false
	for _, f := range zr.File {
		name := partName(f.Name)
		contentTypes = contentTypes || name == "[content_types].xml"
		workbook = workbook || (strings.HasPrefix(name, "xl/") && strings.HasSuffix(name, ".xml"))
		total += min(f.UncompressedSize64, uint64(maxUnzipped)+1)
	}
	if !contentTypes || !workbook {
		return fmt.Errorf("%w: a zip but not a spreadsheet package", ErrNotXLSX)
	}
	if total > uint64(maxUnzipped) {
		return fmt.Errorf("%w: unpacks to %d bytes", ErrTooLarge, total)
	}
	return nil
}

// workbookParts are the package parts the Reader uses.
type workbookParts struct {
	sheets   []*zip.File // the sheets in workbook order
	sst      *zip.File   // shared strings, or nil
	styles   *zip.File   // styles, or nil
	date1904 bool        // dates count from 1904
}

// findParts resolves the parts the way Excel does: _rels/.rels names the
// workbook, the workbook lists its sheets in order, and the workbook's
// relationships map them, the shared strings and the styles to parts.
func findParts(zr *zip.Reader) (workbookParts, error) {
	var p workbookParts
	byName := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		byName[partName(f.Name)] = f
	}
	wb := "xl/workbook.xml"
	var root relsXML
	if readPart(byName, "_rels/.rels", &root) {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wb = resolvePart("", r.Target)
			}
		}
	}
	var book workbookXML
	if !readPart(byName, wb, &book) {
		return p, fmt.Errorf("%w: no readable workbook part %s", ErrCorrupt, wb)
	}
	if len(book.Sheets) == 0 {
		return p, fmt.Errorf("%w: the workbook lists no sheet", ErrCorrupt)
	}
	p.date1904 = book.Pr.Date1904 == "1" || book.Pr.Date1904 == "true"
	var rels relsXML
	readPart(byName, path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels"), &rels)
	ids := make(map[string]int, len(book.Sheets)) // relationship id → position
	for i, sh := range book.Sheets {
		for _, a := range sh.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				ids[a.Value] = i
			}
		}
	}
	p.sheets = make([]*zip.File, len(book.Sheets))
	for _, r := range rels.Rels {
		f := byName[partName(resolvePart(path.Dir(wb), r.Target))]
		i, isSheet := ids[r.ID]
		switch {
		case isSheet:
			p.sheets[i] = f
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			p.sst = f
		case strings.HasSuffix(r.Type, "/styles"):
			p.styles = f
		}
	}
	if p.sheets[0] == nil {
		return p, fmt.Errorf("%w: the first sheet has no part", ErrCorrupt)
	}
	return p, nil
}

// partName normalises a zip entry name for lookup.
func partName(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
}

// resolvePart resolves a relationship target against the directory of its
// source part.
func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Join(dir, target), "/")
}

// relsXML is a relationships part.
type relsXML struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// workbookXML is what the Reader needs of xl/workbook.xml.
type workbookXML struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// readPart decodes a small package part found by case-insensitive name.
func readPart(parts map[string]*zip.File, name string, v any) bool {
	f, ok := parts[partName(name)]
	return ok && decodePart(f, v)
}

// decodePart decodes a small package part.
func decodePart(f *zip.File, v any) bool {
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	return newDecoder(io.LimitReader(rc, maxSmallPart)).Decode(v) == nil
}

// newDecoder returns an XML decoder that also reads the legacy encodings
// some generators declare (the same charset reader excelize uses).
func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel
	return d
}
