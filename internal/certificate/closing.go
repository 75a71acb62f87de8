package certificate

import (
	"fmt"

	"github.com/signintech/gopdf"
)

// closing draws "特此证明。", the issuer block on the right and the QR code
// on the left, on a new page if they do not fit together below the table.
func (r *renderer) closing(qr []byte) {
	d := r.d
	labelEnd := marginX + 186.0 // labels end, values start here
	valueW := marginX + contentW - labelEnd
	items := []struct{ label, value string }{
		{"出具组织：", d.IssuerTeam},
		{"负责人：", d.IssuerPerson},
		{"联系电话：", d.IssuerContact},
		{"出具日期：", FormatDate(d.IssuedOn)},
	}
	wrapped := make([][]string, len(items))
	n := 0
	for i, it := range items {
		wrapped[i] = r.lines(it.value, bodySize, valueW, 0)
		n += len(wrapped[i])
	}
	blockH := max(float64(n)*bodyLead, qrSide+22)
	if r.y+18+bodyLead+blockH > contentEnd {
		r.addPage()
	}
	r.y += 18
	r.paragraph("特此证明。")
	top := r.y + 8

	y := top
	for i, it := range items {
		r.textRight(labelEnd, y, bodySize, black, it.label)
		for _, l := range wrapped[i] {
			r.text(labelEnd, y, bodySize, black, l)
			y += bodyLead
		}
	}

	qrX := marginX + 16
	r.image(qr, qrX, top, qrSide)
	r.textCenter(qrX+qrSide/2, top+qrSide+6, 9.5, grey, "扫码核验")
	r.y = top + blockH
}

// image draws a PNG as a square of side points at (x, y).
func (r *renderer) image(png []byte, x, y, side float64) {
	if r.err != nil {
		return
	}
	img, err := gopdf.ImageHolderByBytes(png)
	if err != nil {
		r.fail(fmt.Errorf("certificate: QR image: %w", err))
		return
	}
	r.fail(r.pdf.ImageByHolder(img, x, y, &gopdf.Rect{W: side, H: side}))
}

// footers draws, on every page, the certificate number, "第i页/共n页"
// and the signature line.
func (r *renderer) footers() {
	sig := r.lines(signatureLine(r.d), 7, contentW, 0)
	for i := 1; i <= r.pages; i++ {
		if r.err != nil {
			return
		}
		r.fail(r.pdf.SetPage(i))
		p := r.pdf
		p.SetStrokeColor(150, 150, 150)
		p.SetLineWidth(0.5)
		p.Line(marginX, footerTop, marginX+contentW, footerTop)
		y := footerTop + 6
		r.text(marginX, y, 8, grey, "证书编号："+r.d.Serial)
		r.textRight(marginX+contentW, y, 8, grey, fmt.Sprintf("第%d页/共%d页", i, r.pages))
		y += 13
		for _, l := range sig {
			r.text(marginX, y, 7, grey, l)
			y += 10
		}
	}
}
