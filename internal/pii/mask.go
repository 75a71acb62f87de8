package pii

import (
	"strings"
	"unicode/utf8"
)

// MaskID masks an identity document number for display. 18-character numbers
// keep the first 6 and last 4 characters ("110105********002X"); shorter or
// longer ones keep the first and last two, and never more than half of the
// characters: 4–5 characters keep the first and last one, 1–3 are fully
// masked. It works on runes and accepts any input.
func MaskID(number string) string {
	n := utf8.RuneCountInString(number)
	if n == 18 {
		return keepEnds(number, 6, 4)
	}
	return maskShort(number, n)
}

// maskShort keeps the first character and the last two (or one) characters
// of an n-rune string without revealing more than half of them.
func maskShort(s string, n int) string {
	switch {
	case n >= 6:
		return keepEnds(s, 1, 2)
	case n >= 4:
		return keepEnds(s, 1, 1)
	}
	return strings.Repeat("*", n)
}

// keepEnds keeps the first head and last tail runes of s and replaces each
// rune in between with '*'. head+tail must not exceed the rune count.
func keepEnds(s string, head, tail int) string {
	r := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, c := range r {
		if i < head || i >= len(r)-tail {
			b.WriteRune(c)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// MaskPhone masks a phone number for display: mobiles keep the first 3 and
// last 4 digits ("138****1234"), landlines keep the area code and the last 2
// digits ("022-******89"). The input is normalised first; anything that is
// not a valid phone number is masked like a short document number.
func MaskPhone(p string) string {
	norm, err := NormalizePhone(p)
	if err != nil {
		return maskShort(p, utf8.RuneCountInString(p))
	}
	if area, local, ok := strings.Cut(norm, "-"); ok {
		return area + "-" + strings.Repeat("*", len(local)-2) + local[len(local)-2:]
	}
	return norm[:3] + "****" + norm[7:]
}

// compoundSurnames are two-character Chinese surnames (复姓) kept whole by MaskName.
var compoundSurnames = map[string]bool{
	"欧阳": true, "司马": true, "上官": true, "诸葛": true, "东方": true,
	"皇甫": true, "尉迟": true, "公孙": true, "慕容": true, "长孙": true,
	"宇文": true, "司徒": true, "夏侯": true, "轩辕": true, "令狐": true,
	"端木": true, "独孤": true, "南宫": true, "西门": true, "呼延": true,
	"澹台": true, "公冶": true, "宗政": true, "濮阳": true, "淳于": true,
	"申屠": true, "钟离": true, "闻人": true, "万俟": true, "赫连": true,
	"司空": true, "拓跋": true, "百里": true, "东郭": true, "闾丘": true,
	"太史": true, "左丘": true, "公羊": true, "谷梁": true, "乐正": true,
}

// MaskName masks a person's name for display, keeping only the surname:
// "张三" → "张*", "欧阳娜娜" → "欧阳**". Two-character compound surnames are
// recognised when the name has at least three characters; otherwise only the
// first character is kept. A one-character name is fully masked, and an empty
// name stays empty. Surrounding white space is trimmed; it works on runes.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	r := []rune(name)
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	}
	keep := 1
	if len(r) >= 3 && compoundSurnames[string(r[:2])] {
		keep = 2
	}
	return string(r[:keep]) + strings.Repeat("*", len(r)-keep)
}

// MaskIDTail is the mask shown to anyone who is neither the person nor
// allowed to reveal the number: every character but the last four is '*',
// and never more than the trailing characters the stored mask (MaskID)
// left in clear, so it may be given either the number or its MaskID form:
// "11010519491231002X" and "110105********002X" both give
// "**************002X", "E******78" gives "*******78". With the birth date
// hidden too (only the age in years is shown), nothing beside it rebuilds
// the number.
func MaskIDTail(number string) string {
	r := []rune(MaskID(number))
	keep := 0
	for keep < 4 && keep < len(r) && r[len(r)-1-keep] != '*' {
		keep++
	}
	return strings.Repeat("*", len(r)-keep) + string(r[len(r)-keep:])
}
