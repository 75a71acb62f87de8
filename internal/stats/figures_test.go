package stats_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/stats"
)

func TestFigures(t *testing.T) {
	w := build(t)
	ctx := context.Background()
	s := w.env.App.Stats
	office := w.env.Principal("heping-office")
	day := w.shift.StartsAt.In(clock.Zone).Format(time.DateOnly)
	all := func(code string) stats.Query { return stats.Query{RegionCode: code, From: "2000-01-01", To: day} }

	f, err := s.Figures(ctx, office, all("120101"))
	must(t, err)
	// Confirmed: 180 min, then 90 after the amendment; a voided and a
	// pending record count nothing.
	if f.Hours.ConfirmedMinutes != 270 || f.Hours.ConfirmedRecords != 2 || f.Hours.ByCategory["社区服务"] != 270 {
		t.Errorf("hours: %+v", f.Hours)
	}
	if f.Volunteers.Active != 2 || f.Teams.Active != 1 {
		t.Errorf("active: %d volunteers, %d teams", f.Volunteers.Active, f.Teams.Active)
	}
	if f.Records.Awaiting != 1 || f.Records.Overdue != 0 {
		t.Errorf("records: %+v", f.Records)
	}
	if f.Projects.ByState["published"] != 1 || f.Projects.ByState["rejected"] != 1 || f.Projects.ByState["draft"] != 1 || f.Projects.Total != 2 {
		t.Errorf("projects: %+v", f.Projects)
	}
	if len(f.TopTeams) != 1 || f.TopTeams[0].TeamID != 1 || f.TopTeams[0].Minutes != 270 || f.TopTeams[0].Name == "" {
		t.Errorf("top teams: %+v", f.TopTeams)
	}
	var childSum int64
	for _, c := range f.Children {
		childSum += c.VolunteersTotal
	}
	if len(f.Children) == 0 || childSum != f.Volunteers.Total {
		t.Errorf("children: %d volunteers in %d streets, district has %d", childSum, len(f.Children), f.Volunteers.Total)
	}
	var bands int64
	for _, b := range f.Volunteers.ByAge {
		bands += b.Count
	}
	if bands != f.Volunteers.Total || f.Volunteers.ByGender["male"]+f.Volunteers.ByGender["female"]+f.Volunteers.ByGender["unknown"] != f.Volunteers.Total {
		t.Errorf("age bands %d, genders %v, total %d", bands, f.Volunteers.ByGender, f.Volunteers.Total)
	}

	// The volunteer who moved counts in Hedong now, with her new tag.
	hedong, err := s.Figures(ctx, w.env.Principal("tianjin-office"), all("120102"))
	must(t, err)
	before, err := s.Figures(ctx, w.env.Principal("tianjin-office"), stats.Query{RegionCode: "120102", From: "2000-01-01", To: "2001-01-01"})
	must(t, err)
	if hedong.Volunteers.ByTag["平安"] < 1 || hedong.Volunteers.Total <= before.Volunteers.Total {
		t.Errorf("hedong: %+v (before %d)", hedong.Volunteers, before.Volunteers.Total)
	}
	// Teams: the demo's approved teams plus the one approved here; the
	// rejected and pending ones are not counted as registered.
	if f.Teams.ByStatus["rejected"] != 1 || f.Teams.ByStatus["pending"] != 1 || f.Teams.Total != f.Teams.ByStatus["approved"] {
		t.Errorf("teams: %+v", f.Teams)
	}

	// A period before any service has zero hours and nobody active.
	early, err := s.Figures(ctx, office, stats.Query{RegionCode: "120101", From: "2001-01-01", To: "2001-12-31"})
	must(t, err)
	if early.Hours.ConfirmedMinutes != 0 || early.Volunteers.Active != 0 || early.Volunteers.Total != 0 || len(early.Hours.ByMonth) != 12 {
		t.Errorf("early period: %+v", early)
	}
	// Past the due date the pending record is overdue.
	s.Now = func() time.Time { return time.Now().AddDate(0, 1, 0) }
	if f, _ = s.Figures(ctx, office, all("120101")); f.Records.Overdue != 1 {
		t.Errorf("overdue a month later: %+v", f.Records)
	}
	// An empty region gives zeros, not an error.
	empty, err := s.Figures(ctx, w.env.Principal("admin"), all("6501"))
	if err != nil || empty.Volunteers.Total != 0 || empty.Hours.ConfirmedMinutes != 0 {
		t.Errorf("empty region: %+v %v", empty, err)
	}
	// The public figures: two active volunteers and their 270 minutes are
	// too few to publish; the district's registered volunteers are not.
	pub, err := s.Public(ctx, all("120101"))
	if err != nil || pub.Hours.ConfirmedMinutes != nil || pub.Volunteers.Active != nil || pub.Hours.ConfirmedRecords != nil ||
		pub.Volunteers.Total == nil || *pub.Volunteers.Total != f.Volunteers.Total {
		t.Errorf("public: %+v %v", pub, err)
	}
}

func TestFiguresRefuseBadQueries(t *testing.T) {
	env := build(t)
	s, office := env.env.App.Stats, env.env.Principal("heping-office")
	ctx := context.Background()
	for _, c := range []struct {
		q    stats.Query
		kind apperr.Kind
	}{
		{stats.Query{RegionCode: "120101", From: "2026-03-01", To: "2026-02-01"}, apperr.Invalid},
		{stats.Query{RegionCode: "120101", From: "2026-02-30"}, apperr.Invalid},
		{stats.Query{RegionCode: "999999"}, apperr.Invalid},
		{stats.Query{RegionCode: ""}, apperr.Invalid},
		{stats.Query{RegionCode: "120102"}, apperr.Forbidden},
		{stats.Query{RegionCode: "1201"}, apperr.Forbidden},
	} {
		if _, err := s.Figures(ctx, office, c.q); !apperr.Is(err, c.kind) {
			t.Errorf("%+v: %v, want %v", c.q, err, c.kind)
		}
	}
	if _, err := s.Figures(ctx, office, stats.Query{RegionCode: "120101001"}); err != nil {
		t.Errorf("a street of the district, default period: %v", err)
	}
}

func TestFiguresServedAgainBriefly(t *testing.T) {
	w := build(t)
	ctx := context.Background()
	s, office := w.env.App.Stats, w.env.Principal("heping-office")
	now := time.Now()
	s.Now = func() time.Time { return now }
	q := stats.Query{RegionCode: "120101", From: "2000-01-01", To: "2030-12-31"}
	first, err := s.Figures(ctx, office, q)
	must(t, err)
	// A record confirmed now shows after CacheFor, not before.
	_, err = w.env.App.Records.Confirm(ctx, w.env.Principal("team-admin"), w.recs[3].ID)
	must(t, err)
	again, _ := s.Figures(ctx, office, q)
	if again.Hours.ConfirmedMinutes != first.Hours.ConfirmedMinutes || !again.AsOf.Equal(first.AsOf) {
		t.Fatalf("within %s: %d then %d minutes", stats.CacheFor, first.Hours.ConfirmedMinutes, again.Hours.ConfirmedMinutes)
	}
	now = now.Add(stats.CacheFor)
	later, _ := s.Figures(ctx, office, q)
	if later.Hours.ConfirmedMinutes <= first.Hours.ConfirmedMinutes || !later.AsOf.Equal(now) {
		t.Fatalf("after %s: %d then %d minutes, as of %v", stats.CacheFor, first.Hours.ConfirmedMinutes, later.Hours.ConfirmedMinutes, later.AsOf)
	}
	// The scope is checked on every request, cached or not.
	if _, err := s.Figures(ctx, w.env.Principal("hedong-office"), q); err == nil {
		t.Fatal("another district read the cached figures")
	}
}
