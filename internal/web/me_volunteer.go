package web

import (
	"net/http"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/volunteer"
)

// profileData is the signed-in person's volunteer page: their record, or
// (Volunteer nil) the form that creates it.
type profileData struct {
	regChoices
	Volunteer *volunteer.Volunteer
}

func (s *Server) myVolunteer(w http.ResponseWriter, r *http.Request) {
	v, err := s.Volunteers.Mine(r.Context(), httpx.Principal(r))
	switch {
	case err == nil:
		p := s.page(w, r, "volunteer.mine_title")
		if err := s.localize(r.Context(), p, &v); err != nil {
			s.fail(w, r, err)
			return
		}
		p.Data = profileData{Volunteer: &v}
		s.render(w, r, http.StatusOK, "me_volunteer", p)
	case apperr.Is(err, apperr.NotFound):
		s.showProfileForm(w, r, nil)
	default:
		s.fail(w, r, err)
	}
}

// showProfileForm renders the complete-profile form, with err's messages if
// completing failed.
func (s *Server) showProfileForm(w http.ResponseWriter, r *http.Request, err error) {
	p := s.page(w, r, "volunteer.complete_title")
	c, cerr := s.regChoices(r.Context(), p)
	if cerr != nil {
		s.fail(w, r, apperr.Wrap(cerr, "web: profile choices"))
		return
	}
	p.Data = profileData{regChoices: c}
	if err != nil {
		s.formError(w, r, "me_volunteer", p, err)
		return
	}
	s.render(w, r, http.StatusOK, "me_volunteer", p)
}

func (s *Server) completeProfile(w http.ResponseWriter, r *http.Request) {
	_, err := s.Volunteers.CompleteProfile(r.Context(), httpx.Principal(r), registrationFromForm(r))
	if err != nil {
		s.showProfileForm(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/volunteer?flash=flash.profile_completed", http.StatusSeeOther)
}
