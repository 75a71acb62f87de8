// Package i18n holds the message catalogs (Simplified Chinese first, English
// beside it) and picks a request's language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed locales/*.json
var files embed.FS

// Supported languages, default first.
var Supported = []string{"zh", "en"}

// Default is the language used when nothing else is asked for.
const Default = "zh"

// Catalog translates message keys. Messages are flat JSON strings whose only
// markup is an argument, {{.Name}}, filled in with fmt.Sprint of the value
// ("<no value>" when missing, as text/template prints it).
type Catalog struct {
	msgs map[string]map[string]message // by language and key
	keys map[string][]string
}

// message is a parsed message: its text when it takes no argument, else the
// literal pieces between its arguments (len(lits) == len(args)+1).
type message struct {
	lits []string
	args []string
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]message{}, keys: map[string][]string{}}
	for _, lang := range Supported {
		name := "locales/" + lang + ".json"
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		var flat map[string]string
		if err := json.Unmarshal(data, &flat); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		c.msgs[lang] = make(map[string]message, len(flat))
		for k, text := range flat {
			m, err := parseMessage(text)
			if err != nil {
				return nil, fmt.Errorf("i18n: %s: %s: %w", name, k, err)
			}
			c.msgs[lang][k] = m
			c.keys[lang] = append(c.keys[lang], k)
		}
		sort.Strings(c.keys[lang])
	}
	return c, nil
}

// parseMessage splits text at its {{.Name}} arguments.
func parseMessage(text string) (message, error) {
	var m message
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			m.lits = append(m.lits, text)
			return m, nil
		}
		end := strings.Index(text[i:], "}}")
		if end < 0 {
			return message{}, fmt.Errorf("unclosed {{ in %q", text)
		}
		arg := text[i+2 : i+end]
		if !isArg(arg) {
			return message{}, fmt.Errorf("{{%s}} is not an argument of the form {{.Name}}", arg)
		}
		m.lits = append(m.lits, text[:i])
		m.args = append(m.args, arg[1:])
		text = text[i+end+2:]
	}
}

// isArg reports whether s is .Name with Name a Go identifier of ASCII letters
// and digits.
func isArg(s string) bool {
	if len(s) < 2 || s[0] != '.' {
		return false
	}
	for i, r := range s[1:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// T returns the message for key in lang, with args filled in ({{.Name}}).
// An unsupported language gets Default's message; a missing key returns the
// key itself, so it shows up rather than vanishing.
func (c *Catalog) T(lang, key string, args map[string]any) string {
	msgs, ok := c.msgs[lang]
	if !ok {
		msgs = c.msgs[Default]
	}
	m, ok := msgs[key]
	if !ok {
		if m, ok = c.msgs[Default][key]; !ok {
			return key
		}
	}
	if len(m.args) == 0 {
		return m.lits[0]
	}
	var b strings.Builder
	for i, name := range m.args {
		b.WriteString(m.lits[i])
		if v, ok := args[name]; ok && v != nil {
			fmt.Fprint(&b, v)
		} else {
			b.WriteString("<no value>")
		}
	}
	b.WriteString(m.lits[len(m.args)])
	return b.String()
}

// Keys returns the sorted keys of a language's catalog.
func (c *Catalog) Keys(lang string) []string { return c.keys[lang] }

// Pick chooses the language: an explicit choice if supported, else the first
// supported language in an Accept-Language header, else Default.
func Pick(choice, acceptLanguage string) string {
	if Valid(choice) {
		return choice
	}
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if strings.HasPrefix(tag, "zh") {
			return "zh"
		}
		if strings.HasPrefix(tag, "en") {
			return "en"
		}
	}
	return Default
}

// Valid reports whether lang is a supported language.
func Valid(lang string) bool {
	for _, s := range Supported {
		if s == lang {
			return true
		}
	}
	return false
}
