package api

import (
	"encoding/json"
	"net/http"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
)

type auditJSON struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	AccountID  int64           `json:"account_id,omitempty"`
	Username   string          `json:"username"`
	Action     string          `json:"action"`
	Entity     string          `json:"entity"`
	EntityID   string          `json:"entity_id"`
	RegionCode string          `json:"region_code"`
	IP         string          `json:"ip"`
	RequestID  string          `json:"request_id"`
	Detail     json.RawMessage `json:"detail"`
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	limit, before, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	list, err := s.Auth.ListAudit(r.Context(), httpx.Principal(r), auth.AuditQuery{Entity: q.Get("entity"),
		EntityID: q.Get("entity_id"), Before: before, Limit: limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]auditJSON, 0, len(list))
	for _, e := range list {
		items = append(items, auditJSON{ID: e.ID, At: e.At.UTC(), AccountID: e.AccountID, Username: e.Username,
			Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, RegionCode: e.RegionCode, IP: e.IP,
			RequestID: e.RequestID, Detail: json.RawMessage(e.Detail)})
	}
	writeJSON(w, http.StatusOK, newPage(items, limit, func(a auditJSON) int64 { return a.ID }))
}
