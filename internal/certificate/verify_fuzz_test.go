package certificate

import (
	"bytes"
	"reflect"
	"testing"
)

// tamper sets the sel-th signed text field of d (by reflection, then the
// text fields of each record) to v and reports whether that changed it.
func tamper(d *Data, sel uint8, v string) bool {
	var fields []reflect.Value
	dv := reflect.ValueOf(d).Elem()
	for i := range dv.NumField() {
		if f := dv.Field(i); f.Kind() == reflect.String && dv.Type().Field(i).Name != "KeyID" {
			fields = append(fields, f)
		}
	}
	d.Records = append([]RecordLine(nil), d.Records...)
	for i := range d.Records {
		rv := reflect.ValueOf(&d.Records[i]).Elem()
		for j := range rv.NumField() {
			if rv.Field(j).Kind() == reflect.String {
				fields = append(fields, rv.Field(j))
			}
		}
	}
	f := fields[int(sel)%len(fields)]
	changed := f.String() != v
	f.SetString(v)
	return changed
}

// FuzzVerify checks the certificate verifier: a signed certificate with any
// text field changed to any value (newlines, tabs, backslashes, "key=" lines
// that try to forge the payload) no longer verifies, an unchanged one does,
// and any signature string decodes and verifies only if it is the genuine one.
func FuzzVerify(f *testing.F) {
	s := mustSigner(f)
	orig := s.Seal(sample(3))
	f.Add(uint8(0), orig.Serial, EncodeSignature(orig.Signature))
	f.Add(uint8(2), orig.VolunteerName+"\nid_type=居民身份证", "")
	f.Add(uint8(3), `居民身份证\nid_masked=`, "AAAA")
	f.Add(uint8(20), "2026-03-05\t项目\t内容", "_-_-")
	f.Add(uint8(9), "", "\x00\xff")
	f.Add(uint8(255), "\\", EncodeSignature(append(bytes.Clone(orig.Signature), 0)))
	f.Fuzz(func(t *testing.T, sel uint8, value, sig string) {
		d := orig
		changed := tamper(&d, sel, value)
		if got := Verify(s.PublicKey(), d, orig.Signature); got == changed {
			t.Fatalf("field %d set to %q: verifies = %v, changed = %v", sel, value, got, changed)
		}
		raw, err := DecodeSignature(sig)
		if err != nil {
			return
		}
		if got := Verify(s.PublicKey(), orig, raw); got != bytes.Equal(raw, orig.Signature) {
			t.Fatalf("signature %q verifies = %v", sig, got)
		}
		_ = Verify(raw, orig, raw) // a key of any length is refused, not a panic
	})
}
