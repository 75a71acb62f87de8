package pii

import "testing"

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		raw, want string
		ok        bool
	}{
		{"13812341234", "13812341234", true},
		{"138 1234 1234", "13812341234", true},
		{"138-1234-1234", "13812341234", true},
		{"138\u30001234\u30001234", "13812341234", true},
		{"+8613812341234", "13812341234", true},
		{"+86 138 1234 1234", "13812341234", true},
		{"0086 13812341234", "13812341234", true},
		{"(+86) 138-1234-1234", "13812341234", true},
		{"１３８１２３４１２３４", "13812341234", true},
		{"  19912341234\n", "19912341234", true},
		{"022-23456789", "022-23456789", true},
		{"02223456789", "022-23456789", true},
		{"(022) 2345 6789", "022-23456789", true},
		{"0222-3456789", "022-23456789", true}, // split comes from the area code
		{"010-12345678", "", false},            // local numbers do not start with 1
		{"010-62345678", "010-62345678", true},
		{"0755-8765432", "0755-8765432", true},
		{"0755-87654321", "0755-87654321", true},
		{"+86 22 2345 6789", "022-23456789", true},
		{"+86 022 2345 6789", "022-23456789", true},
		{"0086-755-87654321", "0755-87654321", true},
		{"12812341234", "", false},      // 12x is not a mobile prefix
		{"1381234123", "", false},       // 10 digits
		{"138123412345", "", false},     // 12 digits
		{"+1 138 1234 1234", "", false}, // other country
		{"8613812341234", "", false},    // country code needs + or 00
		{"011-23456789", "", false},     // no 011 area code
		{"002-23456789", "", false},
		{"022-234567", "", false},       // 6-digit local number
		{"022-234567890", "", false},    // 9-digit local number
		{"0755-0765432", "", false},     // local number starting with 0
		{"022-23456789-123", "", false}, // extensions not supported
		{"23456789", "", false},         // no area code
		{"0", "", false},
		{"02", "", false},
		{"021", "", false},
		{"+86", "", false},
		{"", "", false},
		{"138.1234.1234", "", false},
		{"138１２３４１２３４x", "", false},
		{"一三八", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.raw)
		if tt.ok {
			if err != nil || got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
				continue
			}
			if again, err := NormalizePhone(got); err != nil || again != got {
				t.Errorf("NormalizePhone(%q) not idempotent: %q, %v", got, again, err)
			}
			continue
		}
		if err == nil || ErrorCode(err) != "format" || got != "" {
			t.Errorf("NormalizePhone(%q) = %q, %v; want format error", tt.raw, got, err)
		}
	}
}
