package web

import (
	"slices"

	"zhiyuan/internal/catalog"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
	"zhiyuan/internal/team"
)

// The names of stored values, as message keys: written out here so that the
// i18n test sees every key a page may ask for.
var (
	idTypeKeys = map[pii.IDType]string{
		pii.IDResident:         "volunteer.idtype.resident",
		pii.IDPassport:         "volunteer.idtype.passport",
		pii.IDHKMacaoPermit:    "volunteer.idtype.hk_macao_permit",
		pii.IDTaiwanPermit:     "volunteer.idtype.taiwan_permit",
		pii.IDHKMTResidence:    "volunteer.idtype.hkmt_residence",
		pii.IDForeignPermanent: "volunteer.idtype.foreign_permanent",
	}
	genderKeys = map[pii.Gender]string{
		pii.GenderMale:   "volunteer.gender_male",
		pii.GenderFemale: "volunteer.gender_female",
	}
	sourceKeys = map[string]string{
		"self":        "volunteer.source_self",
		"import":      "volunteer.source_import",
		"preregister": "volunteer.source_preregister",
	}
	teamStateKeys = map[string]string{
		team.StatePending:   "team.state.pending",
		team.StateApproved:  "team.state.approved",
		team.StateRejected:  "team.state.rejected",
		team.StateSuspended: "team.state.suspended",
	}
	joinModeKeys = map[string]string{
		team.JoinOpen:       "team.join_mode.open",
		team.JoinApproval:   "team.join_mode.approval",
		team.JoinInvitation: "team.join_mode.invitation",
	}
	teamRoleKeys = map[string]string{
		team.RoleAdmin:  "team.role.admin",
		team.RoleLeader: "team.role.leader",
		team.RoleMember: "team.role.member",
	}
	memberStatusKeys = map[string]string{
		team.MemberActive:  "team.member_status.active",
		team.MemberPending: "team.member_status.pending",
		team.MemberInvited: "team.member_status.invited",
		team.MemberLeft:    "team.member_status.left",
		team.MemberRemoved: "team.member_status.removed",
	}
	decisionKeys = map[string]string{
		"approve":   "team.decision.approve",
		"reject":    "team.decision.reject",
		"suspend":   "team.decision.suspend",
		"reinstate": "team.decision.reinstate",
	}
	// teamTypeKeys translates team.Types, which are stored in Chinese.
	teamTypeKeys = map[string]string{
		"社区志愿服务队": "team.type.community",
		"社会组织":    "team.type.social",
		"企事业单位":   "team.type.enterprise",
		"学校":      "team.type.school",
		"机关事业单位":  "team.type.government",
		"其他":      "team.type.other",
	}
	regionLevelKeys = map[region.Level]string{
		region.LevelProvince:  "region.level_province",
		region.LevelCity:      "region.level_city",
		region.LevelCounty:    "region.level_county",
		region.LevelStreet:    "region.level_street",
		region.LevelCommunity: "region.level_community",
	}
)

// label translates a stored value through its key map; an unknown value is
// shown as it is.
func (p *Page) label(keys map[string]string, v string) string {
	if k, ok := keys[v]; ok {
		return p.T(k)
	}
	return v
}

// IDTypeName is the name of an identity document type.
func (p *Page) IDTypeName(t pii.IDType) string {
	if k, ok := idTypeKeys[t]; ok {
		return p.T(k)
	}
	return string(t)
}

// GenderName is the name of a gender, or a dash.
func (p *Page) GenderName(g pii.Gender) string {
	if k, ok := genderKeys[g]; ok {
		return p.T(k)
	}
	return "—"
}

// SourceName says how a volunteer record came to be.
func (p *Page) SourceName(s string) string { return p.label(sourceKeys, s) }

// TeamState is the name of a team's state.
func (p *Page) TeamState(s string) string { return p.label(teamStateKeys, s) }

// JoinModeName is the name of a team's join mode.
func (p *Page) JoinModeName(m string) string { return p.label(joinModeKeys, m) }

// TeamRoleName is the name of a member's team role.
func (p *Page) TeamRoleName(r string) string { return p.label(teamRoleKeys, r) }

// MemberStatusName is the name of a membership state.
func (p *Page) MemberStatusName(s string) string { return p.label(memberStatusKeys, s) }

// DecisionName is the name of a review decision.
func (p *Page) DecisionName(d string) string { return p.label(decisionKeys, d) }

// TeamTypeName is the name of a kind of organisation, or a dash.
func (p *Page) TeamTypeName(t string) string {
	if t == "" {
		return "—"
	}
	return p.label(teamTypeKeys, t)
}

// ItemName is a catalogue item's name in the page's language.
func (p *Page) ItemName(it catalog.Item) string {
	if p.Lang == "en" && it.NameEn != "" {
		return it.NameEn
	}
	return it.Name
}

// Checked reports whether the submitted form holds value under field (a
// ticked checkbox or a chosen radio button).
func (p *Page) Checked(field, value string) bool { return slices.Contains(p.Form[field], value) }

// FormOr is the submitted value of field, or def if there is none.
func (p *Page) FormOr(field, def string) string {
	if v := p.Form.Get(field); v != "" {
		return v
	}
	return def
}

// RegionFullName is the full name of a region code, or "" if unknown.
func (p *Page) RegionFullName(code string) string { return region.FullName(code) }
