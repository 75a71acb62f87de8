package certificate

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// qrModulePixels is the PNG's pixels per QR module: the image is drawn at
// about 90 pt, so a few pixels a module stay sharp when printed.
const qrModulePixels = 8

// qrPNG encodes url as a QR code with medium (15 %) error recovery and the
// standard 4-module quiet zone, as a PNG of qrModulePixels per module.
func qrPNG(url string) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("certificate: QR code: %w", err)
	}
	png, err := q.PNG(-qrModulePixels)
	if err != nil {
		return nil, fmt.Errorf("certificate: QR code: %w", err)
	}
	return png, nil
}
