package checkin

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestNewCodes(t *testing.T) {
	if _, err := NewCodes(make([]byte, MinKeySize-1), 0, nil); !errors.Is(err, ErrKeySize) {
		t.Errorf("short key: got %v, want ErrKeySize", err)
	}
	key := bytes.Repeat([]byte{1}, MinKeySize)
	c, err := NewCodes(key, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.period != DefaultPeriod {
		t.Errorf("period = %v, want %v", c.period, DefaultPeriod)
	}
	v := c.Issue(7).Value
	key[0] = 2 // the caller's slice must not be aliased
	if err := c.Verify(v, 7); err != nil {
		t.Errorf("Verify after caller changed its key slice: %v", err)
	}
}

func TestIssueVerifyWindows(t *testing.T) {
	const shift = 1234
	tests := []struct {
		name    string
		issued  time.Duration // issue time, from testStart
		checked time.Duration // check time, from testStart
		want    error
	}{
		{"same window, start", 0, 0, nil},
		{"same window, end", 0, 30*time.Second - time.Nanosecond, nil},
		{"issued at window end", 30*time.Second - time.Nanosecond, 30*time.Second - time.Nanosecond, nil},
		{"previous window", 0, 30 * time.Second, nil},
		{"previous window, end", 0, 60*time.Second - time.Nanosecond, nil},
		{"two windows old", 0, 60 * time.Second, ErrExpired},
		{"a day old", 0, 24 * time.Hour, ErrExpired},
		{"next window", 30 * time.Second, 30*time.Second - time.Nanosecond, ErrFuture},
		{"far future", 10 * 365 * 24 * time.Hour, 0, ErrFuture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, clk := testCodes(t)
			clk.t = testStart.Add(tt.issued)
			code := c.Issue(shift)
			clk.t = testStart.Add(tt.checked)
			if err := c.Verify(code.Value, shift); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify: got %v, want %v", err, tt.want)
			}
			id, err := c.Parse(code.Value)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Parse: got %v, want %v", err, tt.want)
			}
			if err == nil && id != shift {
				t.Errorf("Parse: got shift %d, want %d", id, shift)
			}
			if err != nil && id != 0 {
				t.Errorf("Parse: got shift %d with error %v", id, err)
			}
		})
	}
}

func TestExpiresAt(t *testing.T) {
	c, clk := testCodes(t)
	clk.t = testStart.Add(17 * time.Second)
	want := testStart.Add(30 * time.Second)
	if got := c.Issue(1).ExpiresAt; !got.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", got, want)
	}
	if got := c.IssuePersonal(1).ExpiresAt; !got.Equal(want) {
		t.Errorf("personal ExpiresAt = %v, want %v", got, want)
	}
}

func TestIssueDeterministicPerWindow(t *testing.T) {
	c, clk := testCodes(t)
	a := c.Issue(5).Value
	clk.t = testStart.Add(29 * time.Second)
	if b := c.Issue(5).Value; a != b {
		t.Errorf("same window: %q != %q", a, b)
	}
	clk.t = testStart.Add(30 * time.Second)
	if b := c.Issue(5).Value; a == b {
		t.Errorf("next window: code did not change")
	}
	if a == c.Issue(6).Value || a == c.IssuePersonal(5).Value {
		t.Errorf("codes of different IDs or kinds collide")
	}
}

func TestVerifyErrors(t *testing.T) {
	c, _ := testCodes(t)
	other, err := NewCodes(bytes.Repeat([]byte{0x43}, MinKeySize), 0, func() time.Time { return testStart })
	if err != nil {
		t.Fatal(err)
	}
	valid := c.Issue(10).Value
	tests := []struct {
		name  string
		value string
		shift int64
		want  error
	}{
		{"valid", valid, 10, nil},
		{"another shift", c.Issue(11).Value, 10, ErrWrongShift},
		{"personal code", c.IssuePersonal(10).Value, 10, ErrWrongKind},
		{"another key", other.Issue(10).Value, 10, ErrForged},
		{"empty", "", 10, ErrMalformed},
		{"garbage", "hello, world", 10, ErrMalformed},
		{"too short", valid[:minEncoded-1], 10, ErrMalformed},
		{"truncated", valid[:len(valid)-1], 10, ErrMalformed},
		{"extended", valid + "A", 10, ErrMalformed},
		{"huge", strings.Repeat("A", 1<<20), 10, ErrMalformed},
		{"padded", valid + "=", 10, ErrMalformed},
		{"line break", valid[:8] + "\n" + valid[8:], 10, ErrMalformed},
		{"space", " " + valid, 10, ErrMalformed},
		{"standard base64", strings.NewReplacer("-", "+", "_", "/").Replace(valid) + "+", 10, ErrMalformed},
		{"all zero", strings.Repeat("A", 27), 10, ErrMalformed},
		{"url", "https://example.org/c/" + valid, 10, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Verify(tt.value, tt.shift)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify: got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestKindsAreSeparate(t *testing.T) {
	c, _ := testCodes(t)
	if _, err := c.Parse(c.IssuePersonal(3).Value); !errors.Is(err, ErrWrongKind) {
		t.Errorf("Parse(personal): got %v, want ErrWrongKind", err)
	}
	if _, err := c.ParsePersonal(c.Issue(3).Value); !errors.Is(err, ErrWrongKind) {
		t.Errorf("ParsePersonal(shift): got %v, want ErrWrongKind", err)
	}
	id, err := c.ParsePersonal(c.IssuePersonal(3).Value)
	if err != nil || id != 3 {
		t.Errorf("ParsePersonal: got %d, %v; want 3, nil", id, err)
	}
	// Relabelling the header without re-signing must not pass either.
	raw, _ := encoding.DecodeString(c.Issue(3).Value)
	raw[0] = version<<4 | kindPersonal
	if _, err := c.ParsePersonal(encoding.EncodeToString(raw)); !errors.Is(err, ErrForged) {
		t.Errorf("relabelled shift code: got %v, want ErrForged", err)
	}
}

// TestSingleChange changes, inserts and deletes each character of valid
// codes; no variant may be accepted.
func TestSingleChange(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	extra := "=+/ .\n\r\x00\xff"
	c, clk := testCodes(t)
	for _, ids := range []int64{1, 200, 1 << 20, math.MaxInt64, -1} {
		for _, personal := range []bool{false, true} {
			clk.t = testStart
			code := c.Issue(ids)
			if personal {
				code = c.IssuePersonal(ids)
			}
			clk.t = testStart.Add(45 * time.Second) // previous window: still valid
			check := func(v string) {
				var err error
				if personal {
					_, err = c.ParsePersonal(v)
				} else {
					_, err = c.Parse(v)
				}
				if !errors.Is(err, ErrForged) && !errors.Is(err, ErrMalformed) {
					t.Fatalf("variant %q of %q: got %v, want ErrForged or ErrMalformed", v, code.Value, err)
				}
			}
			v, set := code.Value, alphabet+extra
			for i := 0; i <= len(v); i++ {
				for j := 0; j < len(set); j++ {
					check(v[:i] + set[j:j+1] + v[i:])
				}
				if i == len(v) {
					break
				}
				for j := 0; j < len(set); j++ {
					if set[j] != v[i] {
						check(v[:i] + set[j:j+1] + v[i+1:])
					}
				}
				check(v[:i] + v[i+1:])
			}
		}
	}
}

func TestIDRoundTrip(t *testing.T) {
	c, _ := testCodes(t)
	for _, id := range []int64{0, 1, 127, 128, 16383, 16384, 1<<21 - 1, 1 << 21, math.MaxInt64, -1, math.MinInt64} {
		if got, err := c.Parse(c.Issue(id).Value); err != nil || got != id {
			t.Errorf("Parse(Issue(%d)) = %d, %v", id, got, err)
		}
		if got, err := c.ParsePersonal(c.IssuePersonal(id).Value); err != nil || got != id {
			t.Errorf("ParsePersonal(IssuePersonal(%d)) = %d, %v", id, got, err)
		}
	}
}

// TestCodeLength pins and reports the length of codes at today's window
// numbers (4-byte varint with a 30 s period).
func TestCodeLength(t *testing.T) {
	c, _ := testCodes(t)
	tests := []struct {
		id   int64
		want int
	}{
		{1, 24}, {127, 24}, {128, 26}, {16383, 26}, {16384, 27}, {1<<21 - 1, 27},
		{1 << 21, 28}, {math.MaxInt64, 35}, {-1, 36},
	}
	for _, tt := range tests {
		v := c.Issue(tt.id).Value
		t.Logf("shift %d: %d characters: %s", tt.id, len(v), v)
		if len(v) != tt.want {
			t.Errorf("shift %d: length %d, want %d", tt.id, len(v), tt.want)
		}
		if len(v) < minEncoded || len(v) > maxEncoded {
			t.Errorf("shift %d: length %d outside [%d, %d]", tt.id, len(v), minEncoded, maxEncoded)
		}
	}
}

func TestErrorCode(t *testing.T) {
	c, _ := testCodes(t)
	_, err := c.Parse("x")
	if got := ErrorCode(err); got != "malformed" {
		t.Errorf("ErrorCode(malformed) = %q", got)
	}
	if got := ErrorCode(c.Verify(c.Issue(1).Value, 2)); got != "wrong_shift" {
		t.Errorf("ErrorCode(wrong shift) = %q", got)
	}
	if got := ErrorCode(errors.New("x")); got != "" {
		t.Errorf("ErrorCode(other) = %q", got)
	}
	if got := ErrorCode(nil); got != "" {
		t.Errorf("ErrorCode(nil) = %q", got)
	}
}
