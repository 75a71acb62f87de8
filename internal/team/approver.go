package team

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/volunteer"
)

// AdminTenure is how long a team admin must have held the role before they
// count as an independent second approver.
const AdminTenure = 30 * 24 * time.Hour

// errNotIndependent refuses a second approver who is not independent of the
// person asking.
var errNotIndependent = apperr.New(apperr.Forbidden, "team.approver_not_independent")

// IndependentApprover is the one rule for the second person on a change
// that needs two (a backfill's approval, an amendment that raises a
// confirmed record's minutes): nil when p may approve a change the account
// requester asked for, on the hours of volunteerID, recorded by team teamID.
// The approver is never the requester nor the volunteer, and is either an
// office admin whose region covers the team (or a platform admin), or an
// admin of that team who has held the role for AdminTenure at now and was
// not appointed by the requester. Anyone else gets a Forbidden error that
// says so. now is the caller's clock.
func IndependentApprover(ctx context.Context, q db.Querier, teamID int64, p *auth.Principal, requester, volunteerID int64, now time.Time) error {
	if p == nil || p.AccountID == 0 || p.AccountID == requester {
		return errNotIndependent
	}
	var region string
	var own bool
	err := q.QueryRowContext(ctx, `SELECT t.region_code, `+volunteer.IsOfAccountSQL("$2", "$3")+`
		FROM teams t WHERE t.id = $1`, teamID, volunteerID, p.AccountID).Scan(&region, &own)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound
	}
	if err != nil {
		return apperr.Wrap(err, "team: approver")
	}
	if own {
		return errNotIndependent
	}
	if auth.Can(p, auth.PermTeamReview, auth.Target{RegionCode: region}) {
		return nil
	}
	a, err := adminTenureOf(ctx, q, teamID, p.AccountID)
	if err != nil {
		return apperr.Wrap(err, "team: approver tenure")
	}
	if !a.found || (requester != 0 && a.appointedBy == requester) || now.Sub(time.Unix(a.since, 0)) < AdminTenure {
		return errNotIndependent
	}
	return nil
}
