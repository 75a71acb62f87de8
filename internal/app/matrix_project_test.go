package app_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
)

// Scenarios of the project, shift and sign-up routes.

type projectFixture struct {
	published, draft project.Project
	shift            project.Shift
}

var projectFixtures struct {
	sync.Mutex
	byEnv map[*apptest.Env]*projectFixture
}

func newDraft(name string) project.NewProject {
	today := time.Now().In(clock.Zone)
	return project.NewProject{TeamID: 1, Name: name, Category: "社区服务", Content: "楼门值守", RegionCode: "120101001001",
		Address: "花园路社区", RecruitCount: 10, StartsOn: today.Format("2006-01-02"), EndsOn: today.AddDate(0, 1, 0).Format("2006-01-02"),
		ContactName: "王建国", ContactPhone: "13800138000"}
}

// fixtureOf creates (once per environment) a published project with a shift
// and a draft project, both of team 1.
func fixtureOf(env *apptest.Env) *projectFixture {
	projectFixtures.Lock()
	defer projectFixtures.Unlock()
	if projectFixtures.byEnv == nil {
		projectFixtures.byEnv = map[*apptest.Env]*projectFixture{}
	}
	if f, ok := projectFixtures.byEnv[env]; ok {
		return f
	}
	ctx, sys, svc := context.Background(), auth.System, env.App.Projects
	f := &projectFixture{}
	var err error
	must := func(e error) {
		if e != nil {
			env.T.Fatalf("project fixture: %v", e)
		}
	}
	f.published, err = svc.Create(ctx, sys, newDraft("矩阵已发布项目"))
	must(err)
	_, err = svc.Submit(ctx, sys, f.published.ID)
	must(err)
	f.published, err = svc.ReviewProject(ctx, sys, f.published.ID, project.Review{Decision: "approve"})
	must(err)
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	f.shift, err = svc.AddShift(ctx, sys, f.published.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(2 * time.Hour).Format(time.RFC3339), Capacity: 50})
	must(err)
	f.draft, err = svc.Create(ctx, sys, newDraft("矩阵草稿项目"))
	must(err)
	projectFixtures.byEnv[env] = f
	return f
}

func projectPath(draft bool, suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		f := fixtureOf(env)
		id := f.published.ID
		if draft {
			id = f.draft.ID
		}
		return fmt.Sprintf("/api/v1/projects/%d%s", id, suffix)
	}
}

// liveSignupOfVolunteer2 makes sure 李红 holds a seat on the fixture shift and
// returns the cancel path for it, so each user tries to cancel a live one.
func liveSignupOfVolunteer2(env *apptest.Env, _ string) string {
	f := fixtureOf(env)
	var id int64
	err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT s.id FROM signups s JOIN volunteers v ON v.id = s.volunteer_id
		JOIN accounts a ON a.id = v.account_id WHERE a.username = 'volunteer2' AND s.shift_id = $1 AND s.status <> 'cancelled'`, f.shift.ID).Scan(&id)
	if err != nil {
		p := env.Principal("volunteer2")
		su, serr := env.App.Projects.SignUp(context.Background(), p, f.shift.ID)
		if serr != nil {
			env.T.Fatalf("sign up 李红: %v", serr)
		}
		id = su.ID
	}
	return fmt.Sprintf("/api/v1/signups/%d", id)
}

func shiftPath(suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		return fmt.Sprintf("/api/v1/shifts/%d%s", fixtureOf(env).shift.ID, suffix)
	}
}

// seesVolunteer is who may read 张志愿's pages: the offices over her street,
// her street's worker, her team's admin and herself.
var seesVolunteer = with(missing, map[string]int{"admin": ok, "tianjin-office": ok, "heping-office": ok, "quanyechang": ok,
	"team-admin": ok, "volunteer": ok, "": unauth})

func projectScenarios() map[string][]call {
	managers := map[string]int{"admin": 0, "tianjin-office": 0, "heping-office": 0, "team-admin": 0}
	as := func(status int, def int, extra ...any) outcome {
		m := map[string]int{"": unauth}
		for u := range managers {
			m[u] = status
		}
		return with(def, m, extra...)
	}
	shiftBody := func(u string) any {
		start := time.Now().Add(72*time.Hour + time.Duration(userIndex(u))*time.Hour).Truncate(time.Hour)
		return map[string]any{"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "capacity": 5}
	}
	return map[string][]call{
		"GET /api/v1/projects": {{path: fixed("/api/v1/projects?region_code=120101"), expect: outcome{Default: ok}}},
		"POST /api/v1/projects": {{path: fixed("/api/v1/projects"), body: func(u string) any { return newDraft("矩阵新项目" + u) },
			expect: as(created, denied, "hedong-office", denied)}},
		"GET /api/v1/projects/{id}": {
			{path: projectPath(false, ""), expect: outcome{Default: ok}},
			{path: projectPath(true, ""), expect: as(ok, missing, "", missing)},
		},
		"POST /api/v1/projects/{id}/submit": {{path: projectPath(false, "/submit"), expect: as(conflict, denied, "hedong-office", denied)}},
		"POST /api/v1/projects/{id}/review": {{path: projectPath(false, "/review"), body: func(string) any { return map[string]string{"decision": "approve"} },
			expect: with(denied, map[string]int{"admin": conflict, "tianjin-office": conflict, "heping-office": conflict, "": unauth})}},
		"GET /api/v1/projects/{id}/shifts": {{path: projectPath(false, "/shifts"), expect: outcome{Default: ok}}},
		"POST /api/v1/projects/{id}/shifts": {{path: projectPath(false, "/shifts"), body: shiftBody,
			expect: as(created, denied, "hedong-office", denied)}},
		"POST /api/v1/shifts/{id}/signups": {{path: func(env *apptest.Env, _ string) string {
			return fmt.Sprintf("/api/v1/shifts/%d/signups", fixtureOf(env).shift.ID)
		}, expect: with(denied, map[string]int{"volunteer": created, "team-admin": created, "": unauth})}},
		"DELETE /api/v1/signups/{id}": {{path: liveSignupOfVolunteer2, expect: as(noBody, missing)}},

		"GET /api/v1/shifts/{id}/checkin-code": {{path: shiftPath("/checkin-code"), expect: as(ok, denied, "hedong-office", denied)}},
		"POST /api/v1/shifts/{id}/scans": {{path: shiftPath("/scans"), body: func(string) any { return map[string]string{"code": "not-a-code"} },
			expect: as(422, denied, "hedong-office", denied)}},
		"POST /api/v1/checkins": {{path: fixed("/api/v1/checkins"), body: func(string) any { return map[string]string{"code": "not-a-code"} },
			expect: with(denied, map[string]int{"volunteer": 422, "team-admin": 422, "": unauth})}},
		"GET /api/v1/volunteers/me/code": {{path: fixed("/api/v1/volunteers/me/code"),
			expect: with(denied, map[string]int{"volunteer": ok, "team-admin": ok, "": unauth})}},
		"GET /api/v1/volunteers/{id}/service-records": {
			{path: volunteerPath("volunteer", "/service-records"), expect: seesVolunteer},
			{path: inviteePath("/api/v1/volunteers/", "/service-records"), expect: seesInvitee},
		},
		"GET /api/v1/volunteers/{id}/certificates": {
			{path: volunteerPath("volunteer", "/certificates"), expect: seesVolunteer},
			{path: inviteePath("/api/v1/volunteers/", "/certificates"), expect: seesInvitee},
		},
		"GET /api/v1/volunteers/{id}/summary": {
			{path: volunteerPath("volunteer", "/summary"), expect: seesVolunteer},
			{path: inviteePath("/api/v1/volunteers/", "/summary"), expect: seesInvitee},
		},
		"GET /api/v1/service-records/{id}": {{path: fixed("/api/v1/service-records/999999"), expect: with(missing, map[string]int{"": unauth})}},
		"POST /api/v1/service-records/{id}/confirm": {{path: fixed("/api/v1/service-records/999999/confirm"),
			expect: as(missing, denied, "hedong-office", missing)}},
		"POST /api/v1/service-records/{id}/void": {{path: fixed("/api/v1/service-records/999999/void"), body: func(string) any { return map[string]string{"reason": "测试"} },
			expect: as(missing, denied, "hedong-office", missing)}},
		"POST /api/v1/certificates": {{path: fixed("/api/v1/certificates"), bodyOf: func(env *apptest.Env, _ string) any {
			return map[string]int64{"volunteer_id": volunteerOf(env, "volunteer"), "team_id": 1}
		}, expect: with(missing, map[string]int{"admin": conflict, "tianjin-office": conflict, "heping-office": conflict, "quanyechang": denied,
			"team-admin": conflict, "volunteer": conflict, "": unauth})}},
		"GET /api/v1/certificates/{id}/pdf":   {{path: fixed("/api/v1/certificates/999999/pdf"), expect: with(missing, map[string]int{"": unauth})}},
		"GET /api/v1/certificates/public-key": {{path: fixed("/api/v1/certificates/public-key"), expect: outcome{Default: ok}}},
		"GET /verify/{code}":                  {{path: fixed("/verify/no-such-code-here"), expect: outcome{Default: missing}}},
		"GET /api/v1/verify/{code}":           {{path: fixed("/api/v1/verify/no-such-code-here"), expect: outcome{Default: missing}}},
		"POST /api/v1/uploads": {{path: fixed("/api/v1/uploads"), body: func(string) any { return "not multipart" },
			expect: as(422, denied, "hedong-office", 422)}},
		"POST /api/v1/service-records": {{path: fixed("/api/v1/service-records"), body: func(string) any { return map[string]any{} },
			expect: as(422, denied, "hedong-office", 422)}},
		"POST /api/v1/service-records/{id}/approve": {{path: fixed("/api/v1/service-records/999999/approve"), expect: as(missing, denied, "hedong-office", missing)}},
		"POST /api/v1/service-records/{id}/amend": {{path: fixed("/api/v1/service-records/999999/amend"), body: func(string) any { return map[string]string{"reason": "测试"} },
			expect: as(missing, denied, "hedong-office", missing)}},
		"POST /api/v1/service-records/{id}/correction": {{path: fixed("/api/v1/service-records/999999/correction"), body: func(string) any { return map[string]string{"reason": "测试"} },
			expect: with(denied, map[string]int{"volunteer": missing, "team-admin": missing, "": unauth})}},
		"POST /api/v1/shifts/{id}/attendance": {{path: shiftPath("/attendance"), body: func(string) any { return map[string]any{} },
			expect: as(422, denied, "hedong-office", denied)}},
		"GET /api/v1/teams/{id}/overdue-records": {{path: fixed("/api/v1/teams/1/overdue-records"), expect: as(ok, denied, "hedong-office", denied)}},
		"GET /api/v1/volunteers/me/shifts": {{path: fixed("/api/v1/volunteers/me/shifts"),
			expect: with(missing, map[string]int{"volunteer": ok, "team-admin": ok, "": unauth})}},
		"GET /api/v1/calendar/{token}": {{path: fixed("/api/v1/calendar/1-forged"), expect: outcome{Default: missing}}},
		"POST /api/v1/volunteers/me/calendar/renew": {{path: fixed("/api/v1/volunteers/me/calendar/renew"),
			expect: with(missing, map[string]int{"volunteer": ok, "team-admin": ok, "": unauth})}},
		"PUT /api/v1/regions/{code}/star-thresholds": {{path: fixed("/api/v1/regions/120101/star-thresholds"),
			body:   func(string) any { return map[string][]int64{"hours": {100, 300, 600, 1000, 1500}} },
			expect: with(denied, map[string]int{"admin": noBody, "tianjin-office": noBody, "heping-office": noBody, "": unauth})}},
	}
}
