package team_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
)

type tjson struct {
	ID           int64
	State        string
	RejectReason string `json:"reject_reason"`
	MemberCount  int    `json:"member_count"`
}

type ejson struct {
	Error struct {
		Code, Message string
		Fields        map[string]struct{ Code, Message string }
	}
}

// volunteerToken registers a volunteer and returns their API token.
func volunteerToken(t *testing.T, env *apptest.Env, n int, region string) (string, int64) {
	t.Helper()
	phone := apptest.Mobile(n)
	status, raw := env.JSON("POST", "/api/v1/volunteers", "", map[string]any{
		"real_name": fmt.Sprintf("队员%d", n), "id_number": apptest.ResidentID("120101", apptest.BornYearsAgo(25, n), 13+2*n),
		"phone": phone, "region_code": region, "password": "password-123"})
	if status != 201 {
		t.Fatalf("register %d: %d %s", n, status, raw)
	}
	var v struct{ ID int64 }
	_ = json.Unmarshal(raw, &v)
	status, raw = env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": phone, "password": "password-123"})
	if status != 200 {
		t.Fatalf("login %d: %d", n, status)
	}
	var tok struct{ Token string }
	_ = json.Unmarshal(raw, &tok)
	return tok.Token, v.ID
}

func newTeam(name string) map[string]any {
	return map[string]any{"name": name, "region_code": "120101001", "contact_name": "王队长", "contact_phone": "022-23456789", "join_mode": "approval"}
}

func TestFoundReviewAndAdmin(t *testing.T) {
	env := apptest.New(t)
	founder, _ := volunteerToken(t, env, 1, "120101001001")
	status, raw := env.JSON("POST", "/api/v1/teams", founder, newTeam("花园路社区助老队"))
	var team tjson
	_ = json.Unmarshal(raw, &team)
	if status != 201 || team.State != "pending" {
		t.Fatalf("found: %d %s", status, raw)
	}
	path := "/api/v1/teams/" + strconv.FormatInt(team.ID, 10)
	// A pending team is seen by its founder and its region's office only.
	if status, _ := env.JSON("GET", path, "", nil); status != 404 {
		t.Fatalf("anonymous sees pending team: %d", status)
	}
	if status, _ := env.JSON("GET", path, founder, nil); status != 200 {
		t.Fatalf("founder cannot see own team: %d", status)
	}
	// Another district's office cannot review it; reject needs a reason.
	if status, _ := env.JSON("POST", path+"/review", env.Token("hedong-office"), map[string]string{"decision": "approve"}); status != 404 {
		t.Fatalf("out-of-scope review: %d", status)
	}
	office := env.Token("heping-office")
	status, raw = env.JSON("POST", path+"/review", office, map[string]string{"decision": "reject"})
	var e ejson
	_ = json.Unmarshal(raw, &e)
	if status != 422 || e.Error.Fields["reason"].Code != "required" {
		t.Fatalf("reject without reason: %d %s", status, raw)
	}
	status, raw = env.JSON("POST", path+"/review", office, map[string]string{"decision": "reject", "reason": "联系电话无法接通"})
	_ = json.Unmarshal(raw, &team)
	if status != 200 || team.State != "rejected" {
		t.Fatalf("reject: %d %s", status, raw)
	}
	// The founder sees the reason; a rejected team cannot be approved.
	_, raw = env.JSON("GET", path, founder, nil)
	_ = json.Unmarshal(raw, &team)
	if team.RejectReason != "联系电话无法接通" {
		t.Fatalf("founder sees reason %q", team.RejectReason)
	}
	if status, _ := env.JSON("POST", path+"/review", office, map[string]string{"decision": "approve"}); status != 409 {
		t.Fatalf("approve a rejected team: %d", status)
	}
	// The name is free again after rejection: found it anew, approve it.
	status, raw = env.JSON("POST", "/api/v1/teams", founder, newTeam("花园路社区助老队"))
	_ = json.Unmarshal(raw, &team)
	if status != 201 {
		t.Fatalf("found again: %d %s", status, raw)
	}
	path = "/api/v1/teams/" + strconv.FormatInt(team.ID, 10)
	if status, raw := env.JSON("POST", path+"/review", office, map[string]string{"decision": "approve"}); status != 200 {
		t.Fatalf("approve: %d %s", status, raw)
	}
	// The founder is now its admin: the grant shows and the members list opens.
	_, raw = env.JSON("GET", "/api/v1/me", founder, nil)
	if !strings.Contains(string(raw), `"role":"team_admin"`) {
		t.Fatalf("founder has no team_admin grant: %s", raw)
	}
	status, raw = env.JSON("GET", path+"/members", founder, nil)
	if status != 200 || !strings.Contains(string(raw), `"role":"admin"`) || !strings.Contains(string(raw), `"status":"active"`) {
		t.Fatalf("members: %d %s", status, raw)
	}
	status, raw = env.JSON("GET", path+"/reviews", founder, nil)
	if status != 200 || !strings.Contains(string(raw), `"decision":"approve"`) {
		t.Fatalf("history: %d %s", status, raw)
	}
	// Duplicate live name.
	if status, _ := env.JSON("POST", "/api/v1/teams", founder, newTeam("花园路社区助老队")); status != 409 {
		t.Fatalf("duplicate name: %d", status)
	}
}

func TestTeamInputErrors(t *testing.T) {
	env := apptest.New(t)
	office := env.Token("heping-office")
	bad := map[string]any{"name": "x", "region_code": "99", "contact_name": "", "contact_phone": "12",
		"credit_code": "91350100M000100Y44", "join_mode": "whenever", "type": "帮派"}
	status, raw := env.JSON("POST", "/api/v1/teams", office, bad)
	var e ejson
	_ = json.Unmarshal(raw, &e)
	if status != 422 {
		t.Fatalf("status %d", status)
	}
	for field, code := range map[string]string{"name": "length", "region_code": "unknown", "contact_name": "required",
		"contact_phone": "format", "credit_code": "checksum", "join_mode": "unknown", "type": "unknown"} {
		if e.Error.Fields[field].Code != code || e.Error.Fields[field].Message == "" {
			t.Errorf("field %s: %+v", field, e.Error.Fields[field])
		}
	}
	good := newTeam("和平区法律服务志愿队")
	good["credit_code"] = "91350100M000100Y43"
	if status, raw := env.JSON("POST", "/api/v1/teams", office, good); status != 201 {
		t.Fatalf("valid credit code: %d %s", status, raw)
	}
	// An office admin cannot found a team outside its region, and has no volunteer record to found it as itself.
	outside := newTeam("河东区某队")
	outside["region_code"] = "120102"
	if status, _ := env.JSON("POST", "/api/v1/teams", office, outside); status != 403 {
		t.Fatalf("found outside scope: %d", status)
	}
	var n int
	if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM teams WHERE name = '河东区某队' OR name = 'x'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("refused teams were saved")
	}
}

func TestJoinModes(t *testing.T) {
	env := apptest.New(t)
	admin := env.Token("team-admin") // team 1, approved, join mode approval (default)
	vol, vid := volunteerToken(t, env, 1, "120101001001")
	// Approval: the request waits for the admin.
	status, raw := env.JSON("POST", "/api/v1/teams/1/join", vol, nil)
	if status != 200 || !strings.Contains(string(raw), `"status":"pending"`) {
		t.Fatalf("join approval team: %d %s", status, raw)
	}
	if status, _ := env.JSON("POST", "/api/v1/teams/1/join", vol, nil); status != 409 {
		t.Fatalf("join twice: %d", status)
	}
	mpath := fmt.Sprintf("/api/v1/teams/1/members/%d", vid)
	if status, _ := env.JSON("POST", mpath+"/approve", admin, nil); status != 204 {
		t.Fatalf("approve: %d", status)
	}
	// Set as leader, then leave.
	if status, _ := env.JSON("PUT", mpath+"/role", admin, map[string]string{"role": "leader"}); status != 204 {
		t.Fatalf("set role: %d", status)
	}
	if status, _ := env.JSON("PUT", mpath+"/role", admin, map[string]string{"role": "captain"}); status != 422 {
		t.Fatalf("bad role: %d", status)
	}
	if status, _ := env.JSON("POST", "/api/v1/teams/1/leave", vol, nil); status != 204 {
		t.Fatalf("leave: %d", status)
	}
	// History stays: the row is there, as left.
	var st string
	if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT status FROM team_members WHERE team_id = 1 AND volunteer_id = $1`, vid).Scan(&st); err != nil {
		t.Fatal(err)
	}
	if st != "left" {
		t.Fatalf("membership after leaving: %q", st)
	}
	// Invitation only: joining is refused until invited.
	if _, err := env.App.DB.Write().ExecContext(context.Background(), `UPDATE teams SET join_mode = 'invitation' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if status, _ := env.JSON("POST", "/api/v1/teams/1/join", vol, nil); status != 403 {
		t.Fatalf("join invitation-only team: %d", status)
	}
	status, raw = env.JSON("POST", "/api/v1/teams/1/members", admin, map[string]int64{"volunteer_id": vid})
	if status != 201 || !strings.Contains(string(raw), `"status":"invited"`) {
		t.Fatalf("invite: %d %s", status, raw)
	}
	status, raw = env.JSON("POST", "/api/v1/teams/1/join", vol, nil)
	if status != 200 || !strings.Contains(string(raw), `"status":"active"`) {
		t.Fatalf("accept invitation: %d %s", status, raw)
	}
	// Open: joins at once. Another team's admin cannot manage this one.
	if status, _ := env.JSON("GET", "/api/v1/teams/2/members", admin, nil); status != 403 {
		t.Fatalf("other team's members: %d", status)
	}
}

func TestMakingAdminGrantsAndLastAdminStays(t *testing.T) {
	env := apptest.New(t)
	founder, fid := volunteerToken(t, env, 1, "120101001001")
	status, raw := env.JSON("POST", "/api/v1/teams", founder, newTeam("劝业场青年突击队"))
	var team tjson
	_ = json.Unmarshal(raw, &team)
	if status != 201 {
		t.Fatal(status)
	}
	path := "/api/v1/teams/" + strconv.FormatInt(team.ID, 10)
	env.JSON("POST", path+"/review", env.Token("heping-office"), map[string]string{"decision": "approve"})
	if status, _ := env.JSON("POST", path+"/leave", founder, nil); status != 409 {
		t.Fatalf("last admin left: %d", status)
	}
	other, oid := volunteerToken(t, env, 2, "120101001001")
	if _, err := env.App.DB.Write().ExecContext(context.Background(), `UPDATE teams SET join_mode = 'open' WHERE id = $1`, team.ID); err != nil {
		t.Fatal(err)
	}
	if status, raw := env.JSON("POST", path+"/join", other, nil); status != 200 || !strings.Contains(string(raw), `"active"`) {
		t.Fatalf("join open team: %d %s", status, raw)
	}
	if status, _ := env.JSON("PUT", fmt.Sprintf("%s/members/%d/role", path, oid), founder, map[string]string{"role": "admin"}); status != 204 {
		t.Fatal("promote")
	}
	if status, _ := env.JSON("GET", path+"/members", other, nil); status != 200 {
		t.Fatalf("new admin cannot manage: %d", status)
	}
	if status, _ := env.JSON("PUT", fmt.Sprintf("%s/members/%d/role", path, fid), other, map[string]string{"role": "member"}); status != 204 {
		t.Fatal("demote founder")
	}
	if status, _ := env.JSON("GET", path+"/members", founder, nil); status != 403 {
		t.Fatalf("demoted admin still manages: %d", status)
	}
}
