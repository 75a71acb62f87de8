package project

import (
	"context"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
)

// ShiftsOn lists the shifts starting on a day (in Asia/Shanghai) of the
// projects the principal manages: a leader's "today".
func (s *Service) ShiftsOn(ctx context.Context, p *auth.Principal, day time.Time) ([]Shift, error) {
	if !auth.Allowed(p, auth.PermProjectManage) {
		return nil, errForbidden
	}
	y, m, d := day.In(clock.Zone).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, clock.Zone)
	var c db.Conds
	regions, all := auth.RegionScopes(p, auth.PermProjectManage)
	if !all && !c.Scope("p.region_code", regions, "p.team_id", auth.TeamScopes(p, auth.PermProjectManage)) {
		return nil, nil
	}
	c.Add("s.starts_at >= " + c.Arg(from.Unix()) + " AND s.starts_at < " + c.Arg(from.AddDate(0, 0, 1).Unix()))
	list, err := db.QueryAll(ctx, s.db.Read(), scanShift, `SELECT `+shiftColumns+` FROM shifts s JOIN projects p ON p.id = s.project_id
		WHERE `+c.SQL()+` ORDER BY s.starts_at, s.id LIMIT 500`, c.Args...)
	return list, apperr.Wrap(err, "project: shifts on")
}
