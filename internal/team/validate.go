package team

import (
	"slices"
	"strings"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
)

// checkedTeam is a valid NewTeam in canonical form.
type checkedTeam struct {
	NewTeam
	phone string
}

// validate checks a new team and returns every field error at once.
func validate(in NewTeam) (checkedTeam, error) {
	c := checkedTeam{NewTeam: in}
	f := apperr.Fields{}
	c.Name = strings.Join(strings.Fields(in.Name), " ")
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		f.Add("name", "required", "team.name_required")
	case n < 2 || n > 60:
		f.Add("name", "length", "team.name_length")
	}
	c.RegionCode = strings.TrimSpace(in.RegionCode)
	if lvl, ok := region.LevelOf(c.RegionCode); !ok || !region.Valid(c.RegionCode) {
		f.Add("region_code", "unknown", "region.unknown")
	} else if lvl < region.LevelCity {
		f.Add("region_code", "too_coarse", "team.region_too_coarse")
	}
	if c.ContactName = strings.TrimSpace(in.ContactName); c.ContactName == "" {
		f.Add("contact_name", "required", "team.contact_name_required")
	}
	var err error
	if c.phone, err = pii.NormalizePhone(in.ContactPhone); err != nil {
		f.Add("contact_phone", "format", "volunteer.phone_format")
	}
	if c.Type = strings.TrimSpace(in.Type); c.Type != "" && !slices.Contains(Types, c.Type) {
		f.Add("type", "unknown", "team.type_unknown")
	}
	if c.CreditCode = strings.TrimSpace(in.CreditCode); c.CreditCode != "" {
		code, err := pii.ParseCreditCode(c.CreditCode)
		if err != nil {
			f.Add("credit_code", pii.ErrorCode(err), "team.credit_code_"+creditCode(err))
		}
		c.CreditCode = code
	}
	switch c.JoinMode = strings.TrimSpace(in.JoinMode); c.JoinMode {
	case "":
		c.JoinMode = JoinApproval
	case JoinOpen, JoinApproval, JoinInvitation:
	default:
		f.Add("join_mode", "unknown", "team.join_mode_unknown")
	}
	if utf8.RuneCountInString(in.Description) > 2000 {
		f.Add("description", "too_long", "team.description_too_long")
	}
	return c, f.Err()
}

func creditCode(err error) string {
	if pii.ErrorCode(err) == "checksum" {
		return "checksum"
	}
	return "format"
}
