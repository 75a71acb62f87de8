package auth

import (
	"context"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
)

// AuditQuery selects a page of the audit log.
type AuditQuery struct {
	Entity   string
	EntityID string
	Before   int64
	Limit    int
}

// ListAudit returns the audit entries within the principal's scope, newest first.
func (s *Service) ListAudit(ctx context.Context, p *Principal, q AuditQuery) ([]audit.Record, error) {
	if !Allowed(p, PermAuditView) {
		return nil, errForbidden
	}
	regions, all := RegionScopes(p, PermAuditView)
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	list, err := audit.List(ctx, s.db.Read(), audit.Filter{All: all, Regions: regions, Entity: q.Entity,
		EntityID: q.EntityID, Before: q.Before, Limit: q.Limit})
	return list, apperr.Wrap(err, "auth: audit list")
}
