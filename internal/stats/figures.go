package stats

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/region"
)

// Service reads the figures of a region and period.
type Service struct {
	db      *db.DB
	catalog *catalog.Catalog
	stars   func(ctx context.Context, regionCode string) ([]int64, error)
	Now     func() time.Time
	cache   figureCache
}

// New returns the statistics service; stars gives a region's star-level
// thresholds in hours.
func New(d *db.DB, c *catalog.Catalog, stars func(context.Context, string) ([]int64, error)) *Service {
	return &Service{db: d, catalog: c, stars: stars, Now: time.Now}
}

// Query names a region and a period (dates, inclusive).
type Query struct {
	RegionCode string
	From, To   string
}

// QueryOf reads a query from a URL's region_code, from and to.
func QueryOf(v url.Values) Query {
	return Query{RegionCode: v.Get("region_code"), From: v.Get("from"), To: v.Get("to")}
}

// Figures are a region's figures for a period. Totals count what existed
// at the end of the period; "new" what began within it; "active" had at
// least one confirmed service record within it, in the region.
type Figures struct {
	RegionCode string           `json:"region_code"`
	Name       string           `json:"name"`
	AsOf       time.Time        `json:"as_of"` // when the figures were read (served again for up to CacheFor)
	From       string           `json:"from"`
	To         string           `json:"to"`
	Volunteers VolunteerFigures `json:"volunteers"`
	Teams      TeamFigures      `json:"teams"`
	Projects   ProjectFigures   `json:"projects"`
	Hours      HourFigures      `json:"hours"`
	Stars      []StarCount      `json:"stars"`
	TopTeams   []TeamMinutes    `json:"top_teams"`
	Records    RecordFigures    `json:"records"`
	Children   []ChildFigures   `json:"children"`
}

type VolunteerFigures struct {
	Total    int64            `json:"total"`
	New      int64            `json:"new"`
	Active   int64            `json:"active"`
	ByTag    map[string]int64 `json:"by_tag"`
	ByGender map[string]int64 `json:"by_gender"` // male, female, unknown
	ByAge    []Band           `json:"by_age"`    // age at the end of the period
}

// Band is a named count, in display order.
type Band struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

type TeamFigures struct {
	Total    int64            `json:"total"` // approved (认证) teams
	New      int64            `json:"new"`   // approved teams founded within the period
	Active   int64            `json:"active"`
	ByStatus map[string]int64 `json:"by_status"`
}

type ProjectFigures struct {
	Total      int64            `json:"total"` // every project but drafts
	New        int64            `json:"new"`
	ByState    map[string]int64 `json:"by_state"`
	ByCategory map[string]int64 `json:"by_category"`
}

type HourFigures struct {
	ConfirmedMinutes int64            `json:"confirmed_minutes"`
	ConfirmedRecords int64            `json:"confirmed_records"`
	ByMonth          []MonthMinutes   `json:"by_month"`
	ByCategory       map[string]int64 `json:"by_category"` // minutes
}

type MonthMinutes struct {
	Month   string `json:"month"`
	Minutes int64  `json:"minutes"`
}

// StarCount is how many volunteers of the region hold a star level now.
type StarCount struct {
	Level    int   `json:"level"`
	MinHours int64 `json:"min_hours"`
	Count    int64 `json:"count"`
}

// TeamMinutes is a team's confirmed minutes in the region, all time.
type TeamMinutes struct {
	TeamID  int64  `json:"team_id"`
	Name    string `json:"name"`
	Minutes int64  `json:"confirmed_minutes"`
}

// RecordFigures are records awaiting the team's confirmation now.
type RecordFigures struct {
	Awaiting int64 `json:"awaiting"`
	Overdue  int64 `json:"overdue"` // past the 10 working days
}

// ChildFigures are one child region's figures, for drilling down.
type ChildFigures struct {
	RegionCode       string `json:"region_code"`
	Name             string `json:"name"`
	VolunteersTotal  int64  `json:"volunteers_total"`
	VolunteersNew    int64  `json:"volunteers_new"`
	TeamsTotal       int64  `json:"teams_total"`
	ConfirmedMinutes int64  `json:"confirmed_minutes"`
}

// Team statuses and project states the figures single out.
const (
	teamApproved = "approved"
	projectDraft = "draft"
)

// Figures gives an office the figures of a region it covers.
func (s *Service) Figures(ctx context.Context, p *auth.Principal, q Query) (Figures, error) {
	from, to, err := s.check(q)
	if err != nil {
		return Figures{}, err
	}
	if !auth.Can(p, auth.PermStatsView, auth.Target{RegionCode: q.RegionCode}) {
		return Figures{}, apperr.New(apperr.Forbidden, "stats.out_of_scope")
	}
	return s.cached(ctx, q.RegionCode, from, to)
}

// cached gives recent figures of the region and period, reading them anew
// when they are older than CacheFor.
func (s *Service) cached(ctx context.Context, code string, from, to time.Time) (Figures, error) {
	return s.cache.get(ctx, cacheKey{code, from, to}, s.Now(), func(ctx context.Context) (Figures, error) {
		return s.figures(ctx, code, from, to)
	})
}

// Public gives anyone a region's totals: no names, no lists, no count
// small enough to single a person out (see PublicOf).
func (s *Service) Public(ctx context.Context, q Query) (PublicFigures, error) {
	from, to, err := s.check(q)
	if err != nil {
		return PublicFigures{}, err
	}
	f, err := s.cached(ctx, q.RegionCode, from, to)
	if err != nil {
		return PublicFigures{}, err
	}
	return PublicOf(f), nil
}

// Period returns the default period: the current year to today.
func (s *Service) Period() (from, to string) {
	now := s.Now().In(clock.Zone)
	return now.Format("2006") + "-01-01", now.Format(time.DateOnly)
}

// check validates a query, filling in the default period.
func (s *Service) check(q Query) (from, to time.Time, err error) {
	f := apperr.Fields{}
	if q.RegionCode == "" {
		f.Add("region_code", "required", "stats.region_required")
	} else if !region.Valid(q.RegionCode) {
		f.Add("region_code", "unknown", "region.unknown")
	}
	dFrom, dTo := s.Period()
	if q.From == "" {
		q.From = dFrom
	}
	if q.To == "" {
		q.To = dTo
	}
	from, e1 := time.Parse(time.DateOnly, q.From)
	to, e2 := time.Parse(time.DateOnly, q.To)
	if e1 != nil {
		f.Add("from", "bad_date", "stats.bad_date")
	}
	if e2 != nil {
		f.Add("to", "bad_date", "stats.bad_date")
	}
	if e1 == nil && e2 == nil && to.Before(from) {
		f.Add("to", "before_from", "stats.to_before_from")
	}
	if e1 == nil && from.Before(epoch) {
		f.Add("from", "bad_date", "stats.bad_date")
	}
	return from, to, f.Err()
}

func (s *Service) figures(ctx context.Context, code string, from, to time.Time) (Figures, error) {
	q := s.db.Read()
	f := Figures{RegionCode: code, Name: region.FullName(code), From: date(from), To: date(to), AsOf: s.Now()}
	children := region.Children(code)
	codes := []string{code}
	for _, c := range children {
		codes = append(codes, c.Code)
	}
	// The region's own breakdowns, then the few figures of each child.
	totals, err := sums(ctx, q, codes[:1], []string{mVolunteers, mVolunteerTags, mVolunteerPeople, mTeams, mProjects, mProjectCategories}, epoch, to)
	if err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	period, err := sums(ctx, q, codes[:1], []string{mVolunteers, mTeams, mProjects, mMinutes, mRecords}, from, to)
	if err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	childTotals, err := sums(ctx, q, codes[1:], []string{mVolunteers, mTeams}, epoch, to)
	if err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	childPeriod, err := sums(ctx, q, codes[1:], []string{mVolunteers, mMinutes}, from, to)
	if err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	names, err := s.catalog.ByID(ctx)
	if err != nil {
		return f, apperr.Wrap(err, "stats: catalogue")
	}
	t, p := totals[code], period[code]

	f.Volunteers = VolunteerFigures{Total: sum(t[mVolunteers]), New: sum(p[mVolunteers]),
		ByTag: named(t[mVolunteerTags], names), ByGender: map[string]int64{}}
	f.Volunteers.ByGender, f.Volunteers.ByAge = people(t[mVolunteerPeople], to.Year())
	f.Teams = TeamFigures{Total: t[mTeams][teamApproved], New: p[mTeams][teamApproved], ByStatus: nonZero(t[mTeams])}
	f.Projects = ProjectFigures{Total: sum(t[mProjects]) - t[mProjects][projectDraft], New: sum(p[mProjects]) - p[mProjects][projectDraft],
		ByState: nonZero(t[mProjects]), ByCategory: named(t[mProjectCategories], names)}
	f.Hours = HourFigures{ConfirmedMinutes: sum(p[mMinutes]), ConfirmedRecords: sum(p[mRecords]), ByCategory: named(p[mMinutes], names)}
	for _, c := range children {
		ct, cp := childTotals[c.Code], childPeriod[c.Code]
		f.Children = append(f.Children, ChildFigures{RegionCode: c.Code, Name: c.Name,
			VolunteersTotal: sum(ct[mVolunteers]), VolunteersNew: sum(cp[mVolunteers]),
			TeamsTotal: ct[mTeams][teamApproved], ConfirmedMinutes: sum(cp[mMinutes])})
	}
	if f.Volunteers.Active, err = activeCount(ctx, q, code, kindVolunteer, from, to); err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	if f.Teams.Active, err = activeCount(ctx, q, code, kindTeam, from, to); err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	months, err := byMonth(ctx, q, code, mMinutes, from, to)
	if err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(to); m = m.AddDate(0, 1, 0) {
		k := m.Format("2006-01")
		f.Hours.ByMonth = append(f.Hours.ByMonth, MonthMinutes{Month: k, Minutes: months[k]})
	}
	if f.Stars, err = s.starCounts(ctx, code); err != nil {
		return f, err
	}
	if f.TopTeams, err = topTeams(ctx, q, code, 10); err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	if f.Records, err = s.records(ctx, code); err != nil {
		return f, apperr.Wrap(err, "stats")
	}
	return f, nil
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// named keys counts by catalogue item name instead of id.
func named(m map[string]int64, items map[int64]catalog.Item) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v == 0 {
			continue
		}
		id, _ := strconv.ParseInt(k, 10, 64)
		name := "#" + k
		if it, ok := items[id]; ok {
			name = it.Name
		}
		out[name] += v
	}
	return out
}

// Age bands, in display order.
var ageBands = []struct {
	key    string
	lo, hi int // inclusive
}{
	{"under_18", 0, 17}, {"18_35", 18, 35}, {"36_45", 36, 45}, {"46_60", 46, 60}, {"over_60", 61, 200},
}

// people splits "gender:birth year" counts into genders and age bands (age
// in the year the period ends).
func people(m map[string]int64, year int) (map[string]int64, []Band) {
	genders := map[string]int64{}
	bands := make([]Band, len(ageBands)+1)
	for i, b := range ageBands {
		bands[i].Key = b.key
	}
	bands[len(ageBands)].Key = "unknown"
	for k, n := range m {
		g, y, _ := strings.Cut(k, ":")
		switch g {
		case "M":
			genders["male"] += n
		case "F":
			genders["female"] += n
		default:
			genders["unknown"] += n
		}
		band := len(ageBands)
		if by, err := strconv.Atoi(y); err == nil {
			age := year - by
			for i, b := range ageBands {
				if age >= b.lo && age <= b.hi {
					band = i
				}
			}
		}
		bands[band].Count += n
	}
	return nonZero(genders), bands
}

// starCounts counts the region's volunteers at each star level now, under
// the region's thresholds.
func (s *Service) starCounts(ctx context.Context, code string) ([]StarCount, error) {
	thresholds, err := s.stars(ctx, code)
	if err != nil {
		return nil, err
	}
	hist, err := currentCounts(ctx, s.db.Read(), code, mVolunteerHours)
	if err != nil {
		return nil, apperr.Wrap(err, "stats")
	}
	out := make([]StarCount, len(thresholds))
	for i, h := range thresholds {
		out[i] = StarCount{Level: i + 1, MinHours: h}
	}
	for k, n := range hist {
		hours, _ := strconv.ParseInt(k, 10, 64)
		level := 0
		for _, h := range thresholds {
			if hours >= h {
				level++
			}
		}
		if level > 0 {
			out[level-1].Count += n
		}
	}
	return out, nil
}

func topTeams(ctx context.Context, q db.Querier, code string, limit int) ([]TeamMinutes, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.dim, s.n, t.name FROM (SELECT dim, SUM(n) AS n FROM stat_counts
		WHERE region_code = $1 AND metric = $2 AND grain = 'T' AND period = '' GROUP BY dim HAVING SUM(n) <> 0
		ORDER BY 2 DESC, dim LIMIT $3) s
		JOIN teams t ON t.id = CAST(s.dim AS BIGINT) ORDER BY s.n DESC, s.dim`, code, mTeamMinutes, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TeamMinutes{}
	for rows.Next() {
		var t TeamMinutes
		var dim string
		if err := rows.Scan(&dim, &t.Minutes, &t.Name); err != nil {
			return nil, err
		}
		t.TeamID, _ = strconv.ParseInt(dim, 10, 64)
		out = append(out, t)
	}
	return out, rows.Err()
}

// records counts pending records by due day: overdue before today.
func (s *Service) records(ctx context.Context, code string) (RecordFigures, error) {
	var r RecordFigures
	today := s.Now().In(clock.Zone).Format(time.DateOnly)
	err := s.db.Read().QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0), COALESCE(SUM(CASE WHEN period < $3 THEN n ELSE 0 END), 0)
		FROM stat_counts WHERE region_code = $1 AND metric = $2 AND grain = 'D'`, code, mAwaiting, today).Scan(&r.Awaiting, &r.Overdue)
	return r, err
}
