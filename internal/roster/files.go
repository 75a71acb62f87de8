package roster

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strconv"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
	"zhiyuan/internal/sheet"
	"zhiyuan/internal/volunteer"
)

var errNoReport = apperr.New(apperr.NotFound, "import.no_report")

// ErrNoFile answers an import sent without its file.
var ErrNoFile = &apperr.Error{Kind: apperr.Invalid, Key: "import.file_required",
	Fields: map[string]apperr.Field{"file": {Code: "required", Key: "import.file_required"}}}

// Report returns the error report of an import batch. It holds the failed
// rows' ID and phone numbers in full, so only the account that uploaded the
// file (while it still manages the team) and those who may reveal numbers
// in the team's region may read it; each download is audited. Reports are
// stored sealed and deleted after ReportRetention (reports.go).
func (s *Service) Report(ctx context.Context, p *auth.Principal, batchID int64) ([]byte, error) {
	var teamID int64
	var uploader sql.NullInt64
	var regionCode string
	var sealed []byte
	err := s.db.Read().QueryRowContext(ctx, `SELECT team_id, account_id, region_code, report FROM import_batches WHERE id = $1`,
		batchID).Scan(&teamID, &uploader, &regionCode, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoReport
	}
	if err != nil {
		return nil, apperr.Wrap(err, "roster: report")
	}
	if !auth.Can(p, auth.PermVolunteerReveal, auth.Target{RegionCode: regionCode}) {
		if p == nil || !uploader.Valid || uploader.Int64 != p.AccountID {
			return nil, errNoReport
		}
		if _, err := s.teams.Manageable(ctx, p, teamID); err != nil {
			return nil, apperr.Mask(err, errNoReport)
		}
	}
	if len(sealed) == 0 {
		return nil, errNoReport
	}
	report, err := s.keys.Open(sealed, reportAAD(batchID))
	if err != nil {
		return nil, apperr.Wrap(err, "roster: open report")
	}
	if err := s.audit(ctx, "download", "import_batch", strconv.FormatInt(batchID, 10), regionCode,
		map[string]any{"team_id": teamID}); err != nil {
		return nil, err
	}
	return []byte(report), nil
}

// Template writes the import template.
func (s *Service) Template(w io.Writer, lang string) error {
	return apperr.Wrap(sheet.WriteTemplate(w, lang), "roster: template")
}

// exportPage is how many rows an export reads at a time.
const exportPage = 1000

// ExportMembers writes a team's roster as .xlsx, numbers masked.
func (s *Service) ExportMembers(ctx context.Context, p *auth.Principal, teamID int64, w io.Writer, lang string) error {
	t, err := s.teams.Manageable(ctx, p, teamID)
	if err != nil {
		return err
	}
	done, err := s.startExport()
	if err != nil {
		return err
	}
	defer done()
	x, err := sheet.NewExport(s.cat.T(lang, "export.sheet_members", nil), s.headers(lang,
		"export.volunteer_no", "export.real_name", "export.phone", "export.region", "export.team_role", "export.member_status", "export.joined_at", "export.claimed"))
	if err != nil {
		return apperr.Wrap(err, "roster: export")
	}
	defer x.Close()
	var after int64
	n := 0
	for {
		list, err := s.teams.Members(ctx, p, teamID, "", after, exportPage)
		if err != nil {
			return err
		}
		for _, m := range list {
			joined := ""
			if !m.JoinedAt.IsZero() {
				joined = m.JoinedAt.In(clock.Zone).Format("2006-01-02")
			}
			if err := x.Add(m.VolunteerNo, m.RealName, m.PhoneMasked, region.FullName(m.RegionCode),
				s.cat.T(lang, "team.role."+m.Role, nil), s.cat.T(lang, "team.member_status."+m.Status, nil), joined,
				s.yesNo(lang, m.Claimed)); err != nil {
				return apperr.Wrap(err, "roster: export row")
			}
		}
		n += len(list)
		if len(list) < exportPage {
			break
		}
		after = list[len(list)-1].VolunteerID
	}
	if err := s.audit(ctx, "export", "team", strconv.FormatInt(t.ID, 10), t.RegionCode, map[string]any{"rows": n}); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return apperr.Wrap(err, "roster: export write")
}

// ExportVolunteers writes the volunteers a search finds as .xlsx, numbers
// masked; the export is audited with its filter. Each row is what the
// search shows the principal (volunteer.SeesBirthDate): the birth date
// cell is empty, and the ID number keeps its last four characters only,
// where the principal may not reveal the volunteer's numbers.
func (s *Service) ExportVolunteers(ctx context.Context, p *auth.Principal, q volunteer.Query, w io.Writer, lang string) error {
	done, err := s.startExport()
	if err != nil {
		return err
	}
	defer done()
	x, err := sheet.NewExport(s.cat.T(lang, "export.sheet_volunteers", nil), s.headers(lang,
		"export.volunteer_no", "export.real_name", "export.gender", "export.birth_date", "export.age", "export.id_type", "export.id_number",
		"export.phone", "export.region", "export.skills", "export.claimed"))
	if err != nil {
		return apperr.Wrap(err, "roster: export")
	}
	defer x.Close()
	n := 0
	q.After, q.Limit = 0, volunteer.MaxPage
	for {
		list, err := s.volunteers.Search(ctx, p, q)
		if err != nil {
			return err
		}
		for _, v := range list {
			if err := x.Add(v.No, v.RealName, s.cat.T(lang, genderKey(v.Gender), nil), v.BirthDate, ageCell(v.Age),
				s.cat.T(lang, "volunteer.idtype."+string(v.IDType), nil), v.IDNumberMasked, v.PhoneMasked, region.FullName(v.RegionCode),
				joinList(v.Skills), s.yesNo(lang, v.Claimed())); err != nil {
				return apperr.Wrap(err, "roster: export row")
			}
		}
		n += len(list)
		if len(list) < q.Limit {
			break
		}
		q.After = list[len(list)-1].ID
	}
	detail := map[string]any{"rows": n, "region_code": q.RegionCode, "tag": q.Tag, "skill": q.Skill, "team_id": q.TeamID}
	regionCode := q.RegionCode
	if scopes, _ := auth.RegionScopes(p, auth.PermVolunteerSearch); regionCode == "" && len(scopes) > 0 {
		regionCode = scopes[0]
	}
	if err := s.audit(ctx, "export", "volunteer", "", regionCode, detail); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return apperr.Wrap(err, "roster: export write")
}

func (s *Service) headers(lang string, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = s.cat.T(lang, k, nil)
	}
	return out
}

func (s *Service) yesNo(lang string, b bool) string {
	if b {
		return s.cat.T(lang, "export.yes", nil)
	}
	return s.cat.T(lang, "export.no", nil)
}

func joinList(l []string) string {
	out := ""
	for i, x := range l {
		if i > 0 {
			out += "、"
		}
		out += x
	}
	return out
}

func (s *Service) audit(ctx context.Context, action, entity, id, regionCode string, detail map[string]any) error {
	return s.db.Tx(ctx, func(tx db.Querier) error {
		return audit.Write(ctx, tx, audit.Entry{Action: action, Entity: entity, EntityID: id, RegionCode: regionCode, Detail: detail})
	})
}

// genderKey names a gender with the keys the screens use.
func genderKey(g pii.Gender) string {
	switch g {
	case pii.GenderMale:
		return "volunteer.gender_male"
	case pii.GenderFemale:
		return "volunteer.gender_female"
	}
	return "volunteer.gender_unknown"
}

// ageCell is an age in years, or empty when the birth date is unknown.
func ageCell(age int) string {
	if age <= 0 {
		return ""
	}
	return strconv.Itoa(age)
}
