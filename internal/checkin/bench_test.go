package checkin

import "testing"

func BenchmarkIssue(b *testing.B) {
	c, _ := testCodes(b)
	for b.Loop() {
		c.Issue(123456)
	}
}

func BenchmarkVerify(b *testing.B) {
	c, _ := testCodes(b)
	v := c.Issue(123456).Value
	for b.Loop() {
		if err := c.Verify(v, 123456); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPNG(b *testing.B) {
	for b.Loop() {
		if _, err := PNG(testURL, 256); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSVG(b *testing.B) {
	for b.Loop() {
		if _, err := SVG(testURL); err != nil {
			b.Fatal(err)
		}
	}
}
