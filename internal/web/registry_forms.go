package web

import (
	"context"
	"net/http"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/i18n"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
	"zhiyuan/internal/volunteer"
)

var errUnknownRegion = apperr.New(apperr.NotFound, "region.unknown")

// idTypes are the identity documents a registration form offers, in order.
var idTypes = []pii.IDType{pii.IDResident, pii.IDPassport, pii.IDHKMacaoPermit, pii.IDTaiwanPermit,
	pii.IDHKMTResidence, pii.IDForeignPermanent}

// regChoices are what a registration form offers: documents, catalogues and
// the first level of the region picker.
type regChoices struct {
	IDTypes    []pii.IDType
	Tags       []catalog.Item
	Categories []catalog.Item
	Picker     regionLevel
}

func (s *Server) regChoices(ctx context.Context, p *Page) (regChoices, error) {
	c := regChoices{IDTypes: idTypes, Picker: newRegionLevel(p, "")}
	var err error
	if c.Tags, err = s.Catalog.List(ctx, catalog.Tag); err != nil {
		return c, err
	}
	c.Categories, err = s.Catalog.List(ctx, catalog.ServiceCategory)
	return c, err
}

// registrationFromForm reads the fields of partial_registration_fields.html.
func registrationFromForm(r *http.Request) volunteer.Registration {
	f := r.PostForm
	return volunteer.Registration{
		RealName:          f.Get("real_name"),
		IDType:            f.Get("id_type"),
		IDNumber:          f.Get("id_number"),
		Phone:             f.Get("phone"),
		RegionCode:        regionFromForm(r),
		Gender:            f.Get("gender"),
		BirthDate:         f.Get("birth_date"),
		Skills:            catalog.SplitList(f.Get("skills")),
		Languages:         catalog.SplitList(f.Get("languages")),
		ServiceCategories: f["service_categories"],
		Tags:              f["tags"],
		AvailableTime:     strings.TrimSpace(f.Get("available_time")),
		GuardianName:      f.Get("guardian_name"),
		GuardianPhone:     f.Get("guardian_phone"),
		GuardianConsent:   f.Get("guardian_consent") != "",
		PublishConsent:    f.Get("publish_consent") != "",
	}
}

// regionFromForm returns the region of a form: the deepest level reached in
// the picker, unless the code typed in lies within it (a browser without
// script can only use the picker's first level). The choice is written back
// so that a re-rendered form shows it.
func regionFromForm(r *http.Request) string {
	code := strings.TrimSpace(r.PostFormValue("region_code"))
	picks := r.PostForm["region_pick"]
	for i := len(picks) - 1; i >= 0; i-- {
		if pick := strings.TrimSpace(picks[i]); pick != "" {
			if !region.Covers(pick, code) {
				code = pick
			}
			break
		}
	}
	r.PostForm.Set("region_code", code)
	return code
}

// regionLevel is one select of the region picker: the regions under Parent.
type regionLevel struct {
	Depth   int
	Label   string
	Choose  string
	Options []region.Region
}

func newRegionLevel(p *Page, parent string) regionLevel {
	l := regionLevel{Options: region.Children(parent), Choose: p.T("region.choose")}
	if len(l.Options) > 0 {
		l.Depth = int(l.Options[0].Level)
		l.Label = p.T(regionLevelKeys[l.Options[0].Level])
	}
	return l
}

// regionOptions is the htmx fragment of the picker: the level under the
// region just picked (?region_pick=), or nothing when the choice was cleared.
func (s *Server) regionOptions(w http.ResponseWriter, r *http.Request) {
	picks := r.URL.Query()["region_pick"]
	parent := ""
	if len(picks) > 0 {
		parent = strings.TrimSpace(picks[len(picks)-1])
	}
	if parent != "" && !region.Valid(parent) {
		s.fail(w, r, errUnknownRegion)
		return
	}
	p := &Page{Lang: s.lang(r), cat: s.cat}
	var l regionLevel
	if parent != "" {
		l = newRegionLevel(p, parent)
	}
	s.renderPartial(w, r, "region_level", l)
}

// localize puts the catalogue names of a volunteer's tags and categories
// into the page's language.
func (s *Server) localize(ctx context.Context, p *Page, v *volunteer.Volunteer) error {
	if p.Lang == i18n.Default {
		return nil
	}
	for _, l := range []struct {
		kind  catalog.Kind
		names *[]string
	}{{catalog.Tag, &v.Tags}, {catalog.ServiceCategory, &v.Categories}} {
		items, _, err := s.Catalog.Resolve(ctx, l.kind, *l.names)
		if err != nil {
			return apperr.Wrap(err, "web: catalogue names")
		}
		names := make([]string, len(items))
		for i, it := range items {
			names[i] = p.ItemName(it)
		}
		*l.names = names
	}
	return nil
}
