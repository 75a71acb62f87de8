package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"zhiyuan/internal/apptest"
)

// Scenarios of the registry routes: volunteers, teams, membership.

func userIndex(user string) int {
	for i, u := range users {
		if u == user {
			return i
		}
	}
	return 99
}

// volunteerOf returns the volunteer id of a demo account.
func volunteerOf(env *apptest.Env, username string) int64 {
	var id int64
	err := env.App.DB.Read().QueryRowContext(context.Background(),
		`SELECT v.id FROM volunteers v JOIN accounts a ON a.id = v.account_id WHERE a.username = $1`, username).Scan(&id)
	if err != nil {
		env.T.Fatalf("volunteer of %s: %v", username, err)
	}
	return id
}

func volunteerPath(username, suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		return fmt.Sprintf("/api/v1/volunteers/%d%s", volunteerOf(env, username), suffix)
	}
}

// firstUnclaimedMember returns an unclaimed member of team 1.
func firstUnclaimedMember(env *apptest.Env) int64 {
	var id int64
	err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT m.volunteer_id FROM team_members m
		JOIN volunteers v ON v.id = m.volunteer_id WHERE m.team_id = 1 AND m.status = 'active' AND v.account_id IS NULL ORDER BY m.volunteer_id LIMIT 1`).Scan(&id)
	if err != nil {
		env.T.Fatal(err)
	}
	return id
}

var pendingTeam struct {
	sync.Mutex
	byEnv map[*apptest.Env]int64
}

// pendingTeamPath founds (once per environment) a team as 李红 that awaits review.
func pendingTeamPath(suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		pendingTeam.Lock()
		defer pendingTeam.Unlock()
		if pendingTeam.byEnv == nil {
			pendingTeam.byEnv = map[*apptest.Env]int64{}
		}
		id, ok := pendingTeam.byEnv[env]
		if !ok {
			status, body := env.JSON("POST", "/api/v1/teams", env.Token("volunteer2"), map[string]any{"name": "小白楼街道待审团队",
				"region_code": "120101001", "contact_name": "李红", "contact_phone": "13700000000"})
			if status != 201 {
				env.T.Fatalf("pending team: %d %s", status, body)
			}
			_, _ = fmt.Sscanf(string(body), `{"id":%d`, &id)
			pendingTeam.byEnv[env] = id
		}
		return fmt.Sprintf("/api/v1/teams/%d%s", id, suffix)
	}
}

var invitee struct {
	sync.Mutex
	byEnv map[*apptest.Env]int64
}

// inviteePath registers (once per environment) a volunteer whom team 1's
// admin invites and who has not accepted: the team may not see them yet.
func inviteePath(prefix, suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		invitee.Lock()
		defer invitee.Unlock()
		if invitee.byEnv == nil {
			invitee.byEnv = map[*apptest.Env]int64{}
		}
		id, ok := invitee.byEnv[env]
		if !ok {
			status, body := env.JSON("POST", "/api/v1/volunteers", "", registrationBody(90))
			if status != 201 {
				env.T.Fatalf("invitee: %d %s", status, body)
			}
			_, _ = fmt.Sscanf(string(body), `{"id":%d`, &id)
			if status, body := env.JSON("POST", "/api/v1/teams/1/members", env.Token("team-admin"), map[string]int64{"volunteer_id": id}); status != 201 {
				env.T.Fatalf("invite: %d %s", status, body)
			}
			invitee.byEnv[env] = id
		}
		return fmt.Sprintf("%s%d%s", prefix, id, suffix)
	}
}

// seesInvitee is who may read the pages of a person team 1 invited who has
// not accepted: the offices over their street and its worker, not the team.
var seesInvitee = with(missing, map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "quanyechang": ok, "": unauth})

func registrationBody(n int) map[string]any {
	return map[string]any{"real_name": fmt.Sprintf("矩阵%d", n), "id_number": apptest.ResidentID("120101", apptest.BornYearsAgo(40, n), 21+2*n),
		"phone": apptest.Mobile(50 + n), "region_code": "120101001001", "password": "password-123"}
}

func registryScenarios() map[string][]call {
	office := map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "": unauth}
	signedIn := with(ok, map[string]int{"": unauth})
	onlyVolunteers := func(def int) outcome {
		return with(denied, map[string]int{"volunteer": def, "team-admin": def, "": unauth})
	}
	return map[string][]call{
		"GET /api/v1/catalogs/{kind}": {
			{path: fixed("/api/v1/catalogs/tags"), expect: outcome{Default: ok}},
			{path: fixed("/api/v1/catalogs/planets"), expect: outcome{Default: missing}},
		},
		"POST /api/v1/catalogs/{kind}": {{path: fixed("/api/v1/catalogs/tags"), body: func(string) any { return map[string]string{"name": "志愿者骨干", "name_en": "Core volunteer"} },
			expect: with(denied, map[string]int{"admin": created, "": unauth})}},
		"DELETE /api/v1/catalogs/{kind}/{name}": {{path: fixed("/api/v1/catalogs/tags/%E5%8A%B3%E6%A8%A1"),
			expect: with(denied, map[string]int{"admin": noBody, "": unauth})}},
		"POST /api/v1/volunteers": {
			{path: fixed("/api/v1/volunteers"), body: func(u string) any { return registrationBody(userIndex(u)) }, expect: outcome{Default: created}},
			{path: fixed("/api/v1/volunteers"), body: func(u string) any { return map[string]any{"real_name": ""} }, expect: outcome{Default: 422}},
		},
		"POST /api/v1/volunteers/claim": {
			{path: fixed("/api/v1/volunteers/claim"), body: func(string) any {
				return map[string]any{"id_number": "11010519491231002X", "phone": "13700009999", "password": "password-123"}
			}, expect: outcome{Default: missing}},
			{path: fixed("/api/v1/volunteers/claim"), bodyOf: func(env *apptest.Env, _ string) any {
				id, phone := unclaimedRecord(env, false)
				return map[string]any{"id_number": id, "phone": phone, "password": "password-123"}
			}, expect: outcome{Default: http.StatusAccepted}},
		},
		"GET /api/v1/volunteers": {{path: fixed("/api/v1/volunteers"),
			expect: with(denied, office, "hedong-office", ok, "quanyechang", ok, "team-admin", ok)}},
		"GET /api/v1/volunteers/me": {{path: fixed("/api/v1/volunteers/me"),
			expect: with(missing, map[string]int{"volunteer": ok, "team-admin": ok, "": unauth})}},
		"POST /api/v1/volunteers/me": {{path: fixed("/api/v1/volunteers/me"), body: func(string) any { return map[string]any{"real_name": ""} },
			expect: with(422, map[string]int{"volunteer": conflict, "team-admin": conflict, "": unauth})}},
		"PUT /api/v1/volunteers/me": {{path: fixed("/api/v1/volunteers/me"), body: func(string) any { return map[string]any{"skills": []string{"急救", "驾驶"}} },
			expect: with(missing, map[string]int{"volunteer": ok, "team-admin": ok, "": unauth})}},
		"GET /api/v1/volunteers/{id}": {
			{path: volunteerPath("volunteer", ""), expect: with(denied, office, "hedong-office", missing, "quanyechang", ok, "team-admin", ok, "volunteer", ok)},
			{path: volunteerPath("volunteer2", ""), expect: with(denied, office, "hedong-office", missing, "quanyechang", missing, "team-admin", missing, "volunteer", missing)},
			{path: inviteePath("/api/v1/volunteers/", ""), expect: with(denied, office, "hedong-office", missing, "quanyechang", ok, "team-admin", missing, "volunteer", missing)},
		},
		"POST /api/v1/volunteers/{id}/reveal": {{path: volunteerPath("volunteer", "/reveal"),
			expect: with(denied, office, "hedong-office", missing)}},
		"GET /api/v1/teams": {
			{path: fixed("/api/v1/teams"), expect: outcome{Default: ok}},
			{path: fixed("/api/v1/teams?state=pending"), expect: outcome{Default: ok}},
		},
		"POST /api/v1/teams": {{path: fixed("/api/v1/teams"),
			body: func(u string) any {
				return map[string]any{"name": "矩阵团队" + strings.ReplaceAll(u, "-", ""), "region_code": "120101001",
					"contact_name": "联系人", "contact_phone": "022-23456789"}
			},
			expect: with(denied, map[string]int{"admin": created, "tianjin-office": created, "heping-office": created,
				"team-admin": created, "volunteer": created, "": unauth})}},
		"GET /api/v1/teams/mine": {{path: fixed("/api/v1/teams/mine"), expect: signedIn}},
		"GET /api/v1/teams/{id}": {
			{path: fixed("/api/v1/teams/1"), expect: outcome{Default: ok}},
			{path: pendingTeamPath(""), expect: with(missing, office, "", missing)},
			{path: fixed("/api/v1/teams/999"), expect: outcome{Default: missing}},
		},
		"GET /api/v1/teams/{id}/reviews": {{path: fixed("/api/v1/teams/1/reviews"), expect: signedIn}},
		"POST /api/v1/teams/{id}/review": {{path: pendingTeamPath("/review"), body: func(string) any { return map[string]string{"decision": "reject"} },
			expect: with(denied, map[string]int{"admin": 422, "tianjin-office": 422, "heping-office": 422, "hedong-office": missing, "": unauth})}},
		"GET /api/v1/teams/{id}/members": {{path: fixed("/api/v1/teams/1/members"),
			expect: with(denied, office, "team-admin", ok)}},
		"POST /api/v1/teams/{id}/members": {{path: fixed("/api/v1/teams/1/members"),
			bodyOf: func(env *apptest.Env, _ string) any {
				return map[string]int64{"volunteer_id": volunteerOf(env, "volunteer2")}
			},
			expect: with(denied, map[string]int{"admin": created, "tianjin-office": conflict, "heping-office": conflict,
				"team-admin": conflict, "": unauth})}},
		"POST /api/v1/teams/{id}/members/{volunteer}/approve": {{path: func(env *apptest.Env, _ string) string {
			return fmt.Sprintf("/api/v1/teams/1/members/%d/approve", volunteerOf(env, "volunteer"))
		}, expect: with(denied, map[string]int{"admin": missing, "tianjin-office": missing, "heping-office": missing, "team-admin": missing, "": unauth})}},
		"PUT /api/v1/teams/{id}/members/{volunteer}/role": {{path: func(env *apptest.Env, _ string) string {
			return fmt.Sprintf("/api/v1/teams/1/members/%d/role", volunteerOf(env, "volunteer"))
		}, body: func(string) any { return map[string]string{"role": "leader"} },
			expect: with(denied, map[string]int{"admin": noBody, "tianjin-office": noBody, "heping-office": noBody, "team-admin": noBody, "": unauth})}},
		"DELETE /api/v1/teams/{id}/members/{volunteer}": {{path: func(env *apptest.Env, _ string) string {
			return fmt.Sprintf("/api/v1/teams/1/members/%d", firstUnclaimedMember(env))
		}, expect: with(denied, map[string]int{"admin": noBody, "tianjin-office": noBody, "heping-office": noBody, "team-admin": noBody, "": unauth})}},
		"POST /api/v1/teams/{id}/volunteers": {{path: fixed("/api/v1/teams/1/volunteers"),
			body:   func(u string) any { b := registrationBody(20 + userIndex(u)); delete(b, "password"); return b },
			expect: with(denied, map[string]int{"admin": created, "tianjin-office": created, "heping-office": created, "team-admin": created, "": unauth})}},
		"GET /api/v1/volunteers.xlsx": {{path: fixed("/api/v1/volunteers.xlsx"),
			expect: with(denied, office, "hedong-office", ok, "quanyechang", ok, "team-admin", ok)}},
		"GET /api/v1/teams/{id}/members.xlsx": {{path: fixed("/api/v1/teams/1/members.xlsx"),
			expect: with(denied, office, "team-admin", ok)}},
		"POST /api/v1/teams/{id}/imports": {{path: fixed("/api/v1/teams/1/imports"), body: func(string) any { return "not multipart" },
			expect: with(denied, map[string]int{"admin": 422, "tianjin-office": 422, "heping-office": 422, "team-admin": 422, "": unauth})}},
		"GET /api/v1/imports/template.xlsx": {{path: fixed("/api/v1/imports/template.xlsx"), expect: outcome{Default: ok}}},
		"GET /api/v1/imports/{id}/report.xlsx": {{path: fixed("/api/v1/imports/999/report.xlsx"),
			expect: with(denied, map[string]int{"admin": missing, "tianjin-office": missing, "heping-office": missing, "hedong-office": missing, "team-admin": missing, "": unauth})}},
		"POST /api/v1/teams/{id}/join":  {{path: fixed("/api/v1/teams/2/join"), expect: onlyVolunteers(ok)}},
		"POST /api/v1/teams/{id}/leave": {{path: fixed("/api/v1/teams/3/leave"), expect: onlyVolunteers(missing)}},
	}
}
