package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/i18n"
)

// describe turns a service error into a message for the terminal, in
// Chinese then English.
func describe(err error) error {
	var e *apperr.Error
	if !errors.As(err, &e) || e.Kind == apperr.Internal {
		return err
	}
	cat, cerr := i18n.Load()
	if cerr != nil {
		return err
	}
	msg := func(key string, args map[string]any) string {
		return cat.T("zh", key, args) + " / " + cat.T("en", key, args)
	}
	lines := []string{msg(e.Key, e.Args)}
	var names []string
	for name := range e.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := e.Fields[name]
		lines = append(lines, fmt.Sprintf("  %s: %s", name, msg(f.Key, f.Args)))
	}
	return errors.New(strings.Join(lines, "\n"))
}
