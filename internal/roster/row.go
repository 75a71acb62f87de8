package roster

import (
	"strings"

	"zhiyuan/internal/catalog"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
	"zhiyuan/internal/sheet"
	"zhiyuan/internal/volunteer"
)

// idTypes maps what people write in the 证件类型 column to document types.
var idTypes = map[string]pii.IDType{
	"":                     pii.IDResident,
	"居民身份证":                pii.IDResident,
	"身份证":                  pii.IDResident,
	"护照":                   pii.IDPassport,
	"港澳居民来往内地通行证":          pii.IDHKMacaoPermit,
	"港澳通行证":                pii.IDHKMacaoPermit,
	"回乡证":                  pii.IDHKMacaoPermit,
	"台湾居民来往大陆通行证":          pii.IDTaiwanPermit,
	"台胞证":                  pii.IDTaiwanPermit,
	"港澳台居民居住证":             pii.IDHKMTResidence,
	"外国人永久居留身份证":           pii.IDForeignPermanent,
	"外国人永久居留证":             pii.IDForeignPermanent,
	string(pii.IDResident): pii.IDResident, string(pii.IDPassport): pii.IDPassport,
	string(pii.IDHKMacaoPermit): pii.IDHKMacaoPermit, string(pii.IDTaiwanPermit): pii.IDTaiwanPermit,
	string(pii.IDHKMTResidence): pii.IDHKMTResidence, string(pii.IDForeignPermanent): pii.IDForeignPermanent,
}

// problem is one thing wrong with a row: the sheet field and a message key.
type problem struct {
	field string
	key   string
	args  map[string]any
}

// registration reads a sheet row into a registration, with the problems
// that only the sheet can see (an ID number Excel mangled, an unknown ID
// type or region name).
func registration(row sheet.Row) (volunteer.Registration, []problem) {
	f := row.Fields
	var probs []problem
	in := volunteer.Registration{
		RealName:          strings.ReplaceAll(f[sheet.FieldRealName], " ", ""),
		IDNumber:          strings.TrimPrefix(f[sheet.FieldIDNumber], "'"),
		Phone:             f[sheet.FieldPhone],
		Gender:            f[sheet.FieldGender],
		BirthDate:         normalizeDate(f[sheet.FieldBirthDate]),
		Skills:            catalog.SplitList(f[sheet.FieldSkills]),
		ServiceCategories: catalog.SplitList(f[sheet.FieldCategories]),
		Tags:              catalog.SplitList(f[sheet.FieldTags]),
	}
	t, ok := idTypes[strings.TrimSpace(f[sheet.FieldIDType])]
	if !ok {
		probs = append(probs, problem{field: sheet.FieldIDType, key: "import.id_type_unknown"})
	}
	in.IDType = string(t)
	// A numeric cell certainly lost digits; a text cell of that shape is only
	// suspect when the number is also invalid (a real ID may end in 000).
	mangled := row.Notes[sheet.FieldIDNumber] == sheet.NoteMangled
	if !mangled && sheet.IDNumberLooksMangled(in.IDNumber) {
		_, err := pii.ParseID(t, in.IDNumber)
		mangled = err != nil
	}
	if mangled {
		probs = append(probs, problem{field: sheet.FieldIDNumber, key: "import.id_mangled"})
	}
	if strings.EqualFold(in.IDNumber, sheet.TemplateExampleID) {
		probs = append(probs, problem{field: sheet.FieldIDNumber, key: "import.example_row"})
	}
	switch raw := f[sheet.FieldRegion]; {
	case strings.TrimSpace(raw) == "":
		probs = append(probs, problem{field: sheet.FieldRegion, key: "volunteer.region_required"})
	default:
		if r, ok := region.Find(raw); ok {
			in.RegionCode = r.Code
		} else {
			probs = append(probs, problem{field: sheet.FieldRegion, key: "import.region_unknown", args: map[string]any{"Text": raw}})
		}
	}
	return in, probs
}

// normalizeDate accepts 1990-05-01, 1990/5/1, 1990.5.1 and 19900501.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		return s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' || r == '年' || r == '月' || r == '日' })
	if len(parts) != 3 {
		return s
	}
	pad := func(p string) string {
		if len(p) == 1 {
			return "0" + p
		}
		return p
	}
	return parts[0] + "-" + pad(parts[1]) + "-" + pad(parts[2])
}

// sheetField maps a registration's input field to the sheet column it came from.
var sheetField = map[string]string{
	"real_name": sheet.FieldRealName, "id_number": sheet.FieldIDNumber, "id_type": sheet.FieldIDType,
	"phone": sheet.FieldPhone, "region_code": sheet.FieldRegion, "gender": sheet.FieldGender,
	"birth_date": sheet.FieldBirthDate, "skills": sheet.FieldSkills, "service_categories": sheet.FieldCategories,
	"tags": sheet.FieldTags,
}
