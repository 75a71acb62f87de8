package certificate

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

// ErrMissingGlyph is returned by Render when some text has a character the
// embedded font cannot draw (gopdf would silently print a space instead).
var ErrMissingGlyph = errors.New("certificate: the font has no glyph for a character")

// Page geometry in points (A4, 1 pt = 1/72 in).
const (
	pageW, pageH = 595.28, 841.89
	marginX      = 64.0
	contentW     = pageW - 2*marginX
	contentTop   = 70.0       // first text line on a page
	continuedTop = 100.0      // first line below the heading of a later page
	contentEnd   = pageH - 88 // nothing but the footer below this
	footerTop    = pageH - 76 // rule above the footer
	bodySize     = 12.0       // statement and closing text
	bodyLead     = 24.0       // line distance of body text
	bodyIndent   = 2*bodySize + 0.5
	qrSide       = 92.0 // printed QR code, about 32 mm
)

// Colours.
var (
	black    = [3]uint8{0, 0, 0}
	grey     = [3]uint8{90, 90, 90}
	frameRed = [3]uint8{160, 30, 36}
)

// MaxRenders is how many documents are drawn at once: each holds its pages
// and the font's glyph tables in memory while it is drawn, so the server's
// memory is bounded by this many certificates of at most MaxRecords lines.
const MaxRenders = 2

// renders holds a token per document being drawn.
var renders = make(chan struct{}, MaxRenders)

// ErrBusy is returned by RenderWait when MaxRenders documents are being
// drawn for longer than the caller waits.
var ErrBusy = errors.New("certificate: too many certificates are being drawn")

// RenderWait is Render within the bound on documents drawn at once: it
// waits at most wait (or until ctx ends) for a turn, then gives ErrBusy.
func RenderWait(ctx context.Context, d Data, wait time.Duration) ([]byte, error) {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case renders <- struct{}{}:
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ErrBusy
	}
	defer func() { <-renders }()
	return Render(d)
}

// Render lays out d as an A4 PDF: the title, the statement, the service
// records in a table that runs onto further pages, the issuer block with a
// QR code of VerifyURL, and on every page a footer with the certificate
// number, the page number and the electronic signature. d must be valid
// (see Validate) and signed (see (*Signer).Seal).
func Render(d Data) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if len(d.Signature) != ed25519.SignatureSize || d.KeyID == "" {
		return nil, fmt.Errorf("%w: not signed (use (*Signer).Seal)", ErrInvalid)
	}
	qr, err := qrPNG(d.VerifyURL)
	if err != nil {
		return nil, err
	}
	fc, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("certificate: load font: %w", err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{
		Title:        "志愿服务证明 " + d.Serial,
		Author:       d.IssuerTeam,
		Subject:      signatureLine(d) + "\n\n" + string(Payload(d)),
		Creator:      "zhiyuan",
		CreationDate: d.IssuedOn,
	})
	if err := pdf.AddTTFFontFromFontContainer(fontFamily, fc); err != nil {
		return nil, fmt.Errorf("certificate: add font: %w", err)
	}
	if err := pdf.SetFont(fontFamily, "", bodySize); err != nil {
		return nil, fmt.Errorf("certificate: set font: %w", err)
	}
	r := &renderer{pdf: pdf, m: newMeasurer(pdf), d: d}
	r.firstPage()
	r.statement()
	r.restTable()
	if len(d.Records) > 0 && len(d.Rest) > 0 {
		r.paragraph("近期服务记录如下：")
	}
	r.table()
	r.closing(qr)
	r.footers()
	if r.err != nil {
		return nil, r.err
	}
	return pdf.GetBytesPdfReturnErr()
}

// signatureLine is the text that shows the signature, in the footer and in
// the PDF's Subject.
func signatureLine(d Data) string {
	return "电子签名 Ed25519　密钥ID：" + d.KeyID + "　签名：" + EncodeSignature(d.Signature)
}

// renderer draws one document; the first error stops all later drawing.
type renderer struct {
	pdf   *gopdf.GoPdf
	m     *measurer
	d     Data
	y     float64 // top of the next line on the current page
	pages int
	err   error
}

func (r *renderer) fail(err error) {
	if r.err == nil && err != nil {
		r.err = err
	}
}

// width measures s at size, failing the document on a missing glyph.
func (r *renderer) width(s string, size float64) float64 {
	w, err := r.m.text(s, size)
	r.fail(err)
	return w
}

// text draws s with its top-left corner at (x, y).
func (r *renderer) text(x, y, size float64, c [3]uint8, s string) {
	if r.err != nil || s == "" {
		return
	}
	r.width(s, size) // checks every glyph
	r.fail(r.pdf.SetFontSize(size))
	r.pdf.SetTextColor(c[0], c[1], c[2])
	r.pdf.SetXY(x, y)
	r.fail(r.pdf.Cell(nil, s))
}

// textRight draws s ending at x.
func (r *renderer) textRight(x, y, size float64, c [3]uint8, s string) {
	r.text(x-r.width(s, size), y, size, c, s)
}

// textCenter draws s centred on x.
func (r *renderer) textCenter(x, y, size float64, c [3]uint8, s string) {
	r.text(x-r.width(s, size)/2, y, size, c, s)
}

// lines wraps s to width (the first line indent points narrower).
func (r *renderer) lines(s string, size, width, indent float64) []string {
	if r.err != nil {
		return nil
	}
	ls, err := r.m.wrap(s, size, width, indent)
	r.fail(err)
	return ls
}

// paragraph draws wrapped body text at the left margin from r.y, with a
// first-line indent of two characters, and moves r.y below it, continuing
// on a new page if need be.
func (r *renderer) paragraph(s string) {
	for i, l := range r.lines(s, bodySize, contentW, bodyIndent) {
		if r.y+bodySize > contentEnd {
			r.addPage()
		}
		x := marginX
		if i == 0 {
			x += bodyIndent
		}
		r.text(x, r.y, bodySize, black, l)
		r.y += bodyLead
	}
}

// addPage starts a page with the frame; later pages carry a short heading.
func (r *renderer) addPage() {
	r.pdf.AddPage()
	r.pages++
	r.frame()
	r.y = contentTop
	if r.pages > 1 {
		r.textCenter(pageW/2, r.y, 11, grey, "志愿服务证明（续）")
		r.y = continuedTop
	}
}

// frame draws the double border of a formal certificate.
func (r *renderer) frame() {
	p := r.pdf
	p.SetStrokeColor(frameRed[0], frameRed[1], frameRed[2])
	p.SetLineWidth(1.6)
	p.RectFromUpperLeftWithStyle(28, 28, pageW-56, pageH-56, "D")
	p.SetLineWidth(0.5)
	p.RectFromUpperLeftWithStyle(33, 33, pageW-66, pageH-66, "D")
}

// firstPage draws the title and the certificate number.
func (r *renderer) firstPage() {
	r.addPage()
	const title, size, spacing = "志愿服务证明", 26.0, 10.0
	w := r.width(title, size) + spacing*float64(utf8.RuneCountInString(title)-1)
	r.fail(r.pdf.SetCharSpacing(spacing))
	r.text(pageW/2-w/2, r.y+8, size, black, title)
	r.fail(r.pdf.SetCharSpacing(0))
	r.y += 62
	r.textRight(marginX+contentW, r.y, 10.5, grey, "证书编号："+r.d.Serial)
	r.y += 32
}

// statement draws the certifying paragraph and the summary.
func (r *renderer) statement() {
	d := r.d
	s := "兹证明 " + d.VolunteerName + "（证件类型：" + d.IDTypeLabel + "，证件号码：" +
		d.IDNumberMasked + "，志愿者编号：" + d.VolunteerNo + "）"
	if from, to := d.Period(); from != "" {
		s += "自 " + formatISODate(from) + " 至 " + formatISODate(to) + " "
	}
	s += "在本组织参加志愿服务，累计服务时长 " + FormatHours(d.TotalMinutes) + " 小时。"
	r.paragraph(s)
	if d.Summary != "" {
		r.paragraph("主要服务内容：" + d.Summary)
	}
	if len(d.Records) > 0 && len(d.Rest) == 0 {
		r.paragraph("服务记录如下：")
	}
}
