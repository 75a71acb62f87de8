package web

import (
	"net/http"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/catalog"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/volunteer"
)

// volunteerListData is the volunteer search page.
type volunteerListData struct {
	Volunteers []volunteer.Volunteer
	Tags       []catalog.Item
	NextURL    string
}

func (s *Server) volunteerSearch(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	p := s.page(w, r, "volunteer.search_title")
	p.Form = q
	tags, err := s.Catalog.List(ctx, catalog.Tag)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	query, err := volunteer.QueryOf(q)
	if err == nil {
		query.After, err = apperr.QueryID(q, "after")
	}
	var list []volunteer.Volunteer
	if err == nil {
		query.Limit = pageSize
		list, err = s.Volunteers.Search(ctx, httpx.Principal(r), query)
	}
	d := volunteerListData{Volunteers: list, Tags: tags}
	if len(list) == pageSize {
		d.NextURL = nextPage(r.URL.Path, q, list[len(list)-1].ID)
	}
	p.Data = d
	if err != nil {
		s.formError(w, r, "volunteers", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "volunteers", p)
}

func (s *Server) volunteerDetail(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	v, err := s.Volunteers.Get(r.Context(), httpx.Principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "volunteer.detail_title")
	if err := s.localize(r.Context(), p, &v); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title = v.RealName
	p.Data = profileData{Volunteer: &v}
	s.render(w, r, http.StatusOK, "volunteer_detail", p)
}
