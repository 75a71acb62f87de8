package stats

import (
	"reflect"
	"testing"
	"time"
)

func TestSpans(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		from, to string
		want     []span
	}{
		{"2026-01-01", "2026-12-31", []span{{"M", "2026-01", "2026-12"}}},
		{"2026-01-15", "2026-01-20", []span{{"D", "2026-01-15", "2026-01-20"}}},
		{"2026-01-15", "2026-03-10", []span{{"M", "2026-02", "2026-02"}, {"D", "2026-01-15", "2026-01-31"}, {"D", "2026-03-01", "2026-03-10"}}},
		{"2026-01-15", "2026-02-10", []span{{"D", "2026-01-15", "2026-02-10"}}},
		{"2026-02-01", "2026-02-28", []span{{"M", "2026-02", "2026-02"}}},
		{"2024-02-01", "2024-02-28", []span{{"D", "2024-02-01", "2024-02-28"}}},
		{"2026-03-02", "2026-03-01", nil},
		{"1970-01-01", "2026-11-29", []span{{"M", "1970-01", "2026-10"}, {"D", "2026-11-01", "2026-11-29"}}},
	}
	for _, c := range cases {
		if got := spans(d(c.from), d(c.to)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("spans(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

func TestCountSpans(t *testing.T) {
	d := func(s string) time.Time {
		v, _ := time.Parse(time.DateOnly, s)
		return v
	}
	cases := []struct {
		from, to string
		want     []span
	}{
		{"1970-01-01", "2026-11-29", []span{{"Y", "1970", "2025"}, {"M", "2026-01", "2026-10"}, {"D", "2026-11-01", "2026-11-29"}}},
		{"2024-03-15", "2026-02-10", []span{{"Y", "2025", "2025"}, {"M", "2024-04", "2024-12"}, {"M", "2026-01", "2026-01"},
			{"D", "2024-03-15", "2024-03-31"}, {"D", "2026-02-01", "2026-02-10"}}},
		{"2026-01-01", "2026-12-31", []span{{"Y", "2026", "2026"}}},
		{"2026-02-01", "2026-11-30", []span{{"M", "2026-02", "2026-11"}}},
		{"2026-01-15", "2026-01-20", []span{{"D", "2026-01-15", "2026-01-20"}}},
	}
	for _, c := range cases {
		if got := countSpans(d(c.from), d(c.to)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("countSpans(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

func TestLevels(t *testing.T) {
	got := levels("120101001002")
	want := []string{"12", "1201", "120101", "120101001", "120101001002"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("levels = %v", got)
	}
	if got := levels("120101"); len(got) != 3 {
		t.Fatalf("levels(120101) = %v", got)
	}
}
