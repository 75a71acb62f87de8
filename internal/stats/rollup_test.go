package stats_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

// world is a demo database after every kind of write that moves a figure.
type world struct {
	env   *apptest.Env
	shift project.Shift
	vols  []volunteer.Volunteer
	recs  []record.Record
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// build registers volunteers, founds and reviews teams, publishes and
// rejects projects, records, confirms, amends and voids service, and moves
// a volunteer to another district, all through the services.
func build(t *testing.T) *world {
	env := apptest.New(t)
	ctx := context.Background()
	w := &world{env: env}
	office, leader := env.Principal("heping-office"), env.Principal("team-admin")
	today := time.Now().In(clock.Zone)

	newProject := func(name, category string) project.Project {
		pr, err := env.App.Projects.Create(ctx, leader, project.NewProject{TeamID: 1, Name: name, Category: category,
			Content: "服务内容", RegionCode: "120101001001", Address: "花园路社区", RecruitCount: 5, StartsOn: today.Format("2006-01-02"),
			EndsOn: today.AddDate(0, 0, 10).Format("2006-01-02"), ContactName: "王建国", ContactPhone: "13800138000"})
		must(t, err)
		return pr
	}
	pr := newProject("社区卡口值守", "社区服务")
	_, err := env.App.Projects.Submit(ctx, leader, pr.ID)
	must(t, err)
	_, err = env.App.Projects.ReviewProject(ctx, office, pr.ID, project.Review{Decision: "approve"})
	must(t, err)
	rejected := newProject("关爱老人走访", "关爱老人")
	_, err = env.App.Projects.Submit(ctx, leader, rejected.ID)
	must(t, err)
	_, err = env.App.Projects.ReviewProject(ctx, office, rejected.ID, project.Review{Decision: "reject", Reason: "内容不完整"})
	must(t, err)
	newProject("草稿项目", "生态环保")

	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	w.shift, err = env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(3 * time.Hour).Format(time.RFC3339), Capacity: 5})
	must(t, err)
	tags := [][]string{{"党员", "青年"}, {"巾帼"}, nil, {"退役军人", "党员"}}
	for i, tg := range tags {
		v, err := env.App.Volunteers.Register(ctx, volunteer.Registration{RealName: fmt.Sprintf("统计%d", i),
			IDNumber: apptest.ResidentID("120101", apptest.BornYearsAgo(20+i*15, 3), 800+i), Phone: apptest.Mobile(800 + i),
			RegionCode: "120101001001", Tags: tg, Password: "password-123"})
		must(t, err)
		w.vols = append(w.vols, v)
		vp := &auth.Principal{AccountID: v.AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}
		_, err = env.App.Projects.SignUp(ctx, vp, w.shift.ID)
		must(t, err)
	}
	clock := w.shift.EndsAt.Add(time.Hour)
	env.App.Records.Now = func() time.Time { return clock }
	env.App.Attendance.Now = env.App.Records.Now
	for i, v := range w.vols {
		scan, err := env.App.Attendance.EnterAttendance(ctx, leader, w.shift.ID, attendance.ManualAttendance{VolunteerID: v.ID,
			CheckInAt:  w.shift.StartsAt.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			CheckOutAt: w.shift.EndsAt.Format(time.RFC3339), Reason: "手机没电"})
		must(t, err)
		r, err := env.App.Records.Get(ctx, leader, scan.RecordID)
		must(t, err)
		w.recs = append(w.recs, r)
	}
	// Three confirmed (one then amended, one then voided), one left pending.
	for _, r := range w.recs[:3] {
		_, err := env.App.Records.Confirm(ctx, leader, r.ID)
		must(t, err)
	}
	_, err = env.App.Records.Amend(ctx, leader, w.recs[1].ID, record.Amendment{StartsAt: w.shift.StartsAt.Format(time.RFC3339),
		EndsAt: w.shift.StartsAt.Add(90 * time.Minute).Format(time.RFC3339), Content: "提前离开", Reason: "核对签到表"})
	must(t, err)
	_, err = env.App.Records.Void(ctx, leader, w.recs[2].ID, "重复记录")
	must(t, err)

	// The first volunteer moves to Hedong District and changes tags.
	vp := &auth.Principal{AccountID: w.vols[0].AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}
	_, err = env.App.Volunteers.UpdateProfile(ctx, vp, volunteer.ProfileUpdate{RegionCode: "120102001", Tags: []string{"平安"}})
	must(t, err)

	// Three volunteers imported by the team (one row refused), each batch's
	// figures written once.
	book := apptest.Workbook(t, [][]any{{"姓名", "证件号码", "手机号码", "居住区域", "标签"},
		{"导入甲", apptest.ResidentID("120101", apptest.BornYearsAgo(30, 1), 901), apptest.Mobile(901), "120101003", "党员"},
		{"导入乙", apptest.ResidentID("120101", apptest.BornYearsAgo(66, 1), 902), apptest.Mobile(902), "120101004", ""},
		{"导入丙", "110101190001011234", apptest.Mobile(903), "120101004", ""},
		{"导入丁", apptest.ResidentID("120102", apptest.BornYearsAgo(17, 1), 904), apptest.Mobile(904), "120102001", "青年"}})
	res, err := env.App.Roster.Import(ctx, leader, 1, bytes.NewReader(book), int64(len(book)), "导入.xlsx", "zh")
	must(t, err)
	if res.Created != 2 || res.Failed != 2 {
		t.Fatalf("import: %+v", res)
	}

	// Teams: one founded and approved, one rejected, one left pending.
	founder := &auth.Principal{AccountID: w.vols[1].AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}
	for i, decision := range []string{"approve", "reject", ""} {
		tm, err := env.App.Teams.Create(ctx, founder, team.NewTeam{Name: fmt.Sprintf("统计测试队%d", i),
			RegionCode: "120101002", ContactName: "李红", ContactPhone: "13700000001"})
		must(t, err)
		if decision != "" {
			_, err = env.App.Teams.ReviewTeam(ctx, office, tm.ID, team.Review{Decision: decision, Reason: "材料齐全"})
			must(t, err)
		}
	}
	return w
}

// dump reads both rollup tables as comparable text rows, each counter the
// sum of its slots.
func dump(t *testing.T, env *apptest.Env) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	rows, err := env.App.DB.Read().QueryContext(ctx, `SELECT region_code, metric, grain, period, dim, SUM(n) FROM stat_counts
		GROUP BY region_code, metric, grain, period, dim HAVING SUM(n) <> 0`)
	must(t, err)
	for rows.Next() {
		var r, m, g, p, d string
		var n int64
		must(t, rows.Scan(&r, &m, &g, &p, &d, &n))
		out = append(out, fmt.Sprintf("count %s %s %s %s %q = %d", r, m, g, p, d, n))
	}
	must(t, rows.Close())
	rows, err = env.App.DB.Read().QueryContext(ctx, `SELECT region_code, kind, grain, period, chunk, bits FROM stat_active`)
	must(t, err)
	for rows.Next() {
		var r, k, g, p string
		var chunk int64
		var bits []byte
		must(t, rows.Scan(&r, &k, &g, &p, &chunk, &bits))
		b := roaring.New()
		must(t, b.UnmarshalBinary(bits))
		if !b.IsEmpty() {
			out = append(out, fmt.Sprintf("active %s %s %s %s %d = %v", r, k, g, p, chunk, b.ToArray()))
		}
	}
	must(t, rows.Close())
	sort.Strings(out)
	return out
}

func TestRollupsEqualRebuild(t *testing.T) {
	w := build(t)
	kept := dump(t, w.env)
	if len(kept) == 0 {
		t.Fatal("no rollups kept")
	}
	if _, err := stats.Fold(context.Background(), w.env.App.DB); err != nil {
		t.Fatal(err)
	}
	var spread int
	must(t, w.env.App.DB.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM stat_counts WHERE slot > 0 OR n = 0`).Scan(&spread))
	if folded := dump(t, w.env); spread != 0 || fmt.Sprint(folded) != fmt.Sprint(kept) {
		t.Fatalf("after the fold, %d rows in slots or at zero, and the counters moved: only before %v, only after %v",
			spread, diff(kept, folded), diff(folded, kept))
	}
	must(t, stats.Rebuild(context.Background(), w.env.App.DB))
	rebuilt := dump(t, w.env)
	if fmt.Sprint(kept) != fmt.Sprint(rebuilt) {
		missing, extra := diff(rebuilt, kept), diff(kept, rebuilt)
		t.Fatalf("incremental rollups differ from the rebuild:\nonly rebuilt (%d): %v\nonly kept (%d): %v", len(missing), missing, len(extra), extra)
	}
	t.Logf("%d rollup rows equal after the rebuild", len(kept))
	// Every registered contribution is covered: each of its rebuild
	// statements' metrics has rows in the world, kept equal above.
	for _, c := range stats.Registered() {
		for _, q := range c.Rebuild {
			m := rebuiltMetric.FindStringSubmatch(q)
			if m == nil {
				t.Fatalf("%s: no metric named in %s", c.Kind, q)
			}
			if !slices.ContainsFunc(kept, func(row string) bool { return strings.Contains(row, " "+m[1]+" ") }) {
				t.Errorf("%s: the test's world has no %s counters: extend build", c.Kind, m[1])
			}
		}
	}
	if w.env.App.DB.Dialect == db.SQLite { // the rebuild's journals went to disk; every day's are in memory again
		var store int
		must(t, w.env.App.DB.Write().QueryRowContext(context.Background(), `PRAGMA temp_store`).Scan(&store))
		if store != 2 {
			t.Fatalf("temp_store after the rebuild: %d, want 2 (memory)", store)
		}
	}
}

// TestAwaitingChainBothWays: a check-out adds a record awaiting
// confirmation at every level of its region in one statement (a chain);
// voiding it takes the chain away again, deleting the counters it leaves
// at zero. Both agree with the rebuild.
func TestAwaitingChainBothWays(t *testing.T) {
	w := build(t)
	ctx := context.Background()
	awaiting := func() []string {
		var out []string
		for _, row := range dump(t, w.env) {
			if strings.Contains(row, " awaiting ") {
				out = append(out, row)
			}
		}
		return out
	}
	if got := awaiting(); len(got) != 5 {
		t.Fatalf("one record awaiting confirmation, at five levels: %v", got)
	}
	_, err := w.env.App.Records.Void(ctx, w.env.Principal("team-admin"), w.recs[3].ID, "重复记录")
	must(t, err)
	if got := awaiting(); len(got) != 0 {
		t.Fatalf("the voided record still awaits: %v", got)
	}
	var zeros int
	must(t, w.env.App.DB.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM stat_counts WHERE n = 0`).Scan(&zeros))
	if zeros != 0 {
		t.Fatalf("%d counters left at zero", zeros)
	}
	kept := dump(t, w.env)
	must(t, stats.Rebuild(ctx, w.env.App.DB))
	if rebuilt := dump(t, w.env); fmt.Sprint(kept) != fmt.Sprint(rebuilt) {
		t.Fatalf("incremental rollups differ from the rebuild:\nonly rebuilt: %v\nonly kept: %v", diff(rebuilt, kept), diff(kept, rebuilt))
	}
}

// rebuiltMetric finds the metric a rebuild statement writes: its second
// column, a literal.
var rebuiltMetric = regexp.MustCompile(`^\s*SELECT [^,]+, '([a-z_]+)'`)

func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}
