package sheet

import "strings"

// Canonical field names of the volunteer import, the keys of Row.Fields.
const (
	// FieldRealName is the volunteer's real name (姓名).
	FieldRealName = "real_name"
	// FieldIDNumber is the identity document number (证件号码).
	FieldIDNumber = "id_number"
	// FieldPhone is the mobile phone number (手机号码).
	FieldPhone = "phone"
	// FieldRegion is the region of residence, a code or a full name (居住区域).
	FieldRegion = "region"
	// FieldIDType is the identity document type (证件类型).
	FieldIDType = "id_type"
	// FieldGender is the gender (性别).
	FieldGender = "gender"
	// FieldBirthDate is the birth date (出生日期).
	FieldBirthDate = "birth_date"
	// FieldSkills lists skills (技能).
	FieldSkills = "skills"
	// FieldCategories lists service categories (服务类别).
	FieldCategories = "categories"
	// FieldTags lists volunteer tags (标签).
	FieldTags = "tags"
)

// column describes one import column: its canonical field, the header the
// template uses, an English label, whether it is required, and the header
// aliases accepted on import.
type column struct {
	field    string
	header   string
	english  string
	required bool
	aliases  []string
}

// columns lists the import columns in template order, required ones first.
var columns = []column{
	{FieldRealName, "姓名", "name", true, []string{"真实姓名", "name"}},
	{FieldIDNumber, "证件号码", "ID number", true, []string{"身份证号", "身份证号码", "证件号", "id_number"}},
	{FieldPhone, "手机号码", "mobile phone", true, []string{"手机号", "手机", "联系电话", "phone"}},
	{FieldRegion, "居住区域", "region", true, []string{"所在地区", "居住地", "区域", "region"}},
	{FieldIDType, "证件类型", "ID type", false, []string{"id_type"}},
	{FieldGender, "性别", "gender", false, []string{"gender"}},
	{FieldBirthDate, "出生日期", "birth date", false, []string{"出生年月日", "birth_date"}},
	{FieldSkills, "技能", "skills", false, []string{"特长", "skills"}},
	{FieldCategories, "服务类别", "service categories", false, []string{"服务类型", "categories"}},
	{FieldTags, "标签", "tags", false, []string{"志愿者标签", "tags"}},
}

// headerIndex maps a normalised header or alias to its canonical field.
var headerIndex = func() map[string]string {
	m := make(map[string]string)
	for _, c := range columns {
		m[headerKey(c.header)] = c.field
		m[headerKey(c.field)] = c.field
		for _, a := range c.aliases {
			m[headerKey(a)] = c.field
		}
	}
	return m
}()

// HeaderName returns the Chinese header the template uses for a canonical
// field, e.g. "证件号码" for FieldIDNumber, or "" for an unknown field.
func HeaderName(field string) string {
	if c, ok := columnOf(field); ok {
		return c.header
	}
	return ""
}

func columnOf(field string) (column, bool) {
	for _, c := range columns {
		if c.field == field {
			return c, true
		}
	}
	return column{}, false
}

// FieldForHeader returns the canonical field a header cell names, or "" if
// the header is not an import column. Matching ignores white space (including
// U+3000), full-width forms, case, '_' and '-', a leading or trailing '*', and
// a trailing "(必填)" or "(选填)".
func FieldForHeader(header string) string {
	return headerIndex[headerKey(header)]
}

// headerKey normalises a header cell for matching.
func headerKey(h string) string {
	h = strings.ToLower(Clean(h))
	h = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-':
			return -1
		}
		return r
	}, h)
	for _, suffix := range []string{"(必填)", "(选填)", "【必填】", "[必填]"} {
		h = strings.TrimSuffix(h, suffix)
	}
	return strings.Trim(h, "*")
}
