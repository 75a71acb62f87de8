package certificate

import (
	"errors"
	"testing"
	"time"
)

func TestFormatHours(t *testing.T) {
	for _, c := range []struct {
		min  int
		want string
	}{
		{0, "0.0"}, {2, "0.0"}, {3, "0.1"}, // 3 min = 0.05 h: half rounds up
		{26, "0.4"}, {27, "0.5"}, {33, "0.6"}, {60, "1.0"},
		{125, "2.1"}, {7530, "125.5"}, {600000, "10000.0"}, {-3, "-0.1"},
	} {
		if got := FormatHours(c.min); got != c.want {
			t.Errorf("FormatHours(%d) = %s, want %s", c.min, got, c.want)
		}
	}
}

func TestFormatDateInShanghai(t *testing.T) {
	utc := time.Date(2026, 3, 4, 16, 0, 0, 0, time.UTC) // midnight in Shanghai
	if got := FormatDate(utc); got != "2026年3月5日" {
		t.Errorf("FormatDate = %s", got)
	}
	if got := FormatDate(utc.Add(-time.Second)); got != "2026年3月4日" {
		t.Errorf("FormatDate a second earlier = %s", got)
	}
}

func TestPeriod(t *testing.T) {
	d := sample(0)
	if from, to := d.Period(); from != "" || to != "" {
		t.Errorf("no records: %q %q", from, to)
	}
	d.Records = []RecordLine{{Date: "2026-02-01"}, {Date: "2025-12-31"}, {Date: "2026-01-15"}}
	if from, to := d.Period(); from != "2025-12-31" || to != "2026-02-01" {
		t.Errorf("Period = %s %s", from, to)
	}
}

func TestValidate(t *testing.T) {
	if err := sample(3).Validate(); err != nil {
		t.Fatalf("sample: %v", err)
	}
	for name, change := range map[string]func(*Data){
		"no serial":        func(d *Data) { d.Serial = " " },
		"no verify URL":    func(d *Data) { d.VerifyURL = "" },
		"no issuer person": func(d *Data) { d.IssuerPerson = "" },
		"zero issue date":  func(d *Data) { d.IssuedOn = time.Time{} },
		"newline in name":  func(d *Data) { d.VolunteerName = "王\n晓燕" },
		"bad UTF-8":        func(d *Data) { d.Summary = "\xff" },
		"bad record date":  func(d *Data) { d.Records[0].Date = "2026/01/05" },
		"negative minutes": func(d *Data) { d.Records[0].Minutes = -1; d.TotalMinutes -= d.Records[0].Minutes + 1 },
		"tab in content":   func(d *Data) { d.Records[1].Content = "a\tb" },
		"total differs":    func(d *Data) { d.TotalMinutes++ },
		"negative total":   func(d *Data) { d.Records = nil; d.TotalMinutes = -1 },
	} {
		d := sample(3)
		change(&d)
		if err := d.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}
