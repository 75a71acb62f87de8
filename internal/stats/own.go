package stats

import "zhiyuan/internal/auth"

// OwnRegion is q with the principal's own region when q names none: an
// office opens its dashboard (page or API) on the region it covers. The
// platform, which covers every region, keeps an empty region and chooses.
func OwnRegion(p *auth.Principal, q Query) Query {
	scopes, all := auth.RegionScopes(p, auth.PermStatsView)
	if q.RegionCode == "" && !all && len(scopes) > 0 {
		q.RegionCode = scopes[0]
	}
	return q
}
