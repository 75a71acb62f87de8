package web

import (
	"net/http"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

// auditData is the audit log page.
type auditData struct {
	Entries []audit.Record
	Entity  string
	Next    int64
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	before, err := apperr.QueryID(q, "before")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Auth.ListAudit(r.Context(), httpx.Principal(r), auth.AuditQuery{Entity: q.Get("entity"), Before: before, Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := auditData{Entries: list, Entity: q.Get("entity")}
	if len(list) == 50 {
		d.Next = list[len(list)-1].ID
	}
	p := s.page(w, r, "audit.title")
	p.Data = d
	s.render(w, r, http.StatusOK, "audit", p)
}
