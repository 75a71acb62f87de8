package volunteer

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
)

// Query is a search of the register, as typed into a list screen or the API.
type Query struct {
	RegionCode string
	Tag        string
	Skill      string
	TeamID     int64
	// Q is a name prefix, a volunteer number, a mobile number or an ID number.
	Q     string
	After int64
	Limit int
}

// MaxPage bounds one page of a list.
const MaxPage = 200

// Search lists the volunteers in the principal's scope that match q.
func (s *Service) Search(ctx context.Context, p *auth.Principal, q Query) ([]Volunteer, error) {
	f, err := s.filter(ctx, p, q)
	if err != nil {
		return nil, err
	}
	list, err := search(ctx, s.db, f)
	now := s.now()
	for i := range list {
		list[i] = shownTo(p, list[i], now)
	}
	return list, apperr.Wrap(err, "volunteer: search")
}

// filter turns a query into a store filter restricted to the principal's scope.
func (s *Service) filter(ctx context.Context, p *auth.Principal, q Query) (Filter, error) {
	if !auth.Allowed(p, auth.PermVolunteerSearch) {
		return Filter{}, errForbidden
	}
	f := Filter{After: q.After, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = 50
	}
	regions, all := auth.RegionScopes(p, auth.PermVolunteerSearch)
	teams := auth.TeamScopes(p, auth.PermVolunteerSearch)
	bad := apperr.Fields{}
	switch {
	case q.TeamID != 0:
		teamRegion, err := s.teamRegion(ctx, q.TeamID)
		if err != nil {
			return f, err
		}
		if !auth.Can(p, auth.PermVolunteerSearch, auth.Target{TeamID: q.TeamID, RegionCode: teamRegion}) {
			return f, errForbidden
		}
		f.TeamIDs, f.All = []int64{q.TeamID}, true
	case all:
		f.All = true
	case len(regions) > 0:
		f.Regions = regions
	default:
		f.TeamIDs = teams
	}
	if q.RegionCode = strings.TrimSpace(q.RegionCode); q.RegionCode != "" {
		if !region.Valid(q.RegionCode) {
			bad.Add("region_code", "unknown", "region.unknown")
		} else if !f.All && len(f.Regions) > 0 && !coveredByAny(f.Regions, q.RegionCode) {
			return f, apperr.New(apperr.Forbidden, "volunteer.region_out_of_scope")
		} else if len(f.Regions) > 0 {
			// Inside the scope: the region asked for is the only range, so
			// the index is read from that street, not from the district's start.
			f.Regions, f.All = nil, true
		}
		f.RegionCode = q.RegionCode
	}
	if q.Tag = strings.TrimSpace(q.Tag); q.Tag != "" {
		found, _, err := s.catalog.Resolve(ctx, catalog.Tag, []string{q.Tag})
		if err != nil {
			return f, apperr.Wrap(err, "volunteer: tag")
		}
		if len(found) == 0 {
			bad.AddArgs("tag", "unknown", "volunteer.tag_unknown", map[string]any{"Names": q.Tag})
		} else {
			f.TagID = found[0].ID
		}
	}
	f.Skill = strings.TrimSpace(q.Skill)
	s.classify(strings.TrimSpace(q.Q), &f)
	if f.IDHash != nil && !mayFindByID(p) {
		bad.Add("q", "id_needs_reveal", "volunteer.id_search_needs_reveal")
	}
	return f, bad.Err()
}

// mayFindByID reports whether p may look a person up by full ID number. A
// hit confirms the number, and whoever sees the mask's last four and the
// age could confirm guesses one search at a time: only those who may reveal
// numbers in every region they search may search by one.
func mayFindByID(p *auth.Principal) bool {
	reveal, all := auth.RegionScopes(p, auth.PermVolunteerReveal)
	if all {
		return true
	}
	search, searchAll := auth.RegionScopes(p, auth.PermVolunteerSearch)
	if searchAll || len(search) == 0 || len(auth.TeamScopes(p, auth.PermVolunteerSearch)) > 0 {
		return false
	}
	for _, code := range search {
		if !coveredByAny(reveal, code) {
			return false
		}
	}
	return true
}

func coveredByAny(scopes []string, code string) bool {
	for _, sc := range scopes {
		if region.Covers(sc, code) {
			return true
		}
	}
	return false
}

// classify reads the free search text: a volunteer number, a mobile number
// and an ID number are looked up exactly (the last two by their hashes);
// anything else is a name prefix.
func (s *Service) classify(text string, f *Filter) {
	if text == "" {
		return
	}
	if ValidNo(text) {
		f.No = text
		return
	}
	if phone, err := pii.NormalizePhone(text); err == nil && isMobile(phone) {
		f.PhoneHash = s.phoneHash(phone)
		return
	}
	if id, err := pii.ParseID(pii.IDResident, text); err == nil {
		f.IDHash = s.idHash(id)
		return
	}
	f.Name = text
}

func (s *Service) teamRegion(ctx context.Context, teamID int64) (string, error) {
	var code string
	err := s.db.Read().QueryRowContext(ctx, `SELECT region_code FROM teams WHERE id = $1`, teamID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "team.not_found")
	}
	return code, apperr.Wrap(err, "volunteer: team region")
}

// QueryOf reads a search from URL parameters (region_code, tag, skill,
// team_id, q): one reading for the screens, the API and the exports. A
// team_id that is not a positive integer is refused (apperr.BadQuery).
func QueryOf(v url.Values) (Query, error) {
	teamID, err := apperr.QueryID(v, "team_id")
	return Query{RegionCode: v.Get("region_code"), Tag: v.Get("tag"), Skill: v.Get("skill"), Q: v.Get("q"), TeamID: teamID}, err
}
