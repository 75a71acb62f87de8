package team

import (
	"context"
	"strconv"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/volunteer"
)

// setMember writes a membership and keeps the member's team_admin grant in
// step with their team role. by is the account that made the change (0: the
// system); one who becomes admin records it as the appointer, and the
// appointment is audited as such, so the office sees who made whom admin.
func (s *Service) setMember(ctx context.Context, tx db.Querier, t Team, volunteerID int64, role, status string, by int64) error {
	v, err := personOf(ctx, tx, volunteerID)
	if err != nil {
		return apperr.Wrap(err, "team: member account")
	}
	accountID := v.accountID
	if role == RoleAdmin && status == MemberActive && accountID == 0 {
		return errUnclaimedLead
	}
	prev, err := memberOf(ctx, tx, t.ID, volunteerID)
	if err != nil {
		return apperr.Wrap(err, "team: member")
	}
	now := s.Now().Unix()
	if err := putMember(ctx, tx, t.ID, volunteerID, role, status, t.RegionCode, now); err != nil {
		return apperr.Wrap(err, "team: member")
	}
	promoted := role == RoleAdmin && status == MemberActive && !(prev.role == RoleAdmin && prev.status == MemberActive)
	if promoted {
		if err := markAdmin(ctx, tx, t.ID, volunteerID, by, now); err != nil {
			return apperr.Wrap(err, "team: admin since")
		}
	}
	if accountID != 0 {
		g := auth.Grant{Role: auth.RoleTeamAdmin, TeamID: t.ID}
		if role == RoleAdmin && status == MemberActive {
			err = s.auth.EnsureGrantTx(ctx, tx, auth.System, accountID, g)
		} else {
			err = s.auth.RemoveGrantTx(ctx, tx, accountID, g)
		}
		if err != nil {
			return err
		}
	}
	if promoted {
		if err := audit.Write(ctx, tx, audit.Entry{Action: "appoint_admin", Entity: "team", EntityID: strconv.FormatInt(t.ID, 10),
			RegionCode: t.RegionCode, Detail: map[string]any{"volunteer_id": volunteerID, "appointed_by": by}}); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, audit.Entry{Action: "membership", Entity: "team", EntityID: strconv.FormatInt(t.ID, 10),
		RegionCode: t.RegionCode, Detail: map[string]any{"volunteer_id": volunteerID, "role": role, "status": status}})
}

// manageable returns the team if the principal may manage it.
func (s *Service) manageable(ctx context.Context, p *auth.Principal, teamID int64) (Team, error) {
	t, err := s.Get(ctx, p, teamID)
	if err != nil {
		return t, err
	}
	if !auth.Can(p, auth.PermTeamManage, teamTarget(t)) {
		return t, errForbidden
	}
	return t, nil
}

// Manageable returns the team if the principal may manage its members, for
// other services (imports, rosters).
func (s *Service) Manageable(ctx context.Context, p *auth.Principal, teamID int64) (Team, error) {
	return s.manageable(ctx, p, teamID)
}

// AddMember is a team admin adding a volunteer. Being added grants the team
// nothing of the person until they consent: someone with an account is
// invited and becomes a member when they accept; a record the team
// registered itself (unclaimed) joins at once; an unclaimed record another
// team registered is refused, unless an office admin whose region covers the
// person adds it (only they, or the registering team, speak for it).
func (s *Service) AddMember(ctx context.Context, p *auth.Principal, teamID, volunteerID int64) (Member, error) {
	t, err := s.manageable(ctx, p, teamID)
	if err != nil {
		return Member{}, err
	}
	if t.State != StateApproved {
		return Member{}, errNotApproved
	}
	v, err := personOf(ctx, s.db.Read(), volunteerID)
	if err != nil {
		f := apperr.Fields{}
		f.Add("volunteer_id", "unknown", "volunteer.not_found")
		return Member{}, f.Err()
	}
	status := MemberInvited
	if v.accountID == 0 {
		if v.registeredBy != t.ID && !auth.Can(p, auth.PermTeamReview, auth.Target{RegionCode: v.region}) {
			return Member{}, ErrOthersRecord
		}
		status = MemberActive
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		m, err := memberOf(ctx, tx, teamID, volunteerID)
		if err != nil {
			return apperr.Wrap(err, "team: member")
		}
		if m.found && (m.status == MemberActive || m.status == MemberInvited) {
			return errAlreadyMember
		}
		if m.found && m.status == MemberPending {
			status = MemberActive // they asked; adding them approves it
		}
		return s.setMember(ctx, tx, t, volunteerID, RoleMember, status, p.AccountID)
	})
	if err != nil {
		return Member{}, err
	}
	return Member{TeamID: teamID, VolunteerID: volunteerID, Role: RoleMember, Status: status}, nil
}

// Join is a volunteer asking to join: open teams take them at once, teams
// that approve put them on the waiting list, invitation-only teams take
// only those invited. For someone invited it is their acceptance, and only
// from then on does the team see them (Leave declines an invitation).
func (s *Service) Join(ctx context.Context, p *auth.Principal, teamID int64) (Member, error) {
	v, err := s.volunteers.Mine(ctx, p)
	if err != nil {
		return Member{}, apperr.Mask(err, errNotVolunteer)
	}
	t, err := s.Get(ctx, p, teamID)
	if err != nil {
		return Member{}, err
	}
	if t.State != StateApproved {
		return Member{}, errNotApproved
	}
	var status string
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		m, err := memberOf(ctx, tx, teamID, v.ID)
		if err != nil {
			return apperr.Wrap(err, "team: member")
		}
		switch {
		case m.found && (m.status == MemberActive || m.status == MemberPending):
			return errAlreadyMember
		case m.found && m.status == MemberInvited:
			status = MemberActive
		case t.JoinMode == JoinOpen:
			status = MemberActive
		case t.JoinMode == JoinApproval:
			status = MemberPending
		default:
			return errInviteOnly
		}
		role := RoleMember
		if m.found && m.role != "" && m.status == MemberInvited {
			role = m.role
		}
		return s.setMember(ctx, tx, t, v.ID, role, status, p.AccountID)
	})
	if err != nil {
		return Member{}, err
	}
	return Member{TeamID: teamID, VolunteerID: v.ID, Role: RoleMember, Status: status}, nil
}

// Leave is a volunteer leaving a team. The last admin of a team cannot leave
// it without a successor.
func (s *Service) Leave(ctx context.Context, p *auth.Principal, teamID int64) error {
	v, err := s.volunteers.Mine(ctx, p)
	if err != nil {
		return apperr.Mask(err, errNotVolunteer)
	}
	t, err := s.get(ctx, teamID)
	if err != nil {
		return err
	}
	return s.end(ctx, t, v.ID, MemberLeft, p.AccountID)
}

// Approve accepts a volunteer's request to join.
func (s *Service) Approve(ctx context.Context, p *auth.Principal, teamID, volunteerID int64) error {
	t, err := s.manageable(ctx, p, teamID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx db.Querier) error {
		m, err := memberOf(ctx, tx, teamID, volunteerID)
		if err != nil {
			return apperr.Wrap(err, "team: member")
		}
		if !m.found || m.status != MemberPending {
			return errNotMember
		}
		return s.setMember(ctx, tx, t, volunteerID, m.role, MemberActive, p.AccountID)
	})
}

// Remove takes a member off the team (the row stays, as removed).
func (s *Service) Remove(ctx context.Context, p *auth.Principal, teamID, volunteerID int64) error {
	t, err := s.manageable(ctx, p, teamID)
	if err != nil {
		return err
	}
	return s.end(ctx, t, volunteerID, MemberRemoved, p.AccountID)
}

// end closes a membership as left or removed.
func (s *Service) end(ctx context.Context, t Team, volunteerID int64, status string, by int64) error {
	return s.db.Tx(ctx, func(tx db.Querier) error {
		m, err := memberOf(ctx, tx, t.ID, volunteerID)
		if err != nil {
			return apperr.Wrap(err, "team: member")
		}
		if !m.found || m.status == MemberLeft || m.status == MemberRemoved {
			return errNotMember
		}
		if m.role == RoleAdmin && m.status == MemberActive {
			if n, err := activeAdmins(ctx, tx, t.ID); err != nil || n <= 1 {
				if err != nil {
					return apperr.Wrap(err, "team: admins")
				}
				return errLastAdmin
			}
		}
		return s.setMember(ctx, tx, t, volunteerID, m.role, status, by)
	})
}

// SetRole changes a member's team role (admin, leader, member).
func (s *Service) SetRole(ctx context.Context, p *auth.Principal, teamID, volunteerID int64, role string) error {
	t, err := s.manageable(ctx, p, teamID)
	if err != nil {
		return err
	}
	if role != RoleAdmin && role != RoleLeader && role != RoleMember {
		f := apperr.Fields{}
		f.Add("role", "unknown", "team.role_unknown")
		return f.Err()
	}
	return s.db.Tx(ctx, func(tx db.Querier) error {
		m, err := memberOf(ctx, tx, teamID, volunteerID)
		if err != nil {
			return apperr.Wrap(err, "team: member")
		}
		if !m.found || m.status != MemberActive {
			return errNotMember
		}
		if m.role == RoleAdmin && role != RoleAdmin {
			if n, err := activeAdmins(ctx, tx, teamID); err != nil || n <= 1 {
				if err != nil {
					return apperr.Wrap(err, "team: admins")
				}
				return errLastAdmin
			}
		}
		return s.setMember(ctx, tx, t, volunteerID, role, MemberActive, p.AccountID)
	})
}

// Members lists a team's members (active, pending and invited by default).
// An invitee who has not accepted shows only a masked name and their
// volunteer number.
func (s *Service) Members(ctx context.Context, p *auth.Principal, teamID int64, status string, after int64, limit int) ([]Member, error) {
	if _, err := s.manageable(ctx, p, teamID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	list, err := listMembers(ctx, s.db.Read(), teamID, status, after, limit)
	for i, m := range list {
		if m.Status == MemberInvited {
			list[i] = Member{TeamID: m.TeamID, VolunteerID: m.VolunteerID, VolunteerNo: m.VolunteerNo,
				RealName: pii.MaskName(m.RealName), Role: m.Role, Status: m.Status, Claimed: m.Claimed}
		}
	}
	return list, apperr.Wrap(err, "team: members")
}

// Admins lists a team's admins with since when each holds the role and who
// appointed them, for its managers and the offices that review it: a
// promotion is the office's to see.
func (s *Service) Admins(ctx context.Context, p *auth.Principal, teamID int64) ([]Admin, error) {
	t, err := s.Get(ctx, p, teamID)
	if err != nil {
		return nil, err
	}
	if !auth.Can(p, auth.PermTeamManage, teamTarget(t)) && !auth.Can(p, auth.PermTeamReview, teamTarget(t)) {
		return nil, errForbidden
	}
	list, err := adminsOf(ctx, s.db.Read(), teamID)
	if err != nil {
		return nil, apperr.Wrap(err, "team: admins")
	}
	for i, a := range list {
		if a.AppointedBy == 0 {
			continue
		}
		if acc, err := s.auth.Account(ctx, auth.System, a.AppointedBy); err == nil {
			list[i].AppointedByName = acc.DisplayName + " (" + acc.Username + ")"
		}
	}
	return list, nil
}

// Mine returns the principal's teams with their membership.
func (s *Service) Mine(ctx context.Context, p *auth.Principal) ([]Team, []Member, error) {
	v, err := s.volunteers.Mine(ctx, p)
	if err != nil {
		return nil, nil, nil
	}
	teams, ms, err := teamsOfVolunteer(ctx, s.db.Read(), v.ID)
	return teams, ms, apperr.Wrap(err, "team: mine")
}

// AddMemberTx records a membership inside the caller's transaction, for
// imports; it reports whether the volunteer was new to the team. A person
// with an account is invited (they decide themself); an unclaimed record
// the team registered is enrolled; one another team registered is refused
// with ErrOthersRecord, before anything is written.
func (s *Service) AddMemberTx(ctx context.Context, tx db.Querier, t Team, volunteerID int64) (bool, error) {
	m, err := memberOf(ctx, tx, t.ID, volunteerID)
	if err != nil {
		return false, apperr.Wrap(err, "team: member")
	}
	if m.found && (m.status == MemberActive || m.status == MemberInvited) {
		return false, nil
	}
	v, err := personOf(ctx, tx, volunteerID)
	if err != nil {
		return false, apperr.Wrap(err, "team: member account")
	}
	status := MemberActive
	switch {
	case v.accountID != 0 && !(m.found && m.status == MemberPending):
		status = MemberInvited
	case v.accountID == 0 && v.registeredBy != t.ID:
		return false, ErrOthersRecord
	}
	if err := putMember(ctx, tx, t.ID, volunteerID, RoleMember, status, t.RegionCode, s.Now().Unix()); err != nil {
		return false, apperr.Wrap(err, "team: member")
	}
	return true, nil
}

// EnrolNewTx makes a volunteer created in this same transaction (an import
// row, with no account and no membership yet) an active member, without
// looking for what cannot exist.
func (s *Service) EnrolNewTx(ctx context.Context, tx db.Querier, t Team, volunteerID int64) error {
	return apperr.Wrap(putMember(ctx, tx, t.ID, volunteerID, RoleMember, MemberActive, t.RegionCode, s.Now().Unix()), "team: member")
}

// EnrolNewManyTx is EnrolNewTx for many volunteers created in this same
// transaction, several rows per statement.
func (s *Service) EnrolNewManyTx(ctx context.Context, tx db.Querier, t Team, volunteerIDs []int64) error {
	return apperr.Wrap(putNewMembers(ctx, tx, s.db.Dialect, t.ID, volunteerIDs, t.RegionCode, s.Now().Unix()), "team: members")
}

func activeAdmins(ctx context.Context, q db.Querier, teamID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND role = 'admin' AND status = 'active'`, teamID).Scan(&n)
	return n, err
}

// Preregister registers a volunteer on the team's behalf (an unclaimed
// record) and makes them a member, in one transaction.
func (s *Service) Preregister(ctx context.Context, p *auth.Principal, teamID int64, in volunteer.Registration) (volunteer.Volunteer, error) {
	t, err := s.manageable(ctx, p, teamID)
	if err != nil {
		return volunteer.Volunteer{}, err
	}
	if t.State != StateApproved {
		return volunteer.Volunteer{}, errNotApproved
	}
	return s.volunteers.Preregister(ctx, p, teamID, in, func(tx db.Querier, id int64) error {
		_, err := s.AddMemberTx(ctx, tx, t, id)
		return err
	})
}

// Enrol makes a volunteer an active member with a team role, acting as the
// system (demo data, migrations from other registers).
func (s *Service) Enrol(ctx context.Context, teamID, volunteerID int64, role string) error {
	t, err := s.get(ctx, teamID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx db.Querier) error {
		return s.setMember(ctx, tx, t, volunteerID, role, MemberActive, 0)
	})
}
