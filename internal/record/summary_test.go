package record_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/record"
)

// TestStarHoursNearestRegion: the thresholds of the nearest region that set
// its own win over its ancestors'; a row that does not parse is passed over.
func TestStarHoursNearestRegion(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	rec := env.App.Records
	want := func(code string, hours []int64) {
		t.Helper()
		got, err := rec.StarHours(ctx, code)
		if err != nil || !slices.Equal(got, hours) {
			t.Errorf("%s: %v %v, want %v", code, got, err, hours)
		}
	}
	want("120101001001", record.DefaultStarHours)
	city, district := []int64{10, 20, 30, 40, 50}, []int64{1, 2, 3, 4, 5}
	if err := rec.SetStarHours(ctx, env.Principal("tianjin-office"), "1201", city); err != nil {
		t.Fatal(err)
	}
	want("120101001001", city)
	if err := rec.SetStarHours(ctx, env.Principal("heping-office"), "120101", district); err != nil {
		t.Fatal(err)
	}
	want("120101001001", district)
	want("120101", district)
	want("120102", city)
	if _, err := env.App.DB.Write().ExecContext(ctx, `INSERT INTO star_thresholds (region_code, hours) VALUES ('120101001', 'not json')`); err != nil {
		t.Fatal(err)
	}
	want("120101001001", district)
}

// TestMyHoursStars: the hours page reads the thresholds in its batch and
// picks the same as StarHours: the nearest of the region and its
// ancestors, never another code that merely begins the region's code.
func TestMyHoursStars(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	rec := env.App.Records
	p := env.Principal("volunteer")
	v, err := env.App.Volunteers.Mine(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	code := v.RegionCode
	if len(code) < 9 {
		t.Fatalf("the demo volunteer's region %q is not a street or below", code)
	}
	check := func(hours []int64) {
		t.Helper()
		mine, err := rec.MyHours(ctx, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := rec.Summary(ctx, p, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		level, next := record.StarLevel(want.ConfirmedMinutes, hours)
		if mine.Summary != want || want.StarLevel != level || want.NextStarMinutes != next {
			t.Fatalf("MyHours %+v, Summary %+v, want level %d, next %d", mine.Summary, want, level, next)
		}
	}
	check(record.DefaultStarHours)
	city, district := []int64{7001, 7002, 7003, 7004, 7005}, []int64{9001, 9002, 9003, 9004, 9005}
	if _, err := env.App.DB.Write().ExecContext(ctx, `INSERT INTO star_thresholds (region_code, hours) VALUES ($1, '[9999]'), ($2, '[8888]')`,
		code[:5], code+"9"); err != nil { // a prefix that is no region; a longer code
		t.Fatal(err)
	}
	check(record.DefaultStarHours)
	if err := rec.SetStarHours(ctx, env.Principal("admin"), code[:4], city); err != nil {
		t.Fatal(err)
	}
	check(city)
	if err := rec.SetStarHours(ctx, env.Principal("admin"), code[:6], district); err != nil {
		t.Fatal(err)
	}
	check(district)
	if _, err := env.App.DB.Write().ExecContext(ctx, `INSERT INTO star_thresholds (region_code, hours) VALUES ($1, 'not json')`, code); err != nil {
		t.Fatal(err)
	}
	check(district)
}

// TestStarHoursBounded: thresholds are 1..MaxStarHours and increasing, each
// fault named by its field (the API answers 422 in the caller's language);
// 2^62 hours no longer overflows into a star for 0 minutes, and a stored
// row out of bounds is ignored.
func TestStarHoursBounded(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	rec := env.App.Records
	if level, _ := record.StarLevel(0, []int64{1 << 62, 1<<62 + 1, 1<<62 + 2, 1<<62 + 3, 1<<62 + 4}); level != 0 {
		t.Fatalf("0 minutes under 2^62-hour thresholds: star %d", level)
	}
	office := env.Principal("heping-office")
	fields := func(hours []int64) map[string]string {
		t.Helper()
		err := rec.SetStarHours(ctx, office, "120101", hours)
		e := apperr.From(err)
		if e == nil || e.Kind != apperr.Invalid {
			t.Fatalf("%v: %v", hours, err)
		}
		out := map[string]string{}
		for k, f := range e.Fields {
			out[k] = f.Code
		}
		return out
	}
	if got := fields([]int64{1 << 62, 2, 3, 4, 5}); got["hours.1"] != "range" || got["hours.2"] != "" {
		t.Errorf("2^62 hours: %v", got)
	}
	if got := fields([]int64{100, 50, 600, 0, 100_001}); got["hours.2"] != "order" || got["hours.4"] != "range" || got["hours.5"] != "range" || got["hours.1"] != "" {
		t.Errorf("out of order and bounds: %v", got)
	}
	if got := fields([]int64{1, 2, 3}); got["hours"] != "count" {
		t.Errorf("three thresholds: %v", got)
	}
	status, body := env.JSON("PUT", "/api/v1/regions/120101/star-thresholds", env.Token("heping-office"), map[string]any{"hours": []int64{1 << 62, 2, 3, 4, 5}})
	if status != 422 || !strings.Contains(string(body), `"hours.1"`) || !strings.Contains(string(body), "1 至 100000") {
		t.Errorf("API: %d %s", status, body)
	}
	if err := rec.SetStarHours(ctx, office, "120101", []int64{1, 2, 3, 4, 100_000}); err != nil {
		t.Fatalf("bounds themselves: %v", err)
	}
	// A row stored before the bounds is ignored: the defaults apply.
	if _, err := env.App.DB.Write().ExecContext(ctx, `INSERT INTO star_thresholds (region_code, hours) VALUES ('120102', $1)`,
		"[4611686018427387904,4611686018427387905,4611686018427387906,4611686018427387907,4611686018427387908]"); err != nil {
		t.Fatal(err)
	}
	if got, err := rec.StarHours(ctx, "120102001"); err != nil || len(got) != 5 || got[0] != record.DefaultStarHours[0] {
		t.Fatalf("absurd stored thresholds: %v %v", got, err)
	}
}
