package main

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

// Recorded `go test -json` streams: each failure is counted and its output
// printed, whatever form it takes.
func TestSummarize(t *testing.T) {
	for _, c := range []struct {
		file string
		want counts
		says []string
	}{
		{"plain.json", counts{1, 1, 1}, []string{"--- FAIL: tsum/okpkg TestC", "bad value", "skipped tsum/okpkg TestB"}},
		{"broken.json", counts{0, 1, 0}, []string{"--- FAIL: tsum/broken (the package failed outside its tests)", `cannot use "a" (untyped string constant) as int value`}},
		{"mainexit.json", counts{1, 1, 0}, []string{"--- FAIL: tsum/mainexit (the package failed outside its tests)", "teardown failed"}},
		{"panicky.json", counts{1, 1, 0}, []string{"--- FAIL: tsum/panicky TestG (did not finish", "panic: boom in goroutine", "p_test.go:4"}},
	} {
		f, err := os.Open("testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		got, err := summarize(f, &out)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
		}
		if got != c.want {
			t.Errorf("%s: counts %+v, want %+v\n%s", c.file, got, c.want, out.String())
		}
		for _, s := range c.says {
			if !strings.Contains(out.String(), s) {
				t.Errorf("%s: output lacks %q:\n%s", c.file, s, out.String())
			}
		}
	}
}

// A stream that cannot be read is an error, not a clean run.
func TestSummarizeReadError(t *testing.T) {
	boom := errors.New("boom")
	if _, err := summarize(iotest.ErrReader(boom), &strings.Builder{}); !errors.Is(err, boom) {
		t.Errorf("err %v, want boom", err)
	}
}
