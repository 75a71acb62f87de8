package sheet

import "testing"

func TestFormatNumber(t *testing.T) {
	for in, want := range map[string]string{
		"110105194912310021":    "110105194912310021",
		"1.1010519491231E+17":   "110105194912310000",
		"13800138000":           "13800138000",
		"12.5":                  "12.5",
		"0.1000000000000000055": "0.1",
		"-3":                    "-3",
		"1E-5":                  "0.00001",
		"not a number":          "not a number",
	} {
		if got := formatNumber(in); got != want {
			t.Errorf("formatNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsDateFormat(t *testing.T) {
	tests := []struct {
		id   int
		code string
		want bool
	}{
		{14, "", true}, {22, "", true}, {31, "", true}, {57, "", true},
		{0, "", false}, {49, "", false}, {2, "", false},
		{176, `yyyy"年"m"月"d"日"`, true},
		{177, `[$-F800]dddd, mmmm dd, yyyy`, true},
		{178, `yyyy/m/d h:mm`, true},
		{179, `0.00_);[Red](0.00)`, false},
		{180, `"days"0`, false},
		{181, `#,##0\m`, false},
		{182, `General`, false},
		{183, `@`, false},
	}
	for _, tt := range tests {
		if got := isDateFormat(tt.id, tt.code); got != tt.want {
			t.Errorf("isDateFormat(%d, %q) = %v, want %v", tt.id, tt.code, got, tt.want)
		}
	}
}

func TestUnescapeBSTR(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          "plain",
		"a_x000D_b":      "a\rb",
		"_x005F_x0041_":  "_x0041_",
		"_x004G_":        "_x004G_",
		"_x41_":          "_x41_",
		"tail_x0041":     "tail_x0041",
		"_x4E2D__x6587_": "中文",
	} {
		if got := unescapeBSTR(in); got != want {
			t.Errorf("unescapeBSTR(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColumnNumber(t *testing.T) {
	for in, want := range map[string]int{"A1": 1, "Z9": 26, "AA10": 27, "XFD1": 16384, "ZZZ1": 18278, "ABCD1": 0, "1": 0, "": 0} {
		if got := columnNumber(in); got != want {
			t.Errorf("columnNumber(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestIDTypeFromName(t *testing.T) {
	for in, want := range map[string]string{
		"居民身份证": "resident", " 身份证 ": "resident", "护照": "passport", "回乡证": "hk_macao_permit",
		"台湾居民来往大陆通行证": "taiwan_permit", "港澳台居民居住证": "hkmt_residence", "外国人永久居留身份证": "foreign_permanent",
		"RESIDENT": "resident", "": "", "驾驶证": "", "港澳通行证": "",
	} {
		got, ok := IDTypeFromName(in)
		if string(got) != want || ok != (want != "") {
			t.Errorf("IDTypeFromName(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
