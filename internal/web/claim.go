package web

import (
	"net/http"
	"strconv"

	"zhiyuan/internal/httpx"
	"zhiyuan/internal/volunteer"
)

// claimSentData is the page after a claim: where to enter the one-time code.
type claimSentData struct {
	ClaimID string
}

// teamClaimsData is a team's pending claims with their codes.
type teamClaimsData struct {
	TeamID int64
	Claims []volunteer.PendingClaim
}

func (s *Server) claimForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "volunteer.claim_title")
	p.Data = regChoices{IDTypes: idTypes}
	s.render(w, r, http.StatusOK, "claim", p)
}

// claim opens a claim and shows the form for its one-time code; nobody is
// signed in and the record is not linked until the code or an approval.
func (s *Server) claim(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "volunteer.claim_title")
	p.Data = regChoices{IDTypes: idTypes}
	if r.PostFormValue("password") != r.PostFormValue("password_confirm") {
		s.formError(w, r, "claim", p, errPasswordMismatch)
		return
	}
	t, err := s.Volunteers.ClaimRecord(r.Context(), volunteer.Claim{IDType: r.PostFormValue("id_type"),
		IDNumber: r.PostFormValue("id_number"), Phone: r.PostFormValue("phone"), Password: r.PostFormValue("password")})
	if err != nil {
		s.formError(w, r, "claim", p, err)
		return
	}
	p.Title = p.T("volunteer.claim_sent_title")
	p.Data = claimSentData{ClaimID: t.ID}
	s.render(w, r, http.StatusOK, "claim_sent", p)
}

// claimConfirm completes a claim with its code.
func (s *Server) claimConfirm(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, err := s.Volunteers.ConfirmClaim(r.Context(), id, volunteer.ClaimConfirm{Code: r.PostFormValue("code")})
	if err != nil {
		p := s.page(w, r, "volunteer.claim_sent_title")
		p.Data = claimSentData{ClaimID: id}
		s.formError(w, r, "claim_sent", p, err)
		return
	}
	p := s.page(w, r, "volunteer.claimed_title")
	p.Data = registeredData{Volunteer: v, Claimed: true}
	s.render(w, r, http.StatusOK, "registered", p)
}

// teamClaims shows a team's pending claims and their codes to its admins
// (each viewing is audited), with approval for the claimant they see.
func (s *Server) teamClaims(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	list, err := s.Volunteers.TeamClaims(r.Context(), httpx.Principal(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "volunteer.team_claims_title")
	p.Data = teamClaimsData{TeamID: id, Claims: list}
	s.render(w, r, http.StatusOK, "team_claims", p)
}

func (s *Server) teamClaimApprove(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathID(r, "id")
	if id == 0 {
		s.fail(w, r, errPageNotFound)
		return
	}
	if _, err := s.Volunteers.ApproveClaim(r.Context(), httpx.Principal(r), r.PathValue("claim")); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/teams/"+strconv.FormatInt(id, 10)+"/claims", http.StatusSeeOther)
}
