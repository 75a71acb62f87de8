package region

import "testing"

func TestCovers(t *testing.T) {
	tests := []struct {
		scope, code string
		want        bool
	}{
		{"", "", true},
		{"", "12", true},
		{"", "120101001001", true},
		{"", "99", true}, // structural: well-formed but unknown
		{"", "abc", false},
		{"", "120", false},
		{"12", "12", true},
		{"12", "1201", true},
		{"12", "120101001001", true},
		{"12", "11", false},
		{"12", "", false},
		{"1201", "1201", true},
		{"1201", "120101", true},
		{"1201", "120101001", true},
		{"1201", "120119001001", true},
		{"1201", "110105001", false},
		{"1201", "12", false},
		{"1201", "120", false},    // 3 characters: not a code
		{"1201", "1201a1", false}, // malformed code
		{"1201", "1201010", false},
		{"120101", "1201", false},
		{"120101", "120101", true},
		{"120101", "120102001", false},
		{"120101", "120101001001", true},
		{"120101001", "120101001001", true},
		{"120101001", "120101002001", false},
		{"120101001001", "120101001001", true},
		{"120101001001", "120101001002", false},
		{"120", "120101", false},   // malformed scope
		{"12010", "120101", false}, // malformed scope
		{"1x", "1x01", false},
	}
	for _, tt := range tests {
		if got := Covers(tt.scope, tt.code); got != tt.want {
			t.Errorf("Covers(%q, %q) = %v; want %v", tt.scope, tt.code, got, tt.want)
		}
	}
}

func BenchmarkCovers(b *testing.B) {
	for b.Loop() {
		Covers("1201", "120101001001")
	}
}
