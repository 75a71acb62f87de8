package team_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
)

// An invitation grants the inviting team nothing of the person: not their
// profile, records, hours or certificates, not a row in its searches, only a
// masked name and their volunteer number in its member list, until they
// accept.
func TestInvitationGrantsNothingUntilAccepted(t *testing.T) {
	env := apptest.New(t)
	admin := env.Token("team-admin") // team 1
	vol, vid := volunteerToken(t, env, 1, "120101001001")
	status, raw := env.JSON("POST", "/api/v1/teams/1/members", admin, map[string]int64{"volunteer_id": vid})
	if status != 201 || !strings.Contains(string(raw), `"status":"invited"`) {
		t.Fatalf("invite: %d %s", status, raw)
	}
	vpath := fmt.Sprintf("/api/v1/volunteers/%d", vid)
	refused := []string{vpath, vpath + "/service-records", vpath + "/summary", vpath + "/certificates"}
	for _, path := range refused {
		if status, raw := env.JSON("GET", path, admin, nil); status != 404 && status != 403 {
			t.Fatalf("invited, not accepted: %s answers %d %s", path, status, raw)
		}
	}
	if _, raw := env.JSON("GET", "/api/v1/volunteers?team_id=1&limit=200", admin, nil); strings.Contains(string(raw), "队员1") {
		t.Fatalf("invitee in the team's search: %s", raw)
	}
	var list struct {
		Items []struct {
			VolunteerID int64  `json:"volunteer_id"`
			VolunteerNo string `json:"volunteer_no"`
			RealName    string `json:"real_name"`
			Phone       string
			RegionCode  string `json:"region_code"`
		}
	}
	_, raw = env.JSON("GET", "/api/v1/teams/1/members?status=invited", admin, nil)
	_ = json.Unmarshal(raw, &list)
	if len(list.Items) != 1 || list.Items[0].VolunteerNo == "" || list.Items[0].RealName == "队员1" ||
		!strings.HasPrefix(list.Items[0].RealName, "队") || list.Items[0].Phone != "" || list.Items[0].RegionCode != "" {
		t.Fatalf("invitee in the member list: %s", raw)
	}
	if status, raw := env.JSON("POST", "/api/v1/teams/1/join", vol, nil); status != 200 || !strings.Contains(string(raw), `"active"`) {
		t.Fatalf("accept: %d %s", status, raw)
	}
	if status, raw := env.JSON("GET", vpath, admin, nil); status != 200 {
		t.Fatalf("after accepting: %d %s", status, raw)
	}
}

// A record another team registered for someone who has not claimed it is
// not attached to a team by that team's say-so, neither by adding nor by an
// import; the office of the person's region may add it.
func TestOthersUnclaimedRecordIsNotAttached(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	status, raw := env.JSON("POST", "/api/v1/teams/1/volunteers", env.Token("team-admin"), map[string]any{
		"real_name": "代登记", "id_number": apptest.ResidentID("120101", apptest.BornYearsAgo(40, 9), 901),
		"phone": apptest.Mobile(901), "region_code": "120101001001"})
	if status != 201 {
		t.Fatalf("preregister: %d %s", status, raw)
	}
	var pre struct{ ID int64 }
	_ = json.Unmarshal(raw, &pre)
	founder, _ := volunteerToken(t, env, 2, "120101001001")
	status, raw = env.JSON("POST", "/api/v1/teams", founder, newTeam("另一支队伍"))
	var other tjson
	_ = json.Unmarshal(raw, &other)
	if status != 201 {
		t.Fatalf("found: %d %s", status, raw)
	}
	path := "/api/v1/teams/" + strconv.FormatInt(other.ID, 10)
	env.JSON("POST", path+"/review", env.Token("heping-office"), map[string]string{"decision": "approve"})
	status, raw = env.JSON("POST", path+"/members", founder, map[string]int64{"volunteer_id": pre.ID})
	var e ejson
	_ = json.Unmarshal(raw, &e)
	if status != 403 || !strings.Contains(e.Error.Message, "其他团队") {
		t.Fatalf("another team attaches an unclaimed record: %d %s", status, raw)
	}
	var n int
	_ = env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND volunteer_id = $2`, other.ID, pre.ID).Scan(&n)
	if n != 0 {
		t.Fatalf("membership written: %d", n)
	}
	if status, raw := env.JSON("POST", path+"/members", env.Token("heping-office"), map[string]int64{"volunteer_id": pre.ID}); status != 201 ||
		!strings.Contains(string(raw), `"active"`) {
		t.Fatalf("the office adds it: %d %s", status, raw)
	}
}

// Making someone a team admin is the office's to see: the audit log of the
// team's region names who appointed whom, and the team page shows the
// team's admins, since when and appointed by whom, to the office.
func TestPromotionIsVisibleToTheOffice(t *testing.T) {
	env := apptest.New(t)
	founder, _ := volunteerToken(t, env, 1, "120101001001")
	status, raw := env.JSON("POST", "/api/v1/teams", founder, newTeam("劝业场助老队"))
	var tm tjson
	_ = json.Unmarshal(raw, &tm)
	if status != 201 {
		t.Fatalf("found: %d %s", status, raw)
	}
	id := strconv.FormatInt(tm.ID, 10)
	env.JSON("POST", "/api/v1/teams/"+id+"/review", env.Token("heping-office"), map[string]string{"decision": "approve"})
	other, oid := volunteerToken(t, env, 2, "120101001001")
	env.JSON("POST", "/api/v1/teams/"+id+"/members", founder, map[string]int64{"volunteer_id": oid})
	env.JSON("POST", "/api/v1/teams/"+id+"/join", other, nil)
	if status, raw := env.JSON("PUT", fmt.Sprintf("/api/v1/teams/%s/members/%d/role", id, oid), founder, map[string]string{"role": "admin"}); status != 204 {
		t.Fatalf("promote: %d %s", status, raw)
	}
	_, raw = env.JSON("GET", "/api/v1/audit?entity=team&entity_id="+id, env.Token("heping-office"), nil)
	if n := strings.Count(string(raw), `"appoint_admin"`); n != 2 || !strings.Contains(string(raw), fmt.Sprintf(`"volunteer_id":%d`, oid)) {
		t.Fatalf("the office's audit log has %d appointments: %s", n, raw)
	}
	if _, raw := env.JSON("GET", "/api/v1/audit?entity=team&entity_id="+id, env.Token("hedong-office"), nil); strings.Contains(string(raw), "appoint_admin") {
		t.Fatalf("another district's office sees the appointment: %s", raw)
	}
	b := env.Browser()
	b.Login("heping-office")
	_, page, _ := b.Get("/teams/" + id)
	if !strings.Contains(page, `data-testid="team-admins"`) || !strings.Contains(page, "队员2") || !strings.Contains(page, "由 和平区文明办 (heping-office) 任命") {
		t.Fatalf("team page for the office:\n%s", page)
	}
	_, raw = env.JSON("GET", "/api/v1/teams/"+id+"/members?status=active", env.Token("heping-office"), nil)
	if strings.Count(string(raw), `"admin_since"`) != 2 || !strings.Contains(string(raw), `"appointed_by"`) {
		t.Fatalf("members for the office: %s", raw)
	}
}

// A volunteer answers an invitation from their teams page.
func TestInvitationAnsweredOnMyTeams(t *testing.T) {
	env := apptest.New(t)
	_, vid := volunteerToken(t, env, 1, "120101001001")
	env.JSON("POST", "/api/v1/teams/1/members", env.Token("team-admin"), map[string]int64{"volunteer_id": vid})
	env.Passwords[apptest.Mobile(1)] = "password-123"
	b := env.Browser()
	b.Login(apptest.Mobile(1))
	_, page, _ := b.Get("/my/teams")
	if !strings.Contains(page, `data-testid="invitation"`) || !strings.Contains(page, `action="/teams/1/join"`) || !strings.Contains(page, `action="/teams/1/leave"`) {
		t.Fatalf("my teams:\n%s", page)
	}
	if status, _, _ := b.Post("/teams/1/leave", url.Values{"csrf": {b.CSRF("/my/teams")}}); status != 303 {
		t.Fatalf("decline: %d", status)
	}
	var st string
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT status FROM team_members WHERE team_id = 1 AND volunteer_id = $1`, vid).Scan(&st)
	if st != "left" {
		t.Fatalf("after declining: %q", st)
	}
	if _, page, _ := b.Get("/my/teams"); strings.Contains(page, `data-testid="invitation"`) {
		t.Fatalf("invitation still offered:\n%s", page)
	}
}
