package sheet

import "testing"

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"  张三  ", "张三"},
		{"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"},
		{"\u3000李\u3000四\u3000", "李 四"},
		{" +86 138  0013\t8000 ", "+86 138 0013 8000"},
		{"\u200b13800138000\ufeff", "13800138000"},
		{"a\u00a0b", "a b"},
		{"line\r\nbreak", "line break"},
		{"ｔａｇ，标签；ＡＢＣ", "tag,标签;ABC"},
		{"soft\u00adhyphen\u200d", "softhyphen"},
		{"ctl\x00\x07x", "ctlx"},
		{"\xff", "\ufffd"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJoinHan(t *testing.T) {
	for in, want := range map[string]string{
		"张 三":         "张三",
		"欧阳 娜 娜":      "欧阳娜娜",
		"Li Ming":     "Li Ming",
		"张 San":       "张 San",
		"天津市 和平区 A 栋": "天津市和平区 A 栋",
	} {
		if got := joinHan(in); got != want {
			t.Errorf("joinHan(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanIDNumber(t *testing.T) {
	for in, want := range map[string]string{
		"'11010519491231002x": "11010519491231002x",
		"１１０１ ０５１９ ４９１２ ３１００ ２Ｘ": "11010519491231002X",
		"＇110105194912310021": "110105194912310021",
	} {
		if got := cleanIDNumber(in); got != want {
			t.Errorf("cleanIDNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIDNumberLooksMangled(t *testing.T) {
	for in, want := range map[string]bool{
		"1.10105E+17":          true,
		"1.10105194912310E+17": true,
		"1.1010519491231e17":   true,
		"110105194912310000":   true,
		"110105194912300000":   true,
		"11010519491231000":    true,
		"11010519491231002X":   false,
		"110105194912310021":   false,
		"110105491231000":      false, // 15 digits fit a number exactly
		"E+17":                 false,
		"1.1E":                 false,
		"":                     false,
	} {
		if got := IDNumberLooksMangled(in); got != want {
			t.Errorf("IDNumberLooksMangled(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestExpandInteger(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"1.1010519491231E+17", "110105194912310000", true},
		{"110105194912310021", "110105194912310021", true},
		{"1.3800138E10", "13800138000", true},
		{"120101001001.0", "120101001001", true},
		{"0", "0", true},
		{"1.5", "", false},
		{"1E-5", "", false},
		{"-1", "", false},
		{"1E+400", "", false},
		{"abc", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := expandInteger(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("expandInteger(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFieldForHeader(t *testing.T) {
	for in, want := range map[string]string{
		"姓名": FieldRealName, " 真实　姓名 ": FieldRealName, "NAME": FieldRealName,
		"身份证号码": FieldIDNumber, "ID Number": FieldIDNumber, "id_number": FieldIDNumber, "＊证件号码（必填）": FieldIDNumber,
		"联系电话": FieldPhone, "居住地": FieldRegion, "Id_Type": FieldIDType, "性别": FieldGender,
		"出生年月日": FieldBirthDate, "特长": FieldSkills, "服务类型": FieldCategories, "志愿者标签": FieldTags,
		"备注": "", "": "",
	} {
		if got := FieldForHeader(in); got != want {
			t.Errorf("FieldForHeader(%q) = %q, want %q", in, got, want)
		}
	}
	if HeaderName(FieldPhone) != "手机号码" || HeaderName("nope") != "" {
		t.Error("HeaderName")
	}
}
