package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
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

// keyUse finds message keys in Go code and templates: T "key" in templates,
// and "area.name"-style string literals passed to the catalog from Go.
var (
	templateKey = regexp.MustCompile(`\.T "([a-z_]+(?:\.[a-z_]+)+)"`)
	goKey       = regexp.MustCompile(`"((?:error|auth|account|accounts|grant|region|flash|audit|login|home|nav|volunteer|team|import|export|roster|catalog|project|shift|signup|checkin|record|certificate|ical|shifts|records|leader|stats)\.[a-z_.]+)"`)
)

// TestEveryUsedKeyExists scans the source tree so that a message key used in
// a template or a Go file but missing from the catalogs fails here rather
// than showing up as a raw key on screen.
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
		isTmpl := strings.HasSuffix(path, ".html")
		if !isTmpl && (!strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		re, text := goKey, string(b)
		if isTmpl {
			re = templateKey
		} else {
			text = withoutComments(text)
		}
		for _, m := range re.FindAllStringSubmatch(text, -1) {
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

// withoutComments drops Go line comments, whose examples are not uses.
func withoutComments(src string) string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "//") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// TestPlainMessagesMatchTheLocalizer: the read-through of argument-free
// messages gives what go-i18n gives.
func TestPlainMessagesMatchTheLocalizer(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for lang, msgs := range c.plain {
		for key, msg := range msgs {
			want, err := c.localizers[lang].Localize(&goi18n.LocalizeConfig{MessageID: key})
			if err != nil || want != msg {
				t.Errorf("%s %s: %q, localizer %q (%v)", lang, key, msg, want, err)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("only %d plain messages", n)
	}
}
