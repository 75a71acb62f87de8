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
	if err := rec.SetStarHours(ctx, principal(t, env, "tianjin-office"), "1201", city); err != nil {
		t.Fatal(err)
	}
	want("120101001001", city)
	if err := rec.SetStarHours(ctx, principal(t, env, "heping-office"), "120101", district); err != nil {
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
