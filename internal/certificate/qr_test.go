package certificate

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// TestQRPNGMatchesCode decodes the PNG that Render embeds and compares it,
// module by module, with the QR symbol for the URL. It needs no tool; the
// independent decode through zbarimg is TestRenderQRCodeDecodes.
func TestQRPNGMatchesCode(t *testing.T) {
	url := sample(0).VerifyURL
	data, err := qrPNG(url)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	bits := q.Bitmap() // with the 4-module quiet zone
	n := len(bits)
	if want := image.Rect(0, 0, n*qrModulePixels, n*qrModulePixels); img.Bounds() != want {
		t.Fatalf("image %v, want %v", img.Bounds(), want)
	}
	if v := (n - 8 - 17) / 4; v < 1 || v > 40 {
		t.Fatalf("odd symbol size %d", n)
	}
	for y := range n {
		for x := range n {
			r, _, _, _ := img.At(x*qrModulePixels+qrModulePixels/2, y*qrModulePixels+qrModulePixels/2).RGBA()
			if dark := r < 0x8000; dark != bits[y][x] {
				t.Fatalf("module (%d,%d): dark=%v, want %v", x, y, dark, bits[y][x])
			}
		}
	}
}
