package record_test

import (
	"context"
	"slices"
	"testing"

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
