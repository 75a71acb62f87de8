package volunteer

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/db"
	"zhiyuan/internal/region"
	"zhiyuan/internal/stats"
)

// ProfileUpdate is what a volunteer may change about themself; the real-name
// fields (name, ID, birth date) are fixed by registration.
type ProfileUpdate struct {
	RegionCode        string   `json:"region_code"`
	Skills            []string `json:"skills"`
	ServiceCategories []string `json:"service_categories"`
	Tags              []string `json:"tags"`
	Languages         []string `json:"languages"`
	AvailableTime     string   `json:"available_time"`
	PublishConsent    bool     `json:"publish_consent"`
}

// UpdateProfile changes the principal's own volunteer profile.
func (s *Service) UpdateProfile(ctx context.Context, p *auth.Principal, in ProfileUpdate) (Volunteer, error) {
	v, err := s.mine(ctx, p)
	if err != nil {
		return v, err
	}
	if !auth.Can(p, auth.PermVolunteerEdit, target(v)) {
		return v, errForbidden
	}
	f := apperr.Fields{}
	in.RegionCode = strings.TrimSpace(in.RegionCode)
	if in.RegionCode == "" {
		in.RegionCode = v.RegionCode
	} else if lvl, ok := region.LevelOf(in.RegionCode); !ok || !region.Valid(in.RegionCode) {
		f.Add("region_code", "unknown", "region.unknown")
	} else if lvl < region.LevelCounty {
		f.Add("region_code", "too_coarse", "volunteer.region_too_coarse")
	}
	c := checked{in: Registration{ServiceCategories: in.ServiceCategories, Tags: in.Tags, Skills: in.Skills,
		Languages: in.Languages, AvailableTime: in.AvailableTime}}
	if err := s.checkLists(ctx, &c, f); err != nil {
		return v, err
	}
	if utf8.RuneCountInString(in.AvailableTime) > 200 {
		f.Add("available_time", "too_long", "volunteer.available_time_too_long")
	}
	if err := f.Err(); err != nil {
		return v, err
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		now := s.now().Unix()
		snap, err := stats.Take(ctx, tx, FiguresOf(v.ID))
		if err != nil {
			return apperr.Wrap(err, "volunteer: update")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE volunteers SET region_code = $1, skills = $2, languages = $3,
			available_time = $4, publish_consent = $5, updated_at = $6 WHERE id = $7`,
			in.RegionCode, jsonList(c.skills), jsonList(c.languages), in.AvailableTime, boolInt(in.PublishConsent), now, v.ID); err != nil {
			return apperr.Wrap(err, "volunteer: update")
		}
		if err := replaceLists(ctx, tx, v.ID, in.RegionCode, c); err != nil {
			return apperr.Wrap(err, "volunteer: update lists")
		}
		if err := snap.Apply(ctx, tx); err != nil {
			return apperr.Wrap(err, "volunteer: update")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "update", Entity: "volunteer", EntityID: strconv.FormatInt(v.ID, 10),
			RegionCode: in.RegionCode, Detail: map[string]any{"region_code": in.RegionCode}})
	})
	if err != nil {
		return v, err
	}
	v, err = s.get(ctx, v.ID)
	return shownTo(p, v, s.now()), err
}

// replaceLists rewrites a volunteer's searchable tags, categories and skills.
func replaceLists(ctx context.Context, tx db.Querier, id int64, regionCode string, c checked) error {
	for _, table := range []string{"volunteer_tags", "volunteer_categories", "volunteer_skills"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE volunteer_id = $1`, id); err != nil {
			return err
		}
	}
	return insertLists(ctx, tx, id, regionCode, catalog.IDs(c.tags), catalog.IDs(c.categories), c.skills)
}
