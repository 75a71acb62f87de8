package checkin

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	_ "image/png" // register the PNG decoder for image.Decode
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"
)

const testURL = "https://zhiyuan.example.cn/c/EYCAAbjLoBzXEZH1R8rSHHVBXVU"

func TestPNG(t *testing.T) {
	for _, size := range []int{41, 100, 256, 512} {
		b, err := PNG(testURL, size)
		if err != nil {
			t.Fatalf("PNG(%d): %v", size, err)
		}
		img, format, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("PNG(%d): decode: %v", size, err)
		}
		if format != "png" {
			t.Errorf("PNG(%d): format %q", size, format)
		}
		if got := img.Bounds(); got != image.Rect(0, 0, size, size) {
			t.Errorf("PNG(%d): bounds %v", size, got)
		}
		if !isWhite(img.At(0, 0)) {
			t.Errorf("PNG(%d): corner is not white (no quiet zone)", size)
		}
		// The centre of the top-left finder pattern is dark.
		if p := size * 7 / 41; isWhite(img.At(p, p)) {
			t.Errorf("PNG(%d): finder pattern is not dark", size)
		}
		t.Logf("PNG %d×%d: %d bytes", size, size, len(b))
	}
}

func isWhite(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r == 0xffff && g == 0xffff && b == 0xffff
}

func TestPNGErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		size    int
		want    error
	}{
		{"zero size", testURL, 0, ErrImageSize},
		{"negative size", testURL, -5, ErrImageSize},
		{"smaller than the modules", testURL, 40, ErrImageSize},
		{"too large", testURL, MaxPNGSize + 1, ErrImageSize},
		{"empty content", "", 256, nil},
		{"content too long", strings.Repeat("x", 3000), 256, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PNG(tt.content, tt.size)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// svgDoc is the part of the SVG the tests read.
type svgDoc struct {
	XMLName        xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	ViewBox        string   `xml:"viewBox,attr"`
	ShapeRendering string   `xml:"shape-rendering,attr"`
	Rects          []struct {
		Fill string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D string `xml:"d,attr"`
	} `xml:"path"`
	Scripts []struct{} `xml:"script"`
}

func TestSVG(t *testing.T) {
	s, err := SVG(testURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SVG: %d bytes", len(s))
	// Well-formed: every token decodes.
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
	var doc svgDoc
	if err := xml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths) != 1 || len(doc.Scripts) != 0 || doc.ShapeRendering != "crispEdges" {
		t.Fatalf("got %d paths, %d scripts, shape-rendering %q", len(doc.Paths), len(doc.Scripts), doc.ShapeRendering)
	}
	q, err := qrcode.New(testURL, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap()
	n := len(want)
	if doc.ViewBox != "0 0 "+strconv.Itoa(n)+" "+strconv.Itoa(n) {
		t.Errorf("viewBox %q for %d modules", doc.ViewBox, n)
	}
	// Redraw the path and compare it with the QR bitmap, module by module.
	got := make([][]bool, n)
	for i := range got {
		got[i] = make([]bool, n)
	}
	run := regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	for rest := doc.Paths[0].D; rest != ""; {
		m := run.FindStringSubmatch(rest)
		if m == nil || m[3] != m[4] {
			t.Fatalf("unexpected path data at %.20q", rest)
		}
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for i := x; i < x+w; i++ {
			if got[y][i] {
				t.Fatalf("module %d,%d drawn twice", i, y)
			}
			got[y][i] = true
		}
		rest = rest[len(m[0]):]
	}
	for y := range want {
		for x := range want[y] {
			if got[y][x] != want[y][x] {
				t.Fatalf("module %d,%d: drawn %v, want %v", x, y, got[y][x], want[y][x])
			}
		}
	}
	for i := 0; i < quietZone; i++ {
		for j := 0; j < n; j++ {
			if want[i][j] || want[j][i] || want[n-1-i][j] || want[j][n-1-i] {
				t.Fatalf("quiet zone not empty at %d,%d", i, j)
			}
		}
	}
}

func TestSVGErrors(t *testing.T) {
	for _, content := range []string{"", strings.Repeat("x", 3000)} {
		if _, err := SVG(content); err == nil {
			t.Errorf("SVG of %d bytes: no error", len(content))
		}
	}
}
