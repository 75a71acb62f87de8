package checkin

import (
	"testing"
	"time"
)

// fuzzParse checks that parse never panics, that an accepted value is the
// canonical code of its ID for the current or previous window, and that the
// code issued for id round-trips.
func fuzzParse(f *testing.F, issue func(*Codes, int64) Code, parse func(*Codes, string) (int64, error)) {
	c, clk := testCodes(f)
	for _, id := range []int64{1, 127, 128, 1 << 40, -1} {
		f.Add(c.Issue(id).Value, id)
		f.Add(c.IssuePersonal(id).Value, id)
	}
	f.Add("", int64(0))
	f.Add("EQG4y6AcYBjTSbqvB4gICx-W", int64(1))
	f.Add("Ef__________________________________________", int64(2))
	f.Add("https://zhiyuan.example.cn/c/EQG4y6AcYBjTSbqvB4gICx-W", int64(3))
	f.Fuzz(func(t *testing.T, value string, id int64) {
		clk.t = testStart.Add(45 * time.Second)
		if got, err := parse(c, value); err == nil {
			clk.t = testStart
			previous := issue(c, got).Value
			clk.t = testStart.Add(45 * time.Second)
			if value != issue(c, got).Value && value != previous {
				t.Fatalf("accepted %q as %d, which is not its code", value, got)
			}
		} else if got != 0 {
			t.Fatalf("returned %d with error %v", got, err)
		}
		code := issue(c, id)
		if got, err := parse(c, code.Value); err != nil || got != id {
			t.Fatalf("round trip of %d: got %d, %v", id, got, err)
		}
	})
}

func FuzzParse(f *testing.F) {
	fuzzParse(f, (*Codes).Issue, (*Codes).Parse)
}

func FuzzParsePersonal(f *testing.F) {
	fuzzParse(f, (*Codes).IssuePersonal, (*Codes).ParsePersonal)
}
