package volunteer

import "fmt"

// Bulk writing, for the city-scale data generator: a Prepared registration
// as the row insertVolunteer writes, so generated volunteers are stored
// exactly as registered ones.

// Columns are the volunteers columns of Prepared.Row, in order.
var Columns = []string{"id", "volunteer_no", "account_id", "real_name", "gender", "birth_date", "id_type",
	"id_number_enc", "id_number_hash", "id_number_masked", "phone_enc", "phone_hash", "phone_masked", "region_code",
	"skills", "languages", "available_time", "guardian_name", "guardian_phone_enc", "guardian_phone_masked",
	"guardian_consent_at", "publish_consent", "source", "registered_by_team_id", "claimed_at", "created_at", "updated_at"}

// Row returns the volunteer's row with the given id, number, account (0 for
// none), registering team (0 for none) and creation time, in Columns order,
// with the values insertVolunteer gives them.
func (p Prepared) Row(id int64, no string, accountID, teamID, now int64) []any {
	r := p.rec
	claimed := int64(0)
	if accountID != 0 {
		claimed = now
	}
	return []any{id, no, nullID(accountID), r.realName, string(r.gender), r.birthDate, string(r.idType), r.idEnc, r.idHash,
		r.idMasked, nullBytes(r.phoneEnc), nullBytes(r.phoneHash), r.phoneMasked, r.region, jsonList(r.skills),
		jsonList(r.languages), r.availableTime, r.guardianName, nullBytes(r.guardianPhoneEnc), r.guardianPhoneMasked,
		r.guardianConsentAt, boolInt(r.publishConsent), r.source, nullID(teamID), claimed, now, now}
}

// Lists returns the prepared volunteer's tag and category ids and skills,
// the rows of volunteer_tags, volunteer_categories and volunteer_skills.
func (p Prepared) Lists() (tagIDs, categoryIDs []int64, skills []string) {
	return p.rec.tagIDs, p.rec.categoryIDs, p.rec.skills
}

// RealName returns the prepared volunteer's name as it will be stored.
func (p Prepared) RealName() string { return p.rec.realName }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// NumberFor returns the volunteer number whose first 11 digits are body
// (10^10 ≤ body < 10^11), with its Luhn check digit.
func NumberFor(body int64) (string, error) {
	if body < 1e10 || body >= 1e11 {
		return "", fmt.Errorf("volunteer: number body %d out of range", body)
	}
	s := fmt.Sprintf("%011d", body)
	return s + string(luhnDigit(s)), nil
}
