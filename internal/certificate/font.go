package certificate

import (
	_ "embed"
	"sync"

	"github.com/signintech/gopdf"
)

// fontTTF is the first face of Debian's fonts-wqy-microhei (WenQuanYi Micro
// Hei, Apache-2.0), made by tools/certfont/extract.sh. It has CJK, Latin and
// digits; gopdf embeds only the glyphs a document uses.
//
//go:embed font/wqy-microhei.ttf
var fontTTF []byte

// fontFamily is the family name the font is registered under.
const fontFamily = "wqy"

// fonts parses the font once per process; each document takes its own copy
// of the parsed font from the container.
var fonts = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fc := &gopdf.FontContainer{}
	if err := fc.AddTTFFontData(fontFamily, fontTTF); err != nil {
		return nil, err
	}
	return fc, nil
})
