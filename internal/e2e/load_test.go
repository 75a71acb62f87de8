package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

// workload drives concurrent writes over HTTP against a server that may be
// killed and restarted under it (at another address), and remembers every
// write the server acknowledged with a 2xx.
type workload struct {
	t        *testing.T
	base     atomic.Pointer[string] // the server's URL; nil while it is down
	leader   string                 // team-admin's API token (sessions outlive restarts)
	teamID   int64
	now      int64 // a shift starting soon: sign up, check in, check out
	later    int64 // a small shift tomorrow with a waitlist
	firstVol int64 // volunteers and batches above these ids are the workload's
	firstBat int64
	seq      atomic.Int64
	client   *http.Client
	stop     chan struct{}
	wg       sync.WaitGroup

	mu         sync.Mutex
	volunteers map[int64]bool    // acknowledged registrations
	signups    map[int64]string  // acknowledged sign-ups and their status
	checkins   map[[2]int64]bool // acknowledged check-ins: volunteer, shift
	records    map[int64]bool    // acknowledged check-outs' service records
	imports    map[int64]int     // acknowledged import batches and their saved rows
	acked      int
	refused    int                  // answered 5xx or not at all: unknown outcome, not counted
	names      map[int64]string     // acknowledged registrations' names
	lastAck    map[string]time.Time // each write category's last acknowledgement
	outageOpen bool                 // the test is killing or cutting off the server
	outageEnd  time.Time            // when the last disruption ended
	unexpected []string             // 5xx answers outside a disruption
}

// The write categories that must all be acknowledged again after a restart.
// The workload's second scan comes at once and is refused as a double scan
// (a check-out needs a minute on the shift), so check-outs are not among
// them: the in-process and browser tests check out on a moved clock.
var writeCategories = []string{"registration", "sign-up", "check-in", "import"}

// fiveXXGrace is how long after a disruption ends a 5xx is still excused:
// a request sent to the old server may be answered on the way down.
const fiveXXGrace = 2 * time.Second

// outage marks the start (true) or the end (false) of a disruption the
// test causes: a kill and restart, or the database going away. A 5xx is
// allowed only during one or just after.
func (w *workload) outage(on bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.outageOpen = on
	if !on {
		w.outageEnd = time.Now()
	}
}

// saw5xx notes a 5xx answer; outside a disruption it is an error: a server
// that answers 500 to writes after a restart must not pass.
func (w *workload) saw5xx(what string, status int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.outageOpen || time.Since(w.outageEnd) < fiveXXGrace {
		return
	}
	w.unexpected = append(w.unexpected, fmt.Sprintf("%s: %d at %s", what, status, time.Now().Format("15:04:05.000")))
}

// waitResumed waits until every write category has been acknowledged
// since the moment given, and fails the test if one is not within limit.
func (w *workload) waitResumed(since time.Time, limit time.Duration) {
	w.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var missing []string
		w.mu.Lock()
		for _, c := range writeCategories {
			if !w.lastAck[c].After(since) {
				missing = append(missing, c)
			}
		}
		w.mu.Unlock()
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			w.t.Errorf("writes did not resume within %v of the restart: no %s acknowledged", limit, strings.Join(missing, ", "))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkNo5xx fails the test for each 5xx answered outside a disruption.
func (w *workload) checkNo5xx() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, u := range w.unexpected {
		w.t.Errorf("a 5xx outside any restart or outage: %s", u)
	}
}

// newWorkload sets up a published project with two shifts on a running
// demo server and notes where the workload's own rows begin.
func newWorkload(t *testing.T, srv *process, dsn string) *workload {
	t.Helper()
	w := &workload{t: t, client: &http.Client{Timeout: 20 * time.Second}, stop: make(chan struct{}),
		volunteers: map[int64]bool{}, signups: map[int64]string{}, checkins: map[[2]int64]bool{},
		records: map[int64]bool{}, imports: map[int64]int{}, teamID: 1, names: map[int64]string{}, lastAck: map[string]time.Time{}}
	w.setBase(srv.URL)
	w.leader = apiLogin(t, srv, "team-admin")
	office := apiLogin(t, srv, "heping-office")
	today := time.Now().In(clock.Zone)
	var pj struct {
		ID int64 `json:"id"`
	}
	apiCall(t, "POST", srv.URL+"/api/v1/projects", w.leader, map[string]any{"team_id": w.teamID, "name": "可靠性压测项目", "category": "社区服务",
		"content": "楼门值守", "region_code": "120101001001", "address": "花园路社区", "recruit_count": 1000,
		"starts_on": today.Format("2006-01-02"), "ends_on": today.AddDate(0, 1, 0).Format("2006-01-02"),
		"contact_name": "王建国", "contact_phone": "13800138000"}, &pj, http.StatusCreated)
	project := fmt.Sprintf("%s/api/v1/projects/%d", srv.URL, pj.ID)
	apiCall(t, "POST", project+"/submit", w.leader, nil, nil, http.StatusOK)
	apiCall(t, "POST", project+"/review", office, map[string]string{"decision": "approve"}, nil, http.StatusOK)
	var sh struct {
		ID int64 `json:"id"`
	}
	soon := time.Now().Add(20 * time.Minute).Truncate(time.Minute)
	apiCall(t, "POST", project+"/shifts", w.leader, map[string]any{"starts_at": soon.Format(time.RFC3339),
		"ends_at": soon.Add(2 * time.Hour).Format(time.RFC3339), "capacity": 5000, "place": "社区门口"}, &sh, http.StatusCreated)
	w.now = sh.ID
	tomorrow := soon.Add(24 * time.Hour)
	apiCall(t, "POST", project+"/shifts", w.leader, map[string]any{"starts_at": tomorrow.Format(time.RFC3339),
		"ends_at": tomorrow.Add(2 * time.Hour).Format(time.RFC3339), "capacity": 3, "waitlist": 5000, "place": "社区门口"}, &sh, http.StatusCreated)
	w.later = sh.ID
	d := openDB(t, dsn)
	defer d.Close()
	ctx := context.Background()
	if err := d.Read().QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM volunteers`).Scan(&w.firstVol); err != nil {
		t.Fatal(err)
	}
	if err := d.Read().QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM import_batches`).Scan(&w.firstBat); err != nil {
		t.Fatal(err)
	}
	return w
}

func openDB(t *testing.T, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (w *workload) setBase(url string) {
	if url == "" {
		w.base.Store(nil)
		return
	}
	w.base.Store(&url)
}

// start runs volunteers journeys on n goroutines and one importer.
func (w *workload) start(n int) {
	for i := 0; i < n; i++ {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for !w.stopped() {
				w.journey()
			}
		}()
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for !w.stopped() {
			w.importOnce()
		}
	}()
}

// finish stops the load and waits for the requests in flight.
func (w *workload) finish() {
	close(w.stop)
	w.wg.Wait()
}

func (w *workload) stopped() bool {
	select {
	case <-w.stop:
		return true
	default:
		return false
	}
}

// do sends one request to the current server. ok is true for the wanted
// status; a request that got no answer or a 5xx is an unknown outcome.
func (w *workload) do(method, path, token, contentType string, body []byte, want int, out any) bool {
	base := w.base.Load()
	if base == nil {
		time.Sleep(20 * time.Millisecond)
		return false
	}
	req, err := http.NewRequest(method, *base+path, bytes.NewReader(body))
	if err != nil {
		w.t.Error(err)
		return false
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := w.client.Do(req)
	if err != nil {
		w.count(false)
		time.Sleep(20 * time.Millisecond)
		return false
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 {
		w.saw5xx(method+" "+path, res.StatusCode)
		w.count(false)
		time.Sleep(20 * time.Millisecond)
		return false
	}
	if res.StatusCode != want {
		w.t.Errorf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, data)
		return false
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			w.t.Errorf("%s %s: %v", method, path, err)
			return false
		}
	}
	return true
}

func (w *workload) doJSON(method, path, token string, in any, want int, out any) bool {
	b, _ := json.Marshal(in)
	if in == nil {
		b = nil
	}
	return w.do(method, path, token, "application/json", b, want, out)
}

func (w *workload) count(acked bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if acked {
		w.acked++
	} else {
		w.refused++
	}
}

// journey is one volunteer: registers, signs in, signs up for both shifts,
// checks in and out of the one starting soon. A step without an answer ends
// the journey; a fresh volunteer starts the next.
func (w *workload) journey() {
	i := w.seq.Add(1)
	phone := fmt.Sprintf("135%08d", i)
	var v struct {
		ID int64 `json:"id"`
	}
	name := fmt.Sprintf("压测%d", i)
	if !w.doJSON("POST", "/api/v1/volunteers", "", map[string]any{"real_name": name,
		"id_number": apptest.ResidentID("120101", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(i)), 101),
		"phone":     phone, "region_code": "120101001001", "password": "password-123"}, http.StatusCreated, &v) {
		return
	}
	w.ack("registration", func() { w.volunteers[v.ID], w.names[v.ID] = true, name })
	var login struct {
		Token string `json:"token"`
	}
	if !w.doJSON("POST", "/api/v1/auth/login", "", map[string]string{"username": phone, "password": "password-123"}, http.StatusOK, &login) {
		return
	}
	for _, shift := range []int64{w.now, w.later} {
		var su struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		}
		if !w.doJSON("POST", fmt.Sprintf("/api/v1/shifts/%d/signups", shift), login.Token, nil, http.StatusCreated, &su) {
			return
		}
		w.ack("sign-up", func() { w.signups[su.ID] = su.Status })
	}
	// A check-in, then a second scan at once: within a minute of the
	// check-in it is a double scan, refused (409 already_checked_in), not a
	// check-out of no time.
	for step := 0; step < 2; step++ {
		var code struct {
			Code string `json:"code"`
		}
		if !w.doJSON("GET", fmt.Sprintf("/api/v1/shifts/%d/checkin-code", w.now), w.leader, nil, http.StatusOK, &code) {
			return
		}
		if step == 1 {
			var refused struct {
				Error struct {
					Fields map[string]struct {
						Code string `json:"code"`
					} `json:"fields"`
				} `json:"error"`
			}
			if w.doJSON("POST", "/api/v1/checkins", login.Token, map[string]string{"code": code.Code}, http.StatusConflict, &refused) &&
				refused.Error.Fields["code"].Code != "already_checked_in" {
				w.t.Errorf("a second scan at once: %+v, want already_checked_in", refused)
			}
			return
		}
		var scan struct {
			Action   string `json:"action"`
			RecordID int64  `json:"record_id"`
		}
		if !w.doJSON("POST", "/api/v1/checkins", login.Token, map[string]string{"code": code.Code}, http.StatusOK, &scan) {
			return
		}
		w.ack("check-in", func() { w.checkins[[2]int64{v.ID, w.now}] = true })
	}
}

func (w *workload) ack(category string, note func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	note()
	w.acked++
	w.lastAck[category] = time.Now()
}

// importRows is the size of each imported workbook: more than one write
// batch of the importer (500), so a kill can land between batches.
const importRows = 600

// importOnce imports a workbook of new people into the team.
func (w *workload) importOnce() {
	k := w.seq.Add(1)
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	_ = sw.SetRow("A1", []any{"姓名", "证件号码", "手机号码", "居住区域"})
	for j := 0; j < importRows; j++ {
		n := int(k)*importRows + j
		cell, _ := excelize.CoordinatesToCellName(1, j+2)
		_ = sw.SetRow(cell, []any{fmt.Sprintf("导入%d", n),
			apptest.ResidentID("120102", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%15000), 200+n/15000),
			fmt.Sprintf("136%08d", n), "120101001"})
	}
	_ = sw.Flush()
	var xlsx bytes.Buffer
	_ = f.Write(&xlsx)
	f.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", fmt.Sprintf("名单%d.xlsx", k))
	fw.Write(xlsx.Bytes())
	mw.Close()
	var res struct {
		BatchID int64 `json:"batch_id"`
		Saved   int   `json:"saved"`
		Failed  int   `json:"failed"`
	}
	if !w.do("POST", fmt.Sprintf("/api/v1/teams/%d/imports", w.teamID), w.leader, mw.FormDataContentType(), body.Bytes(), http.StatusOK, &res) {
		return
	}
	if res.Saved != importRows {
		w.t.Errorf("import saved %d of %d rows (failed %d)", res.Saved, importRows, res.Failed)
	}
	w.ack("import", func() { w.imports[res.BatchID] = res.Saved })
}

// verify checks the database behind a restarted server: every acknowledged
// write is there and nothing is half-written. It returns how many
// acknowledged writes it found.
func (w *workload) verify(dsn string) int {
	t := w.t
	t.Helper()
	d := openDB(t, dsn)
	defer d.Close()
	ctx := context.Background()
	q := d.Read()
	ids := func(query string, args ...any) map[int64]bool {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out[id] = true
		}
		return out
	}
	zero := func(what, query string, args ...any) {
		var n int
		if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n != 0 {
			t.Errorf("%s: %d", what, n)
		}
	}
	found := 0
	check := func(what string, want map[int64]bool, have map[int64]bool) {
		for id := range want {
			if have[id] {
				found++
			} else {
				t.Errorf("acknowledged %s %d is missing", what, id)
			}
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.acked == 0 {
		t.Error("no write was acknowledged: the load never reached the server")
	}
	check("volunteer", w.volunteers, ids(`SELECT id FROM volunteers WHERE id > $1`, w.firstVol))
	signups := map[int64]bool{}
	for id := range w.signups {
		signups[id] = true
	}
	check("sign-up", signups, ids(`SELECT id FROM signups WHERE status <> 'cancelled'`))
	// Contents, not only existence: the workload never cancels, so a seat
	// acknowledged as confirmed must not come back waitlisted (nor the
	// reverse), and a registration keeps its name.
	stored := func(query string, args ...any) map[int64]string {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[int64]string{}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			out[id] = v
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	statuses := stored(`SELECT id, status FROM signups WHERE shift_id IN ($1, $2)`, w.now, w.later)
	for id, want := range w.signups {
		if got, ok := statuses[id]; ok && got != want {
			t.Errorf("sign-up %d: acknowledged %s, stored %s", id, want, got)
		}
	}
	names := stored(`SELECT id, real_name FROM volunteers WHERE id > $1`, w.firstVol)
	for id, want := range w.names {
		if got, ok := names[id]; ok && got != want {
			t.Errorf("volunteer %d: acknowledged as %s, stored as %s", id, want, got)
		}
	}
	checkedIn := ids(`SELECT volunteer_id FROM attendance WHERE shift_id = $1`, w.now)
	for k := range w.checkins {
		if checkedIn[k[0]] {
			found++
		} else {
			t.Errorf("acknowledged check-in of volunteer %d is missing", k[0])
		}
	}
	check("service record", w.records, ids(`SELECT id FROM service_records`))
	batches := map[int64]bool{}
	for id := range w.imports {
		batches[id] = true
	}
	check("import batch", batches, ids(`SELECT id FROM import_batches WHERE id > $1`, w.firstBat))
	for id, saved := range w.imports {
		var got int
		if err := q.QueryRowContext(ctx, `SELECT saved_rows FROM import_batches WHERE id = $1`, id).Scan(&got); err != nil {
			t.Errorf("import batch %d: %v", id, err)
			continue
		}
		if got != saved {
			t.Errorf("import batch %d: saved_rows %d, acknowledged %d", id, got, saved)
		}
	}

	// Nothing half-written.
	zero("volunteers without their audit entry", `SELECT COUNT(*) FROM volunteers v WHERE v.id > $1 AND v.source <> 'import'
		AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'volunteer' AND a.entity_id = CAST(v.id AS TEXT) AND a.action IN ('register', 'preregister'))`, w.firstVol)
	zero("self-registered volunteers without an account", `SELECT COUNT(*) FROM volunteers WHERE id > $1 AND source = 'self' AND account_id IS NULL`, w.firstVol)
	zero("import batches without their audit entry", `SELECT COUNT(*) FROM import_batches b WHERE b.id > $1 AND NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.action = 'import' AND a.entity = 'team' AND a.entity_id = CAST(b.team_id AS TEXT)
		AND a.detail LIKE '%"batch_id":' || CAST(b.id AS TEXT) || ',%')`, w.firstBat)
	var saved, imported int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(saved_rows), 0) FROM import_batches WHERE id > $1 AND team_id = $2`, w.firstBat, w.teamID).Scan(&saved); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM volunteers WHERE id > $1 AND source = 'import' AND registered_by_team_id = $2`, w.firstVol, w.teamID).Scan(&imported); err != nil {
		t.Fatal(err)
	}
	if saved != imported {
		t.Errorf("import batches say %d rows saved, the register holds %d imported volunteers", saved, imported)
	}
	zero("shifts whose counters disagree with their sign-ups", `SELECT COUNT(*) FROM shifts sh WHERE
		sh.taken <> (SELECT COUNT(*) FROM signups s WHERE s.shift_id = sh.id AND s.status = 'confirmed')
		OR sh.waiting <> (SELECT COUNT(*) FROM signups s WHERE s.shift_id = sh.id AND s.status = 'waitlisted')`)
	zero("sign-ups without their audit entry", `SELECT COUNT(*) FROM signups s WHERE s.shift_id IN ($1, $2) AND NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.action = 'signup' AND a.entity = 'shift' AND a.entity_id = CAST(s.shift_id AS TEXT)
		AND a.detail LIKE '%"volunteer_id":' || CAST(s.volunteer_id AS TEXT) || '}%')`, w.now, w.later)
	zero("service records without their attendance", `SELECT COUNT(*) FROM service_records r WHERE r.backfilled = 0 AND NOT EXISTS
		(SELECT 1 FROM attendance a WHERE a.id = r.attendance_id AND a.check_out_at > 0)`)
	zero("check-outs without their service record", `SELECT COUNT(*) FROM attendance a WHERE a.check_out_at > 0 AND NOT EXISTS
		(SELECT 1 FROM service_records r WHERE r.attendance_id = a.id)`)
	zero("service records without their audit entry", `SELECT COUNT(*) FROM service_records r WHERE r.shift_id = $1 AND NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.entity = 'service_record' AND a.entity_id = CAST(r.id AS TEXT) AND a.action = 'check_out')`, w.now)
	zero("check-ins without their audit entry", `SELECT COUNT(*) FROM attendance at WHERE at.shift_id = $1 AND NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.entity = 'shift' AND a.entity_id = CAST(at.shift_id AS TEXT) AND a.action = 'check_in'
		AND a.detail LIKE '%"volunteer_id":' || CAST(at.volunteer_id AS TEXT) || '}%')`, w.now)
	return found
}

// summary is the workload's figures for the log.
func (w *workload) summary() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join([]string{
		fmt.Sprintf("%d writes acknowledged", w.acked),
		fmt.Sprintf("(%d registrations, %d sign-ups, %d check-ins, %d check-outs, %d imports of %d rows)",
			len(w.volunteers), len(w.signups), len(w.checkins), len(w.records), len(w.imports), importRows),
		fmt.Sprintf("%d requests without an answer or with a 5xx", w.refused),
	}, " ")
}

func (w *workload) dialect() string {
	if dbtest.Postgres() {
		return "PostgreSQL"
	}
	return "SQLite"
}

// snapshot copies the acknowledged writes so far, to check a backup taken
// from this moment on.
func (w *workload) snapshot() *workload {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := &workload{t: w.t, teamID: w.teamID, now: w.now, later: w.later, firstVol: w.firstVol, firstBat: w.firstBat,
		volunteers: map[int64]bool{}, signups: map[int64]string{}, checkins: map[[2]int64]bool{},
		records: map[int64]bool{}, imports: map[int64]int{}, acked: w.acked, refused: w.refused, names: map[int64]string{}}
	for k, v := range w.names {
		s.names[k] = v
	}
	for k, v := range w.volunteers {
		s.volunteers[k] = v
	}
	for k, v := range w.signups {
		s.signups[k] = v
	}
	for k, v := range w.checkins {
		s.checkins[k] = v
	}
	for k, v := range w.records {
		s.records[k] = v
	}
	for k, v := range w.imports {
		s.imports[k] = v
	}
	return s
}
