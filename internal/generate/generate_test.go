package generate_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/app"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
	"zhiyuan/internal/generate"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/region"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/volunteer"
)

// small is the city the tests generate.
func small(seed uint64, now time.Time) generate.Options {
	return generate.Options{Volunteers: 2000, Teams: 20, Records: 20000, Seed: seed, Accounts: 1200, Now: now}
}

func newApp(t testing.TB) *app.App {
	t.Helper()
	d := dbtest.New(t)
	keys, err := pii.NewKeyring(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{Addr: "127.0.0.1:0"}, d, keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func generated(t *testing.T, o generate.Options) (*app.App, *generate.Manifest) {
	t.Helper()
	a := newApp(t)
	m, err := generate.Run(context.Background(), a, o)
	if err != nil {
		t.Fatal(err)
	}
	return a, m
}

func count(t *testing.T, d *db.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := d.Read().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestGenerateSmallCity(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	a, m := generated(t, small(1, now))
	ctx := context.Background()
	d := a.DB

	for table, want := range map[string]int64{"volunteers": 2000, "teams": 20, "service_records": 20000} {
		if n := count(t, d, `SELECT COUNT(*) FROM `+table); n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}
	t.Run("volunteers are valid and stored as the platform stores them", func(t *testing.T) {
		checkVolunteers(t, a)
	})
	t.Run("references hold", func(t *testing.T) {
		checkReferences(t, d)
	})
	t.Run("indexes and constraints are back", func(t *testing.T) {
		if got, want := schemaShape(t, d), schemaShape(t, dbtest.New(t)); got != want {
			t.Errorf("after generation %s, freshly migrated %s", got, want)
		}
	})
	t.Run("hours equal the records", func(t *testing.T) {
		bad := count(t, d, `SELECT COUNT(*) FROM volunteer_hours h LEFT JOIN (SELECT volunteer_id,
			SUM(CASE WHEN state = 'confirmed' THEN minutes ELSE 0 END) AS c,
			SUM(CASE WHEN state IN ('pending', 'pending_approval') THEN minutes ELSE 0 END) AS p
			FROM service_records GROUP BY volunteer_id) r ON r.volunteer_id = h.volunteer_id
			WHERE h.confirmed_minutes <> COALESCE(r.c, 0) OR h.pending_minutes <> COALESCE(r.p, 0)`)
		if bad != 0 {
			t.Errorf("%d volunteer_hours rows differ from their records", bad)
		}
		if with, rows := count(t, d, `SELECT COUNT(DISTINCT volunteer_id) FROM service_records`),
			count(t, d, `SELECT COUNT(*) FROM volunteer_hours`); with != rows {
			t.Errorf("%d volunteers have records but %d have hours", with, rows)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM volunteer_hours WHERE confirmed_minutes > 0`); n < 500 {
			t.Errorf("only %d volunteers with confirmed hours", n)
		}
	})
	t.Run("record states are plausible", func(t *testing.T) {
		all := count(t, d, `SELECT COUNT(*) FROM service_records`)
		confirmed := count(t, d, `SELECT COUNT(*) FROM service_records WHERE state = 'confirmed'`)
		overdue := count(t, d, `SELECT COUNT(*) FROM service_records WHERE state = 'pending' AND due_at < $1`, now.Unix())
		voided := count(t, d, `SELECT COUNT(*) FROM service_records WHERE state = 'voided'`)
		if confirmed < all*8/10 || overdue == 0 || voided == 0 {
			t.Errorf("records: %d of %d confirmed, %d overdue, %d voided", confirmed, all, overdue, voided)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM service_records WHERE starts_at < $1 OR ends_at > $2 OR minutes > (ends_at - starts_at) / 60`,
			now.AddDate(-3, -2, 0).Unix(), now.Unix()); n != 0 {
			t.Errorf("%d records outside the last three years or longer than their times", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM shifts s WHERE taken <> (SELECT COUNT(*) FROM signups g WHERE g.shift_id = s.id AND g.status = 'confirmed')`); n != 0 {
			t.Errorf("%d shifts whose taken seats differ from their sign-ups", n)
		}
	})
	t.Run("teams", func(t *testing.T) {
		rows, err := d.Read().QueryContext(ctx, `SELECT credit_code FROM teams WHERE credit_code <> ''`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			if _, err := pii.ParseCreditCode(c); err != nil {
				t.Errorf("credit code %s: %v", c, err)
			}
			n++
		}
		if n == 0 {
			t.Error("no team has a credit code")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM team_members WHERE role = 'admin' AND status = 'active'
			AND volunteer_id NOT IN (SELECT id FROM volunteers WHERE account_id IS NOT NULL)`); n != 0 {
			t.Errorf("%d team admins without an account", n)
		}
	})
	t.Run("accounts log in", func(t *testing.T) {
		for _, u := range []string{m.Accounts.Admin, m.Accounts.OfficeCity, m.Accounts.OfficeDistrict, m.Accounts.Leader,
			m.Accounts.VolunteerFirst, m.Accounts.VolunteerLast} {
			if _, _, err := a.Auth.Login(ctx, u, generate.DefaultPassword, auth.SessionAPI, auth.Meta{}); err != nil {
				t.Errorf("login %s: %v", u, err)
			}
		}
		if _, _, err := a.Auth.Login(ctx, m.Accounts.Admin, "wrong-password", auth.SessionAPI, auth.Meta{}); err == nil {
			t.Error("a wrong password logs in")
		}
	})
	t.Run("benchmark shifts and manifest", func(t *testing.T) {
		if len(m.OpenShiftIDs) != generate.OpenShifts || m.BurstSignups < 1000 {
			t.Fatalf("%d open shifts, %d burst sign-ups", len(m.OpenShiftIDs), m.BurstSignups)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM shifts WHERE starts_at > $1 AND taken < capacity`, now.Unix()); n < generate.OpenShifts {
			t.Errorf("%d open shifts in the database", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND status = 'confirmed'`, m.BurstShiftID); n != int64(m.BurstSignups) {
			t.Errorf("burst shift has %d sign-ups, manifest says %d", n, m.BurstSignups)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM shifts WHERE id = $1 AND starts_at <= $2 AND ends_at > $2`, m.BurstShiftID, now.Unix()); n != 1 {
			t.Error("the burst shift is not under way")
		}
		// The benchmark's sign-up rush adds shifts to the burst project on
		// the next four days: its dates must allow them.
		shanghai := clock.Zone
		today, later := now.In(shanghai).Format("2006-01-02"), now.In(shanghai).AddDate(0, 0, 5).Format("2006-01-02")
		if n := count(t, d, `SELECT COUNT(*) FROM projects WHERE id = $1 AND starts_on <= $2 AND ends_on >= $3`, m.BurstProjectID, today, later); n != 1 {
			t.Errorf("burst project %d does not run from today to %s", m.BurstProjectID, later)
		}
		top := count(t, d, `SELECT COUNT(*) FROM volunteers WHERE region_code LIKE $1`, m.District+"%")
		if other := count(t, d, `SELECT COUNT(*) FROM volunteers WHERE region_code NOT LIKE $1`, m.District+"%"); top*16 < other {
			t.Errorf("district %s has %d volunteers of %d: not the largest", m.District, top, top+other)
		}
		if len(m.CertificateIDs) == 0 || m.Counts["volunteers"] != 2000 {
			t.Errorf("manifest: %d certificates, counts %v", len(m.CertificateIDs), m.Counts)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'generate'`); n != 1 {
			t.Errorf("%d audit entries for the generation", n)
		}
	})
	t.Run("statistics are rebuilt", func(t *testing.T) {
		f, err := a.Stats.Figures(ctx, auth.System, stats.Query{RegionCode: "1201", From: "2000-01-01", To: now.Format("2006-01-02")})
		if err != nil {
			t.Fatal(err)
		}
		confirmed := count(t, d, `SELECT COALESCE(SUM(minutes), 0) FROM service_records WHERE state = 'confirmed'`)
		if f.Volunteers.Total != 2000 || f.Hours.ConfirmedMinutes != confirmed || f.Records.Overdue == 0 {
			t.Errorf("city figures: %d volunteers, %d confirmed minutes (records say %d), %d overdue",
				f.Volunteers.Total, f.Hours.ConfirmedMinutes, confirmed, f.Records.Overdue)
		}
	})
	t.Run("the platform serves it", func(t *testing.T) {
		checkServes(t, a, m)
	})
	t.Run("refuses a database that is not empty", func(t *testing.T) {
		if _, err := generate.Run(ctx, a, small(1, now)); !errors.Is(err, generate.ErrNotEmpty) {
			t.Errorf("second run: %v", err)
		}
	})
	t.Run("same seed, same data; another seed, other data", func(t *testing.T) {
		b, _ := generated(t, small(1, now))
		c, _ := generated(t, small(2, now))
		sa, sb, sc := checksum(t, a.DB), checksum(t, b.DB), checksum(t, c.DB)
		if sa != sb {
			t.Errorf("same seed, different data: %s and %s", sa, sb)
		}
		if sa == sc {
			t.Error("seeds 1 and 2 give the same data")
		}
	})
}

// checkVolunteers reads every volunteer's numbers back through the
// platform and checks them against the other columns.
func checkVolunteers(t *testing.T, a *app.App) {
	ctx := context.Background()
	rows, err := a.DB.Read().QueryContext(ctx, `SELECT v.id, v.gender, v.birth_date, v.region_code, v.volunteer_no,
		v.id_number_masked, COALESCE(a.username, '') FROM volunteers v LEFT JOIN accounts a ON a.id = v.account_id ORDER BY v.id`)
	if err != nil {
		t.Fatal(err)
	}
	type vol struct {
		id                                   int64
		gender, birth, region, no, masked, u string
	}
	var vs []vol
	for rows.Next() {
		var v vol
		if err := rows.Scan(&v.id, &v.gender, &v.birth, &v.region, &v.no, &v.masked, &v.u); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	rows.Close()
	ages := map[int]int{}
	for _, v := range vs {
		rv, err := a.Volunteers.RevealNumbers(ctx, auth.System, v.id)
		if err != nil {
			t.Fatalf("volunteer %d: %v", v.id, err)
		}
		id, err := pii.ParseID(rv.IDType, rv.IDNumber)
		if err != nil {
			t.Fatalf("volunteer %d: ID number does not parse: %v", v.id, err)
		}
		if string(id.Gender) != v.gender || id.BirthDate.Format("2006-01-02") != v.birth || pii.MaskID(id.Number) != v.masked {
			t.Errorf("volunteer %d: ID %s says %s %s, row says %s %s", v.id, id, id.Gender, id.BirthDate.Format("2006-01-02"), v.gender, v.birth)
		}
		if y := id.BirthDate.Year(); y < 1950 || y > 2010 {
			t.Errorf("volunteer %d born %d", v.id, y)
		}
		if _, ok := region.Lookup(id.Number[:6]); !ok {
			t.Errorf("volunteer %d: ID number region %s is not a real county", v.id, id.Number[:6])
		}
		if !strings.HasPrefix(v.region, "1201") || !region.Valid(v.region) || len(v.region) < 9 {
			t.Errorf("volunteer %d placed in %s", v.id, v.region)
		}
		if !volunteer.ValidNo(v.no) {
			t.Errorf("volunteer %d: number %s", v.id, v.no)
		}
		ages[id.BirthDate.Year()/10]++
		if v.u != "" {
			u, ok, err := a.Volunteers.ResolveLogin(ctx, rv.Phone)
			if err != nil || !ok || u != v.u {
				t.Errorf("volunteer %d: phone logs in as %q %v %v, want %q", v.id, u, ok, err, v.u)
			}
		}
	}
	if working := ages[197] + ages[198] + ages[199]; working < len(vs)/3 {
		t.Errorf("only %d of %d born 1970–1999: %v", working, len(vs), ages)
	}
}

// checkReferences checks that every reference points at a row.
func checkReferences(t *testing.T, d *db.DB) {
	for _, q := range []string{
		`SELECT COUNT(*) FROM team_members m LEFT JOIN volunteers v ON v.id = m.volunteer_id WHERE v.id IS NULL`,
		`SELECT COUNT(*) FROM team_members m LEFT JOIN teams t ON t.id = m.team_id WHERE t.id IS NULL`,
		`SELECT COUNT(*) FROM service_records r LEFT JOIN volunteers v ON v.id = r.volunteer_id WHERE v.id IS NULL`,
		`SELECT COUNT(*) FROM service_records r LEFT JOIN projects p ON p.id = r.project_id WHERE p.id IS NULL OR p.team_id <> r.team_id`,
		`SELECT COUNT(*) FROM service_records r WHERE r.shift_id IS NOT NULL AND r.volunteer_id NOT IN (SELECT volunteer_id FROM signups g WHERE g.shift_id = r.shift_id)`,
		`SELECT COUNT(*) FROM service_records r WHERE volunteer_id NOT IN (SELECT volunteer_id FROM team_members m WHERE m.team_id = r.team_id)`,
		`SELECT COUNT(*) FROM volunteers v LEFT JOIN accounts a ON a.id = v.account_id WHERE v.account_id IS NOT NULL AND a.id IS NULL`,
		`SELECT COUNT(*) FROM role_grants g LEFT JOIN accounts a ON a.id = g.account_id WHERE a.id IS NULL`,
	} {
		if n := count(t, d, q); n != 0 {
			t.Errorf("%d rows: %s", n, q)
		}
	}
	if d.Dialect == db.SQLite {
		if n := count(t, d, `SELECT COUNT(*) FROM pragma_foreign_key_check`); n != 0 {
			t.Errorf("%d foreign key violations", n)
		}
	}
}

// schemaShape counts the indexes and foreign keys of the database.
func schemaShape(t *testing.T, d *db.DB) string {
	if d.Dialect == db.Postgres {
		return fmt.Sprintf("%d indexes, %d foreign keys",
			count(t, d, `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()`),
			count(t, d, `SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`))
	}
	return fmt.Sprintf("%d indexes", count(t, d, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'`))
}

// checkServes signs in through the API and the login form and opens pages
// that read the generated data.
func checkServes(t *testing.T, a *app.App, m *generate.Manifest) {
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	login := func(u string) string {
		body, _ := json.Marshal(map[string]string{"username": u, "password": m.Password})
		res, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct{ Token string }
		_ = json.NewDecoder(res.Body).Decode(&out)
		if res.StatusCode != http.StatusOK || out.Token == "" {
			t.Fatalf("login %s: %d", u, res.StatusCode)
		}
		return out.Token
	}
	get := func(token, path string) string {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, b)
		}
		return string(b)
	}
	vol := login(m.Accounts.VolunteerFirst)
	if b := get(vol, "/api/v1/volunteers/me/shifts"); !strings.Contains(b, fmt.Sprint(m.BurstShiftID)) {
		t.Errorf("my shifts do not show the burst shift %d: %.300s", m.BurstShiftID, b)
	}
	get(vol, "/api/v1/volunteers/1/summary")
	get(vol, "/api/v1/volunteers/1/service-records")
	office := login(m.Accounts.OfficeDistrict)
	if b := get(office, "/api/v1/volunteers?region_code="+m.District); !strings.Contains(b, `"items"`) {
		t.Errorf("search: %.300s", b)
	}
	leader := login(m.Accounts.Leader)
	get(leader, fmt.Sprintf("/api/v1/teams/%d/members", m.LeaderTeamID))
	get(leader, fmt.Sprintf("/api/v1/shifts/%d/checkin-code", m.BurstShiftID))
	get("", fmt.Sprintf("/api/v1/projects/%d/shifts", m.BurstProjectID))
	get("", "/")
}

// checksum hashes the generated data's deterministic columns (not the
// ciphertexts, whose nonces are random).
func checksum(t *testing.T, d *db.DB) string {
	h := sha256.New()
	for _, q := range []string{
		`SELECT id, volunteer_no, real_name, gender, birth_date, id_number_hash, id_number_masked, phone_hash, region_code, source, created_at FROM volunteers ORDER BY id`,
		`SELECT id, name, region_code, status, credit_code, created_at FROM teams ORDER BY id`,
		`SELECT team_id, volunteer_id, role, status, joined_at FROM team_members ORDER BY team_id, volunteer_id`,
		`SELECT id, username, region_code FROM accounts ORDER BY id`,
		`SELECT id, team_id, name, state, starts_on, ends_on FROM projects ORDER BY id`,
		`SELECT id, volunteer_id, team_id, project_id, starts_at, ends_at, minutes, state, confirmed_at FROM service_records ORDER BY id`,
		`SELECT volunteer_id, tag_id FROM volunteer_tags ORDER BY volunteer_id, tag_id`,
		`SELECT volunteer_id, confirmed_minutes, pending_minutes FROM volunteer_hours ORDER BY volunteer_id`,
	} {
		rows, err := d.Read().QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%v|", normal(v))
			}
			h.Write([]byte{'\n'})
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// normal makes driver values print the same on both engines.
func normal(v any) any {
	switch x := v.(type) {
	case []byte:
		return hex.EncodeToString(x)
	case sql.RawBytes:
		return hex.EncodeToString(x)
	case int32:
		return int64(x)
	}
	return v
}
