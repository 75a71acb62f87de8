package volunteer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/volunteer"
)

// preregistered puts a record on team 1's behalf and returns its claim body.
func preregistered(t *testing.T, env *apptest.Env, n int) map[string]any {
	t.Helper()
	in := adult(n)
	delete(in, "password")
	if status, raw := env.JSON("POST", "/api/v1/teams/1/volunteers", env.Token("team-admin"), in); status != 201 {
		t.Fatalf("preregister: %d %s", status, raw)
	}
	return map[string]any{"id_number": in["id_number"], "phone": in["phone"], "password": "password-123"}
}

// openClaim claims a record: 202, pending, and nobody signed in.
func openClaim(t *testing.T, env *apptest.Env, claim map[string]any) string {
	t.Helper()
	status, raw := env.JSON("POST", "/api/v1/volunteers/claim", "", claim)
	var out struct {
		ClaimID string `json:"claim_id"`
		State   string
		Token   string
	}
	_ = json.Unmarshal(raw, &out)
	if status != http.StatusAccepted || out.State != "pending" || len(out.ClaimID) < 20 || out.Token != "" {
		t.Fatalf("claim: %d %s", status, raw)
	}
	if strings.Contains(string(raw), "volunteer_no") {
		t.Fatalf("a pending claim shows the record: %s", raw)
	}
	return out.ClaimID
}

// codeOf is the code team 1's admin sees for the claim.
func codeOf(t *testing.T, env *apptest.Env, claimID string) string {
	t.Helper()
	status, raw := env.JSON("GET", "/api/v1/teams/1/claims", env.Token("team-admin"), nil)
	var out struct {
		Items []struct {
			ClaimID string `json:"claim_id"`
			Code    string
		}
	}
	_ = json.Unmarshal(raw, &out)
	if status != 200 {
		t.Fatalf("team claims: %d %s", status, raw)
	}
	for _, c := range out.Items {
		if c.ClaimID == claimID {
			return c.Code
		}
	}
	t.Fatalf("claim %s not among team 1's: %s", claimID, raw)
	return ""
}

func confirm(t *testing.T, env *apptest.Env, claimID, code string, want int) vjson {
	t.Helper()
	status, raw := env.JSON("POST", "/api/v1/volunteers/claims/"+claimID+"/confirm", "", map[string]string{"code": code})
	if status != want {
		t.Fatalf("confirm %s: %d %s, want %d", code, status, raw, want)
	}
	var v vjson
	_ = json.Unmarshal(raw, &v)
	return v
}

func wrong(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func canLogin(env *apptest.Env, phone any) bool {
	status, _ := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": phone.(string), "password": "password-123"})
	return status == 200
}

func countAudit(t *testing.T, env *apptest.Env, action string) int {
	t.Helper()
	var n int
	if err := env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A claim with the right numbers links nothing and signs nobody in; a wrong
// code fails, counts and is audited; the right one completes the claim, and
// the code is never stored in clear.
func TestClaimCompletesOnlyWithTheCode(t *testing.T) {
	env := apptest.New(t)
	claim := preregistered(t, env, 1)
	id := openClaim(t, env, claim)
	if canLogin(env, claim["phone"]) {
		t.Fatal("a pending claim can sign in")
	}
	var linked int
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM volunteers v JOIN volunteer_claims c
		ON c.volunteer_id = v.id WHERE c.public_id = $1 AND v.account_id IS NOT NULL`, id).Scan(&linked)
	if linked != 0 {
		t.Fatal("a pending claim linked the record")
	}
	code := codeOf(t, env, id)
	if countAudit(t, env, "view_claim_codes") != 1 {
		t.Fatal("viewing the codes is not audited")
	}
	var stored int
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM volunteer_claims
		WHERE CAST(code_hash AS TEXT) LIKE $1 OR CAST(code_enc AS TEXT) LIKE $1`, "%"+code+"%").Scan(&stored)
	if stored != 0 {
		t.Fatal("the code is stored in clear")
	}

	status, raw := env.JSON("POST", "/api/v1/volunteers/claims/"+id+"/confirm", "", map[string]string{"code": wrong(code)})
	var e errJSON
	_ = json.Unmarshal(raw, &e)
	if status != 422 || e.Error.Fields["code"].Code != "wrong" || !strings.Contains(e.Error.Fields["code"].Message, "4") {
		t.Fatalf("wrong code: %d %s", status, raw)
	}
	if countAudit(t, env, "claim_code_failed") != 1 || canLogin(env, claim["phone"]) {
		t.Fatal("a wrong code was not audited, or signed in")
	}
	var attempts int
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT attempts FROM volunteer_claims WHERE public_id = $1`, id).Scan(&attempts)
	if attempts != 1 {
		t.Fatalf("attempts counted: %d", attempts)
	}
	v := confirm(t, env, id, code, 200)
	if !v.Claimed || !canLogin(env, claim["phone"]) {
		t.Fatalf("confirmed: %+v", v)
	}
	confirm(t, env, id, code, http.StatusConflict) // used once
	confirm(t, env, "no-such-claim", code, http.StatusNotFound)
}

// Five wrong codes end the claim: the right code no longer helps.
func TestClaimDiesAfterTooManyWrongCodes(t *testing.T) {
	env := apptest.New(t)
	claim := preregistered(t, env, 2)
	id := openClaim(t, env, claim)
	code := codeOf(t, env, id)
	for range volunteer.MaxClaimAttempts - 1 {
		confirm(t, env, id, wrong(code), 422)
	}
	confirm(t, env, id, wrong(code), http.StatusConflict)
	confirm(t, env, id, code, http.StatusConflict)
	if canLogin(env, claim["phone"]) {
		t.Fatal("a dead claim signed in")
	}
	// A new claim starts over with a new code.
	id2 := openClaim(t, env, claim)
	confirm(t, env, id2, codeOf(t, env, id2), 200)
}

// A newer claim of the same record cancels the older one, and the code of
// one claim does not complete another.
func TestNewClaimReplacesTheOld(t *testing.T) {
	env := apptest.New(t)
	claim := preregistered(t, env, 3)
	first := openClaim(t, env, claim)
	firstCode := codeOf(t, env, first)
	second := openClaim(t, env, claim)
	confirm(t, env, first, firstCode, http.StatusConflict)
	secondCode := codeOf(t, env, second)
	if secondCode != firstCode {
		confirm(t, env, second, firstCode, 422)
	}
	confirm(t, env, second, secondCode, 200)
}

// The registering team's admin approves; others are told there is no such
// claim, or refused at the door.
func TestApproveOnlyByTheRegisteringTeam(t *testing.T) {
	env := apptest.New(t)
	claim := preregistered(t, env, 4)
	id := openClaim(t, env, claim)
	path := "/api/v1/volunteers/claims/" + id + "/approve"
	for user, want := range map[string]int{"hedong-office": 404, "heping-office": 404, "quanyechang": 404, "volunteer": 403, "": 401} {
		token := ""
		if user != "" {
			token = env.Token(user)
		}
		if status, raw := env.JSON("POST", path, token, nil); status != want {
			t.Fatalf("%s approves: %d %s, want %d", user, status, raw, want)
		}
	}
	if canLogin(env, claim["phone"]) {
		t.Fatal("refused approvals completed the claim")
	}
	status, raw := env.JSON("POST", path, env.Token("team-admin"), nil)
	var v vjson
	_ = json.Unmarshal(raw, &v)
	if status != 200 || !v.Claimed {
		t.Fatalf("approve: %d %s", status, raw)
	}
	if !canLogin(env, claim["phone"]) {
		t.Fatal("the claimant cannot sign in with the password chosen when claiming")
	}
	var state string
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT state FROM volunteer_claims WHERE public_id = $1`, id).Scan(&state)
	if state != volunteer.ClaimApproved {
		t.Fatalf("state %q", state)
	}
	if status, _ := env.JSON("POST", path, env.Token("team-admin"), nil); status != http.StatusConflict {
		t.Fatalf("second approval: %d", status)
	}
	// Another team's claim is not team 1's admin's to see or approve.
	if status, _ := env.JSON("GET", "/api/v1/teams/2/claims", env.Token("team-admin"), nil); status != 403 {
		t.Fatalf("team 2's claims for team 1's admin: %d", status)
	}
}

// A record that does not exist and a wrong phone fail alike; both are
// audited with the address and neither number.
func TestFailedClaimsLookAlikeAndAreAudited(t *testing.T) {
	env := apptest.New(t)
	claim := preregistered(t, env, 5)
	wrongPhone := map[string]any{"id_number": claim["id_number"], "phone": apptest.Mobile(95), "password": "password-123"}
	nobody := map[string]any{"id_number": adult(96)["id_number"], "phone": claim["phone"], "password": "password-123"}
	s1, b1 := env.JSON("POST", "/api/v1/volunteers/claim", "", wrongPhone)
	s2, b2 := env.JSON("POST", "/api/v1/volunteers/claim", "", nobody)
	var e1, e2 errJSON
	_ = json.Unmarshal(b1, &e1)
	_ = json.Unmarshal(b2, &e2)
	if s1 != 404 || s2 != 404 || e1.Error.Code != e2.Error.Code || e1.Error.Message != e2.Error.Message {
		t.Fatalf("failures differ: %d %s / %d %s", s1, b1, s2, b2)
	}
	rows, err := env.App.DB.Read().QueryContext(context.Background(), `SELECT ip, detail FROM audit_log WHERE action = 'claim_failed'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var ip, detail string
		if err := rows.Scan(&ip, &detail); err != nil {
			t.Fatal(err)
		}
		n++
		if ip != "127.0.0.1" {
			t.Errorf("audited address %q", ip)
		}
		for _, secret := range []any{claim["id_number"], claim["phone"], apptest.Mobile(95), nobody["id_number"]} {
			if strings.Contains(detail, secret.(string)) {
				t.Errorf("audit detail holds a number: %s", detail)
			}
		}
	}
	if n != 2 {
		t.Fatalf("%d failures audited, want 2", n)
	}
	var keys string
	_ = env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COALESCE(MAX(limit_key), '') FROM rate_limits WHERE limit_key LIKE $1`,
		"%"+claim["id_number"].(string)+"%").Scan(&keys)
	if keys != "" {
		t.Fatalf("a rate limit key holds the ID number: %s", keys)
	}
}

// Claims are throttled per address (429 with Retry-After and a message in
// the caller's language, counted apart from logins) and per record, from
// whatever address: a concurrent burst gets exactly the allowed number.
func TestClaimsAreThrottled(t *testing.T) {
	env := apptest.New(t)
	env.App.Volunteers.Limits.Claim = auth.Limit{Max: 3, Window: time.Hour}
	claim := preregistered(t, env, 6)
	claim["phone"] = apptest.Mobile(97)
	for i := range 3 {
		if status, _ := env.JSON("POST", "/api/v1/volunteers/claim", "", claim); status != 404 {
			t.Fatalf("attempt %d: %d", i+1, status)
		}
	}
	req, _ := http.NewRequest("POST", env.Server.URL+"/api/v1/volunteers/claim", strings.NewReader(`{"id_number":"`+claim["id_number"].(string)+`","phone":"13700000001","password":"password-123"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "en")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e errJSON
	_ = json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	// The hour's window began with the first claim, a moment ago.
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != 429 || retry < 3590 || retry > 3600 || !strings.Contains(e.Error.Message, "Too many claim attempts") {
		t.Fatalf("over the limit: %d %q %+v", resp.StatusCode, resp.Header.Get("Retry-After"), e)
	}
	// Logins from the same address are not affected.
	if status, _ := env.JSON("POST", "/api/v1/auth/login", "", map[string]string{"username": "volunteer", "password": env.Passwords["volunteer"]}); status != 200 {
		t.Fatalf("login after claims throttled: %d", status)
	}

	// Per record: many addresses, one ID number, at once.
	env.App.Volunteers.Limits.ClaimPerRecord = auth.Limit{Max: 4, Window: 24 * time.Hour}
	target := preregistered(t, env, 7)
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := audit.WithActor(context.Background(), audit.Actor{IP: fmt.Sprintf("198.51.100.%d", i+1)})
			_, err := env.App.Volunteers.ClaimRecord(ctx, volunteer.Claim{IDNumber: target["id_number"].(string),
				Phone: apptest.Mobile(98), Password: "password-123"})
			mu.Lock()
			got[fmt.Sprint(err)]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	throttled, mismatched := 0, 0
	for msg, n := range got {
		switch {
		case strings.Contains(msg, "throttled"):
			throttled += n
		case strings.Contains(msg, "claim_mismatch"):
			mismatched += n
		default:
			t.Errorf("unexpected %q ×%d", msg, n)
		}
	}
	if mismatched != 4 || throttled != 8 {
		t.Fatalf("per record: %d answered, %d throttled; want 4 and 8 (%v)", mismatched, throttled, got)
	}
	// The right numbers are throttled too once the record's limit is spent.
	ctx := audit.WithActor(context.Background(), audit.Actor{IP: "198.51.100.200"})
	if _, err := env.App.Volunteers.ClaimRecord(ctx, volunteer.Claim{IDNumber: target["id_number"].(string),
		Phone: target["phone"].(string), Password: "password-123"}); !strings.Contains(fmt.Sprint(err), "throttled") {
		t.Fatalf("right numbers past the record's limit: %v", err)
	}
}
