package stats

import "time"

// Public figures are read by anyone, for any street, so a small count there
// is a person: the one volunteer of a street would show their gender, age
// band and hours. PublicOf applies the rules of what is published, on the
// read path, to figures the engine computed in full:
//
//   - every count from 1 to MinPublicCount-1 is omitted (nil, null in JSON),
//     totals included; 0 is shown;
//   - minutes are omitted where the people behind them are fewer than
//     MinPublicCount (the active volunteers of the region, or of a child
//     region its registered volunteers);
//   - only public states are counted: approved teams, published and closed
//     projects; nothing about pending or rejected teams, drafts or projects
//     under review, records awaiting confirmation, nor any breakdown of
//     people (gender, age, tags, star levels) or team ranking.
//
// An office's dashboard in its scope (Service.Figures) keeps exact figures.

// MinPublicCount is the smallest count a public figure shows.
const MinPublicCount = 5

// PublicFigures are a region's figures as anyone may see them. A nil count
// is omitted: it lies between 1 and MinPublicCount-1.
type PublicFigures struct {
	RegionCode string               `json:"region_code"`
	Name       string               `json:"name"`
	AsOf       time.Time            `json:"as_of"`
	From       string               `json:"from"`
	To         string               `json:"to"`
	Volunteers PublicCounts         `json:"volunteers"`
	Teams      PublicCounts         `json:"teams"` // approved teams
	Projects   PublicProjects       `json:"projects"`
	Hours      PublicHours          `json:"hours"`
	Children   []PublicChildFigures `json:"children"`
}

// PublicCounts are a total, the new within the period and the active.
type PublicCounts struct {
	Total  *int64 `json:"total"`
	New    *int64 `json:"new"`
	Active *int64 `json:"active"`
}

// PublicProjects count published and closed projects only.
type PublicProjects struct {
	Total *int64 `json:"total"`
}

// PublicHours are confirmed service within the period.
type PublicHours struct {
	ConfirmedMinutes *int64            `json:"confirmed_minutes"`
	ConfirmedRecords *int64            `json:"confirmed_records"`
	ByMonth          []PublicMonth     `json:"by_month"`
	ByCategory       map[string]*int64 `json:"by_category"` // minutes
}

// PublicMonth is a month's confirmed minutes, or nil when omitted.
type PublicMonth struct {
	Month   string `json:"month"`
	Minutes *int64 `json:"minutes"`
}

// PublicChildFigures are a child region's public figures.
type PublicChildFigures struct {
	RegionCode       string `json:"region_code"`
	Name             string `json:"name"`
	VolunteersTotal  *int64 `json:"volunteers_total"`
	VolunteersNew    *int64 `json:"volunteers_new"`
	TeamsTotal       *int64 `json:"teams_total"`
	ConfirmedMinutes *int64 `json:"confirmed_minutes"`
}

// publicStates are the project states anyone may count.
var publicStates = []string{"published", "closed"}

// PublicOf is what of f may be published.
func PublicOf(f Figures) PublicFigures {
	out := PublicFigures{RegionCode: f.RegionCode, Name: f.Name, AsOf: f.AsOf, From: f.From, To: f.To,
		Volunteers: PublicCounts{Total: publicCount(f.Volunteers.Total), New: publicCount(f.Volunteers.New), Active: publicCount(f.Volunteers.Active)},
		Teams:      PublicCounts{Total: publicCount(f.Teams.Total), New: publicCount(f.Teams.New), Active: publicCount(f.Teams.Active)},
		Children:   []PublicChildFigures{}}
	var projects int64
	for _, st := range publicStates {
		projects += f.Projects.ByState[st]
	}
	out.Projects = PublicProjects{Total: publicCount(projects)}
	people := f.Volunteers.Active
	out.Hours = PublicHours{ConfirmedMinutes: publicMinutes(f.Hours.ConfirmedMinutes, people),
		ConfirmedRecords: publicCount(f.Hours.ConfirmedRecords), ByMonth: []PublicMonth{}, ByCategory: map[string]*int64{}}
	for _, m := range f.Hours.ByMonth {
		out.Hours.ByMonth = append(out.Hours.ByMonth, PublicMonth{Month: m.Month, Minutes: publicMinutes(m.Minutes, people)})
	}
	for k, m := range f.Hours.ByCategory {
		out.Hours.ByCategory[k] = publicMinutes(m, people)
	}
	for _, c := range f.Children {
		out.Children = append(out.Children, PublicChildFigures{RegionCode: c.RegionCode, Name: c.Name,
			VolunteersTotal: publicCount(c.VolunteersTotal), VolunteersNew: publicCount(c.VolunteersNew), TeamsTotal: publicCount(c.TeamsTotal),
			ConfirmedMinutes: publicMinutes(c.ConfirmedMinutes, c.VolunteersTotal)})
	}
	return out
}

// publicCount is n if it may be published: 0, or at least MinPublicCount.
func publicCount(n int64) *int64 {
	if n > 0 && n < MinPublicCount {
		return nil
	}
	return &n
}

// publicMinutes is m if the people behind it are not too few to publish it.
func publicMinutes(m, people int64) *int64 {
	if m != 0 && people < MinPublicCount {
		return nil
	}
	return &m
}
