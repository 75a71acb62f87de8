package checkin

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/skip2/go-qrcode"
)

// MaxPNGSize is the largest PNG width and height, in pixels, PNG draws.
const MaxPNGSize = 4096

// ErrImageSize reports a PNG size too small for the QR code or above MaxPNGSize.
var ErrImageSize = errors.New("checkin: QR image size out of range")

// quietZone is the white border, in modules, go-qrcode draws around a symbol.
const quietZone = 4

// PNG returns content as a size×size pixel PNG QR code with medium (15 %)
// error recovery and a quiet zone. size must be at least the number of
// modules, quiet zone included (41 for a typical check-in URL), and at most
// MaxPNGSize; otherwise PNG fails with ErrImageSize.
func PNG(content string, size int) ([]byte, error) {
	q, err := newQR(content)
	if err != nil {
		return nil, err
	}
	if modules := 17 + 4*q.VersionNumber + 2*quietZone; size < modules || size > MaxPNGSize {
		return nil, fmt.Errorf("%w: %d pixels, need %d to %d", ErrImageSize, size, modules, MaxPNGSize)
	}
	png, err := q.PNG(size)
	if err != nil {
		return nil, fmt.Errorf("checkin: draw QR code: %w", err)
	}
	return png, nil
}

// SVG returns content as an SVG QR code with medium (15 %) error recovery:
// one module per user unit (viewBox), a white background with a quiet zone,
// the dark modules as a single crisp-edged path, no script and no size, so
// that a page can inline it and size it with CSS.
func SVG(content string) (string, error) {
	q, err := newQR(content)
	if err != nil {
		return "", err
	}
	bitmap := q.Bitmap()
	n := strconv.Itoa(len(bitmap))
	b := make([]byte, 0, 200+len(bitmap)*len(bitmap)*2)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `+n+" "+n+
		`" shape-rendering="crispEdges"><rect width="`+n+`" height="`+n+
		`" fill="#fff"/><path fill="#000" d="`...)
	for y, row := range bitmap {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			// One rectangle per horizontal run of dark modules.
			b = append(b, 'M')
			b = strconv.AppendInt(b, int64(start), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(y), 10)
			b = append(b, 'h')
			b = strconv.AppendInt(b, int64(x-start), 10)
			b = append(b, "v1h-"...)
			b = strconv.AppendInt(b, int64(x-start), 10)
			b = append(b, 'z')
		}
	}
	b = append(b, `"/></svg>`...)
	return string(b), nil
}

// newQR encodes content with medium error recovery.
func newQR(content string) (*qrcode.QRCode, error) {
	if content == "" {
		return nil, errors.New("checkin: empty QR content")
	}
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("checkin: encode QR code: %w", err)
	}
	return q, nil
}
