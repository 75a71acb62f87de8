package httpx

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"zhiyuan/internal/apperr"
)

// TestListsBounded: a decoded body's list and a form field's repeats over
// MaxListItems are refused, naming the field; lists up to it pass.
func TestListsBounded(t *testing.T) {
	type body struct {
		IDs  []int64 `json:"evidence_upload_ids"`
		Nest *struct {
			Tags []string `json:"tags"`
		} `json:"nest"`
	}
	ok := body{IDs: make([]int64, MaxListItems)}
	if err := CheckValue(&ok); err != nil {
		t.Fatalf("%d ids: %v", MaxListItems, err)
	}
	long := body{IDs: make([]int64, MaxListItems+1)}
	if e := apperr.From(CheckValue(&long)); e.Kind != apperr.Invalid || e.Fields["evidence_upload_ids"].Code != "too_many" {
		t.Fatalf("%d ids: %v", MaxListItems+1, e)
	}
	nested := body{Nest: &struct {
		Tags []string `json:"tags"`
	}{Tags: make([]string, MaxListItems+1)}}
	if e := apperr.From(CheckValue(&nested)); e.Fields["tags"].Code != "too_many" {
		t.Fatalf("nested list: %v", e)
	}
	form := url.Values{"tags": make([]string, MaxListItems+1)}
	r := httptest.NewRequest("POST", "/", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_ = r.ParseForm()
	if e := apperr.From(CheckForm(r)); e.Fields["tags"].Code != "too_many" {
		t.Fatalf("form field repeated: %v", e)
	}
}
