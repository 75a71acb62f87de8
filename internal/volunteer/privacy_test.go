package volunteer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/clock"
)

// The ID number's first six digits, its last four and the birth date are
// the whole number: whoever may not reveal it sees none of the first two
// on any surface (API, page, export), only the last four and the age.
func TestMaskedIDCannotBeRebuilt(t *testing.T) {
	env := apptest.New(t)
	born := time.Date(1990, 6, 15, 0, 0, 0, 0, time.UTC)
	id := apptest.ResidentID("110105", born, 123) // born elsewhere, living in 劝业场街道
	in := adult(71)
	in["real_name"], in["id_number"] = "隐私测试", id
	delete(in, "password")
	status, raw := env.JSON("POST", "/api/v1/teams/1/volunteers", env.Token("team-admin"), in)
	if status != 201 {
		t.Fatalf("preregister: %d %s", status, raw)
	}
	var pre vjson
	_ = json.Unmarshal(raw, &pre)
	claim := map[string]any{"id_number": id, "phone": in["phone"], "password": "password-123"}
	status, raw = env.JSON("POST", "/api/v1/volunteers/claim", "", claim)
	var pending struct {
		ClaimID string `json:"claim_id"`
	}
	if status != 202 || json.Unmarshal(raw, &pending) != nil {
		t.Fatalf("claim: %d %s", status, raw)
	}
	if status, raw := env.JSON("POST", "/api/v1/volunteers/claims/"+pending.ClaimID+"/approve", env.Token("team-admin"), nil); status != 200 {
		t.Fatalf("the registering team approves the claim: %d %s", status, raw)
	}
	self := login(t, env, in["phone"].(string), "password-123")

	secrets := []string{"110105", "1990-06-15", "19900615"}
	tail := "**************" + id[14:]
	age := strconv.Itoa(ageToday(born))
	vid := strconv.FormatInt(pre.ID, 10)
	q := url.Values{"q": {"隐私测试"}}.Encode()
	surfaces := func(token string, b *apptest.Browser) map[string]string {
		out := map[string]string{}
		_, body := env.JSON("GET", "/api/v1/volunteers/"+vid, token, nil)
		out["api get"] = string(body)
		_, body = env.JSON("GET", "/api/v1/volunteers?"+q, token, nil)
		out["api list"] = string(body)
		out["api xlsx"] = xlsxText(t, env, token, "/api/v1/volunteers.xlsx?"+q)
		_, page, _ := b.Get("/admin/volunteers/" + vid)
		out["page"] = page
		out["page xlsx"] = pageXLSXText(t, env, b, "/admin/volunteers.xlsx?"+q)
		return out
	}
	browser := func(user string) *apptest.Browser {
		b := env.Browser()
		b.Login(user)
		return b
	}
	// The preregistering team admin's own answer is masked too.
	if strings.Contains(string(raw), "110105") || pre.BirthDate != "" || pre.IDNumber != tail {
		t.Errorf("preregister answer to the team admin: %s", raw)
	}
	for _, user := range []string{"team-admin", "quanyechang"} {
		for name, body := range surfaces(env.Token(user), browser(user)) {
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("%s sees %q on %s", user, s, name)
				}
			}
			if !strings.Contains(body, id[14:]) || !strings.Contains(body, age) {
				t.Errorf("%s: %s lacks the last four or the age %s:\n%s", user, name, age, body)
			}
		}
		_, body := env.JSON("GET", "/api/v1/volunteers/"+vid, env.Token(user), nil)
		var got struct {
			IDNumber  string  `json:"id_number"`
			BirthDate *string `json:"birth_date"`
			Age       int
		}
		_ = json.Unmarshal(body, &got)
		if got.IDNumber != tail || got.BirthDate != nil || strconv.Itoa(got.Age) != age {
			t.Errorf("%s: api get: %s", user, body)
		}
	}
	// Those who may reveal, and the person themself, still see both.
	for name, body := range surfaces(env.Token("heping-office"), browser("heping-office")) {
		if !strings.Contains(body, "110105") || !strings.Contains(body, "1990-06-15") {
			t.Errorf("the office sees no first six or birth date on %s", name)
		}
	}
	_, me := env.JSON("GET", "/api/v1/volunteers/me", self.token, nil)
	_, page, _ := self.browser.Get("/me/volunteer")
	for name, body := range map[string]string{"api me": string(me), "page me": page} {
		if !strings.Contains(body, "110105********"+id[14:]) || !strings.Contains(body, "1990-06-15") {
			t.Errorf("the person sees no mask or birth date of their own on %s", name)
		}
	}
}

type signedIn struct {
	token   string
	browser *apptest.Browser
}

// login signs a person in with a password, through the API and a browser.
func login(t *testing.T, env *apptest.Env, username, password string) signedIn {
	t.Helper()
	status, body := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password})
	var tok struct{ Token string }
	if _ = json.Unmarshal(body, &tok); status != 200 || tok.Token == "" {
		t.Fatalf("login %s: %d %s", username, status, body)
	}
	b := env.Browser()
	form := url.Values{"csrf": {b.CSRF("/login")}, "username": {username}, "password": {password}}
	if status, body, _ := b.Post("/login", form); status != http.StatusSeeOther {
		t.Fatalf("browser login %s: %d %s", username, status, body)
	}
	return signedIn{tok.Token, b}
}

func ageToday(born time.Time) int {
	now := time.Now().In(clock.Zone)
	age := now.Year() - born.Year()
	if now.Month() < born.Month() || (now.Month() == born.Month() && now.Day() < born.Day()) {
		age--
	}
	return age
}

// xlsxText downloads an API export and returns its cells as text.
func xlsxText(t *testing.T, env *apptest.Env, token, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", env.Server.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return cells(t, path, res.StatusCode, data)
}

// pageXLSXText downloads a page's export in a signed-in browser.
func pageXLSXText(t *testing.T, env *apptest.Env, b *apptest.Browser, path string) string {
	t.Helper()
	res, err := b.Client.Get(env.Server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return cells(t, path, res.StatusCode, data)
}

func cells(t *testing.T, path string, status int, data []byte) string {
	t.Helper()
	if status != 200 {
		t.Fatalf("%s: %d %s", path, status, data)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 2 {
		t.Fatalf("%s: want a header and one row, got %v", path, rows)
	}
	return fmt.Sprint(rows)
}
