package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002X", "110105********002X"},
		{"91184019850101001X", "911840********001X"},
		{"E12345678", "E******78"},
		{"H1234567801", "H********01"},
		{"USA110085010100", "U************00"},
		{"123456", "1***56"},
		{"12345", "1***5"},
		{"1234", "1**4"},
		{"123", "***"},
		{"1", "*"},
		{"", ""},
		{"张三李四王五", "张***王五"},
		{"\xff\xfe\xfd\xfc\xfb\xfa", "\uFFFD***\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		if got := MaskID(tt.in); got != tt.want {
			t.Errorf("MaskID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskIDNeverRevealsMoreThanHalfForShortInput(t *testing.T) {
	for n := 0; n <= 40; n++ {
		if n == 18 {
			continue // the documented 6+4 format
		}
		in := strings.Repeat("A", n)
		got := MaskID(in)
		if utf8.RuneCountInString(got) != n {
			t.Errorf("MaskID(len %d) changed length: %q", n, got)
		}
		if shown := n - strings.Count(got, "*"); shown*2 > n {
			t.Errorf("MaskID(len %d) = %q reveals %d characters", n, got, shown)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812341234", "138****1234"},
		{"+86 138-1234-1234", "138****1234"},
		{"022-23456789", "022-******89"},
		{"0755-8765432", "0755-*****32"},
		{"02223456789", "022-******89"},
		{"not a phone", "n********ne"},
		{"12345", "1***5"},
		{"电话号码", "电**码"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张*"},
		{"张三丰", "张**"},
		{"欧阳娜娜", "欧阳**"},
		{"欧阳修", "欧阳*"},
		{"诸葛亮", "诸葛*"},
		{"欧阳", "欧*"}, // too short to tell a compound surname from 欧 + 阳
		{"王", "*"},
		{"", ""},
		{"  李四 ", "李*"},
		{"买买提·吐尔逊", "买******"},
		{"John Smith", "J*********"},
		{"\xff\xfe", "\uFFFD*"},
	}
	for _, tt := range tests {
		if got := MaskName(tt.in); got != tt.want {
			t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMasksDoNotPanic(t *testing.T) {
	inputs := []string{"", "\x00", "\xff", "\xe4\xb8", "-", "+86", "0", "1", "X", "张", "+86-", "0086", "(", strings.Repeat("9", 1000), strings.Repeat("\xff", 50)}
	for _, in := range inputs {
		_ = MaskID(in)
		_ = MaskPhone(in)
		_ = MaskName(in)
	}
}

func TestMaskIDTail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002X", "**************002X"},
		{"110105********002X", "**************002X"},
		{"E12345678", "*******78"},
		{"E******78", "*******78"},
		{"H1234567801", "*********01"},
		{"1234", "***4"},
		{"123", "***"},
		{"", ""},
		{"张三李四王五", "****王五"},
	}
	for _, tt := range tests {
		if got := MaskIDTail(tt.in); got != tt.want {
			t.Errorf("MaskIDTail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
