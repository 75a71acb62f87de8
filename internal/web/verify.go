package web

import (
	"net/http"
)

// verifyCertificate is the public page a certificate's QR code opens.
func (s *Server) verifyCertificate(w http.ResponseWriter, r *http.Request) {
	v, err := s.Records.Verify(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "verify.title")
	p.Data = v
	s.render(w, r, http.StatusOK, "verify", p)
}
