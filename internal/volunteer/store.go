package volunteer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
)

// record is a volunteer row as written.
type record struct {
	no                  string
	accountID           int64
	realName            string
	gender              pii.Gender
	birthDate           string
	idType              pii.IDType
	idEnc, idHash       []byte
	idMasked            string
	phoneEnc, phoneHash []byte
	phoneMasked         string
	region              string
	skills, languages   []string
	availableTime       string
	guardianName        string
	guardianPhoneEnc    []byte
	guardianPhoneMasked string
	guardianConsentAt   int64
	publishConsent      bool
	source              string
	teamID              int64
	tagIDs, categoryIDs []int64
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func jsonList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// insertVolunteer writes a volunteer and its searchable lists. The caller
// records it in the statistics (stats.Created), once per transaction.
func insertVolunteer(ctx context.Context, q db.Querier, r record, now int64) (int64, error) {
	var id int64
	claimed := int64(0)
	if r.accountID != 0 {
		claimed = now
	}
	err := q.QueryRowContext(ctx, `INSERT INTO volunteers
		(volunteer_no, account_id, real_name, gender, birth_date, id_type, id_number_enc, id_number_hash, id_number_masked,
		 phone_enc, phone_hash, phone_masked, region_code, skills, languages, available_time, guardian_name,
		 guardian_phone_enc, guardian_phone_masked, guardian_consent_at, publish_consent, source, registered_by_team_id,
		 claimed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25)
		RETURNING id`,
		r.no, db.NullID(r.accountID), r.realName, string(r.gender), r.birthDate, string(r.idType), r.idEnc, r.idHash, r.idMasked,
		nullBytes(r.phoneEnc), nullBytes(r.phoneHash), r.phoneMasked, r.region, jsonList(r.skills), jsonList(r.languages),
		r.availableTime, r.guardianName, nullBytes(r.guardianPhoneEnc), r.guardianPhoneMasked, r.guardianConsentAt,
		boolInt(r.publishConsent), r.source, db.NullID(r.teamID), claimed, now).Scan(&id)
	if err != nil {
		return 0, err
	}
	if err := insertLists(ctx, q, id, r.region, r.tagIDs, r.categoryIDs, r.skills); err != nil {
		return 0, err
	}
	return id, nil
}

// insertLists writes a volunteer's searchable tags, categories and skills.
func insertLists(ctx context.Context, q db.Querier, id int64, region string, tagIDs, categoryIDs []int64, skills []string) error {
	for _, t := range tagIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO volunteer_tags (volunteer_id, tag_id, region_code) VALUES ($1, $2, $3)`, id, t, region); err != nil {
			return err
		}
	}
	for _, c := range categoryIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO volunteer_categories (volunteer_id, category_id, region_code) VALUES ($1, $2, $3)`, id, c, region); err != nil {
			return err
		}
	}
	for _, sk := range skills {
		if _, err := q.ExecContext(ctx, `INSERT INTO volunteer_skills (volunteer_id, skill, region_code) VALUES ($1, $2, $3)`, id, sk, region); err != nil {
			return err
		}
	}
	return nil
}

// existing is what a lookup by ID number or phone finds.
type existing struct {
	id        int64
	accountID int64
	phoneHash []byte
}

func findBy(ctx context.Context, q db.Querier, column string, hash []byte) (existing, error) {
	var e existing
	var acc sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, account_id, phone_hash FROM volunteers WHERE `+column+` = $1`, hash).
		Scan(&e.id, &acc, &e.phoneHash)
	if errors.Is(err, sql.ErrNoRows) {
		return e, db.ErrNotFound
	}
	e.accountID = acc.Int64
	return e, err
}

func numberTaken(ctx context.Context, q db.Querier, no string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM volunteers WHERE volunteer_no = $1`, no).Scan(&n)
	return n > 0, err
}

func setAccount(ctx context.Context, q db.Querier, id, accountID, now int64) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE volunteers SET account_id = $1, claimed_at = $2, updated_at = $2
		WHERE id = $3 AND account_id IS NULL`, accountID, now, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// usernameFor returns the account username of the volunteer found by column.
func usernameFor(ctx context.Context, q db.Querier, column string, value any) (string, error) {
	var u string
	err := q.QueryRowContext(ctx, `SELECT a.username FROM volunteers v JOIN accounts a ON a.id = v.account_id WHERE v.`+column+` = $1`, value).Scan(&u)
	if errors.Is(err, sql.ErrNoRows) {
		return "", db.ErrNotFound
	}
	return u, err
}

const listColumns = `v.id, v.volunteer_no, COALESCE(v.account_id, 0), v.real_name, v.gender, v.birth_date, v.id_type,
	v.id_number_masked, v.phone_masked, v.region_code, v.skills, v.languages, v.available_time, v.guardian_name,
	v.guardian_phone_masked, v.publish_consent, v.source, v.created_at`

func scanVolunteer(row db.Scanner) (Volunteer, error) {
	var v Volunteer
	var skills, langs string
	var publish int
	var created int64
	err := row.Scan(&v.ID, &v.No, &v.AccountID, &v.RealName, &v.Gender, &v.BirthDate, &v.IDType, &v.IDNumberMasked,
		&v.PhoneMasked, &v.RegionCode, &skills, &langs, &v.AvailableTime, &v.GuardianName, &v.GuardianPhoneMasked,
		&publish, &v.Source, &created)
	if err != nil {
		return v, err
	}
	_ = json.Unmarshal([]byte(skills), &v.Skills)
	_ = json.Unmarshal([]byte(langs), &v.Languages)
	v.PublishConsent = publish != 0
	v.CreatedAt = time.Unix(created, 0)
	return v, nil
}

func byID(ctx context.Context, q db.Querier, id int64) (Volunteer, error) {
	v, err := scanVolunteer(q.QueryRowContext(ctx, `SELECT `+listColumns+` FROM volunteers v WHERE v.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, db.ErrNotFound
	}
	return v, err
}

// idOfAccount is the id of the volunteer record of an account.
func idOfAccount(ctx context.Context, q db.Querier, accountID int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM volunteers WHERE account_id = $1`, accountID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, db.ErrNotFound
	}
	return id, err
}

// Exists says whether volunteer id is registered, for another package's
// check through q.
func Exists(ctx context.Context, q db.Querier, id int64) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM volunteers WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// OfAccountSQL is the id of the volunteer record of the account whose id is
// the placeholder ph, NULL when it has none: for another package's
// statement that reads it in the same statement.
func OfAccountSQL(ph string) string {
	return `(SELECT id FROM volunteers WHERE account_id = ` + ph + `)`
}

// JoinOfAccountSQL left-joins, as alias, the volunteer record of the
// account whose id is the placeholder ph, for another package's statement.
func JoinOfAccountSQL(alias, ph string) string {
	return ` LEFT JOIN volunteers ` + alias + ` ON ` + alias + `.account_id = ` + ph
}

// IsOfAccountSQL is the condition that volunteer idPh is the record of
// account accountPh, for another package's statement.
func IsOfAccountSQL(idPh, accountPh string) string {
	return `EXISTS (SELECT 1 FROM volunteers v WHERE v.id = ` + idPh + ` AND v.account_id = ` + accountPh + `)`
}

func byAccount(ctx context.Context, q db.Querier, accountID int64) (Volunteer, error) {
	v, err := scanVolunteer(q.QueryRowContext(ctx, `SELECT `+listColumns+` FROM volunteers v WHERE v.account_id = $1`, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return v, db.ErrNotFound
	}
	return v, err
}

// catalogIDs returns the tag or category ids of a volunteer.
func catalogIDs(ctx context.Context, q db.Querier, table, column string, id int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+column+` FROM `+table+` WHERE volunteer_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var x int64
		if err := rows.Scan(&x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// teamsOf returns the teams a volunteer is an active member of: an
// invitation they have not accepted, or a request the team has not
// approved, gives the team no access to them.
func teamsOf(ctx context.Context, q db.Querier, id int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT team_id FROM team_members WHERE volunteer_id = $1 AND status = 'active' ORDER BY team_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var x int64
		if err := rows.Scan(&x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// sealedNumbers returns a volunteer's encrypted numbers.
func sealedNumbers(ctx context.Context, q db.Querier, id int64) (idType string, idEnc, phoneEnc, guardianEnc []byte, err error) {
	err = q.QueryRowContext(ctx, `SELECT id_type, id_number_enc, phone_enc, guardian_phone_enc FROM volunteers WHERE id = $1`, id).
		Scan(&idType, &idEnc, &phoneEnc, &guardianEnc)
	if errors.Is(err, sql.ErrNoRows) {
		err = db.ErrNotFound
	}
	return
}

// Filter selects volunteers for a list. Regions and TeamIDs restrict to the
// caller's scope (All lifts the region restriction).
type Filter struct {
	All        bool
	Regions    []string
	TeamIDs    []int64
	RegionCode string
	TagID      int64
	Skill      string
	Name       string
	IDHash     []byte
	PhoneHash  []byte
	No         string
	After      int64
	Limit      int
}

// search lists volunteers matching f, in (region, id) order.
func search(ctx context.Context, d *db.DB, f Filter) ([]Volunteer, error) {
	var c db.Conds
	// A page is read in (region, id) order straight off an index, never
	// sorted: without a tag off volunteers_region; with one off the tag's
	// list, whose rows carry the volunteer's region (replaceLists rewrites
	// them when it changes) in the index volunteer_tags_search (tag,
	// region, volunteer), each volunteer then fetched by id. So a page
	// costs its own rows, not those of the region's others as well.
	from, region, id := "volunteers v", "v.region_code", "v.id"
	if f.TagID != 0 {
		from, region, id = "volunteer_tags t JOIN volunteers v ON v.id = t.volunteer_id", "t.region_code", "t.volunteer_id"
		c.Eq("t.tag_id", f.TagID)
	}
	if len(f.TeamIDs) > 0 {
		ph := make([]string, len(f.TeamIDs))
		for i, t := range f.TeamIDs {
			ph[i] = c.Arg(t)
		}
		c.Add("v.id IN (SELECT m.volunteer_id FROM team_members m WHERE m.team_id IN (" + strings.Join(ph, ", ") +
			") AND m.status = 'active')")
	} else if !f.All && !c.Scope(region, f.Regions, "v.id", nil) {
		return nil, nil
	}
	if f.RegionCode != "" {
		c.Prefix(region, f.RegionCode)
	}
	// Skills are checked row by row on their primary key.
	if f.Skill != "" {
		c.Add("EXISTS (SELECT 1 FROM volunteer_skills s WHERE s.volunteer_id = v.id AND s.skill = " + c.Arg(f.Skill) + ")")
	}
	if f.Name != "" {
		c.StartsWith("v.real_name", f.Name)
	}
	if f.IDHash != nil {
		c.Eq("v.id_number_hash", f.IDHash)
	}
	if f.PhoneHash != nil {
		c.Eq("v.phone_hash", f.PhoneHash)
	}
	if f.No != "" {
		c.Eq("v.volunteer_no", f.No)
	}
	if f.After > 0 { // the page after that volunteer, in (region, id) order
		after := c.Arg(f.After)
		start := "(SELECT a.region_code FROM volunteers a WHERE a.id = " + after + ")"
		c.Add(region + " >= " + start + " AND (" + region + ", " + id + ") > (" + start + ", " + after + ")")
	}
	limit := c.Arg(f.Limit)
	query := `SELECT ` + listColumns + ` FROM ` + from + ` WHERE ` + c.SQL() + ` ORDER BY ` + region + `, ` + id + ` LIMIT ` + limit
	return db.ReadAll(ctx, d, scanVolunteer, query, c.Args...)
}

// volunteerInsert is the head of a multi-row volunteers INSERT; each row
// has the 26 values of insertVolunteer's, in order.
const volunteerInsert = `INSERT INTO volunteers
	(volunteer_no, account_id, real_name, gender, birth_date, id_type, id_number_enc, id_number_hash, id_number_masked,
	 phone_enc, phone_hash, phone_masked, region_code, skills, languages, available_time, guardian_name,
	 guardian_phone_enc, guardian_phone_masked, guardian_consent_at, publish_consent, source, registered_by_team_id,
	 claimed_at, created_at, updated_at) VALUES `

// insertVolunteers writes unclaimed volunteers (no account) in one
// statement and returns their ids in the order of ps. RETURNING gives rows
// in no promised order on either engine, so ids are matched back by ID hash.
func insertVolunteers(ctx context.Context, q db.Querier, d db.Dialect, ps []Prepared, nos []string, teamID, now int64) ([]int64, error) {
	var b strings.Builder
	b.Grow(len(volunteerInsert) + len(ps)*130)
	b.WriteString(volunteerInsert)
	const per = 26
	args := make([]any, 0, len(ps)*per)
	for i, p := range ps {
		r := &p.rec
		if r.accountID != 0 {
			return nil, fmt.Errorf("volunteer %d of the batch has an account", i)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		b.WriteByte('(')
		for k := 1; k <= per; k++ {
			if k > 1 {
				b.WriteString(", ")
			}
			b.WriteString(d.Param(n + k))
		}
		b.WriteByte(')')
		args = append(args, nos[i], nil, r.realName, string(r.gender), r.birthDate, string(r.idType), r.idEnc, r.idHash,
			r.idMasked, nullBytes(r.phoneEnc), nullBytes(r.phoneHash), r.phoneMasked, r.region, jsonList(r.skills),
			jsonList(r.languages), r.availableTime, r.guardianName, nullBytes(r.guardianPhoneEnc), r.guardianPhoneMasked,
			r.guardianConsentAt, boolInt(r.publishConsent), r.source, db.NullID(teamID), int64(0), now, now)
	}
	b.WriteString(" RETURNING id, id_number_hash")
	rows, err := q.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byHash := make(map[string]int64, len(ps))
	for rows.Next() {
		var id int64
		var h []byte
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		byHash[string(h)] = id
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		id, ok := byHash[string(p.rec.idHash)]
		if !ok {
			return nil, fmt.Errorf("no id returned for row %d of %d", i, len(ps))
		}
		ids[i] = id
	}
	return ids, nil
}

// listRows gathers the searchable list rows of many volunteers, to write
// them several rows per statement.
type listRows struct {
	tags, categories []idRow
	skills           []skillRow
}

type idRow struct {
	volunteer, id int64
	region        string
}

type skillRow struct {
	volunteer int64
	skill     string
	region    string
}

func (l *listRows) add(id int64, region string, tagIDs, categoryIDs []int64, skills []string) {
	for _, t := range tagIDs {
		l.tags = append(l.tags, idRow{id, t, region})
	}
	for _, c := range categoryIDs {
		l.categories = append(l.categories, idRow{id, c, region})
	}
	for _, s := range skills {
		l.skills = append(l.skills, skillRow{id, s, region})
	}
}

// listChunk is how many list rows (3 values each) one statement writes.
const listChunk = 300

func (l *listRows) insert(ctx context.Context, q db.Querier, d db.Dialect) error {
	if err := insertTriples(ctx, q, d, `INSERT INTO volunteer_tags (volunteer_id, tag_id, region_code) VALUES `, len(l.tags),
		func(i int) (any, any, any) { r := l.tags[i]; return r.volunteer, r.id, r.region }); err != nil {
		return err
	}
	if err := insertTriples(ctx, q, d, `INSERT INTO volunteer_categories (volunteer_id, category_id, region_code) VALUES `, len(l.categories),
		func(i int) (any, any, any) { r := l.categories[i]; return r.volunteer, r.id, r.region }); err != nil {
		return err
	}
	return insertTriples(ctx, q, d, `INSERT INTO volunteer_skills (volunteer_id, skill, region_code) VALUES `, len(l.skills),
		func(i int) (any, any, any) { r := l.skills[i]; return r.volunteer, r.skill, r.region })
}

// insertTriples writes n rows of three values, listChunk rows a statement;
// full chunks share one statement text, so it stays prepared.
func insertTriples(ctx context.Context, q db.Querier, d db.Dialect, head string, n int, row func(i int) (any, any, any)) error {
	for from := 0; from < n; from += listChunk {
		to := min(from+listChunk, n)
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, 3*(to-from))
		for i := from; i < to; i++ {
			if i > from {
				b.WriteString(", ")
			}
			k := len(args)
			b.WriteString("(" + d.Param(k+1) + ", " + d.Param(k+2) + ", " + d.Param(k+3) + ")")
			a, c, d := row(i)
			args = append(args, a, c, d)
		}
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
