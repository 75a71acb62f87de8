package region

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLevelOf(t *testing.T) {
	tests := []struct {
		code string
		want Level
		ok   bool
	}{
		{"12", LevelProvince, true},
		{"1201", LevelCity, true},
		{"120101", LevelCounty, true},
		{"120101001", LevelStreet, true},
		{"120101001001", LevelCommunity, true},
		{"99", LevelProvince, true}, // well-formed though unknown
		{"", 0, false},
		{"1", 0, false},
		{"120", 0, false},
		{"12010", 0, false},
		{"1201010", 0, false},
		{"1201010010", 0, false},
		{"1201010010010", 0, false},
		{"1a", 0, false},
		{"12010 ", 0, false},
		{"-12010", 0, false},
		{"１２", 0, false}, // full-width digits: 6 bytes, not digits
		{"120101001٠٠١", 0, false},
	}
	for _, tt := range tests {
		got, ok := LevelOf(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LevelOf(%q) = %v, %v; want %v, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLevelString(t *testing.T) {
	tests := map[Level]string{
		LevelProvince:  "province",
		LevelCity:      "city",
		LevelCounty:    "county",
		LevelStreet:    "street",
		LevelCommunity: "community",
		0:              "Level(0)",
		6:              "Level(6)",
	}
	for l, want := range tests {
		if got := l.String(); got != want {
			t.Errorf("Level(%d).String() = %q; want %q", int(l), got, want)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		code string
		name string
		ok   bool
	}{
		{"11", "北京市", true},
		{"12", "天津市", true},
		{"1201", "市辖区", true},
		{"120101", "和平区", true},
		{"120116", "滨海新区", true},
		{"120101001", "劝业场街道", true},
		{"120101001001", "花园路社区居委会", true},
		{"120101001014", "静园社区居委会", true},
		{"110105027200", "小红门村民委员会", true},
		{"130209403002", "居委会", true}, // the name is all suffix
		{"441900003", "东城街道", true},
		{"00", "", false},
		{"99", "", false},
		{"1202", "", false},
		{"120107", "", false},
		{"120101999", "", false},
		{"120101001003", "", false}, // gap between 002 and 004
		{"120101001999", "", false},
		{"999999999999", "", false},
		{"", "", false},
		{"12x", "", false},
	}
	for _, tt := range tests {
		r, ok := Lookup(tt.code)
		if ok != tt.ok || r.Name != tt.name {
			t.Errorf("Lookup(%q) = %+v, %v; want name %q, %v", tt.code, r, ok, tt.name, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if l, _ := LevelOf(tt.code); r.Code != tt.code || r.Level != l {
			t.Errorf("Lookup(%q) = %+v; want code %q level %v", tt.code, r, tt.code, l)
		}
		if Valid(tt.code) != tt.ok {
			t.Errorf("Valid(%q) = %v; want %v", tt.code, !tt.ok, tt.ok)
		}
	}
}

func TestCheck(t *testing.T) {
	if err := Check("120101001001"); err != nil {
		t.Errorf("Check(known) = %v; want nil", err)
	}
	for _, code := range []string{"", "1", "99", "12x", "120101001999"} {
		err := Check(code)
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("Check(%q) = %v; want ErrUnknown", code, err)
		}
		if want := `region: unknown code "` + code + `"`; err != nil && err.Error() != want {
			t.Errorf("Check(%q) message = %q; want %q", code, err, want)
		}
	}
}

func names(rs []Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

func codes(rs []Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

func TestTianjin(t *testing.T) {
	if got := Children("12"); len(got) != 1 || got[0] != (Region{"1201", "市辖区", LevelCity}) {
		t.Errorf("Children(12) = %v; want the one city 1201 市辖区", got)
	}
	wantCodes := []string{
		"120101", "120102", "120103", "120104", "120105", "120106", "120110", "120111",
		"120112", "120113", "120114", "120115", "120116", "120117", "120118", "120119",
	}
	wantNames := []string{
		"和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区",
		"津南区", "北辰区", "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区",
	}
	got := Children("1201")
	if !slices.Equal(codes(got), wantCodes) || !slices.Equal(names(got), wantNames) {
		t.Errorf("Children(1201) = %v", got)
	}
	for _, r := range got {
		if r.Level != LevelCounty {
			t.Errorf("Children(1201): %v has level %v", r, r.Level)
		}
	}

	wantStreets := []string{"劝业场街道", "小白楼街道", "五大道街道", "新兴街道", "南营门街道", "南市街道"}
	streets := Children("120101")
	if !slices.Equal(names(streets), wantStreets) {
		t.Errorf("Children(120101) = %v; want %v", names(streets), wantStreets)
	}
	if len(streets) > 0 && streets[0] != (Region{"120101001", "劝业场街道", LevelStreet}) {
		t.Errorf("first street of 和平区 = %+v", streets[0])
	}
}

func TestChildren(t *testing.T) {
	if got := Children(""); len(got) != 31 || got[0].Name != "北京市" || got[30].Code != "65" {
		t.Errorf("Children(\"\") = %v; want the 31 provinces", got)
	}
	tests := []struct {
		parent string
		n      int
		first  Region
	}{
		{"11", 1, Region{"1101", "市辖区", LevelCity}},
		{"4419", 1, Region{"441900", "东莞市", LevelCounty}},
		{"110105", 43, Region{"110105001", "建外街道", LevelStreet}},
		{"120101001", 12, Region{"120101001001", "花园路社区居委会", LevelCommunity}},
		{"120101001001", 0, Region{}}, // communities have no children
		{"99", 0, Region{}},
		{"1202", 0, Region{}},
		{"120199", 0, Region{}},
		{"120101999", 0, Region{}},
		{"12x", 0, Region{}},
		{"1", 0, Region{}},
	}
	for _, tt := range tests {
		got := Children(tt.parent)
		if len(got) != tt.n || (tt.n == 0) != (got == nil) {
			t.Errorf("Children(%q) has %d regions (nil: %v); want %d", tt.parent, len(got), got == nil, tt.n)
			continue
		}
		if tt.n > 0 && got[0] != tt.first {
			t.Errorf("Children(%q)[0] = %+v; want %+v", tt.parent, got[0], tt.first)
		}
		for i, r := range got {
			if Parent(r.Code) != tt.parent || (i > 0 && got[i-1].Code >= r.Code) {
				t.Errorf("Children(%q)[%d] = %+v: wrong parent or order", tt.parent, i, r)
			}
		}
	}
	wantComm := []string{
		"120101001001", "120101001002", "120101001004", "120101001005",
		"120101001006", "120101001007", "120101001008", "120101001009",
		"120101001010", "120101001012", "120101001013", "120101001014",
	}
	if got := codes(Children("120101001")); !slices.Equal(got, wantComm) {
		t.Errorf("Children(120101001) codes = %v; want %v", got, wantComm)
	}
}

func TestParent(t *testing.T) {
	tests := map[string]string{
		"":             "",
		"12":           "",
		"1201":         "12",
		"120101":       "1201",
		"120101001":    "120101",
		"120101001001": "120101001",
		"999999":       "9999", // by structure, whether known or not
		"1201010":      "",
		"12x1":         "",
	}
	for code, want := range tests {
		if got := Parent(code); got != want {
			t.Errorf("Parent(%q) = %q; want %q", code, got, want)
		}
	}
}

func TestAncestorsFullName(t *testing.T) {
	tests := []struct {
		code      string
		ancestors string // codes joined by ","
		full      string
	}{
		{"12", "", "天津市"},
		{"1201", "12", "天津市"},
		{"120101", "12,1201", "天津市 和平区"},
		{"120101001", "12,1201,120101", "天津市 和平区 劝业场街道"},
		{"120101001001", "12,1201,120101,120101001", "天津市 和平区 劝业场街道 花园路社区居委会"},
		{"500229", "50,5002", "重庆市 城口县"},                 // city "县"
		{"419001", "41,4190", "河南省 济源市"},                 // 省直辖县级行政区划
		{"441900003", "44,4419,441900", "广东省 东莞市 东城街道"},  // county repeats city
		{"620201001", "62,6202,620201", "甘肃省 嘉峪关市 雄关街道"}, // likewise
		{"110105027200", "11,1101,110105,110105027", "北京市 朝阳区 小红门地区 小红门村民委员会"},
		{"120101999", "", ""},
		{"1202", "", ""},
		{"12x", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(codes(Ancestors(tt.code)), ","); got != tt.ancestors {
			t.Errorf("Ancestors(%q) = %s; want %s", tt.code, got, tt.ancestors)
		}
		if got := FullName(tt.code); got != tt.full {
			t.Errorf("FullName(%q) = %q; want %q", tt.code, got, tt.full)
		}
	}
	if got := Ancestors("120101001001"); got[1] != (Region{"1201", "市辖区", LevelCity}) {
		t.Errorf("Ancestors(120101001001)[1] = %+v", got[1])
	}
}
