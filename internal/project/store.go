package project

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

const projectColumns = `p.id, p.team_id, t.name, p.name, c.name, p.content, p.region_code, p.address, p.lat_e6, p.lng_e6,
	p.recruit_count, p.requirements, p.risks, p.protections, p.insured, p.starts_on, p.ends_on, p.contact_name,
	p.contact_phone_masked, p.theme, p.state, p.reject_reason, p.published_at, p.created_at, p.team_suspended`

const projectFrom = ` FROM projects p JOIN teams t ON t.id = p.team_id JOIN catalog_items c ON c.id = p.category_id`

func scanProject(row db.Scanner) (Project, error) {
	var p Project
	var lat, lng sql.NullInt64
	var insured, suspended int
	var published, created int64
	err := row.Scan(&p.ID, &p.TeamID, &p.TeamName, &p.Name, &p.Category, &p.Content, &p.RegionCode, &p.Address, &lat, &lng,
		&p.RecruitCount, &p.Requirements, &p.Risks, &p.Protections, &insured, &p.StartsOn, &p.EndsOn, &p.ContactName,
		&p.ContactPhoneMasked, &p.Theme, &p.State, &p.RejectReason, &published, &created, &suspended)
	p.TeamSuspended = suspended != 0
	if lat.Valid && lng.Valid {
		la, lo := float64(lat.Int64)/1e6, float64(lng.Int64)/1e6
		p.Lat, p.Lng = &la, &lo
	}
	p.Insured = insured != 0
	if published > 0 {
		p.PublishedAt = time.Unix(published, 0)
	}
	p.CreatedAt = time.Unix(created, 0)
	return p, err
}

func microdegrees(v *float64) any {
	if v == nil {
		return nil
	}
	return int64(*v * 1e6)
}

func insertProject(ctx context.Context, q db.Querier, c checkedProject, categoryID int64, phoneEnc []byte, phoneMasked string, by, now int64) (int64, error) {
	var id int64
	insured := 0
	if c.Insured {
		insured = 1
	}
	err := q.QueryRowContext(ctx, `INSERT INTO projects (team_id, name, category_id, content, region_code, address, lat_e6, lng_e6,
		recruit_count, requirements, risks, protections, insured, starts_on, ends_on, contact_name, contact_phone_enc,
		contact_phone_masked, theme, state, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 'draft', $20, $21, $21)
		RETURNING id`,
		c.TeamID, c.Name, categoryID, c.Content, c.RegionCode, c.Address, microdegrees(c.Lat), microdegrees(c.Lng),
		c.RecruitCount, c.Requirements, c.Risks, c.Protections, insured, c.start.Format("2006-01-02"), c.end.Format("2006-01-02"),
		c.ContactName, phoneEnc, phoneMasked, c.Theme, db.NullID(by), now).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, stats.Created(FiguresOf(id)).Apply(ctx, q)
}

func projectByID(ctx context.Context, q db.Querier, id int64) (Project, error) {
	p, err := scanProject(q.QueryRowContext(ctx, `SELECT `+projectColumns+projectFrom+` WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, db.ErrNotFound
	}
	return p, err
}

func setProjectState(ctx context.Context, q db.Querier, id int64, from, to, reason string, now int64) (bool, error) {
	snap, err := stats.Take(ctx, q, FiguresOf(id))
	if err != nil {
		return false, err
	}
	res, err := q.ExecContext(ctx, `UPDATE projects SET state = $1, reject_reason = $2, updated_at = $3,
		published_at = CASE WHEN $1 = 'published' THEN $3 ELSE published_at END
		WHERE id = $4 AND state = $5`, to, reason, now, id, from)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	return true, snap.Apply(ctx, q)
}

// setTeamSuspended marks every project of a team as its team's suspension
// or reinstatement says.
func setTeamSuspended(ctx context.Context, q db.Querier, teamID int64, suspended bool) error {
	v := 0
	if suspended {
		v = 1
	}
	_, err := q.ExecContext(ctx, `UPDATE projects SET team_suspended = $1 WHERE team_id = $2`, v, teamID)
	return err
}

func insertProjectReview(ctx context.Context, q db.Querier, id int64, decision, from, to, reason string, reviewer, at int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO project_reviews (project_id, decision, from_state, to_state, reason, reviewer_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, decision, from, to, reason, db.NullID(reviewer), at)
	return err
}

// listFilter selects projects.
type listFilter struct {
	state      string
	all        bool
	regions    []string
	teamIDs    []int64
	region     string
	categoryID int64
	name       string
	after      int64
	limit      int
}

func listProjects(ctx context.Context, q db.Querier, f listFilter) ([]Project, error) {
	var c db.Conds
	c.Eq("p.state", f.state)
	if f.all { // the public list: a suspended team's projects leave it
		c.Add("p.team_suspended = 0")
	}
	if !f.all && !c.Scope("p.region_code", f.regions, "p.team_id", f.teamIDs) {
		return nil, nil
	}
	if f.region != "" {
		c.Prefix("p.region_code", f.region)
	}
	if f.categoryID != 0 {
		c.Eq("p.category_id", f.categoryID)
	}
	if f.name != "" {
		c.Contains(f.name, "p.name")
	}
	if f.after > 0 {
		c.Add("p.id > " + c.Arg(f.after))
	}
	limit := c.Arg(f.limit)
	return db.QueryAll(ctx, q, scanProject, `SELECT `+projectColumns+projectFrom+` WHERE `+c.SQL()+` ORDER BY p.id LIMIT `+limit, c.Args...)
}
