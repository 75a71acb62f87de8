package region

import "testing"

func TestFind(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"120101001", "120101001"},
		{"天津市和平区劝业场街道", "120101001"},
		{"天津市 和平区 劝业场街道 花园路社区居委会", "120101001001"},
		{"天津市市辖区和平区", "120101"},
		{"天津市", "12"},
		{"北京市朝阳区", "110105"},
		{"天津市和平区不存在街道", ""},
		{"和平区", ""},
		{"999999", ""},
		{"", ""},
	}
	for _, c := range cases {
		r, ok := Find(c.in)
		if (c.want == "") == ok || r.Code != c.want {
			t.Errorf("Find(%q) = %q %v, want %q", c.in, r.Code, ok, c.want)
		}
	}
}
