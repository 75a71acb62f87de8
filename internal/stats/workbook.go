package stats

import (
	"bytes"
	"io"
	"math"
	"slices"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/region"
)

// Workbook is the figures as an .xlsx file with its download name.
func Workbook(f Figures, t func(key string) string) (name string, data []byte, err error) {
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, f, t); err != nil {
		return "", nil, err
	}
	return "stats-" + f.RegionCode + "-" + f.From + "-" + f.To + ".xlsx", buf.Bytes(), nil
}

// WriteWorkbook writes the figures as an .xlsx with one sheet per section,
// numbers as numbers; t translates a message key into the reader's language.
func WriteWorkbook(w io.Writer, f Figures, t func(key string) string) error {
	x := excelize.NewFile()
	defer x.Close()
	hours := func(min int64) float64 { return math.Round(float64(min)/6) / 10 }
	sheets := []struct {
		name    string
		headers []string
		rows    [][]any
	}{
		{t("stats.sheet.overview"), []string{t("stats.col.figure"), t("stats.col.value")}, [][]any{
			{t("stats.region"), region.FullName(f.RegionCode) + " (" + f.RegionCode + ")"},
			{t("stats.period"), f.From + " ~ " + f.To},
			{t("stats.volunteers_total"), f.Volunteers.Total},
			{t("stats.volunteers_new"), f.Volunteers.New},
			{t("stats.volunteers_active"), f.Volunteers.Active},
			{t("stats.teams_total"), f.Teams.Total},
			{t("stats.teams_new"), f.Teams.New},
			{t("stats.teams_active"), f.Teams.Active},
			{t("stats.projects_total"), f.Projects.Total},
			{t("stats.projects_new"), f.Projects.New},
			{t("stats.hours_confirmed"), hours(f.Hours.ConfirmedMinutes)},
			{t("stats.records_confirmed"), f.Hours.ConfirmedRecords},
			{t("stats.records_awaiting"), f.Records.Awaiting},
			{t("stats.records_overdue"), f.Records.Overdue},
		}},
		{t("stats.sheet.volunteers"), []string{t("stats.col.group"), t("stats.col.item"), t("stats.col.count")},
			slices.Concat(keyed(t("stats.by_tag"), f.Volunteers.ByTag, nil),
				keyed(t("stats.by_gender"), f.Volunteers.ByGender, func(k string) string { return t("stats.gender." + k) }),
				banded(t("stats.by_age"), f.Volunteers.ByAge, t))},
		{t("stats.sheet.projects"), []string{t("stats.col.group"), t("stats.col.item"), t("stats.col.count")},
			slices.Concat(keyed(t("stats.by_state"), f.Projects.ByState, func(k string) string { return t("project.state." + k) }),
				keyed(t("stats.by_category"), f.Projects.ByCategory, nil))},
		{t("stats.sheet.hours"), []string{t("stats.col.group"), t("stats.col.item"), t("stats.col.hours")},
			slices.Concat(months(t("stats.by_month"), f.Hours.ByMonth, hours),
				hourRows(t("stats.by_category"), f.Hours.ByCategory, hours))},
		{t("stats.sheet.stars"), []string{t("stats.col.level"), t("stats.col.min_hours"), t("stats.col.count")}, starRows(f.Stars)},
		{t("stats.sheet.teams"), []string{t("stats.col.rank"), t("stats.col.team"), t("stats.col.hours")}, teamRows(f.TopTeams, hours)},
		{t("stats.sheet.children"), []string{t("stats.col.code"), t("stats.col.region"), t("stats.volunteers_total"),
			t("stats.volunteers_new"), t("stats.teams_total"), t("stats.hours_confirmed")}, childRows(f.Children, hours)},
	}
	for i, s := range sheets {
		name := s.name
		if i == 0 {
			if err := x.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := x.NewSheet(name); err != nil {
			return err
		}
		if err := x.SetSheetRow(name, "A1", &s.headers); err != nil {
			return err
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := x.SetSheetRow(name, cell, &row); err != nil {
				return err
			}
		}
		last, _ := excelize.ColumnNumberToName(len(s.headers))
		if err := x.SetColWidth(name, "A", last, 18); err != nil {
			return err
		}
		if err := x.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	_, err := x.WriteTo(w)
	return err
}

// keyed lists a map's entries in key order, with keys translated by name.
func keyed(group string, m map[string]int64, name func(string) string) [][]any {
	keys := sortedKeys(m)
	out := make([][]any, 0, len(keys))
	for _, k := range keys {
		label := k
		if name != nil {
			label = name(k)
		}
		out = append(out, []any{group, label, m[k]})
	}
	return out
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func banded(group string, bands []Band, t func(string) string) [][]any {
	out := make([][]any, 0, len(bands))
	for _, b := range bands {
		out = append(out, []any{group, t("stats.age." + b.Key), b.Count})
	}
	return out
}

func months(group string, ms []MonthMinutes, hours func(int64) float64) [][]any {
	out := make([][]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, []any{group, m.Month, hours(m.Minutes)})
	}
	return out
}

func hourRows(group string, m map[string]int64, hours func(int64) float64) [][]any {
	var out [][]any
	for _, k := range sortedKeys(m) {
		out = append(out, []any{group, k, hours(m[k])})
	}
	return out
}

func starRows(stars []StarCount) [][]any {
	out := make([][]any, 0, len(stars))
	for _, s := range stars {
		out = append(out, []any{s.Level, s.MinHours, s.Count})
	}
	return out
}

func teamRows(teams []TeamMinutes, hours func(int64) float64) [][]any {
	out := make([][]any, 0, len(teams))
	for i, tm := range teams {
		out = append(out, []any{i + 1, tm.Name, hours(tm.Minutes)})
	}
	return out
}

func childRows(children []ChildFigures, hours func(int64) float64) [][]any {
	out := make([][]any, 0, len(children))
	for _, c := range children {
		out = append(out, []any{c.RegionCode, c.Name, c.VolunteersTotal, c.VolunteersNew, c.TeamsTotal, hours(c.ConfirmedMinutes)})
	}
	return out
}
