package api

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"time"

	"zhiyuan/internal/httpx"
)

type issueRequest struct {
	VolunteerID int64 `json:"volunteer_id"`
	TeamID      int64 `json:"team_id"`
}

type issuedJSON struct {
	ID           int64  `json:"id"`
	Serial       string `json:"serial"`
	VerifyCode   string `json:"verify_code"`
	VerifyURL    string `json:"verify_url"`
	PDFURL       string `json:"pdf_url"`
	TotalMinutes int    `json:"total_minutes"`
}

func (s *Server) certificateIssue(w http.ResponseWriter, r *http.Request) {
	var in issueRequest
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Records.IssueCertificate(r.Context(), httpx.Principal(r), in.VolunteerID, in.TeamID, s.cfg.BaseURL)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, issuedJSON{ID: c.ID, Serial: c.Data.Serial, VerifyCode: c.Data.VerifyCode,
		VerifyURL: c.Data.VerifyURL, PDFURL: fmt.Sprintf("/api/v1/certificates/%d/pdf", c.ID), TotalMinutes: c.Data.TotalMinutes})
}

func (s *Server) certificatePDF(w http.ResponseWriter, r *http.Request) {
	c, pdf, err := s.Records.CertificatePDF(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendPDF(w, c.Data.Serial+".pdf", pdf)
}

type verifyJSON struct {
	Serial        string     `json:"serial"`
	VolunteerName string     `json:"volunteer_name"`
	VolunteerNo   string     `json:"volunteer_no"`
	TotalMinutes  int        `json:"total_minutes"`
	IssuerTeam    string     `json:"issuer_team"`
	IssuedOn      time.Time  `json:"issued_on"`
	KeyID         string     `json:"key_id"`
	Genuine       bool       `json:"signature_valid"`
	Revoked       bool       `json:"revoked"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	RevokedReason string     `json:"revoked_reason,omitempty"`
}

func (s *Server) certificateVerify(w http.ResponseWriter, r *http.Request) {
	v, err := s.Records.Verify(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := verifyJSON{Serial: v.Serial, VolunteerName: v.VolunteerName, VolunteerNo: v.VolunteerNo,
		TotalMinutes: v.TotalMinutes, IssuerTeam: v.IssuerTeam, IssuedOn: v.IssuedOn.UTC(), KeyID: v.KeyID, Genuine: v.Genuine, Revoked: v.Revoked}
	if v.Revoked {
		at := v.RevokedAt.UTC()
		out.RevokedAt, out.RevokedReason = &at, v.RevokedReason
	}
	writeJSON(w, http.StatusOK, out)
}

type publicKeyJSON struct {
	Algorithm string `json:"algorithm"`
	KeyID     string `json:"key_id"`
	PublicKey string `json:"public_key"`
}

func (s *Server) certificateKey(w http.ResponseWriter, r *http.Request) {
	pub, id := s.Records.PublicKey()
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, publicKeyJSON{Algorithm: "Ed25519", KeyID: id, PublicKey: base64.StdEncoding.EncodeToString(pub)})
}

type issuedItemJSON struct {
	ID           int64     `json:"id"`
	Serial       string    `json:"serial"`
	TeamID       int64     `json:"team_id,omitempty"`
	TotalMinutes int       `json:"total_minutes"`
	IssuedAt     time.Time `json:"issued_at"`
	Revoked      bool      `json:"revoked"`
	PDFURL       string    `json:"pdf_url"`
}

func (s *Server) volunteerCertificates(w http.ResponseWriter, r *http.Request) {
	list, err := s.Records.CertificatesOf(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]issuedItemJSON, 0, len(list))
	for _, c := range list {
		items = append(items, issuedItemJSON{ID: c.ID, Serial: c.Serial, TeamID: c.TeamID, TotalMinutes: c.TotalMinutes,
			IssuedAt: c.IssuedAt.UTC(), Revoked: c.Revoked, PDFURL: fmt.Sprintf("/api/v1/certificates/%d/pdf", c.ID)})
	}
	writeJSON(w, http.StatusOK, page[issuedItemJSON]{Items: items})
}
