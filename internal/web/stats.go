package web

import (
	"cmp"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/region"
	"zhiyuan/internal/stats"
)

// statsData is the dashboard, for an office or, without names and lists,
// for the public.
type statsData struct {
	Public       bool
	Figures      stats.Figures       // an office's; for the public only the region, period and time read
	Pub          stats.PublicFigures // the public's: small counts omitted (nil)
	MinPublic    int                 // the smallest count the public sees
	Trail        []region.Region     // the regions above, within reach, for going up (names as people say them)
	Charts       []chart
	Here         string // the region's own name
	CacheSeconds int    // how long figures are served again
	Query        string // region, from and to, for the workbook link
	Choose       []region.Region
}

// chart is one chart with its numbers, drawn by static/stats.js from the
// page's JSON and also shown as a table.
type chart struct {
	ID     string    `json:"id"`
	Kind   string    `json:"kind"` // bar, pie, line
	Title  string    `json:"title"`
	Unit   string    `json:"unit"`
	Labels []string  `json:"labels"`
	Values []float64 `json:"values"`
}

// statsDashboard is an office's dashboard for a region it covers; without a
// region it opens on the office's own.
func (s *Server) statsDashboard(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	q := stats.OwnRegion(p, stats.QueryOf(r.URL.Query()))
	page := s.page(w, r, "stats.title")
	if q.RegionCode == "" { // the platform: choose a province
		page.Data = statsData{Choose: region.Children("")}
		s.render(w, r, http.StatusOK, "stats", page)
		return
	}
	f, err := s.Stats.Figures(r.Context(), p, q)
	if err != nil {
		s.statsFail(w, r, err)
		return
	}
	d := s.statsPage(page, f)
	for _, a := range region.Ancestors(f.RegionCode) {
		if auth.Can(p, auth.PermStatsView, auth.Target{RegionCode: a.Code}) {
			d.Trail = addTrail(d.Trail, a)
		}
	}
	page.Data = d
	s.render(w, r, http.StatusOK, "stats", page)
}

// statsWorkbook downloads the dashboard as .xlsx.
func (s *Server) statsWorkbook(w http.ResponseWriter, r *http.Request) {
	f, err := s.Stats.Figures(r.Context(), httpx.Principal(r), stats.QueryOf(r.URL.Query()))
	if err != nil {
		s.statsFail(w, r, err)
		return
	}
	l := s.lang(r)
	name, data, err := stats.Workbook(f, func(key string) string { return s.cat.T(l, key, nil) })
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendXLSX(w, name, data)
}

// statsPublic is a region's totals for anyone.
func (s *Server) statsPublic(w http.ResponseWriter, r *http.Request) {
	q := stats.QueryOf(r.URL.Query())
	q.RegionCode = r.PathValue("code")
	f, err := s.Stats.Public(r.Context(), q)
	if err != nil {
		s.statsFail(w, r, err)
		return
	}
	page := s.page(w, r, "stats.public_title")
	d := s.publicStatsPage(page, f)
	for _, a := range region.Ancestors(f.RegionCode) {
		d.Trail = addTrail(d.Trail, a)
	}
	page.Data = d
	s.render(w, r, http.StatusOK, "stats", page)
}

// hoursOf turns minutes into hours with one decimal, for charts.
func hoursOf(min int64) float64 { return math.Round(float64(min)/6) / 10 }

// statsHead is the page's region, period and links, public or not.
func statsHead(f stats.Figures, public bool) statsData {
	here, _ := region.Lookup(f.RegionCode)
	return statsData{Public: public, Figures: f, Here: spoken(here).Name, CacheSeconds: int(stats.CacheFor.Seconds()),
		Query: url.Values{"region_code": {f.RegionCode}, "from": {f.From}, "to": {f.To}}.Encode()}
}

// publicStatsPage builds the public page: the figures that may be
// published, and charts of hours without the omitted values.
func (s *Server) publicStatsPage(p *Page, f stats.PublicFigures) statsData {
	d := statsHead(stats.Figures{RegionCode: f.RegionCode, Name: f.Name, AsOf: f.AsOf, From: f.From, To: f.To}, true)
	d.Pub, d.MinPublic = f, stats.MinPublicCount
	hUnit := p.T("stats.unit_hours")
	byMonth := chart{ID: "hours-month", Kind: "bar", Title: p.T("stats.chart_hours_month"), Unit: hUnit}
	for _, m := range f.Hours.ByMonth {
		if m.Minutes != nil {
			byMonth.Labels = append(byMonth.Labels, m.Month)
			byMonth.Values = append(byMonth.Values, hoursOf(*m.Minutes))
		}
	}
	byCategory := map[string]int64{}
	for k, m := range f.Hours.ByCategory {
		if m != nil {
			byCategory[k] = *m
		}
	}
	d.Charts = append(d.Charts, byMonth,
		mapChart("hours-category", "pie", p.T("stats.chart_hours_category"), hUnit, byCategory, nil, hoursOf))
	return d
}

// statsPage builds an office's dashboard: exact figures and every chart.
func (s *Server) statsPage(p *Page, f stats.Figures) statsData {
	d := statsHead(f, false)
	hUnit, pUnit := p.T("stats.unit_hours"), p.T("stats.unit_people")
	byMonth := chart{ID: "hours-month", Kind: "bar", Title: p.T("stats.chart_hours_month"), Unit: hUnit}
	for _, m := range f.Hours.ByMonth {
		byMonth.Labels = append(byMonth.Labels, m.Month)
		byMonth.Values = append(byMonth.Values, hoursOf(m.Minutes))
	}
	d.Charts = append(d.Charts, byMonth)
	d.Charts = append(d.Charts, mapChart("hours-category", "pie", p.T("stats.chart_hours_category"), hUnit, f.Hours.ByCategory, nil, hoursOf))
	d.Charts = append(d.Charts,
		mapChart("volunteers-tag", "bar", p.T("stats.chart_tags"), pUnit, f.Volunteers.ByTag, nil, nil),
		mapChart("volunteers-gender", "pie", p.T("stats.chart_gender"), pUnit, f.Volunteers.ByGender,
			func(k string) string { return p.T("stats.gender." + k) }, nil))
	age := chart{ID: "volunteers-age", Kind: "bar", Title: p.T("stats.chart_age"), Unit: pUnit}
	for _, b := range f.Volunteers.ByAge {
		age.Labels = append(age.Labels, p.T("stats.age."+b.Key))
		age.Values = append(age.Values, float64(b.Count))
	}
	stars := chart{ID: "stars", Kind: "bar", Title: p.T("stats.chart_stars"), Unit: pUnit}
	for _, st := range f.Stars {
		stars.Labels = append(stars.Labels, p.T("stats.star_level", "Level", st.Level, "Hours", st.MinHours))
		stars.Values = append(stars.Values, float64(st.Count))
	}
	d.Charts = append(d.Charts, age, stars,
		mapChart("projects-state", "pie", p.T("stats.chart_projects"), p.T("stats.unit_projects"), f.Projects.ByState,
			func(k string) string { return p.T("project.state." + k) }, nil))
	return d
}

// mapChart charts a map's entries in descending order of value.
func mapChart(id, kind, title, unit string, m map[string]int64, name func(string) string, scale func(int64) float64) chart {
	c := chart{ID: id, Kind: kind, Title: title, Unit: unit}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b)) })
	for _, k := range keys {
		label := k
		if name != nil {
			label = name(k)
		}
		v := float64(m[k])
		if scale != nil {
			v = scale(m[k])
		}
		c.Labels = append(c.Labels, label)
		c.Values = append(c.Values, v)
	}
	return c
}

// statsFail is fail with the reasons of a refused query spelled out: which
// date or region was wrong.
func (s *Server) statsFail(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.From(err)
	if e.Kind != apperr.Invalid || len(e.Fields) == 0 {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "error.title")
	var msgs []string
	for _, name := range []string{"region_code", "from", "to"} {
		if fe, ok := e.Fields[name]; ok {
			msgs = append(msgs, p.T(fe.Key, flatten(fe.Args)...))
		}
	}
	p.Error = strings.Join(msgs, " ")
	p.Data = e.Kind.Status()
	s.render(w, r, e.Kind.Status(), "error", p)
}

// addTrail adds a region above to the trail under its spoken name; a
// municipality's city level replaces its province of the same name.
func addTrail(trail []region.Region, r region.Region) []region.Region {
	r = spoken(r)
	if n := len(trail); n > 0 && trail[n-1].Name == r.Name {
		trail[n-1] = r
		return trail
	}
	return append(trail, r)
}

// spoken names a region as its full name says it where its own name is a
// placeholder: Tianjin's 1201 is "市辖区" in the tables, "天津市" to people.
func spoken(r region.Region) region.Region {
	if full := region.FullName(r.Code); full != "" && !strings.HasSuffix(full, r.Name) {
		parts := strings.Fields(full)
		r.Name = parts[len(parts)-1]
	}
	return r
}

// PublicCount formats a public count; an omitted one (1 to 4) reads "<5".
func (p *Page) PublicCount(n *int64) string {
	if n == nil {
		return p.T("stats.omitted", "Min", stats.MinPublicCount)
	}
	return p.Count(*n)
}

// PublicHours formats public minutes as hours; omitted ones read "—".
func (p *Page) PublicHours(m *int64) string {
	if m == nil {
		return "—"
	}
	return p.HoursOf(*m)
}
