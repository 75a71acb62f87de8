package web

import (
	"net/http"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/volunteer"
)

// registerData is the self-registration form. Conflict is set when the ID
// number is already on the register, to point to claiming or signing in.
type registerData struct {
	regChoices
	Conflict bool
}

// registeredData is the page after registering or claiming.
type registeredData struct {
	Volunteer volunteer.Volunteer
	Claimed   bool
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) {
	if httpx.Principal(r) != nil {
		http.Redirect(w, r, "/me/volunteer", http.StatusSeeOther)
		return
	}
	s.showRegister(w, r, nil)
}

// showRegister renders the registration form, with err's messages if the
// registration failed.
func (s *Server) showRegister(w http.ResponseWriter, r *http.Request, err error) {
	p := s.page(w, r, "volunteer.register_title")
	c, cerr := s.regChoices(r.Context(), p)
	if cerr != nil {
		s.fail(w, r, apperr.Wrap(cerr, "web: register choices"))
		return
	}
	d := registerData{regChoices: c}
	if err == nil {
		p.Data = d
		s.render(w, r, http.StatusOK, "register", p)
		return
	}
	e := apperr.From(err)
	d.Conflict = e.Kind == apperr.Conflict && len(e.Fields) == 0
	p.Data = d
	s.formError(w, r, "register", p, err)
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	in := registrationFromForm(r)
	in.Password = r.PostFormValue("password")
	if in.Password != r.PostFormValue("password_confirm") {
		s.showRegister(w, r, errPasswordMismatch)
		return
	}
	v, err := s.Volunteers.Register(r.Context(), in)
	if err != nil {
		s.showRegister(w, r, err)
		return
	}
	p := s.page(w, r, "volunteer.registered_title")
	p.Data = registeredData{Volunteer: v}
	s.render(w, r, http.StatusOK, "registered", p)
}

// errPasswordMismatch is a form error of the confirmation field.
var errPasswordMismatch = func() error {
	f := apperr.Fields{}
	f.Add("password_confirm", "mismatch", "volunteer.password_mismatch")
	return f.Err()
}()
