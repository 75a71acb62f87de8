package api

import (
	"net/http"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/stats"
)

// stats gives an office the figures of a region it covers for a period; without
// region_code, of its own region.
func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	f, err := s.Stats.Figures(r.Context(), p, stats.OwnRegion(p, stats.QueryOf(r.URL.Query())))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// statsXLSX is the same figures as a workbook, one sheet per section.
func (s *Server) statsXLSX(w http.ResponseWriter, r *http.Request) {
	p := httpx.Principal(r)
	f, err := s.Stats.Figures(r.Context(), p, stats.OwnRegion(p, stats.QueryOf(r.URL.Query())))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := lang(r)
	name, data, err := stats.Workbook(f, func(key string) string { return s.cat.T(l, key, nil) })
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendXLSX(w, name, data)
}

// statsPublic gives anyone a region's totals.
func (s *Server) statsPublic(w http.ResponseWriter, r *http.Request) {
	q := stats.QueryOf(r.URL.Query())
	q.RegionCode = r.PathValue("code")
	f, err := s.Stats.Public(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}
