package i18n

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	zh, en := c.Keys("zh"), c.Keys("en")
	if len(zh) < 50 {
		t.Fatalf("zh catalog has only %d keys", len(zh))
	}
	for _, k := range zh {
		if !slices.Contains(en, k) {
			t.Errorf("key %q is in zh but not en", k)
		}
	}
	for _, k := range en {
		if !slices.Contains(zh, k) {
			t.Errorf("key %q is in en but not zh", k)
		}
	}
}

func TestTranslate(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("zh", "auth.throttled", map[string]any{"Minutes": 15}); got != "登录失败次数过多，请 15 分钟后再试。" {
		t.Errorf("zh = %q", got)
	}
	if got := c.T("en", "nav.login", nil); got != "Sign in" {
		t.Errorf("en = %q", got)
	}
	if got := c.T("fr", "nav.login", nil); got != "登录" {
		t.Errorf("unsupported language should fall back to zh, got %q", got)
	}
	if got := c.T("zh", "no.such.key", nil); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
}

func TestPick(t *testing.T) {
	cases := []struct{ choice, accept, want string }{
		{"en", "zh-CN", "en"},
		{"", "en-US,en;q=0.9", "en"},
		{"", "zh-CN,zh;q=0.9,en;q=0.8", "zh"},
		{"", "fr-FR, en;q=0.5", "en"},
		{"", "", "zh"},
		{"xx", "de", "zh"},
	}
	for _, c := range cases {
		if got := Pick(c.choice, c.accept); got != c.want {
			t.Errorf("Pick(%q, %q) = %q, want %q", c.choice, c.accept, got, c.want)
		}
	}
}

// templateKey finds message keys in templates: T "key". Keys in Go code are
// found by TestEveryKeyLiteralExists (keyscan_test.go).
var templateKey = regexp.MustCompile(`\.T "([a-z_]+(?:\.[a-z_]+)+)"`)

// TestEveryUsedKeyExists scans the templates so that a message key used in
// one but missing from the catalogs fails here rather than showing up as a
// raw key on screen.
func TestEveryUsedKeyExists(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	_, self, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(self), "..")
	seen := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(path, ".html") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			key := m[1]
			if strings.HasSuffix(key, ".") || strings.HasSuffix(key, "_") {
				continue // a prefix joined with a name at run time
			}
			seen++
			if !slices.Contains(c.Keys("zh"), key) {
				t.Errorf("%s uses message key %q, which the catalogs lack", filepath.Base(path), key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 50 {
		t.Fatalf("found only %d key uses; the scanner is broken", seen)
	}
}

// TestMessagesMatchGoI18n: every message, with and without its arguments,
// reads as go-i18n (which the catalogs were written for and which the server
// used until it cost 4 MB of heap) renders it.
func TestMessagesMatchGoI18n(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	b := goi18n.NewBundle(language.Chinese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, lang := range Supported {
		if _, err := b.LoadMessageFileFS(files, "locales/"+lang+".json"); err != nil {
			t.Fatal(err)
		}
	}
	values := []any{15, "张三 <b>&", 2.5, int64(-7), nil}
	n, withArgs := 0, 0
	for _, lang := range append(Supported, "fr") {
		l := goi18n.NewLocalizer(b, lang)
		if !Valid(lang) { // the server used Default's localizer for other languages
			l = goi18n.NewLocalizer(b, Default)
		}
		for _, key := range c.Keys("zh") {
			m := c.msgs["zh"][key]
			if lm, ok := c.msgs[lang]; ok {
				m = lm[key]
			}
			args := map[string]any{}
			for i, name := range m.args {
				if i%3 != 2 { // leave every third one out
					args[name] = values[(n+i)%len(values)]
				}
			}
			want, err := l.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: args})
			if got := c.T(lang, key, args); err != nil || got != want {
				t.Errorf("%s %s %v: %q, go-i18n %q (%v)", lang, key, args, got, want, err)
			}
			n++
			if len(m.args) > 0 {
				withArgs++
			}
		}
	}
	if n < 1000 || withArgs < 100 {
		t.Fatalf("only %d messages, %d with arguments", n, withArgs)
	}
}

func TestParseMessageRefusesOtherMarkup(t *testing.T) {
	for _, text := range []string{"a {{.Name", "{{Name}}", "{{.}}", "{{.Na me}}", "{{if .A}}x{{end}}", "{{.1a}}"} {
		if m, err := parseMessage(text); err == nil {
			t.Errorf("%q parsed as %+v", text, m)
		}
	}
	m, err := parseMessage("{{.A}}和{{.B2}}")
	if err != nil || len(m.args) != 2 || m.lits[0] != "" || m.lits[1] != "和" || m.lits[2] != "" {
		t.Errorf("parsed %+v, %v", m, err)
	}
}
