package httpx

import (
	"reflect"
	"strings"

	"zhiyuan/internal/apperr"
)

// MaxListItems bounds every list in a request body (a JSON array, a form
// field's repeated values): work a request makes is proportional to what it
// sends, and no list of a form or an API call is longer. Domains bound their
// own lists tighter (a backfill's evidence, a volunteer's tags).
const MaxListItems = 1000

// tooMany is the error naming a list over MaxListItems.
func tooMany(field string) error {
	f := apperr.Fields{}
	f.AddArgs(field, "too_many", "error.too_many_items", map[string]any{"Max": MaxListItems})
	return f.Err()
}

// checkFormLists refuses a form field repeated more than MaxListItems times.
func checkFormLists(values map[string][]string) error {
	for k, vs := range values {
		if len(vs) > MaxListItems {
			return tooMany(k)
		}
	}
	return nil
}

// checkLists refuses a decoded request body holding a list longer than
// MaxListItems, naming it by its JSON field.
func checkLists(v reflect.Value, field string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkLists(v.Elem(), field)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if !sf.IsExported() {
				continue
			}
			name := sf.Name
			if tag, _, _ := strings.Cut(sf.Tag.Get("json"), ","); tag != "" && tag != "-" {
				name = tag
			}
			if err := checkLists(v.Field(i), name); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array, reflect.Map:
		if v.Len() > MaxListItems {
			return tooMany(field)
		}
		if v.Kind() == reflect.Map {
			for it := v.MapRange(); it.Next(); {
				if err := checkLists(it.Value(), field); err != nil {
					return err
				}
			}
			return nil
		}
		for i := range v.Len() {
			if err := checkLists(v.Index(i), field); err != nil {
				return err
			}
		}
	}
	return nil
}
