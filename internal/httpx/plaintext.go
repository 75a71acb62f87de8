package httpx

import (
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"zhiyuan/internal/apperr"
)

// ErrBadText refuses input with a NUL character or invalid UTF-8, which
// PostgreSQL cannot store in text: refused on both engines, so they agree.
var ErrBadText = apperr.New(apperr.BadRequest, "error.bad_text")

// PlainText reports whether s is text every database engine can store.
func PlainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// plainRequest refuses a request whose path or query string holds text
// that is not plain.
func plainRequest(next http.Handler, deny Deny) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := PlainText(r.URL.Path)
		for k, vs := range r.URL.Query() {
			ok = ok && PlainText(k)
			for _, v := range vs {
				ok = ok && PlainText(v)
			}
		}
		if !ok {
			deny(w, r, ErrBadText)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// CheckForm returns ErrBadText if a parsed form's values or file names hold
// text that is not plain, and an error naming a field repeated more than
// MaxListItems times.
func CheckForm(r *http.Request) error {
	values := []map[string][]string{r.PostForm}
	if r.MultipartForm != nil {
		values = append(values, r.MultipartForm.Value)
		for _, files := range r.MultipartForm.File {
			for _, f := range files {
				if !PlainText(f.Filename) {
					return ErrBadText
				}
			}
		}
	}
	for _, m := range values {
		if err := checkFormLists(m); err != nil {
			return err
		}
		for k, vs := range m {
			if !PlainText(k) {
				return ErrBadText
			}
			for _, v := range vs {
				if !PlainText(v) {
					return ErrBadText
				}
			}
		}
	}
	return nil
}

// CheckValue returns ErrBadText if any string inside v (a decoded request
// body: structs, pointers, slices, maps) is not plain, and an error naming
// a list longer than MaxListItems.
func CheckValue(v any) error {
	if err := checkLists(reflect.ValueOf(v), "body"); err != nil {
		return err
	}
	if !plainValue(reflect.ValueOf(v)) {
		return ErrBadText
	}
	return nil
}

func plainValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return PlainText(v.String())
	case reflect.Pointer, reflect.Interface:
		return v.IsNil() || plainValue(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && !plainValue(v.Field(i)) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if !plainValue(v.Index(i)) {
				return false
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if !plainValue(it.Key()) || !plainValue(it.Value()) {
				return false
			}
		}
	}
	return true
}
