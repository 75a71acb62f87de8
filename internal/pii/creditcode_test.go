package pii

import (
	"errors"
	"testing"
)

func TestParseCreditCode(t *testing.T) {
	tests := []struct {
		name, raw, want, code string
	}{
		{"valid", "91350100M000100Y43", "91350100M000100Y43", ""},
		{"valid lowercase", "91350100m000100y43", "91350100M000100Y43", ""},
		{"valid trimmed", " 91350100M000100Y43\t", "91350100M000100Y43", ""},
		{"valid full-width", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43", ""},
		{"valid letter check", "91110000600037341L", "91110000600037341L", ""},
		{"valid institution", "12100000400000624D", "12100000400000624D", ""},
		{"bad check", "91350100M000100Y44", "", "checksum"},
		{"bad check letter", "91110000600037341M", "", "checksum"},
		{"letter I", "91350100I000100Y43", "", "format"},
		{"letter O", "91350100O000100Y43", "", "format"},
		{"letter Z", "91350100Z000100Y43", "", "format"},
		{"letter S", "91350100S000100Y43", "", "format"},
		{"letter V", "91350100V000100Y43", "", "format"},
		{"bad last char", "91350100M000100Y4Z", "", "format"},
		{"too short", "91350100M000100Y4", "", "format"},
		{"too long", "91350100M000100Y431", "", "format"},
		{"inner space", "91350100 M000100Y43", "", "format"},
		{"dash", "91350100-M000100Y4", "", "format"},
		{"non-ASCII", "91350100M000100Y4三", "", "format"},
		{"empty", "", "", "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCreditCode(tt.raw)
			if tt.code != "" {
				if err == nil || ErrorCode(err) != tt.code {
					t.Fatalf("ParseCreditCode(%q) = %q, %v; want %s error", tt.raw, got, err, tt.code)
				}
				if got != "" {
					t.Errorf("non-empty result %q with error", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseCreditCode(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
			}
		})
	}
}

func TestCreditCheckZero(t *testing.T) {
	// sum ≡ 0 (mod 31) must give check character '0', not index 31.
	const code = "913501000001000090"
	if c, err := CreditCheckChar(code[:17]); err != nil || c != '0' {
		t.Fatalf("CreditCheckChar = %q, %v; want '0'", c, err)
	}
	if _, err := ParseCreditCode(code); err != nil {
		t.Fatal(err)
	}
}

func TestCreditCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
		err  error
	}{
		{"91350100M000100Y4", '3', nil},
		{"91110000600037341", 'L', nil},
		{"91350100M000100Y", 0, ErrCreditFormat},
		{"91350100M000100Y43", 0, ErrCreditFormat},
		{"91350100m000100Y4", 0, ErrCreditFormat}, // must already be upper case
		{"91350100I000100Y4", 0, ErrCreditFormat},
	}
	for _, tt := range tests {
		got, err := CreditCheckChar(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("CreditCheckChar(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestCreditSingleCharErrorsDetected(t *testing.T) {
	const valid = "91350100M000100Y43"
	for i := 0; i < 18; i++ {
		for j := 0; j < len(creditAlphabet); j++ {
			c := creditAlphabet[j]
			if c == valid[i] {
				continue
			}
			s := valid[:i] + string(c) + valid[i+1:]
			if _, err := ParseCreditCode(s); !errors.Is(err, ErrCreditChecksum) {
				t.Errorf("substitution at %d (%s): err = %v, want checksum", i, s, err)
			}
		}
	}
}
