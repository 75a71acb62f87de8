package roster_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"zhiyuan/internal/apptest"
	"zhiyuan/internal/db"
)

// An import larger than a batch and than every multi-row statement stores
// each row's own person, lists and membership, finds duplicates within the
// file and against the register across batches, and keeps the batch's
// saved_rows equal to the rows it saved.
func TestImportManyRowsKeepsEachRowTogether(t *testing.T) {
	env := apptest.New(t)
	token := env.Token("team-admin")
	const n = 2345 // several batches (500), > 100 volunteers, > 300 list rows, > 200 memberships a statement
	tags := []string{"党员", "青年", "巾帼", "党员、青年"}
	skills := []string{"急救", "", "摄影", "急救、摄影"}
	streets := []string{"120101001", "120101002", "120101003"}
	person := func(i int) string { return apptest.ResidentID("120102", apptest.BornYearsAgo(20, i%9000), 1+i/9000) }
	rows := [][]any{{"姓名", "身份证号", "手机号", "居住区域", "标签", "技能"}}
	for i := 0; i < n; i++ {
		rows = append(rows, []any{fmt.Sprintf("批量%d", i), person(i), fmt.Sprintf("138%08d", i), streets[i%3], tags[i%4], skills[i%4]})
	}
	// Row n+2 repeats the ID of the first row, row n+3 the phone of a row of
	// a later batch; row n+4 has the phone of a demo volunteer, and row
	// n+5 is invalid.
	rows = append(rows,
		[]any{"重复证件", person(0), "13788880001", streets[0], "", ""},
		[]any{"重复手机", apptest.ResidentID("120102", apptest.BornYearsAgo(40, 1), 7), fmt.Sprintf("138%08d", 2100), streets[0], "", ""},
		[]any{"手机已用", apptest.ResidentID("120102", apptest.BornYearsAgo(40, 2), 7), "13900000001", streets[0], "", ""},
		[]any{"", apptest.ResidentID("120102", apptest.BornYearsAgo(40, 3), 7), "13788880004", streets[0], "", ""},
	)
	status, raw := upload(t, env, token, "/api/v1/teams/1/imports", "批量.xlsx", apptest.Workbook(t, rows))
	if status != 200 {
		t.Fatalf("import: %d %s", status, raw)
	}
	var res result
	_ = json.Unmarshal(raw, &res)
	if res.Total != n+4 || res.Saved != n || res.Created != n || res.Failed != 4 {
		t.Fatalf("counts: total %d saved %d created %d failed %d: %v", res.Total, res.Saved, res.Created, res.Failed, res.Errors)
	}
	got := map[int]string{}
	for _, e := range res.Errors {
		got[e.Row] += e.Message
	}
	want := map[int]string{n + 2: "与第 2 行的证件号码重复", n + 3: fmt.Sprintf("与第 %d 行的手机号码重复", 2102), n + 4: "", n + 5: "请填写真实姓名"}
	for row, msg := range want {
		if got[row] == "" || !strings.Contains(got[row], msg) {
			t.Errorf("row %d: %q, want it reported saying %q", row, got[row], msg)
		}
	}

	ctx, q := context.Background(), env.App.DB.Read()
	if env.App.DB.Dialect == db.SQLite { // the import's settings of the write connection are undone
		var store, cache int
		if err := env.App.DB.Write().QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&store); err != nil || store != 2 {
			t.Fatalf("temp_store after the import: %d (%v), want 2 (memory, as every day)", store, err)
		}
		if err := env.App.DB.Write().QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil || cache != -2000 {
			t.Fatalf("cache_size after the import: %d (%v), want -2000", cache, err)
		}
	}
	var saved int
	if err := q.QueryRowContext(ctx, `SELECT saved_rows FROM import_batches WHERE id = (SELECT MAX(id) FROM import_batches)`).Scan(&saved); err != nil || saved != n {
		t.Fatalf("batch saved_rows %d (%v), want %d", saved, err, n)
	}
	// Each volunteer carries its own row's region, tags, skills and an
	// active membership: ids were matched to the right rows.
	list := func(query string, id int64) string {
		rs, err := q.QueryContext(ctx, query, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var parts []string
		for rs.Next() {
			var s string
			if err := rs.Scan(&s); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "、")
	}
	rs, err := q.QueryContext(ctx, `SELECT id, real_name, region_code FROM volunteers WHERE real_name LIKE '批量%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type vol struct {
		id           int64
		name, region string
	}
	var vols []vol
	for rs.Next() {
		var v vol
		if err := rs.Scan(&v.id, &v.name, &v.region); err != nil {
			t.Fatal(err)
		}
		vols = append(vols, v)
	}
	rs.Close()
	if len(vols) != n {
		t.Fatalf("%d imported volunteers stored, want %d", len(vols), n)
	}
	for _, v := range vols {
		var i int
		fmt.Sscanf(v.name, "批量%d", &i)
		gotTags := list(`SELECT c.name FROM volunteer_tags t JOIN catalog_items c ON c.id = t.tag_id WHERE t.volunteer_id = $1 ORDER BY c.name`, v.id)
		wantTags := strings.Join(sortedSplit(tags[i%4]), "、")
		gotSkills := list(`SELECT skill FROM volunteer_skills WHERE volunteer_id = $1 ORDER BY skill`, v.id)
		wantSkills := strings.Join(sortedSplit(skills[i%4]), "、")
		member := list(`SELECT status FROM team_members WHERE team_id = 1 AND volunteer_id = $1`, v.id)
		if v.region != streets[i%3] || gotTags != wantTags || gotSkills != wantSkills || member != "active" {
			t.Fatalf("%s: region %s tags %q skills %q membership %q; want %s, %q, %q, active",
				v.name, v.region, gotTags, gotSkills, member, streets[i%3], wantTags, wantSkills)
		}
	}
}

func sortedSplit(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "、")
	for i := 1; i < len(parts); i++ {
		for j := i; j > 0 && parts[j] < parts[j-1]; j-- {
			parts[j], parts[j-1] = parts[j-1], parts[j]
		}
	}
	return parts
}
