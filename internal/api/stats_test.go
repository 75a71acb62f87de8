package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"zhiyuan/internal/apptest"
)

// Without region_code an office's figures are its own region's, as on the
// dashboard page; the platform, covering everything, must still name one.
func TestStatsDefaultToOwnRegion(t *testing.T) {
	env := apptest.New(t)
	for who, want := range map[string]string{"heping-office": "120101", "tianjin-office": "1201", "hedong-office": "120102"} {
		status, body := env.JSON("GET", "/api/v1/stats", env.Token(who), nil)
		var f struct {
			RegionCode string `json:"region_code"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &f) != nil || f.RegionCode != want {
			t.Errorf("%s: %d %s, want the figures of %s", who, status, body, want)
		}
	}
	if status, _ := env.JSON("GET", "/api/v1/stats.xlsx", env.Token("heping-office"), nil); status != http.StatusOK {
		t.Errorf("workbook without a region: %d", status)
	}
	status, body := env.JSON("GET", "/api/v1/stats", env.Token("admin"), nil)
	if status != http.StatusUnprocessableEntity || decodeError(t, body).Error.Fields["region_code"].Code != "required" {
		t.Errorf("the platform without a region: %d %s, want 422 region_code required", status, body)
	}
}
