package web_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhiyuan/internal/apptest"
)

func TestDashboardPages(t *testing.T) {
	env := apptest.New(t)
	b := env.Browser()
	b.Login("heping-office")

	// The office opens on its own district, with its streets to drill into.
	status, body, _ := b.Get("/admin/stats")
	if status != http.StatusOK || !strings.Contains(body, "和平区") || !strings.Contains(body, `data-testid="stats-children"`) ||
		!strings.Contains(body, "region_code=120101001") || !strings.Contains(body, `id="stats-charts"`) ||
		!strings.Contains(body, "/static/vendor/echarts.common.min.js") {
		t.Fatalf("dashboard: %d\n%s", status, body)
	}
	// The chart data is a JSON block the script reads, not inline script.
	i := strings.Index(body, `<script type="application/json" id="stats-charts">`)
	j := strings.Index(body[i:], "</script>")
	raw := body[i+len(`<script type="application/json" id="stats-charts">`) : i+j]
	var charts []struct {
		ID     string
		Labels []string
		Values []float64
	}
	if err := json.Unmarshal([]byte(raw), &charts); err != nil || len(charts) < 5 {
		t.Fatalf("chart data %q: %v", raw, err)
	}
	// The demo's volunteers are counted.
	if strings.Contains(body, `data-testid="volunteers-total">0<`) {
		t.Fatal("no volunteers counted for Heping District")
	}
	// Another district is refused in Chinese; a reversed period is explained.
	status, body, _ = b.Get("/admin/stats?region_code=120102")
	if status != http.StatusForbidden || !strings.Contains(body, "不在您的管辖范围内") {
		t.Fatalf("other district: %d", status)
	}
	status, body, _ = b.Get("/admin/stats?region_code=120101&from=2026-05-01&to=2026-04-01")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "结束日期不能早于开始日期") {
		t.Fatalf("reversed period: %d", status)
	}

	// The workbook has a sheet per section and the same total.
	res, err := b.Client.Get(env.Server.URL + "/admin/stats.xlsx?region_code=120101&from=2026-01-01&to=2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("workbook: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 7 || got[0] != "总体情况" || got[6] != "下级地区" {
		t.Fatalf("sheets: %v", got)
	}
	_, js := env.JSON("GET", "/api/v1/stats?region_code=120101&from=2026-01-01&to=2026-12-31", env.Token("heping-office"), nil)
	var f struct {
		Volunteers struct{ Total int64 }
		Children   []struct {
			RegionCode string `json:"region_code"`
		}
	}
	if err := json.Unmarshal(js, &f); err != nil || f.Volunteers.Total == 0 || len(f.Children) == 0 {
		t.Fatalf("API figures: %s", js)
	}
	rows, _ := x.GetRows("总体情况")
	if len(rows) < 4 || rows[3][0] != "注册志愿者" || rows[3][1] != strconv.FormatInt(f.Volunteers.Total, 10) {
		t.Fatalf("overview sheet: %v, API total %d", rows, f.Volunteers.Total)
	}

	// The public page: anyone, totals only, no team ranking, no workbook.
	status, body, _ = env.Browser().Get("/stats/120101")
	if status != http.StatusOK || strings.Contains(body, "stats-xlsx") || strings.Contains(body, "排名前十") ||
		!strings.Contains(body, "志愿服务公开数据") || !strings.Contains(body, `href="/stats/120101001?`) {
		t.Fatalf("public page: %d\n%s", status, body)
	}
}
