package api

import (
	"bytes"
	"net/http"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/stats"
)

func statsQuery(r *http.Request) stats.Query {
	q := r.URL.Query()
	return stats.Query{RegionCode: q.Get("region_code"), From: q.Get("from"), To: q.Get("to")}
}

// stats gives an office the figures of a region it covers for a period.
func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	f, err := s.Stats.Figures(r.Context(), httpx.Principal(r), statsQuery(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// statsXLSX is the same figures as a workbook, one sheet per section.
func (s *Server) statsXLSX(w http.ResponseWriter, r *http.Request) {
	f, err := s.Stats.Figures(r.Context(), httpx.Principal(r), statsQuery(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	l := lang(r)
	if err := stats.WriteWorkbook(&buf, f, func(key string) string { return s.cat.T(l, key, nil) }); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendXLSX(w, "stats-"+f.RegionCode+"-"+f.From+"-"+f.To+".xlsx", buf.Bytes())
}

// statsPublic gives anyone a region's totals.
func (s *Server) statsPublic(w http.ResponseWriter, r *http.Request) {
	q := statsQuery(r)
	q.RegionCode = r.PathValue("code")
	f, err := s.Stats.Public(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}
