package loadgen

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"zhiyuan/internal/clock"
	"zhiyuan/internal/region"
)

// all logs the accounts in, measures the database's commit rate, then runs
// every scenario in turn.
func (r *run) all(ctx context.Context) error {
	m, s, base := r.m, r.c.Scale, r.srv.URL
	staff := map[string]*apiClient{}
	for _, u := range []string{m.Accounts.Leader, m.Accounts.OfficeCity, m.Accounts.OfficeDistrict, m.Accounts.Admin} {
		c := newAPI(base)
		if err := c.login(ctx, u, m.Password); err != nil {
			return err
		}
		staff[u] = c
	}
	fmt.Fprintf(r.c.Log, "logging in volunteers\n")
	var vols, scanners []*apiClient
	var webs []*webClient
	var err error
	if r.c.wants("sign-up rush") {
		if vols, err = loginAPI(ctx, base, m.Password, 1, min(s.Rush, m.Accounts.Volunteers)); err != nil {
			return err
		}
	}
	if r.c.wants("check-in burst") {
		// The scanners are burst volunteers who have not scanned yet: a database
		// reused the same day would otherwise refuse them (three pairs a day).
		used, err := scannedAlready(ctx, r.c.DB, m.BurstShiftID)
		if err != nil {
			return err
		}
		if used+s.Scanners > min(m.BurstSignups, m.Accounts.Volunteers) {
			return fmt.Errorf("the burst shift's volunteers up to v%06d have scanned already: generate a new database", used)
		}
		if scanners, err = loginAPI(ctx, base, m.Password, used+1, s.Scanners); err != nil {
			return err
		}
	}
	if r.c.wants("my hours page") || r.c.wants("html: open shifts list") || r.c.wants("html: sign up for a shift") ||
		r.c.wants("html: my upcoming and past shifts") {
		// The browsers are the last accounts, away from the burst shift's volunteers.
		if webs, err = loginWeb(ctx, base, m.Password, m.Accounts.Volunteers-s.Clients+1, s.Clients); err != nil {
			return err
		}
	}
	limit, err := commitRate(ctx, r.c.DB, s.Duration)
	if err != nil {
		return fmt.Errorf("database commit rate: %w", err)
	}
	leader, city, district := staff[m.Accounts.Leader], staff[m.Accounts.OfficeCity], staff[m.Accounts.OfficeDistrict]
	steps := []struct {
		name string
		fn   func() (Row, error)
	}{
		{"check-in burst", func() (Row, error) { return r.checkinBurst(ctx, leader, scanners, limit) }},
		{"check-in floor: one commit per request", func() (Row, error) { return r.floor(ctx, limit) }},
		{"sign-up rush", func() (Row, error) { return r.signupRush(ctx, leader, vols[:min(s.Rush, len(vols))], limit) }},
		{"volunteer registration", func() (Row, error) { return r.registration(ctx, limit) }},
		{"dashboard: city", func() (Row, error) {
			return r.gets(ctx, city, func(int) string { return "/api/v1/stats?region_code=" + m.City }, target{text: "p95 < 50 ms", p95: 50 * time.Millisecond})
		}},
		{"dashboard: district", func() (Row, error) {
			return r.gets(ctx, district, func(int) string { return "/api/v1/stats?region_code=" + m.District }, target{text: "p95 < 50 ms", p95: 50 * time.Millisecond})
		}},
		{"volunteer search: region + tag", func() (Row, error) { return r.search(ctx, district) }},
		{"my hours page", func() (Row, error) {
			return r.pages(ctx, webs, "/me/hours", target{text: "p95 < 20 ms", p95: 20 * time.Millisecond})
		}},
		{"certificate PDF", func() (Row, error) { return r.certificates(ctx, staff[m.Accounts.Admin]) }},
		{"html: open shifts list", func() (Row, error) {
			return r.pages(ctx, webs, r.pick(ctx, webs[0], "/shifts", "/projects"), target{text: "≥ 1,900 req/s, RSS < 58 MB", minPS: 1900, rss: 58, compare: true})
		}},
		{"html: sign up for a shift", func() (Row, error) { return r.htmlSignup(ctx, webs, limit) }},
		{"html: my upcoming and past shifts", func() (Row, error) {
			return r.pages(ctx, webs, r.pick(ctx, webs[0], "/me/shifts", "/me/hours"), target{text: "≥ 7,000 req/s, RSS < 58 MB", minPS: 7000, rss: 58, compare: true})
		}},
		{"xlsx import", func() (Row, error) { return r.importSheet(ctx, leader) }},
	}
	for _, st := range steps {
		if !r.c.wants(st.name) {
			continue
		}
		if err := r.scenario(st.name, st.fn); err != nil {
			return err
		}
	}
	return nil
}

// loginAPI gets bearer tokens for n volunteers from v<first>, a few at a
// time (argon2 is slow by design; logging in is not part of any timed work).
func loginAPI(ctx context.Context, base, password string, first, n int) ([]*apiClient, error) {
	out := make([]*apiClient, n)
	err := parallel(n, func(i int) error {
		out[i] = newAPI(base)
		return out[i].login(ctx, Volunteer(first+i), password)
	})
	return out, err
}

// loginWeb signs n browsers in through the login form, as v<first>….
func loginWeb(ctx context.Context, base, password string, first, n int) ([]*webClient, error) {
	out := make([]*webClient, n)
	err := parallel(n, func(i int) error {
		out[i] = newWeb(base)
		return out[i].login(ctx, Volunteer(first+i), password)
	})
	return out, err
}

// parallel runs fn for 0…n-1 on four goroutines and returns the first error.
func parallel(n int, fn func(i int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// pick returns the first path the server serves to c.
func (r *run) pick(ctx context.Context, c *webClient, paths ...string) string {
	for _, p := range paths {
		if _, err := c.get(ctx, p, 200); err == nil {
			return p
		}
	}
	return paths[len(paths)-1]
}

// checkinBurst: every scanner scans the burst shift's current code as the
// leader's page shows it, again and again (in, out, in, …) up to the daily
// limit of pairs: each scan is one transaction.
func (r *run) checkinBurst(ctx context.Context, leader *apiClient, scanners []*apiClient, limit float64) (Row, error) {
	var code atomic.Value
	fetch := func() error {
		var out struct {
			Code string `json:"code"`
		}
		if _, err := leader.do(ctx, "GET", fmt.Sprintf("/api/v1/shifts/%d/checkin-code", r.m.BurstShiftID), nil, &out, 200); err != nil {
			return err
		}
		code.Store(out.Code)
		return nil
	}
	if err := fetch(); err != nil {
		return Row{}, err
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the leader's page refreshes the rotating code
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Second):
				_ = fetch()
			}
		}
	}()
	const scans = 6 // attendance.MaxPairsPerDay pairs of check-in and check-out
	c0, t0 := groupCommits(ctx, r.srv.MetricsURL)
	rec := &recorder{}
	// Rounds of one scan each, two minutes apart on the server's records
	// clock: a scan within a minute of the check-in would be a double scan.
	var wall time.Duration
	defer func() { _ = r.srv.setClock(0) }()
	for k := 0; k < scans; k++ {
		if err := r.srv.setClock(time.Duration(2*k) * time.Minute); err != nil {
			return Row{}, err
		}
		wall += drive(ctx, len(scanners), 0, func(ctx context.Context, w, i int) bool {
			if i >= 1 {
				return true
			}
			_ = rec.time(func() error {
				_, err := scanners[w].do(ctx, "POST", "/api/v1/checkins", map[string]string{"code": code.Load().(string)}, nil, 200)
				return err
			})
			return false
		})
	}
	row := Row{DBLimit: limit, Target: target{text: "≥ 50% of DB commits/s, p99 < 50 ms", minRat: 0.5, p99: 50 * time.Millisecond},
		Note: fmt.Sprintf("%d volunteers scan %d times each (check-in and check-out alternate)", len(scanners), scans)}
	c1, t1 := groupCommits(ctx, r.srv.MetricsURL)
	row.Note += groupNote(c0, t0, c1, t1)
	fill(&row, rec, len(scanners), wall)
	return row, nil
}

// signupRush: four new shifts with few seats; every volunteer asks for all
// four at once. Refusals (409, full) are expected; afterwards the database
// must show exactly the seats given, and nobody twice.
func (r *run) signupRush(ctx context.Context, leader *apiClient, vols []*apiClient, limit float64) (Row, error) {
	seats := r.c.Scale.RushSeats
	day := time.Now().In(clock.Zone).AddDate(0, 0, 1)
	var shifts []int64
	for k := 0; k < 4; k++ {
		start := time.Date(day.Year(), day.Month(), day.Day()+k, 21, 0, 0, 0, clock.Zone)
		var out struct {
			ID int64 `json:"id"`
		}
		if _, err := leader.do(ctx, "POST", fmt.Sprintf("/api/v1/projects/%d/shifts", r.m.BurstProjectID), map[string]any{
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339),
			"capacity": seats, "waitlist": seats / 5, "place": "压测热门班次"}, &out, 201); err != nil {
			return Row{}, err
		}
		shifts = append(shifts, out.ID)
	}
	var confirmed, waitlisted, refused atomic.Int64
	rec := &recorder{}
	wall := drive(ctx, len(vols), 0, func(ctx context.Context, w, i int) bool {
		if i >= len(shifts) {
			return true
		}
		_ = rec.time(func() error {
			var out struct {
				Status string `json:"status"`
			}
			st, err := vols[w].do(ctx, "POST", fmt.Sprintf("/api/v1/shifts/%d/signups", shifts[(w+i)%len(shifts)]), nil, &out, 201)
			switch {
			case st == 409:
				refused.Add(1)
				return nil
			case err != nil:
				return err
			case out.Status == "waitlisted":
				waitlisted.Add(1)
			default:
				confirmed.Add(1)
			}
			return nil
		})
		return false
	})
	row := Row{DBLimit: limit, Note: fmt.Sprintf("%d volunteers × %d shifts of %d seats (+%d waiting): %d confirmed, %d waitlisted, %d refused",
		len(vols), len(shifts), seats, seats/5, confirmed.Load(), waitlisted.Load(), refused.Load())}
	fill(&row, rec, len(vols), wall)
	for _, id := range shifts {
		c, wl, taken, waiting, twice, err := seatsTaken(ctx, r.c.DB, id)
		if err != nil {
			return row, err
		}
		if c != taken || wl != waiting || c > seats || twice > 0 || (len(vols) >= seats && c != seats) {
			row.Errors++
			row.Note += fmt.Sprintf("; shift %d WRONG: %d confirmed (counter %d), %d waitlisted (counter %d), %d twice", id, c, taken, wl, waiting, twice)
		}
	}
	if row.Errors == 0 {
		row.Note += "; the database agrees: every seat given once"
	}
	return row, nil
}

// registration: self-registration over the API with valid, new ID numbers
// (validation, sealing, duplicate checks, argon2id, one transaction).
func (r *run) registration(ctx context.Context, limit float64) (Row, error) {
	where := community(r.m.District)
	api := newAPI(r.srv.URL)
	nonce := time.Now().Unix() % 1_000_000
	var n atomic.Int64
	rec := &recorder{}
	base := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	wall := drive(ctx, r.c.Scale.Clients, r.c.Scale.Duration, func(ctx context.Context, w, _ int) bool {
		i := int(n.Add(1))
		// Born in Beijing (110105), so no generated Tianjin ID collides.
		id := residentID("110105", base.AddDate(0, 0, int(nonce%7)*2000+i/500), i%500*2+1)
		_ = rec.time(func() error {
			_, err := api.do(ctx, "POST", "/api/v1/volunteers", map[string]any{"real_name": fmt.Sprintf("压测%d", i),
				"id_number": id, "phone": fmt.Sprintf("147%08d", (nonce*10_000+int64(i))%100_000_000), "region_code": where,
				"password": "bench-password-1", "tags": []string{"青年"}}, nil, 201)
			return err
		})
		return false
	})
	row := Row{DBLimit: limit}
	fill(&row, rec, r.c.Scale.Clients, wall)
	return row, nil
}

// community is the first community under the district (or its first street).
func community(district string) string {
	streets := region.Children(district)
	if len(streets) == 0 {
		return district
	}
	if cs := region.Children(streets[0].Code); len(cs) > 0 {
		return cs[0].Code
	}
	return streets[0].Code
}

// gets drives GET requests over the API for the scale's duration.
func (r *run) gets(ctx context.Context, c *apiClient, path func(i int) string, t target) (Row, error) {
	n := r.c.Scale.Clients
	rec := &recorder{}
	wall := drive(ctx, n, r.c.Scale.Duration, func(ctx context.Context, w, i int) bool {
		_ = rec.time(func() error { _, err := c.do(ctx, "GET", path(w*1000+i), nil, nil, 200); return err })
		return false
	})
	row := Row{Target: t}
	fill(&row, rec, n, wall)
	return row, nil
}

// search asks for the volunteers of the district and of its streets with a tag.
func (r *run) search(ctx context.Context, c *apiClient) (Row, error) {
	places := []string{r.m.District}
	for _, s := range region.Children(r.m.District) {
		places = append(places, s.Code)
	}
	tags := []string{"青年", "党员", "巾帼"}
	return r.gets(ctx, c, func(i int) string {
		return "/api/v1/volunteers?" + url.Values{"region_code": {places[i%len(places)]}, "tag": {tags[i%len(tags)]}}.Encode()
	}, target{text: "p95 < 50 ms", p95: 50 * time.Millisecond})
}

// certificates downloads the generated certificates' PDFs as the platform admin.
func (r *run) certificates(ctx context.Context, admin *apiClient) (Row, error) {
	ids := r.m.CertificateIDs
	if len(ids) == 0 {
		return Row{}, fmt.Errorf("the manifest names no certificates")
	}
	return r.gets(ctx, admin, func(i int) string { return fmt.Sprintf("/api/v1/certificates/%d/pdf", ids[i%len(ids)]) }, target{})
}

// pages drives one HTML page, each browser with its own session.
func (r *run) pages(ctx context.Context, webs []*webClient, path string, t target) (Row, error) {
	rec := &recorder{}
	wall := drive(ctx, len(webs), r.c.Scale.Duration, func(ctx context.Context, w, _ int) bool {
		_ = rec.time(func() error { _, err := webs[w].get(ctx, path, 200); return err })
		return false
	})
	row := Row{Target: t, Note: "GET " + path}
	fill(&row, rec, len(webs), wall)
	return row, nil
}

var cancelForm = regexp.MustCompile(`action="/signups/(\d+)/cancel"`)

// htmlSignup: each browser signs up through the shift's form (POST with
// the CSRF token, 303 back to the project) for the next ten of the open
// shifts, then cancels them from its hours page, and goes on round the 200
// shifts. Only the sign-ups are in the figures; the rate is per client's
// busy time (the cancellations run between them).
func (r *run) htmlSignup(ctx context.Context, webs []*webClient, limit float64) (Row, error) {
	before := make([][]string, len(webs))
	for i, c := range webs {
		page, err := c.get(ctx, "/me/hours", 200)
		if err != nil {
			return Row{}, err
		}
		for _, m := range cancelForm.FindAllStringSubmatch(page, -1) {
			before[i] = append(before[i], m[1])
		}
	}
	shifts := r.m.OpenShiftIDs
	rec, cancels := &recorder{}, &recorder{}
	const batch = 10
	start := time.Now()
	wall := drive(ctx, len(webs), 0, func(ctx context.Context, w, round int) bool {
		c := webs[w]
		for k := 0; k < batch; k++ {
			id := shifts[(w*batch+round*batch+k)%len(shifts)]
			_ = rec.time(func() error { _, err := c.post(ctx, fmt.Sprintf("/shifts/%d/signup", id), nil, 303); return err })
		}
		page, err := c.get(ctx, "/me/hours", 200)
		if err != nil {
			cancels.add(0, err)
			return true
		}
		for _, m := range cancelForm.FindAllStringSubmatch(page, -1) {
			if slices.Contains(before[w], m[1]) {
				continue
			}
			_ = cancels.time(func() error { _, err := c.post(ctx, "/signups/"+m[1]+"/cancel", nil, 303); return err })
		}
		return time.Since(start) >= r.c.Scale.Duration
	})
	row := Row{DBLimit: limit, Target: target{text: "≥ 8,800 req/s, RSS < 58 MB", minPS: 8800, rss: 58, compare: true}}
	fill(&row, rec, len(webs), wall)
	if rec.busy > 0 {
		row.PerSec = float64(len(rec.lat)) / (rec.busy.Seconds() / float64(len(webs)))
	}
	row.Errors += cancels.errors
	if row.FirstErr == "" {
		row.FirstErr = cancels.first
	}
	row.Note = fmt.Sprintf("POST /shifts/{id}/signup round the %d open shifts, %d cancelled again (POST /signups/{id}/cancel, p50 %s); req/s = sign-ups per client-busy second",
		len(shifts), len(cancels.lat), ms(cancels.percentile(0.5)))
	return row, nil
}
