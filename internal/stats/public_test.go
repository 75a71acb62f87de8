package stats_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/stats"
)

// A street with one volunteer (and a team of hers awaiting review) must not
// show the public who she is: her count, gender and age band, nor the
// pending team; the city's office still sees the exact figures.
func TestPublicFiguresSingleNobodyOut(t *testing.T) {
	env := apptest.New(t)
	const street = "120103001" // 河西区大营门街道: no demo data
	in := map[string]any{"real_name": "独一", "id_number": apptest.ResidentID("120103", apptest.BornYearsAgo(70, 3), 12),
		"phone": apptest.Mobile(4401), "region_code": street + "001", "password": "password-123"}
	if status, raw := env.JSON("POST", "/api/v1/volunteers", "", in); status != 201 {
		t.Fatalf("register: %d %s", status, raw)
	}
	status, raw := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": apptest.Mobile(4401), "password": "password-123"})
	var tok struct{ Token string }
	if _ = json.Unmarshal(raw, &tok); status != 200 {
		t.Fatalf("login: %d %s", status, raw)
	}
	team := map[string]any{"name": "大营门独一队", "region_code": street, "contact_name": "独一", "contact_phone": apptest.Mobile(4401)}
	if status, raw := env.JSON("POST", "/api/v1/teams", tok.Token, team); status != 201 {
		t.Fatalf("team: %d %s", status, raw)
	}

	for _, code := range []string{street, "120103"} {
		status, raw = env.JSON("GET", "/api/v1/stats/public/"+code, "", nil)
		if status != 200 {
			t.Fatalf("public %s: %d %s", code, status, raw)
		}
		body := string(raw)
		for _, leak := range []string{"by_gender", "by_age", "by_tag", "by_status", "by_state", "pending", "draft", "female", "awaiting", "stars", "top_teams"} {
			if strings.Contains(body, leak) {
				t.Errorf("public %s shows %q: %s", code, leak, body)
			}
		}
		var pub stats.PublicFigures
		if err := json.Unmarshal(raw, &pub); err != nil {
			t.Fatal(err)
		}
		if pub.Volunteers.Total != nil || pub.Volunteers.New != nil || pub.Teams.Total == nil || *pub.Teams.Total != 0 {
			t.Errorf("public %s: volunteers %+v, teams %+v", code, pub.Volunteers, pub.Teams)
		}
		if !strings.Contains(body, `"total":null`) {
			t.Errorf("public %s: no null total: %s", code, body)
		}
	}
	// The district's table of streets omits the street's one volunteer too.
	_, raw = env.JSON("GET", "/api/v1/stats/public/120103", "", nil)
	var district stats.PublicFigures
	_ = json.Unmarshal(raw, &district)
	for _, c := range district.Children {
		if c.RegionCode == street && c.VolunteersTotal != nil {
			t.Errorf("street in the district's table: %+v", c)
		}
	}

	// The page reads "少于5" with the note, and shows no breakdown of people.
	status, page, _ := env.Browser().Get("/stats/" + street)
	if status != http.StatusOK || !strings.Contains(page, `data-testid="volunteers-total">少于5<`) ||
		!strings.Contains(page, `data-testid="stats-omitted-note"`) || strings.Contains(page, "volunteers-gender") ||
		strings.Contains(page, "volunteers-age") {
		t.Fatalf("public page: %d\n%s", status, page)
	}
	en := env.Browser()
	req, _ := http.NewRequest("GET", env.Server.URL+"/stats/"+street, nil)
	req.Header.Set("Accept-Language", "en")
	res, err := en.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := new(strings.Builder)
	_, _ = io.Copy(buf, res.Body)
	res.Body.Close()
	if !strings.Contains(buf.String(), `data-testid="volunteers-total">&lt;5<`) || !strings.Contains(buf.String(), "To protect personal information") {
		t.Errorf("English public page:\n%s", buf.String())
	}

	// The city's office sees its street exactly.
	status, raw = env.JSON("GET", "/api/v1/stats?region_code="+street, env.Token("tianjin-office"), nil)
	var office stats.Figures
	if _ = json.Unmarshal(raw, &office); status != 200 || office.Volunteers.Total != 1 || office.Teams.ByStatus["pending"] != 1 {
		t.Errorf("office: %d %s", status, raw)
	}
}
