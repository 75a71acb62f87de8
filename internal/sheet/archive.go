package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits on what Open unpacks. The zip reader refuses entries longer than
// their declared size, so checking declared sizes is enough.
const (
	// maxUnzipped caps the total unpacked size: a 500,000-row sheet is a few
	// hundred MB of XML.
	maxUnzipped int64 = 1 << 30
	// xmlSpill is the size above which excelize unpacks a worksheet or the
	// shared strings to a temporary file instead of memory.
	xmlSpill int64 = 4 << 20
	// maxInMemory caps the parts excelize keeps in memory: everything except
	// worksheets and shared strings larger than xmlSpill.
	maxInMemory int64 = 64 << 20
	// maxEntries caps the number of parts.
	maxEntries = 10000
	// maxSmallPart caps the package parts this package parses itself.
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
	if !bytes.Equal(head, []byte("PK\x03\x04")) && !bytes.Equal(head, []byte("PK\x05\x06")) {
		return fmt.Errorf("%w: content starts %q", ErrNotXLSX, head)
	}
	return nil
}

// checkArchive refuses zips that are not a spreadsheet package or that
// unpack to more than the limits allow.
func checkArchive(zr *zip.Reader) error {
	if len(zr.File) > maxEntries {
		return fmt.Errorf("%w: %d parts", ErrTooLarge, len(zr.File))
	}
	var total, inMemory int64
	contentTypes, workbook := false, false
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		contentTypes = contentTypes || name == "[content_types].xml"
		workbook = workbook || (strings.HasPrefix(name, "xl/") && strings.HasSuffix(name, ".xml"))
		size := int64(f.UncompressedSize64)
		if f.UncompressedSize64 > uint64(maxUnzipped) {
			size = maxUnzipped + 1
		}
		total += size
		spilled := (strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml") && size > xmlSpill
		if !spilled {
			inMemory += size
		}
	}
	if !contentTypes || !workbook {
		return fmt.Errorf("%w: a zip but not a spreadsheet package", ErrNotXLSX)
	}
	if total > maxUnzipped || inMemory > maxInMemory {
		return fmt.Errorf("%w: unpacks to %d bytes (%d in memory)", ErrTooLarge, total, inMemory)
	}
	return nil
}

// firstSheetPath resolves the part name of the workbook's first sheet the
// way excelize does: _rels/.rels names the workbook, the workbook lists its
// sheets in order, and the workbook's rels map the first one to a part.
func firstSheetPart(zr *zip.Reader) (*zip.File, bool) {
	parts := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		parts[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	wb := "xl/workbook.xml"
	var root relsXML
	if readPart(parts, "_rels/.rels", &root) {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wb = resolvePart("", r.Target)
			}
		}
	}
	var book workbookXML
	if !readPart(parts, wb, &book) || len(book.Sheets) == 0 {
		return nil, false
	}
	var id string
	for _, a := range book.Sheets[0].Attrs {
		if a.Name.Local == "id" && a.Name.Space != "" {
			id = a.Value
		}
	}
	var rels relsXML
	if !readPart(parts, path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels"), &rels) {
		return nil, false
	}
	for _, r := range rels.Rels {
		if r.ID == id {
			f, ok := parts[strings.ToLower(resolvePart(path.Dir(wb), r.Target))]
			return f, ok
		}
	}
	return nil, false
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

// workbookXML is the part of xl/workbook.xml that lists the sheets.
type workbookXML struct {
	Sheets []struct {
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// readPart decodes a small package part found by case-insensitive name.
func readPart(parts map[string]*zip.File, name string, v any) bool {
	f, ok := parts[strings.ToLower(name)]
	if !ok {
		return false
	}
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxSmallPart)).Decode(v) == nil
}
