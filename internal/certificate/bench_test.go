package certificate

import "testing"

func benchmarkRender(b *testing.B, records int) {
	d := signed(b, sample(records))
	if _, err := Render(d); err != nil { // parse the font outside the timing
		b.Fatal(err)
	}
	size := 0
	b.ReportAllocs()
	for b.Loop() {
		pdf, err := Render(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}

// BenchmarkRender renders a one-page certificate of 8 records.
func BenchmarkRender(b *testing.B) { benchmarkRender(b, 8) }

// BenchmarkRender60 renders 60 records over several pages.
func BenchmarkRender60(b *testing.B) { benchmarkRender(b, 60) }

func BenchmarkSign(b *testing.B) {
	s := mustSigner(b)
	d := sample(8)
	b.ReportAllocs()
	for b.Loop() {
		s.Sign(d)
	}
}

func BenchmarkVerify(b *testing.B) {
	s := mustSigner(b)
	d := sample(8)
	sig := s.Sign(d)
	b.ReportAllocs()
	for b.Loop() {
		if !Verify(s.PublicKey(), d, sig) {
			b.Fatal("does not verify")
		}
	}
}
