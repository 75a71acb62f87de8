package app_test

import (
	"context"
	"fmt"
	"net/url"
	"sync"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/team"
)

// Scenarios of the registry's HTML screens: registration and claiming,
// profiles, teams with their review and members, volunteer search.

var webTeams struct {
	sync.Mutex
	byEnv map[*apptest.Env]map[string]int64
}

// webPendingTeam founds (once per environment) a team named name as 李红,
// which then awaits review by the offices of Heping.
func webPendingTeam(name, suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		webTeams.Lock()
		defer webTeams.Unlock()
		if webTeams.byEnv == nil {
			webTeams.byEnv = map[*apptest.Env]map[string]int64{}
		}
		if webTeams.byEnv[env] == nil {
			webTeams.byEnv[env] = map[string]int64{}
		}
		id, ok := webTeams.byEnv[env][name]
		if !ok {
			t, err := env.App.Teams.Create(context.Background(), asVolunteer2(env), team.NewTeam{Name: name,
				RegionCode: "120101002", ContactName: "李红", ContactPhone: "13700000001"})
			if err != nil {
				env.T.Fatalf("pending team %s: %v", name, err)
			}
			id = t.ID
			webTeams.byEnv[env][name] = id
		}
		return fmt.Sprintf("/teams/%d%s", id, suffix)
	}
}

// asVolunteer2 is 李红 acting through the services, to set up memberships.
func asVolunteer2(env *apptest.Env) *auth.Principal {
	return &auth.Principal{AccountID: accountID(env, "volunteer2"), Username: "volunteer2", Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}
}

// pendingRequestPath makes 李红's request to join team 3 pending again
// (leaving first if it was approved) and returns the path of an action on it.
func pendingRequestPath(action string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		ctx, p := context.Background(), asVolunteer2(env)
		_ = env.App.Teams.Leave(ctx, p, 3)
		if _, err := env.App.Teams.Join(ctx, p, 3); err != nil {
			env.T.Fatalf("李红 asks to join team 3: %v", err)
		}
		return fmt.Sprintf("/teams/3/members/%d/%s", volunteerOf(env, "volunteer2"), action)
	}
}

// unclaimedRecord returns the ID and phone numbers of a record team 2
// registered that nobody has claimed yet: the first one, or the last.
func unclaimedRecord(env *apptest.Env, last bool) (idNumber, phone string) {
	order := "ASC"
	if last {
		order = "DESC"
	}
	ctx := context.Background()
	var id int64
	if err := env.App.DB.Read().QueryRowContext(ctx, `SELECT id FROM volunteers WHERE account_id IS NULL
		AND registered_by_team_id = 2 ORDER BY id `+order+` LIMIT 1`).Scan(&id); err != nil {
		env.T.Fatalf("unclaimed record: %v", err)
	}
	r, err := env.App.Volunteers.RevealNumbers(ctx, auth.System, id)
	if err != nil {
		env.T.Fatal(err)
	}
	return r.IDNumber, r.Phone
}

// webRegistration is a valid registration form; base keeps the numbers of
// the form kinds apart, n the users.
func webRegistration(base, n int, password bool) url.Values {
	f := url.Values{"real_name": {fmt.Sprintf("网页%d", base+n)}, "id_type": {"resident"},
		"id_number": {apptest.ResidentID("120101", apptest.BornYearsAgo(30+base/100, n), 31+2*n)},
		"phone":     {apptest.Mobile(base + n)}, "region_code": {"120101001001"}, "tags": {"青年"},
		"service_categories": {"社区服务"}, "skills": {"急救、驾驶"}}
	if password {
		f.Set("password", "password-123")
		f.Set("password_confirm", "password-123")
	}
	return f
}

func webRegistryScenarios() map[string][]call {
	signedIn := with(ok, map[string]int{"": see})
	searchers := with(denied, webAdmins, "quanyechang", ok, "team-admin", ok)
	founders := map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "hedong-office": ok,
		"team-admin": ok, "volunteer": ok, "": see}
	heping := map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok}
	// Team 1 (劝业场): its offices and its admin manage it; Hedong's office sees it but may not.
	team1 := func(s int) outcome {
		return with(denied, map[string]int{"admin": s, "tianjin-office": s, "heping-office": s, "team-admin": s, "": see})
	}
	team1Post := func(s int) outcome {
		return with(denied, map[string]int{"admin": s, "tianjin-office": s, "heping-office": s, "team-admin": s, "": unauth})
	}
	onlyVolunteers := func(s int) outcome {
		return with(denied, map[string]int{"volunteer": s, "team-admin": s, "": unauth})
	}
	return map[string][]call{
		"GET /register": {{path: fixed("/register"), expect: with(see, map[string]int{"": ok})}},
		"POST /register": {
			{path: fixed("/register"), body: func(u string) any { return webRegistration(300, userIndex(u), true) }, expect: outcome{Default: ok}},
			{path: fixed("/register"), body: func(u string) any {
				f := webRegistration(300, userIndex(u)+20, true)
				f.Set("id_number", wrongCheckChar(f.Get("id_number")))
				return f
			}, expect: outcome{Default: 422}},
			{path: fixed("/register"), body: func(u string) any {
				f := webRegistration(300, userIndex(u)+40, true)
				f.Set("password_confirm", "password-456")
				return f
			}, expect: outcome{Default: 422}},
			{path: fixed("/register"), bodyOf: func(env *apptest.Env, u string) any {
				f := webRegistration(300, userIndex(u)+60, true)
				id, _ := unclaimedRecord(env, true)
				f.Set("id_number", id)
				return f
			}, expect: outcome{Default: conflict}},
		},
		"GET /regions/options": {
			{path: fixed("/regions/options?region_pick=12"), expect: outcome{Default: ok}},
			{path: fixed("/regions/options?region_pick="), expect: outcome{Default: ok}},
			{path: fixed("/regions/options?region_pick=99"), expect: outcome{Default: missing}},
		},
		"GET /claim": {{path: fixed("/claim"), expect: outcome{Default: ok}}},
		"POST /claim": {
			{path: fixed("/claim"), bodyOf: func(env *apptest.Env, _ string) any {
				id, phone := unclaimedRecord(env, false)
				return url.Values{"id_number": {id}, "phone": {phone}, "password": {"password-123"}, "password_confirm": {"password-123"}}
			}, expect: outcome{Default: ok}},
			{path: fixed("/claim"), body: func(string) any {
				return url.Values{"id_number": {"11010519491231002X"}, "phone": {"13700009999"}, "password": {"password-123"}, "password_confirm": {"password-123"}}
			}, expect: outcome{Default: missing}},
			{path: fixed("/claim"), body: func(string) any {
				return url.Values{"id_number": {"12345"}, "phone": {"1370000"}, "password": {"short"}, "password_confirm": {"short"}}
			}, expect: outcome{Default: 422}},
		},
		"GET /me/volunteer": {{path: fixed("/me/volunteer"), expect: signedIn}},
		"POST /me/volunteer": {{path: fixed("/me/volunteer"), body: func(string) any { return url.Values{"real_name": {""}} },
			expect: with(422, map[string]int{"volunteer": conflict, "team-admin": conflict, "": unauth})}},
		"GET /admin/volunteers": {
			{path: fixed("/admin/volunteers"), expect: searchers},
			{path: fixed("/admin/volunteers?q=%E5%BC%A0&tag=%E9%9D%92%E5%B9%B4"), expect: searchers},
			{path: fixed("/admin/volunteers?region_code=999999"),
				expect: with(denied, map[string]int{"admin": 422, "tianjin-office": 422, "heping-office": 422, "hedong-office": 422,
					"quanyechang": 422, "team-admin": 422, "": see})},
			{path: fixed("/admin/volunteers?region_code=120102"), expect: with(denied, webAdmins, "heping-office", denied, "team-admin", ok)},
		},
		"GET /admin/volunteers/{id}": {
			{path: webVolunteerPath("volunteer"), expect: with(denied, heping, "hedong-office", missing, "quanyechang", ok, "team-admin", ok, "volunteer", ok, "", see)},
			{path: webVolunteerPath("volunteer2"), expect: with(denied, heping, "hedong-office", missing, "quanyechang", missing, "team-admin", missing, "volunteer", missing, "", see)},
			{path: inviteePath("/admin/volunteers/", ""), expect: with(denied, heping, "hedong-office", missing, "quanyechang", ok, "team-admin", missing, "volunteer", missing, "", see)},
			{path: fixed("/admin/volunteers/x"), expect: with(missing, map[string]int{"resident": denied, "chengguan": denied, "": see})},
		},
		"GET /teams": {
			{path: fixed("/teams"), expect: outcome{Default: ok}},
			{path: fixed("/teams?q=%E5%8A%9D%E4%B8%9A%E5%9C%BA&region_code=120101&after=0"), expect: outcome{Default: ok}},
		},
		"GET /teams/new": {{path: fixed("/teams/new"), expect: with(denied, founders)}},
		"POST /teams": {
			{path: fixed("/teams"), body: func(u string) any {
				return url.Values{"name": {"网页团队" + u}, "region_code": {"120101001"}, "contact_name": {"联系人"},
					"contact_phone": {"022-23456789"}, "type": {"社区志愿服务队"}, "join_mode": {"open"}}
			}, expect: with(denied, map[string]int{"admin": see, "tianjin-office": see, "heping-office": see, "hedong-office": denied,
				"team-admin": see, "volunteer": see, "": unauth})},
			{path: fixed("/teams"), body: func(string) any { return url.Values{"name": {""}, "region_code": {"12"}} },
				expect: with(denied, map[string]int{"admin": 422, "tianjin-office": 422, "heping-office": 422, "hedong-office": 422,
					"team-admin": 422, "volunteer": 422, "": unauth})},
		},
		"GET /teams/{id}": {
			{path: fixed("/teams/1"), expect: outcome{Default: ok}},
			{path: webPendingTeam("网页待审团队甲", ""), expect: with(missing, heping)},
			{path: fixed("/teams/999"), expect: outcome{Default: missing}},
		},
		"POST /teams/{id}/join": {
			{path: fixed("/teams/3/join"), expect: onlyVolunteers(see)},
			{path: webPendingTeam("网页待审团队甲", "/join"), expect: onlyVolunteers(missing)},
		},
		"POST /teams/{id}/leave": {{path: fixed("/teams/3/leave"), expect: onlyVolunteers(see)}},
		"POST /teams/{id}/review": {
			{path: webPendingTeam("网页待审团队甲", "/review"), body: func(string) any { return url.Values{"decision": {"reject"}} },
				expect: with(denied, map[string]int{"admin": 422, "tianjin-office": 422, "heping-office": 422, "hedong-office": missing, "": unauth})},
			// The first office approves; the team is then no longer pending, and
			// Hedong's office sees it but may not review it.
			{path: webPendingTeam("网页待审团队乙", "/review"), body: func(string) any { return url.Values{"decision": {"approve"}} },
				expect: with(denied, map[string]int{"admin": see, "tianjin-office": conflict, "heping-office": conflict, "hedong-office": denied, "": unauth})},
		},
		"GET /my/teams":           {{path: fixed("/my/teams"), expect: signedIn}},
		"GET /admin/teams/review": {{path: fixed("/admin/teams/review"), expect: with(denied, webAdmins)}},
		"GET /teams/{id}/members": {
			{path: fixed("/teams/1/members"), expect: team1(ok)},
			{path: fixed("/teams/1/members?status=pending"), expect: team1(ok)},
			{path: webPendingTeam("网页待审团队甲", "/members"),
				expect: with(denied, map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "hedong-office": missing, "team-admin": missing, "": see})},
		},
		"GET /teams/{id}/members/new": {{path: fixed("/teams/1/members/new"), expect: team1(ok)}},
		"GET /teams/{id}/import":      {{path: fixed("/teams/1/import"), expect: team1(ok)}},
		"POST /teams/{id}/import": {{path: fixed("/teams/1/import"), body: func(string) any { return url.Values{} },
			expect: team1Post(422)}},
		"GET /teams/{id}/members.xlsx": {{path: fixed("/teams/1/members.xlsx"), expect: team1(ok)}},
		"GET /imports/template.xlsx":   {{path: fixed("/imports/template.xlsx"), expect: outcome{Default: ok}}},
		"GET /imports/{id}/report.xlsx": {{path: fixed("/imports/999/report.xlsx"),
			expect: with(denied, map[string]int{"admin": missing, "tianjin-office": missing, "heping-office": missing, "hedong-office": missing, "team-admin": missing, "": see})}},
		"GET /admin/volunteers.xlsx": {{path: fixed("/admin/volunteers.xlsx"), expect: searchers}},
		"POST /teams/{id}/members/new": {
			{path: fixed("/teams/1/members/new"), body: func(u string) any { return webRegistration(400, userIndex(u), false) }, expect: team1Post(see)},
			{path: fixed("/teams/1/members/new"), body: func(string) any { return url.Values{"real_name": {""}} }, expect: team1Post(422)},
		},
		"POST /teams/{id}/members/{volunteer}/approve": {{path: pendingRequestPath("approve"),
			expect: with(denied, map[string]int{"admin": see, "tianjin-office": see, "heping-office": see, "": unauth})}},
		"POST /teams/{id}/members/{volunteer}/role": {
			{path: func(env *apptest.Env, _ string) string {
				return fmt.Sprintf("/teams/1/members/%d/role", volunteerOf(env, "volunteer"))
			}, body: func(string) any { return url.Values{"role": {"leader"}} }, expect: team1Post(see)},
			{path: func(env *apptest.Env, _ string) string {
				return fmt.Sprintf("/teams/1/members/%d/role", volunteerOf(env, "volunteer"))
			}, body: func(string) any { return url.Values{"role": {"boss"}} }, expect: team1Post(422)},
		},
		"POST /teams/{id}/members/{volunteer}/remove": {{path: func(env *apptest.Env, _ string) string {
			return fmt.Sprintf("/teams/1/members/%d/remove", firstUnclaimedMember(env))
		}, expect: team1Post(see)}},
	}
}

func webVolunteerPath(username string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		return fmt.Sprintf("/admin/volunteers/%d", volunteerOf(env, username))
	}
}

// wrongCheckChar changes the check character of an ID number.
func wrongCheckChar(id string) string {
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}
