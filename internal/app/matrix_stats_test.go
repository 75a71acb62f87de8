package app_test

// Scenarios of the dashboard routes: offices see the regions they cover,
// everyone sees the public totals.

// statsOf is the outcome of a region's dashboard: the platform and the
// offices covering code see it, an office elsewhere is refused.
func statsOf(covering ...string) map[string]int {
	m := map[string]int{"admin": ok, "tianjin-office": denied, "heping-office": denied, "hedong-office": denied, "": unauth}
	for _, u := range covering {
		m[u] = ok
	}
	return m
}

func statsScenarios() map[string][]call {
	heping := statsOf("tianjin-office", "heping-office")
	webHeping := with(denied, heping, "", see)
	return map[string][]call{
		"GET /api/v1/stats": {
			{path: fixed("/api/v1/stats?region_code=120101"), expect: with(denied, heping)},
			{path: fixed("/api/v1/stats?region_code=120102&from=2026-01-01&to=2026-06-30"), expect: with(denied, statsOf("tianjin-office", "hedong-office"))},
			{path: fixed("/api/v1/stats?region_code=1201"), expect: with(denied, statsOf("tianjin-office"))},
		},
		"GET /api/v1/stats.xlsx": {
			{path: fixed("/api/v1/stats.xlsx?region_code=120101001"), expect: with(denied, heping)},
		},
		"GET /api/v1/stats/public/{code}": {
			{path: fixed("/api/v1/stats/public/120101"), expect: outcome{Default: ok}},
			{path: fixed("/api/v1/stats/public/999999"), expect: outcome{Default: 422}},
		},
		"GET /admin/stats": {
			{path: fixed("/admin/stats"), expect: with(denied, webAdmins)},
			{path: fixed("/admin/stats?region_code=120101&from=2026-01-01&to=2026-11-30"), expect: webHeping},
		},
		"GET /admin/stats.xlsx": {
			{path: fixed("/admin/stats.xlsx?region_code=120101"), expect: webHeping},
		},
		"GET /stats/{code}": {
			{path: fixed("/stats/120101"), expect: outcome{Default: ok}},
			{path: fixed("/stats/1201?from=2026-02-01&to=2026-01-01"), expect: outcome{Default: 422}},
		},
	}
}
