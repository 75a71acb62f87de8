package sheet

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"os"
)

// smallSST is the size of a shared strings part kept in memory; a larger
// one is unpacked to temporary files.
const smallSST = 8 << 20

// sharedStrings is the workbook's shared string table, stored compactly:
// the strings' bytes one after another, and the end offset of each as four
// bytes. A small table lives in memory; a large one (Excel writes one entry
// per distinct cell text, so 1.5 million for 500,000 volunteers) lives in
// two temporary files read with ReadAt, so memory stays flat.
type sharedStrings struct {
	text, ends []byte   // in memory
	textF      *os.File // or spilled
	endsF      *os.File
	count      int
}

// loadSharedStrings reads the shared strings part; dir receives the
// temporary files of a large one.
func loadSharedStrings(part *zip.File, dir string) (*sharedStrings, error) {
	s := &sharedStrings{}
	rc, err := part.Open()
	if err != nil {
		return s, err
	}
	defer rc.Close()
	var text, ends io.Writer
	var textBuf, endsBuf *bufio.Writer
	if part.UncompressedSize64 <= smallSST {
		text, ends = (*appender)(&s.text), (*appender)(&s.ends)
	} else {
		if s.textF, err = os.CreateTemp(dir, "sst-text-"); err != nil {
			return s, err
		}
		if s.endsF, err = os.CreateTemp(dir, "sst-ends-"); err != nil {
			return s, err
		}
		textBuf, endsBuf = bufio.NewWriterSize(s.textF, 64<<10), bufio.NewWriterSize(s.endsF, 16<<10)
		text, ends = textBuf, endsBuf
	}
	x := newXMLStream(bufio.NewReaderSize(rc, 64<<10))
	var end uint32
	for {
		tok, err := x.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, err
		}
		if t, ok := tok.(xml.StartElement); !ok || t.Name.Local != "si" {
			continue
		}
		str, err := x.richText()
		if err != nil {
			return s, err
		}
		if _, err := io.WriteString(text, str); err != nil {
			return s, err
		}
		end += uint32(len(str))
		if _, err := ends.Write(binary.LittleEndian.AppendUint32(nil, end)); err != nil {
			return s, err
		}
		s.count++
	}
	if textBuf != nil {
		if err := textBuf.Flush(); err != nil {
			return s, err
		}
		if err := endsBuf.Flush(); err != nil {
			return s, err
		}
	}
	return s, nil
}

// get returns string i.
func (s *sharedStrings) get(i int) (string, error) {
	if i < 0 || i >= s.count {
		return "", fmt.Errorf("shared string %d of %d", i, s.count)
	}
	var bounds [8]byte
	lo := 4 * int64(i-1)
	b := bounds[:]
	if i == 0 {
		lo, b = 0, bounds[4:]
	}
	if err := s.read(s.ends, s.endsF, b, lo); err != nil {
		return "", err
	}
	start, end := binary.LittleEndian.Uint32(bounds[:4]), binary.LittleEndian.Uint32(bounds[4:])
	if end < start {
		return "", fmt.Errorf("shared string %d: bad offsets", i)
	}
	str := make([]byte, end-start)
	if err := s.read(s.text, s.textF, str, int64(start)); err != nil {
		return "", err
	}
	return string(str), nil
}

// read fills p from offset off of mem or, if spilled, of f.
func (s *sharedStrings) read(mem []byte, f *os.File, p []byte, off int64) error {
	if f != nil {
		_, err := f.ReadAt(p, off)
		return err
	}
	if off+int64(len(p)) > int64(len(mem)) {
		return io.ErrUnexpectedEOF
	}
	copy(p, mem[off:])
	return nil
}

// close closes the temporary files (Reader.Close removes them).
func (s *sharedStrings) close() error {
	var err error
	for _, f := range []*os.File{s.textF, s.endsF} {
		if f != nil {
			if e := f.Close(); e != nil && err == nil {
				err = e
			}
		}
	}
	return err
}

// appender is an io.Writer appending to a byte slice.
type appender []byte

func (a *appender) Write(p []byte) (int, error) {
	*a = append(*a, p...)
	return len(p), nil
}
