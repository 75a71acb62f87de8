package api

import (
	"bytes"
	"fmt"
	"net/http"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/roster"
	"zhiyuan/internal/volunteer"
)

// importResponse is the import result with where to fetch its report.
type importResponse struct {
	roster.Result
	ReportURL string `json:"report_url,omitempty"`
}

func (s *Server) teamImport(w http.ResponseWriter, r *http.Request) {
	if err := s.Roster.CanImport(r.Context(), httpx.Principal(r), httpx.PathID(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	file, header, err := httpx.FormFile(r, "file", 32<<20, roster.ErrNoFile)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer file.Close()
	res, err := s.Roster.Import(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), file, header.Size, header.Filename, lang(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := importResponse{Result: res}
	if res.Failed > 0 {
		out.ReportURL = fmt.Sprintf("/api/v1/imports/%d/report.xlsx", res.BatchID)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) importReport(w http.ResponseWriter, r *http.Request) {
	data, err := s.Roster.Report(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendXLSX(w, fmt.Sprintf("import-%d-errors.xlsx", httpx.PathID(r, "id")), data)
}

func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := s.Roster.Template(&buf, lang(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendXLSX(w, "volunteer-import-template.xlsx", buf.Bytes())
}

func (s *Server) teamMembersXLSX(w http.ResponseWriter, r *http.Request) {
	out := httpx.NewXLSXStream(w, fmt.Sprintf("team-%d-members.xlsx", httpx.PathID(r, "id")))
	out.End(r, s.Roster.ExportMembers(r.Context(), httpx.Principal(r), httpx.PathID(r, "id"), out, lang(r)), s.log, s.fail)
}

func (s *Server) volunteersXLSX(w http.ResponseWriter, r *http.Request) {
	query, err := volunteer.QueryOf(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := httpx.NewXLSXStream(w, "volunteers.xlsx")
	out.End(r, s.Roster.ExportVolunteers(r.Context(), httpx.Principal(r), query, out, lang(r)), s.log, s.fail)
}
