package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"zhiyuan/internal/db"
	"zhiyuan/internal/stats"
)

const teamColumns = `t.id, t.name, t.region_code, t.status, t.team_type, t.credit_code, COALESCE(t.parent_id, 0),
	t.contact_name, t.contact_phone_masked, t.join_mode, t.description, COALESCE(t.founder_volunteer_id, 0),
	COALESCE(t.created_by, 0), t.reject_reason, t.created_at, t.updated_at,
	(SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id AND m.status = 'active')`

func scanTeam(row db.Scanner) (Team, error) {
	var t Team
	var created, updated int64
	err := row.Scan(&t.ID, &t.Name, &t.RegionCode, &t.State, &t.Type, &t.CreditCode, &t.ParentID, &t.ContactName,
		&t.ContactPhoneMasked, &t.JoinMode, &t.Description, &t.FounderVolunteerID, &t.CreatedBy, &t.RejectReason,
		&created, &updated, &t.MemberCount)
	t.CreatedAt, t.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	return t, err
}

func insertTeam(ctx context.Context, q db.Querier, c checkedTeam, phoneEnc []byte, phoneMasked string, founder, createdBy, now int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO teams (name, region_code, status, team_type, credit_code, parent_id,
		contact_name, contact_phone_enc, contact_phone_masked, join_mode, description, founder_volunteer_id, created_by,
		created_at, updated_at) VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		c.Name, c.RegionCode, c.Type, c.CreditCode, db.NullID(c.ParentID), c.ContactName, phoneEnc, phoneMasked, c.JoinMode,
		c.Description, db.NullID(founder), db.NullID(createdBy), now).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, stats.Created(FiguresOf(id)).Apply(ctx, q)
}

func teamByID(ctx context.Context, q db.Querier, id int64) (Team, error) {
	t, err := scanTeam(q.QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, db.ErrNotFound
	}
	return t, err
}

func setState(ctx context.Context, q db.Querier, id int64, from, to, reason string, now int64) (bool, error) {
	snap, err := stats.Take(ctx, q, FiguresOf(id))
	if err != nil {
		return false, err
	}
	res, err := q.ExecContext(ctx, `UPDATE teams SET status = $1, reject_reason = $2, updated_at = $3 WHERE id = $4 AND status = $5`,
		to, reason, now, id, from)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	return true, snap.Apply(ctx, q)
}

func insertReview(ctx context.Context, q db.Querier, teamID int64, r ReviewRecord) error {
	_, err := q.ExecContext(ctx, `INSERT INTO team_reviews (team_id, decision, from_status, to_status, reason, reviewer_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, teamID, r.Decision, r.FromState, r.ToState, r.Reason, db.NullID(r.ReviewerID), r.At.Unix())
	return err
}

func reviewsOf(ctx context.Context, q db.Querier, teamID int64) ([]ReviewRecord, error) {
	rows, err := q.QueryContext(ctx, `SELECT decision, from_status, to_status, reason, COALESCE(reviewer_id, 0), at
		FROM team_reviews WHERE team_id = $1 ORDER BY id`, teamID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReviewRecord
	for rows.Next() {
		var r ReviewRecord
		var at int64
		if err := rows.Scan(&r.Decision, &r.FromState, &r.ToState, &r.Reason, &r.ReviewerID, &at); err != nil {
			return nil, err
		}
		r.At = time.Unix(at, 0)
		out = append(out, r)
	}
	return out, rows.Err()
}

// listFilter selects teams.
type listFilter struct {
	all     bool
	regions []string
	ids     []int64
	state   string
	region  string
	name    string
	after   int64
	limit   int
}

func listTeams(ctx context.Context, q db.Querier, f listFilter) ([]Team, error) {
	var c db.Conds
	if !f.all && !c.Scope("t.region_code", f.regions, "t.id", f.ids) {
		return nil, nil
	}
	if f.state != "" {
		c.Eq("t.status", f.state)
	}
	if f.region != "" {
		c.Prefix("t.region_code", f.region)
	}
	if f.name != "" {
		c.Contains(f.name, "t.name")
	}
	if f.after > 0 {
		c.Add("t.id > " + c.Arg(f.after))
	}
	limit := c.Arg(f.limit)
	return db.QueryAll(ctx, q, scanTeam, `SELECT `+teamColumns+` FROM teams t WHERE `+c.SQL()+` ORDER BY t.id LIMIT `+limit, c.Args...)
}

// membership is one team_members row.
type membership struct {
	role, status string
	found        bool
}

func memberOf(ctx context.Context, q db.Querier, teamID, volunteerID int64) (membership, error) {
	var m membership
	err := q.QueryRowContext(ctx, `SELECT role, status FROM team_members WHERE team_id = $1 AND volunteer_id = $2`, teamID, volunteerID).
		Scan(&m.role, &m.status)
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil
	}
	m.found = err == nil
	return m, err
}

// putMember inserts or updates a membership row.
func putMember(ctx context.Context, q db.Querier, teamID, volunteerID int64, role, status, region string, now int64) error {
	joined := int64(0)
	if status == MemberActive {
		joined = now
	}
	_, err := q.ExecContext(ctx, `INSERT INTO team_members (team_id, volunteer_id, role, status, region_code, joined_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (team_id, volunteer_id) DO UPDATE SET role = excluded.role, status = excluded.status,
		joined_at = CASE WHEN excluded.status = 'active' AND team_members.status <> 'active' THEN excluded.joined_at ELSE team_members.joined_at END,
		left_at = CASE WHEN excluded.status IN ('left', 'removed') THEN excluded.updated_at ELSE team_members.left_at END,
		updated_at = excluded.updated_at`,
		teamID, volunteerID, role, status, region, joined, now)
	return err
}

// newMembersChunk is how many memberships one INSERT of putNewMembers writes.
const newMembersChunk = 200

// putNewMembers makes volunteers that have no membership of the team yet
// (created in this transaction) its active members, as putMember would.
func putNewMembers(ctx context.Context, q db.Querier, d db.Dialect, teamID int64, volunteerIDs []int64, region string, now int64) error {
	for from := 0; from < len(volunteerIDs); from += newMembersChunk {
		ids := volunteerIDs[from:min(from+newMembersChunk, len(volunteerIDs))]
		var b strings.Builder
		b.WriteString(`INSERT INTO team_members (team_id, volunteer_id, role, status, region_code, joined_at, created_at, updated_at) VALUES `)
		args := make([]any, 0, 8*len(ids))
		for i, id := range ids {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for k := range 8 {
				if k > 0 {
					b.WriteString(", ")
				}
				b.WriteString(d.Param(len(args) + k + 1))
			}
			b.WriteByte(')')
			args = append(args, teamID, id, RoleMember, MemberActive, region, now, now, now)
		}
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

func listMembers(ctx context.Context, q db.Querier, teamID int64, status string, after int64, limit int) ([]Member, error) {
	args := []any{teamID}
	where := "m.team_id = $1"
	if status != "" {
		args = append(args, status)
		where += fmt.Sprintf(" AND m.status = $%d", len(args))
	} else {
		where += " AND m.status IN ('active', 'pending', 'invited')"
	}
	if after > 0 {
		args = append(args, after)
		where += fmt.Sprintf(" AND m.volunteer_id > $%d", len(args))
	}
	args = append(args, limit)
	rows, err := q.QueryContext(ctx, `SELECT m.team_id, m.volunteer_id, v.volunteer_no, v.real_name, v.phone_masked, v.region_code,
		m.role, m.status, m.joined_at, CASE WHEN v.account_id IS NULL THEN 0 ELSE 1 END,
		CASE WHEN m.role <> 'admin' THEN 0 WHEN m.admin_since = 0 THEN m.created_at ELSE m.admin_since END, COALESCE(m.appointed_by, 0)
		FROM team_members m JOIN volunteers v ON v.id = m.volunteer_id WHERE `+where+
		fmt.Sprintf(` ORDER BY m.volunteer_id LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var joined, adminSince int64
		var claimed int
		if err := rows.Scan(&m.TeamID, &m.VolunteerID, &m.VolunteerNo, &m.RealName, &m.PhoneMasked, &m.RegionCode,
			&m.Role, &m.Status, &joined, &claimed, &adminSince, &m.AppointedBy); err != nil {
			return nil, err
		}
		if joined > 0 {
			m.JoinedAt = time.Unix(joined, 0)
		}
		if adminSince > 0 {
			m.AdminSince = time.Unix(adminSince, 0)
		}
		m.Claimed = claimed == 1
		out = append(out, m)
	}
	return out, rows.Err()
}

// adminsOf lists a team's active admins, longest-serving first.
func adminsOf(ctx context.Context, q db.Querier, teamID int64) ([]Admin, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.volunteer_id, v.volunteer_no, v.real_name,
		CASE WHEN m.admin_since = 0 THEN m.created_at ELSE m.admin_since END AS since, COALESCE(m.appointed_by, 0)
		FROM team_members m JOIN volunteers v ON v.id = m.volunteer_id
		WHERE m.team_id = $1 AND m.role = 'admin' AND m.status = 'active' ORDER BY since, m.volunteer_id`, teamID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Admin
	for rows.Next() {
		var a Admin
		var since int64
		if err := rows.Scan(&a.VolunteerID, &a.VolunteerNo, &a.RealName, &since, &a.AppointedBy); err != nil {
			return nil, err
		}
		a.Since = time.Unix(since, 0)
		out = append(out, a)
	}
	return out, rows.Err()
}

// teamsOfVolunteer lists the teams a volunteer is in or has asked to join.
func teamsOfVolunteer(ctx context.Context, q db.Querier, volunteerID int64) ([]Team, []Member, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+teamColumns+`, m.role, m.status FROM team_members m JOIN teams t ON t.id = m.team_id
		WHERE m.volunteer_id = $1 AND m.status IN ('active', 'pending', 'invited') ORDER BY t.id`, volunteerID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var teams []Team
	var ms []Member
	for rows.Next() {
		var t Team
		var m Member
		var created, updated int64
		if err := rows.Scan(&t.ID, &t.Name, &t.RegionCode, &t.State, &t.Type, &t.CreditCode, &t.ParentID, &t.ContactName,
			&t.ContactPhoneMasked, &t.JoinMode, &t.Description, &t.FounderVolunteerID, &t.CreatedBy, &t.RejectReason,
			&created, &updated, &t.MemberCount, &m.Role, &m.Status); err != nil {
			return nil, nil, err
		}
		t.CreatedAt, t.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
		m.TeamID, m.VolunteerID = t.ID, volunteerID
		teams, ms = append(teams, t), append(ms, m)
	}
	return teams, ms, rows.Err()
}

// person is what membership rules need of a volunteer record.
type person struct {
	accountID    int64 // 0 while the record is unclaimed
	registeredBy int64 // the team that registered it on the person's behalf, 0 if none
	region       string
}

// personOf reads a volunteer's account, registering team and region.
func personOf(ctx context.Context, q db.Querier, volunteerID int64) (person, error) {
	var acc, by sql.NullInt64
	var v person
	err := q.QueryRowContext(ctx, `SELECT account_id, registered_by_team_id, region_code FROM volunteers WHERE id = $1`, volunteerID).
		Scan(&acc, &by, &v.region)
	if errors.Is(err, sql.ErrNoRows) {
		return v, db.ErrNotFound
	}
	v.accountID, v.registeredBy = acc.Int64, by.Int64
	return v, err
}

// markAdmin records that a member became the team's admin now, appointed by
// the account by (0: the system).
func markAdmin(ctx context.Context, q db.Querier, teamID, volunteerID, by, now int64) error {
	_, err := q.ExecContext(ctx, `UPDATE team_members SET admin_since = $1, appointed_by = $2 WHERE team_id = $3 AND volunteer_id = $4`,
		now, db.NullID(by), teamID, volunteerID)
	return err
}

// adminTenure is an account's standing as an active admin of a team: since
// when (a membership from before the column counts from its creation) and
// appointed by whom.
type adminTenure struct {
	since, appointedBy int64
	found              bool
}

func adminTenureOf(ctx context.Context, q db.Querier, teamID, accountID int64) (adminTenure, error) {
	var a adminTenure
	var by sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT CASE WHEN m.admin_since = 0 THEN m.created_at ELSE m.admin_since END, m.appointed_by
		FROM team_members m JOIN volunteers v ON v.id = m.volunteer_id
		WHERE m.team_id = $1 AND v.account_id = $2 AND m.role = 'admin' AND m.status = 'active'`, teamID, accountID).Scan(&a.since, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil
	}
	a.found, a.appointedBy = err == nil, by.Int64
	return a, err
}
