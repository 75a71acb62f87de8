package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
)

// Scenarios of the HTML screens for projects, shifts, check-in, hours,
// certificates and service records.

var webShifts struct {
	sync.Mutex
	byEnv map[*apptest.Env]int64
}

// webShiftPath adds (once per environment) a shift of its own to the
// fixture's published project, so that signing up here does not meet the
// API scenarios' sign-ups, and returns a path on it.
func webShiftPath(suffix string) func(*apptest.Env, string) string {
	return func(env *apptest.Env, _ string) string {
		webShifts.Lock()
		defer webShifts.Unlock()
		if webShifts.byEnv == nil {
			webShifts.byEnv = map[*apptest.Env]int64{}
		}
		id, ok := webShifts.byEnv[env]
		if !ok {
			start := time.Now().Add(96 * time.Hour).Truncate(time.Hour)
			sh, err := env.App.Projects.AddShift(context.Background(), auth.System, fixtureOf(env).published.ID, project.NewShift{
				StartsAt: start.Format(time.RFC3339), EndsAt: start.Add(2 * time.Hour).Format(time.RFC3339), Capacity: 50})
			if err != nil {
				env.T.Fatalf("web shift: %v", err)
			}
			id = sh.ID
			webShifts.byEnv[env] = id
		}
		return fmt.Sprintf("/shifts/%d%s", id, suffix)
	}
}

func webProjectPath(draft bool, suffix string) func(*apptest.Env, string) string {
	api := projectPath(draft, suffix)
	return func(env *apptest.Env, u string) string {
		return strings.TrimPrefix(api(env, u), "/api/v1")
	}
}

func newDraftForm(u string) any {
	d := newDraft("网页新项目" + u)
	return url.Values{"team_id": {"1"}, "name": {d.Name}, "category": {d.Category}, "content": {d.Content},
		"region_code": {d.RegionCode}, "address": {d.Address}, "recruit_count": {"10"}, "starts_on": {d.StartsOn},
		"ends_on": {d.EndsOn}, "contact_name": {d.ContactName}, "contact_phone": {d.ContactPhone}}
}

func shiftForm(u string) any {
	start := time.Now().In(clock.Zone).Add(120*time.Hour + time.Duration(userIndex(u))*time.Hour).Truncate(time.Hour)
	return url.Values{"starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.Add(time.Hour).Format("2006-01-02T15:04")},
		"capacity": {"5"}, "waitlist": {"0"}}
}

func webProjectScenarios() map[string][]call {
	// managers of team 1: the offices over it and its admin.
	managers := map[string]int{"admin": 0, "tianjin-office": 0, "heping-office": 0, "team-admin": 0}
	as := func(status int, def int, extra ...any) outcome {
		m := map[string]int{"": unauth}
		for u := range managers {
			m[u] = status
		}
		return with(def, m, extra...)
	}
	page := func(status int, def int, extra ...any) outcome {
		o := as(status, def, extra...)
		o.By[""] = see
		return o
	}
	// holders of checkin:self and signup:self: those with a volunteer record.
	selfOnly := func(status int) outcome {
		return with(denied, map[string]int{"volunteer": status, "team-admin": status, "": unauth})
	}
	selfPage := func(status int) outcome {
		return with(denied, map[string]int{"volunteer": status, "team-admin": status, "": see})
	}
	return map[string][]call{
		"GET /projects": {
			{path: fixed("/projects?region_code=120101&q=矩阵"), expect: outcome{Default: ok}},
			{path: fixed("/projects?category=没有这个类别"), expect: outcome{Default: 422}},
			{path: fixed("/projects?state=draft"), expect: outcome{Default: ok}},
		},
		"GET /shifts": {
			{path: fixed("/shifts?region_code=120101"), expect: outcome{Default: ok}},
			{path: fixed("/shifts?date=2026-13-40"), expect: outcome{Default: 422}},
			{path: fixed("/shifts?after=1-1&region_code=9"), expect: outcome{Default: 422}},
		},
		"GET /projects/new": {{path: fixed("/projects/new"), expect: page(ok, denied, "hedong-office", ok)}},
		"POST /projects": {
			{path: fixed("/projects"), body: newDraftForm, expect: as(see, denied, "hedong-office", denied)},
			{path: fixed("/projects"), body: func(string) any { return url.Values{"team_id": {"1"}} },
				expect: as(422, denied, "hedong-office", 422)},
		},
		"GET /projects/{id}": {
			{path: webProjectPath(false, ""), expect: outcome{Default: ok}},
			{path: webProjectPath(true, ""), expect: as(ok, missing, "", missing)},
		},
		"POST /projects/{id}/submit": {{path: webProjectPath(false, "/submit"), expect: as(conflict, denied, "hedong-office", denied)}},
		"POST /projects/{id}/review": {{path: webProjectPath(false, "/review"), body: func(string) any { return url.Values{"decision": {"approve"}} },
			expect: with(denied, map[string]int{"admin": conflict, "tianjin-office": conflict, "heping-office": conflict, "": unauth})}},
		"POST /projects/{id}/shifts": {
			{path: webProjectPath(false, "/shifts"), body: shiftForm, expect: as(see, denied, "hedong-office", denied)},
			{path: webProjectPath(false, "/shifts"), body: func(string) any { return url.Values{"starts_at": {"明天"}} },
				expect: as(422, denied, "hedong-office", denied)},
		},
		"POST /shifts/{id}/signup": {
			{path: webShiftPath("/signup"), expect: selfOnly(see)},
			{path: webShiftPath("/signup"), expect: selfOnly(conflict)}, // already signed up
		},
		"GET /shifts/{id}/code":          {{path: webShiftPath("/code"), expect: page(ok, denied, "hedong-office", denied)}},
		"GET /shifts/{id}/code/fragment": {{path: webShiftPath("/code/fragment"), expect: page(ok, denied, "hedong-office", denied)}},
		"POST /shifts/{id}/scan": {{path: webShiftPath("/scan"), body: func(string) any { return url.Values{"code": {"not-a-code"}} },
			expect: as(422, denied, "hedong-office", denied)}},
		"GET /c/{code}":         {{path: fixed("/c/not-a-code"), expect: selfPage(ok)}},
		"POST /c/{code}":        {{path: fixed("/c/not-a-code"), expect: selfOnly(422)}},
		"GET /me/code":          {{path: fixed("/me/code"), expect: selfPage(ok)}},
		"GET /me/code/fragment": {{path: fixed("/me/code/fragment"), expect: selfPage(ok)}},
		"POST /records/{id}/correction": {{path: fixed("/records/999999/correction"), body: func(string) any { return url.Values{"reason": {"时间不对"}} },
			expect: with(denied, map[string]int{"volunteer": missing, "team-admin": missing, "": unauth})}},
		"POST /shifts/{id}/attendance": {{path: func(env *apptest.Env, _ string) string {
			return fmt.Sprintf("/shifts/%d/attendance", fixtureOf(env).shift.ID)
		},
			body: func(string) any { return url.Values{"volunteer_id": {"1"}} }, expect: as(422, denied, "hedong-office", denied)}},
		"GET /leader/today":         {{path: fixed("/leader/today"), expect: page(ok, denied, "hedong-office", ok)}},
		"GET /teams/{id}/records":   {{path: fixed("/teams/1/records"), expect: page(ok, denied, "hedong-office", denied)}},
		"POST /signups/{id}/cancel": {{path: fixed("/signups/999999/cancel"), body: func(string) any { return url.Values{} }, expect: with(missing, map[string]int{"": unauth})}},
		"GET /me/hours":             {{path: fixed("/me/hours"), expect: with(missing, map[string]int{"volunteer": ok, "team-admin": ok, "": see})}},
		"GET /me/shifts": {
			{path: fixed("/me/shifts"), expect: with(missing, map[string]int{"volunteer": ok, "team-admin": ok, "": see})},
			{path: fixed("/me/shifts?page=3"), expect: with(missing, map[string]int{"volunteer": ok, "team-admin": ok, "": see})},
			{path: fixed("/me/shifts?page=0"), expect: with(missing, map[string]int{"": see})},
		},
		"POST /me/calendar/renew": {{path: fixed("/me/calendar/renew"), body: func(string) any { return url.Values{} },
			expect: with(missing, map[string]int{"volunteer": see, "team-admin": see, "": unauth})}},
		"POST /me/certificates": {{path: fixed("/me/certificates"), body: func(string) any { return url.Values{"team_id": {"1"}} },
			expect: with(missing, map[string]int{"volunteer": conflict, "team-admin": conflict, "": unauth})}},
		"GET /certificates/{file}": {
			{path: fixed("/certificates/999999.pdf"), expect: with(missing, map[string]int{"": see})},
			{path: fixed("/certificates/999999"), expect: with(missing, map[string]int{"": see})},
		},
		"GET /records/{id}": {{path: fixed("/records/999999"), expect: with(missing, map[string]int{"": see})}},
		"POST /records/{id}/confirm": {{path: fixed("/records/999999/confirm"),
			expect: as(missing, denied, "hedong-office", missing)}},
		"POST /records/{id}/void": {{path: fixed("/records/999999/void"), body: func(string) any { return url.Values{"reason": {"测试"}} },
			expect: as(missing, denied, "hedong-office", missing)}},
	}
}
