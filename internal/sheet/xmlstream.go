package sheet

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// maxCellBytes caps the text kept of one cell; Excel holds at most 32,767
// characters in a cell.
const maxCellBytes = 32767 * 3

// maxTokenBytes caps the input behind one XML token. The decoder holds a
// whole token (a text node, a tag with its attributes) in memory, so this
// bounds its memory however the part was crafted.
const maxTokenBytes = 1 << 20

// xmlStream reads a large package part token by token. It uses RawToken,
// which skips namespace translation (parts are matched by local names), and
// checks itself that end tags match start tags, as Decoder.Token would.
type xmlStream struct {
	dec   *xml.Decoder
	input *budgetReader
	open  []xml.Name // elements not yet closed
}

func newXMLStream(r io.Reader) *xmlStream {
	in := &budgetReader{r: r}
	return &xmlStream{dec: newDecoder(in), input: in}
}

// token returns the next token; io.EOF only after the document's last
// element, io.ErrUnexpectedEOF inside it.
func (x *xmlStream) token() (xml.Token, error) {
	x.input.left = maxTokenBytes
	tok, err := x.dec.RawToken()
	if err != nil {
		if err == io.EOF && len(x.open) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if len(x.open) >= 64 {
			return nil, fmt.Errorf("elements nested too deep")
		}
		x.open = append(x.open, t.Name)
	case xml.EndElement:
		n := len(x.open)
		if n == 0 || x.open[n-1] != t.Name {
			return nil, fmt.Errorf("unexpected end element </%s>", t.Name.Local)
		}
		x.open = x.open[:n-1]
	}
	return tok, nil
}

// budgetReader fails once more than left bytes are read from it.
type budgetReader struct {
	r    io.Reader
	left int
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("%w: an XML token longer than %d bytes", ErrCellTooLarge, maxTokenBytes)
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	return n, err
}

// richText reads the rest of a string item (<si> or <is>, just opened) and
// returns its text: the content of its <t> elements, plain or in runs, but
// not phonetic runs (<rPh>). Excel's _xHHHH_ escapes are decoded.
func (x *xmlStream) richText() (string, error) {
	depth := len(x.open)
	var b strings.Builder
	inT, phonetic := false, 0
	for {
		tok, err := x.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inT = true
			case "rPh":
				phonetic++
			}
		case xml.CharData:
			if inT && phonetic == 0 && b.Len() < maxCellBytes {
				b.Write(t)
			}
		case xml.EndElement:
			if len(x.open) < depth {
				return unescapeBSTR(b.String()), nil
			}
			switch t.Name.Local {
			case "t":
				inT = false
			case "rPh":
				phonetic--
			}
		}
	}
}

// unescapeBSTR decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold (_x000D_ for a carriage return, _x005F_ for "_").
func unescapeBSTR(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if r, ok := bstrAt(s[i:]); ok {
			b.WriteRune(r)
			i += 7
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// bstrAt decodes an escape "_xHHHH_" at the start of s.
func bstrAt(s string) (rune, bool) {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[2:6]) {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c|0x20 && c|0x20 <= 'f':
			r = r<<4 | rune(c|0x20-'a'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
