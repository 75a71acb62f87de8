package app_test

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/volunteer"
)

// Scenarios of claiming a team-registered record: the claim, its code, the
// registering team's approval and its list of pending claims.

var claimSeq atomic.Int64

// freshClaim registers a new person on the team's behalf, claims the record
// (with the address-less context of a service call) and returns the pending
// claim's id and code.
func freshClaim(env *apptest.Env, teamID int64) (id, code string) {
	ctx := context.Background()
	n := int(claimSeq.Add(1))
	idNumber, phone := apptest.ResidentID("120101", apptest.BornYearsAgo(55, n), 600+n), apptest.Mobile(5_000_000+n)
	_, err := env.App.Volunteers.Preregister(ctx, auth.System, teamID, volunteer.Registration{RealName: fmt.Sprintf("认领%d", n),
		IDNumber: idNumber, Phone: phone, RegionCode: "120101001001"}, nil)
	if err != nil {
		env.T.Fatalf("preregister for a claim: %v", err)
	}
	t, err := env.App.Volunteers.ClaimRecord(ctx, volunteer.Claim{IDNumber: idNumber, Phone: phone, Password: "password-123"})
	if err != nil {
		env.T.Fatalf("claim: %v", err)
	}
	list, err := env.App.Volunteers.TeamClaims(ctx, auth.System, teamID)
	if err != nil {
		env.T.Fatal(err)
	}
	for _, c := range list {
		if c.ID == t.ID {
			return t.ID, c.Code
		}
	}
	env.T.Fatalf("claim %s not listed", t.ID)
	return "", ""
}

// claimCall is a scenario on a fresh claim of the team's record: the path
// and body are made together, one claim per call.
func claimCall(teamID int64, path func(id string) string, body func(code string) any, expect outcome) call {
	var code string
	return call{
		path: func(env *apptest.Env, _ string) string {
			var id string
			id, code = freshClaim(env, teamID)
			return path(id)
		},
		bodyOf: func(*apptest.Env, string) any { return body(code) },
		expect: expect,
	}
}

func claimScenarios() map[string][]call {
	confirmAPI := func(id string) string { return "/api/v1/volunteers/claims/" + id + "/confirm" }
	approveAPI := func(id string) string { return "/api/v1/volunteers/claims/" + id + "/approve" }
	noBody := func(string) any { return map[string]any{} }
	// Offices and community workers pass the route's door (they register
	// volunteers) but are not the registering team: no such claim. So is
	// 张志愿, who founded a team of their own earlier in the run.
	approvers := func(team1 int) outcome {
		return with(denied, map[string]int{"admin": ok, "team-admin": team1, "tianjin-office": missing, "heping-office": missing,
			"hedong-office": missing, "quanyechang": missing, "volunteer": missing, "": unauth})
	}
	return map[string][]call{
		"POST /api/v1/volunteers/claims/{id}/confirm": {
			claimCall(2, confirmAPI, func(code string) any { return map[string]any{"code": code} }, outcome{Default: ok}),
			claimCall(2, confirmAPI, func(string) any { return map[string]any{"code": "12"} }, outcome{Default: 422}),
			{path: fixed(confirmAPI("no-such-claim")), body: func(string) any { return map[string]any{"code": "123456"} }, expect: outcome{Default: missing}},
		},
		"POST /api/v1/volunteers/claims/{id}/approve": {
			claimCall(1, approveAPI, noBody, approvers(ok)),
			claimCall(2, approveAPI, noBody, approvers(missing)),
		},
		"GET /api/v1/teams/{id}/claims": {
			{path: fixed("/api/v1/teams/1/claims"), expect: with(denied, map[string]int{"admin": ok, "team-admin": ok, "": unauth})},
			{path: fixed("/api/v1/teams/2/claims"), expect: with(denied, map[string]int{"admin": ok, "": unauth})},
		},
	}
}

func webClaimScenarios() map[string][]call {
	confirm := func(id string) string { return "/claim/" + id + "/confirm" }
	approve := func(team int64) func(id string) string {
		return func(id string) string { return fmt.Sprintf("/teams/%d/claims/%s/approve", team, id) }
	}
	form := func(string) any { return url.Values{} }
	return map[string][]call{
		"POST /claim/{id}/confirm": {
			claimCall(2, confirm, func(code string) any { return url.Values{"code": {code}} }, outcome{Default: ok}),
			claimCall(2, confirm, func(string) any { return url.Values{"code": {"12"}} }, outcome{Default: 422}),
			{path: fixed(confirm("no-such-claim")), body: func(string) any { return url.Values{"code": {"123456"}} }, expect: outcome{Default: missing}},
		},
		"GET /teams/{id}/claims": {
			{path: fixed("/teams/1/claims"), expect: with(denied, map[string]int{"admin": ok, "team-admin": ok, "": see})},
			{path: fixed("/teams/2/claims"), expect: with(denied, map[string]int{"admin": ok, "": see})},
		},
		"POST /teams/{id}/claims/{claim}/approve": {
			claimCall(1, approve(1), form, with(denied, map[string]int{"admin": see, "team-admin": see, "tianjin-office": missing,
				"heping-office": missing, "hedong-office": missing, "": unauth})),
			claimCall(2, approve(2), form, with(denied, map[string]int{"admin": see, "team-admin": missing, "tianjin-office": missing,
				"heping-office": missing, "hedong-office": missing, "": unauth})),
		},
	}
}
