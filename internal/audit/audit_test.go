package audit

import (
	"encoding/json"
	"testing"
)

// TestMarshalDetailIsEncodingJSON: the direct writing of a detail gives the
// bytes encoding/json gives, and the details it does not handle go to it.
func TestMarshalDetailIsEncodingJSON(t *testing.T) {
	for _, m := range []map[string]any{
		{"volunteer_id": int64(42), "method": "qr"},
		{"volunteer_id": int64(-7), "minutes": 180},
		{"b": 1, "a": 2, "c": "x-y.z_9"},
		{"reason": "手机没电"},
		{"note": `say "hi" <b>&`},
		{"ok": true, "n": 1},
		{"ids": []int64{1, 2}},
		{"weird key": 1},
		{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9},
		{"": ""},
	} {
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := marshalDetail(m)
		if err != nil || string(got) != string(want) {
			t.Errorf("marshalDetail(%v) = %s, %v; encoding/json: %s", m, got, err, want)
		}
	}
}
