// Package i18n holds the message catalogs (Simplified Chinese first, English
// beside it) and picks a request's language.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var files embed.FS

// Supported languages, default first.
var Supported = []string{"zh", "en"}

// Default is the language used when nothing else is asked for.
const Default = "zh"

// Catalog translates message keys.
type Catalog struct {
	localizers map[string]*goi18n.Localizer
	keys       map[string][]string
	plain      map[string]map[string]string // messages without arguments, by language and key
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.Chinese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{localizers: map[string]*goi18n.Localizer{}, keys: map[string][]string{}, plain: map[string]map[string]string{}}
	for _, lang := range Supported {
		name := "locales/" + lang + ".json"
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		if _, err := b.ParseMessageFileBytes(data, name); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		var flat map[string]string
		if err := json.Unmarshal(data, &flat); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		c.plain[lang] = map[string]string{}
		for k, msg := range flat {
			c.keys[lang] = append(c.keys[lang], k)
			if !strings.Contains(msg, "{{") {
				c.plain[lang][k] = msg
			}
		}
		sort.Strings(c.keys[lang])
		c.localizers[lang] = goi18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// T returns the message for key in lang, with args filled in ({{.Name}}).
// A missing key returns the key itself, so it shows up rather than vanishing.
func (c *Catalog) T(lang, key string, args map[string]any) string {
	// Most messages take no argument: a page's dozens of labels are map reads.
	if msg, ok := c.plain[lang][key]; ok {
		return msg
	}
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[Default]
	}
	s, err := l.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: args})
	if err != nil {
		return key
	}
	return s
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
