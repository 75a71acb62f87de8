package web

import (
	"bytes"
	"fmt"
	"net/http"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/roster"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

// importData is the import page, before and after an upload.
type importData struct {
	Team   team.Team
	Result *roster.Result
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	t, err := s.Teams.Manageable(r.Context(), httpx.Principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "import.title")
	p.Data = importData{Team: t}
	s.render(w, r, http.StatusOK, "team_import", p)
}

func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	ctx, pr := r.Context(), httpx.Principal(r)
	t, err := s.Teams.Manageable(ctx, pr, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "import.title")
	p.Data = importData{Team: t}
	file, header, err := httpx.FormFile(r, "file", 32<<20, roster.ErrNoFile)
	if err != nil {
		s.formError(w, r, "team_import", p, err)
		return
	}
	defer file.Close()
	res, err := s.Roster.Import(ctx, pr, id, file, header.Size, header.Filename, p.Lang)
	if err != nil {
		s.formError(w, r, "team_import", p, err)
		return
	}
	p.Data = importData{Team: t, Result: &res}
	s.render(w, r, http.StatusOK, "team_import", p)
}

func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := s.Roster.Template(&buf, s.lang(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendXLSX(w, "volunteer-import-template.xlsx", buf.Bytes())
}

func (s *Server) importReport(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	data, err := s.Roster.Report(r.Context(), httpx.Principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.SendXLSX(w, fmt.Sprintf("import-%d-errors.xlsx", id), data)
}

func (s *Server) membersXLSX(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	out := httpx.NewXLSXStream(w, fmt.Sprintf("team-%d-members.xlsx", id))
	out.End(r, s.Roster.ExportMembers(r.Context(), httpx.Principal(r), id, out, s.lang(r)), s.log, s.fail)
}

func (s *Server) volunteersXLSX(w http.ResponseWriter, r *http.Request) {
	query, err := volunteer.QueryOf(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := httpx.NewXLSXStream(w, "volunteers.xlsx")
	out.End(r, s.Roster.ExportVolunteers(r.Context(), httpx.Principal(r), query, out, s.lang(r)), s.log, s.fail)
}
