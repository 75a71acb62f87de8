package volunteer

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
)

// mode says who is registering: the person themself, or someone on their behalf.
type mode int

const (
	modeSelf mode = iota
	modeOnBehalf
)

// checked is a registration that passed validation, in canonical form.
type checked struct {
	in            Registration
	id            pii.ID
	phone         string
	guardianPhone string
	birth         time.Time
	gender        pii.Gender
	categories    []catalog.Item
	tags          []catalog.Item
	skills        []string
	languages     []string
	minor         bool
}

// limits on free-text lists.
const (
	maxListItems = 20
	maxItemLen   = 20
	maxNameLen   = 40
)

// check validates a registration, returning every field error at once under
// the input's field names.
func (s *Service) check(ctx context.Context, in Registration, m mode) (checked, error) {
	c := checked{in: in}
	f := apperr.Fields{}
	in.RealName = strings.TrimSpace(in.RealName)
	c.in.RealName = in.RealName
	switch n := utf8.RuneCountInString(in.RealName); {
	case n == 0:
		f.Add("real_name", "required", "volunteer.real_name_required")
	case n > maxNameLen:
		f.Add("real_name", "too_long", "volunteer.real_name_too_long")
	}
	idType := pii.IDType(strings.TrimSpace(in.IDType))
	if idType == "" {
		idType = pii.IDResident
	}
	var err error
	c.id, err = pii.ParseID(idType, in.IDNumber)
	if err != nil {
		code := pii.ErrorCode(err)
		if code == "" {
			code = "format"
		}
		f.Add(idField(code), code, "volunteer.id_"+code)
	}
	if c.phone, err = pii.NormalizePhone(in.Phone); err != nil || !isMobile(c.phone) {
		f.Add("phone", "format", "volunteer.phone_format")
	}
	if in.RegionCode = strings.TrimSpace(in.RegionCode); in.RegionCode == "" {
		f.Add("region_code", "required", "volunteer.region_required")
	} else if lvl, ok := region.LevelOf(in.RegionCode); !ok || !region.Valid(in.RegionCode) {
		f.Add("region_code", "unknown", "region.unknown")
	} else if lvl < region.LevelCounty {
		f.Add("region_code", "too_coarse", "volunteer.region_too_coarse")
	}
	c.in.RegionCode = in.RegionCode
	if m == modeSelf {
		if err := auth.CheckPassword(in.Password, "", in.RealName, c.phone); err != nil {
			f["password"] = apperr.From(err).Fields["password"]
		}
	}
	s.checkBirthAndGender(&c, f)
	if !c.birth.IsZero() {
		s.checkAge(&c, m, f)
	}
	if err := s.checkLists(ctx, &c, f); err != nil {
		return c, err
	}
	return c, f.Err()
}

// idField puts ID errors on id_type when the type itself was wrong.
func idField(code string) string {
	if code == "type" {
		return "id_type"
	}
	return "id_number"
}

func isMobile(p string) bool { return len(p) == 11 && p[0] == '1' }

// checkBirthAndGender takes both from the ID document when it encodes them,
// and otherwise from the input.
func (s *Service) checkBirthAndGender(c *checked, f apperr.Fields) {
	if !c.id.BirthDate.IsZero() {
		c.birth, c.gender = c.id.BirthDate, c.id.Gender
		return
	}
	if c.id.Number == "" {
		return // the ID error is already reported
	}
	b, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(c.in.BirthDate), clock.Zone)
	if err != nil || b.After(s.now()) || b.Year() < 1900 {
		f.Add("birth_date", "format", "volunteer.birth_date_format")
	} else {
		c.birth = b
	}
	switch g := pii.Gender(strings.ToUpper(strings.TrimSpace(c.in.Gender))); g {
	case pii.GenderMale, pii.GenderFemale:
		c.gender = g
	default:
		switch strings.TrimSpace(c.in.Gender) {
		case "男":
			c.gender = pii.GenderMale
		case "女":
			c.gender = pii.GenderFemale
		default:
			f.Add("gender", "required", "volunteer.gender_required")
		}
	}
}

// checkAge applies the age rules: under 14 cannot register themselves;
// under 18 need a guardian's name, phone and consent on record.
func (s *Service) checkAge(c *checked, m mode, f apperr.Fields) {
	age := pii.AgeOn(c.birth, s.now().In(clock.Zone))
	if age < MinSelfRegisterAge && m == modeSelf {
		f.AddArgs("id_number", "under_age", "volunteer.under_14", map[string]any{"Age": MinSelfRegisterAge})
		return
	}
	if age >= AdultAge {
		return
	}
	c.minor = true
	if strings.TrimSpace(c.in.GuardianName) == "" {
		f.Add("guardian_name", "required", "volunteer.guardian_required")
	}
	gp, err := pii.NormalizePhone(c.in.GuardianPhone)
	if err != nil {
		f.Add("guardian_phone", "format", "volunteer.guardian_phone_format")
	}
	c.guardianPhone = gp
	if !c.in.GuardianConsent {
		f.Add("guardian_consent", "required", "volunteer.guardian_consent_required")
	}
}

// checkLists resolves catalogue names and bounds the free-text lists.
func (s *Service) checkLists(ctx context.Context, c *checked, f apperr.Fields) error {
	var unknown []string
	var err error
	c.categories, unknown, err = s.catalog.Resolve(ctx, catalog.ServiceCategory, c.in.ServiceCategories)
	if err != nil {
		return apperr.Wrap(err, "volunteer: categories")
	}
	if len(unknown) > 0 {
		f.AddArgs("service_categories", "unknown", "volunteer.category_unknown", map[string]any{"Names": strings.Join(unknown, "、")})
	}
	c.tags, unknown, err = s.catalog.Resolve(ctx, catalog.Tag, c.in.Tags)
	if err != nil {
		return apperr.Wrap(err, "volunteer: tags")
	}
	if len(unknown) > 0 {
		f.AddArgs("tags", "unknown", "volunteer.tag_unknown", map[string]any{"Names": strings.Join(unknown, "、")})
	}
	var ok bool
	if c.skills, ok = cleanList(c.in.Skills); !ok {
		f.Add("skills", "too_long", "volunteer.list_too_long")
	}
	if c.languages, ok = cleanList(c.in.Languages); !ok {
		f.Add("languages", "too_long", "volunteer.list_too_long")
	}
	if utf8.RuneCountInString(c.in.AvailableTime) > 200 {
		f.Add("available_time", "too_long", "volunteer.available_time_too_long")
	}
	return nil
}

// cleanList trims, de-duplicates and bounds a free-text list.
func cleanList(in []string) ([]string, bool) {
	var out []string
	seen := map[string]bool{}
	for _, x := range in {
		x = strings.TrimSpace(x)
		if x == "" || seen[x] {
			continue
		}
		if utf8.RuneCountInString(x) > maxItemLen {
			return nil, false
		}
		seen[x] = true
		out = append(out, x)
	}
	return out, len(out) <= maxListItems
}
