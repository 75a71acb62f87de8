package certificate

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

func TestNewSignerSeedSize(t *testing.T) {
	for _, n := range []int{0, 31, 33, 64} {
		if _, err := NewSigner(make([]byte, n)); err == nil {
			t.Errorf("seed of %d bytes accepted", n)
		}
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	s := mustSigner(t)
	d := sample(5)
	sig := s.Sign(d)
	if len(sig) != ed25519.SignatureSize {
		t.Fatalf("signature is %d bytes", len(sig))
	}
	if !Verify(s.PublicKey(), d, sig) {
		t.Fatal("signature does not verify")
	}
	sealed := s.Seal(d)
	if !bytes.Equal(sealed.Signature, sig) || sealed.KeyID != KeyID(s.PublicKey()) {
		t.Error("Seal differs from Sign and KeyID")
	}
	if !Verify(s.PublicKey(), sealed, sealed.Signature) {
		t.Error("Signature and KeyID changed the payload")
	}
	back, err := DecodeSignature(EncodeSignature(sig))
	if err != nil || !bytes.Equal(back, sig) {
		t.Errorf("signature encoding round trip: %v", err)
	}
	other, _ := NewSigner(bytes.Repeat([]byte{7}, 32))
	if Verify(other.PublicKey(), d, sig) {
		t.Error("verified with another key")
	}
	if Verify(s.PublicKey()[:31], d, sig) || Verify(s.PublicKey(), d, sig[:63]) {
		t.Error("verified with a short key or signature")
	}
}

func TestVerifyFailsOnEverySignatureByte(t *testing.T) {
	s := mustSigner(t)
	d := sample(3)
	sig := s.Sign(d)
	for i := range sig {
		bad := bytes.Clone(sig)
		bad[i] ^= 0x01
		if Verify(s.PublicKey(), d, bad) {
			t.Errorf("signature with byte %d changed still verifies", i)
		}
	}
}

// TestVerifyFailsOnEveryField changes each field of Data in turn (found by
// reflection, so a new field cannot be forgotten) and each field of a
// record.
func TestVerifyFailsOnEveryField(t *testing.T) {
	s := mustSigner(t)
	d := sample(3)
	sig := s.Sign(d)
	v := reflect.ValueOf(&d).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if name == "Signature" || name == "KeyID" {
			continue
		}
		changed := d
		changed.Records = append([]RecordLine(nil), d.Records...)
		f := reflect.ValueOf(&changed).Elem().Field(i)
		switch x := f.Addr().Interface().(type) {
		case *string:
			*x += "x"
		case *int:
			*x++
		case *time.Time:
			*x = x.AddDate(0, 0, 1)
		case *[]RecordLine:
			*x = (*x)[:len(*x)-1]
		case *[]RestLine:
			*x = []RestLine{{Year: "2025", Team: "甲队", Records: 1, Minutes: 60, First: "2025-01-01", Last: "2025-01-01"}}
		default:
			t.Fatalf("field %s: type %T not covered by this test", name, x)
		}
		if Verify(s.PublicKey(), changed, sig) {
			t.Errorf("changing %s keeps the signature valid", name)
		}
	}
	recordChanges := map[string]func(*RecordLine){
		"Date":    func(r *RecordLine) { r.Date = "2026-01-06" },
		"Project": func(r *RecordLine) { r.Project += "x" },
		"Content": func(r *RecordLine) { r.Content += "x" },
		"Minutes": func(r *RecordLine) { r.Minutes++ },
	}
	for name, change := range recordChanges {
		changed := d
		changed.Records = append([]RecordLine(nil), d.Records...)
		change(&changed.Records[0])
		if Verify(s.PublicKey(), changed, sig) {
			t.Errorf("changing record %s keeps the signature valid", name)
		}
	}
	swapped := d
	swapped.Records = []RecordLine{d.Records[1], d.Records[0], d.Records[2]}
	if Verify(s.PublicKey(), swapped, sig) {
		t.Error("reordering records keeps the signature valid")
	}
}

// TestPayloadEscaping shows that a value cannot forge another line or field.
func TestPayloadEscaping(t *testing.T) {
	a, b := sample(1), sample(1)
	a.VolunteerName = "甲\nid_type=乙"
	b.VolunteerName = "甲"
	b.IDTypeLabel = "乙\nid_type=" + b.IDTypeLabel
	if bytes.Equal(Payload(a), Payload(b)) {
		t.Error("newline in a value forges a line")
	}
	c, e := sample(1), sample(1)
	c.Records[0].Project = "A\tB"
	e.Records[0].Project, e.Records[0].Content = "A", "B\t"+e.Records[0].Content
	if bytes.Equal(Payload(c), Payload(e)) {
		t.Error("tab in a record forges a field")
	}
}

// TestPayloadGolden pins the exact signed bytes and the signature of the
// test key: changing either breaks every certificate already issued, so
// it needs a new PayloadVersion. Run with -update to rewrite.
func TestPayloadGolden(t *testing.T) {
	d := hoursSample()
	got := Payload(d)
	const path = "testdata/payload-v1.golden"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("payload changed:\n%s\nwant:\n%s", got, want)
	}
	if !bytes.Equal(Payload(d), got) {
		t.Error("Payload is not deterministic")
	}
	// Ed25519 is deterministic: the same key and payload give this signature.
	const wantSig = "Dqxdl4lwrsyQBhSCO5TY43P-NxNdisG0yLndJhWO9TetWisMunj-W9Jv4O3HKJuTeGyVInvRgi2hqH-FfyFpCg"
	if sig := EncodeSignature(mustSigner(t).Sign(d)); sig != wantSig {
		t.Errorf("signature %s, want %s", sig, wantSig)
	}
}

// TestPayloadRecordHash recomputes records_sha256 from the documented
// record block.
func TestPayloadRecordHash(t *testing.T) {
	block := "2026-01-05\t社区疫情防控志愿服务\t入户排查与物资配送\t2400\n" +
		"2026-02-10\t文明交通劝导\t路口文明劝导\t2565\n" +
		"2026-03-01\t敬老助老\t陪伴老人、助餐\t2565\n"
	sum := sha256.Sum256([]byte(block))
	want := "records_sha256=" + hex.EncodeToString(sum[:]) + "\n"
	if !bytes.Contains(Payload(hoursSample()), []byte(want)) {
		t.Errorf("payload lacks %q", want)
	}
}

// withRest is sample(n) with two summary lines of earlier records.
func withRest(n int) Data {
	d := sample(n)
	d.Rest = []RestLine{
		{Year: "2024", Team: "甲队", Records: 40, Minutes: 2400, First: "2024-02-01", Last: "2024-12-30"},
		{Year: "2025", Team: "乙队", Records: 3, Minutes: 150, First: "2025-03-01", Last: "2025-05-01"},
	}
	d.TotalMinutes += 2550
	return d
}

// TestVerifyFailsOnEveryRestField: the summary lines are signed (payload
// v2); a certificate without them keeps v1, so old signatures still hold.
func TestVerifyFailsOnEveryRestField(t *testing.T) {
	s := mustSigner(t)
	if p := string(Payload(sample(2))); !strings.HasPrefix(p, PayloadVersion+"\n") || strings.Contains(p, "rest") {
		t.Fatalf("a certificate without summary lines is not v1: %q", p)
	}
	d := withRest(2)
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(Payload(d)), PayloadVersionRest+"\n") {
		t.Fatal("summary lines without payload v2")
	}
	sig := s.Sign(d)
	changes := map[string]func(*RestLine){
		"Year": func(r *RestLine) { r.Year = "2023" }, "Team": func(r *RestLine) { r.Team += "x" },
		"Records": func(r *RestLine) { r.Records++ }, "Minutes": func(r *RestLine) { r.Minutes++ },
		"First": func(r *RestLine) { r.First = "2024-01-01" }, "Last": func(r *RestLine) { r.Last = "2024-12-31" },
	}
	for name, change := range changes {
		changed := d
		changed.Rest = append([]RestLine(nil), d.Rest...)
		change(&changed.Rest[0])
		if Verify(s.PublicKey(), changed, sig) {
			t.Errorf("changing summary %s keeps the signature valid", name)
		}
	}
	bad := withRest(2)
	bad.TotalMinutes--
	if bad.Validate() == nil {
		t.Error("a total that is not the records' and summary's sum is valid")
	}
	if from, _ := d.Period(); from != "2024-02-01" {
		t.Errorf("period starts %s, not at the first summed record", from)
	}
	long := sample(MaxRecords + 1)
	if long.Validate() == nil {
		t.Errorf("%d records listed one by one are valid", MaxRecords+1)
	}
}

// TestRenderWaitBusy: with every render slot taken, a download is told to
// come back (ErrBusy) instead of adding a document to memory.
func TestRenderWaitBusy(t *testing.T) {
	for range MaxRenders {
		renders <- struct{}{}
	}
	defer func() {
		for range MaxRenders {
			<-renders
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RenderWait(ctx, signed(t, sample(1)), time.Hour); !errors.Is(err, ErrBusy) {
		t.Fatalf("render with every slot taken: %v", err)
	}
}
