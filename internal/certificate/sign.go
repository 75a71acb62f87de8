package certificate

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"zhiyuan/internal/clock"
)

// PayloadVersion is the first line of every payload; a change to the
// encoding gets a new version so old signatures stay checkable.
const PayloadVersion = "zhiyuan-cert-v1"

// PayloadVersionRest is the version of a payload with summary lines (Rest):
// v1's lines and then rest and rest_sha256. A certificate without them is
// still signed as v1, so every signature made before stays checkable.
const PayloadVersionRest = "zhiyuan-cert-v2"

// Signer signs certificates with an Ed25519 key.
type Signer struct {
	key ed25519.PrivateKey
}

// NewSigner makes a Signer from a 32-byte Ed25519 seed, which the caller
// derives from its master key.
func NewSigner(seed []byte) (*Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("certificate: signing seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return &Signer{key: ed25519.NewKeyFromSeed(seed)}, nil
}

// PublicKey returns the key that checks this Signer's signatures.
func (s *Signer) PublicKey() ed25519.PublicKey {
	return s.key.Public().(ed25519.PublicKey)
}

// KeyID returns the id of this Signer's public key (see KeyID).
func (s *Signer) KeyID() string {
	return KeyID(s.PublicKey())
}

// Sign returns the 64-byte Ed25519 signature of Payload(d).
func (s *Signer) Sign(d Data) []byte {
	return ed25519.Sign(s.key, Payload(d))
}

// Seal returns d with Signature and KeyID filled in, ready for Render.
func (s *Signer) Seal(d Data) Data {
	d.Signature = s.Sign(d)
	d.KeyID = s.KeyID()
	return d
}

// Verify reports whether sig is pub's signature of Payload(d).
func Verify(pub ed25519.PublicKey, d Data, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, Payload(d), sig)
}

// KeyID identifies a public key: the first 8 bytes of its SHA-256, in
// lower-case hex (16 characters).
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// EncodeSignature writes a signature as unpadded base64url, as the PDF
// shows it.
func EncodeSignature(sig []byte) string {
	return base64.RawURLEncoding.EncodeToString(sig)
}

// DecodeSignature reads a signature written by EncodeSignature.
func DecodeSignature(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(s)
}

// Payload is the exact byte string that is signed: UTF-8 text, one
// "key=value" line each, ending in "\n", in this order:
//
//	zhiyuan-cert-v1
//	serial=<Serial>
//	verify_code=<VerifyCode>
//	verify_url=<VerifyURL>
//	volunteer_no=<VolunteerNo>
//	name=<VolunteerName>
//	id_type=<IDTypeLabel>
//	id_masked=<IDNumberMasked>
//	total_minutes=<TotalMinutes, decimal>
//	records=<len(Records), decimal>
//	records_sha256=<lower-case hex SHA-256 of the record block>
//	summary=<Summary>
//	issuer_team=<IssuerTeam>
//	issuer_person=<IssuerPerson>
//	issuer_contact=<IssuerContact>
//	issued_on=<IssuedOn's date in Asia/Shanghai, YYYY-MM-DD>
//
// The record block is, for each record in order, the line
// "<Date>\t<Project>\t<Content>\t<Minutes>\n". Every value is taken as given
// (no trimming, no Unicode normalisation), with backslash, newline, carriage
// return and tab written as \\, \n, \r and \t, so no value can forge a line
// or a field. Only IssuedOn's date is signed, because only the date is shown.
// Signature and KeyID are not part of the payload.
//
// With summary lines (Rest) the first line is zhiyuan-cert-v2 and two lines
// follow issued_on: rest=<len(Rest)> and rest_sha256=<SHA-256 of the lines
// "<Year>\t<Team>\t<Records>\t<Minutes>\t<First>\t<Last>\n">.
func Payload(d Data) []byte {
	rec := sha256.New()
	for _, r := range d.Records {
		fmt.Fprintf(rec, "%s\t%s\t%s\t%d\n", esc(r.Date), esc(r.Project), esc(r.Content), r.Minutes)
	}
	var b strings.Builder
	if len(d.Rest) > 0 {
		b.WriteString(PayloadVersionRest + "\n")
	} else {
		b.WriteString(PayloadVersion + "\n")
	}
	line := func(k, v string) { b.WriteString(k + "=" + esc(v) + "\n") }
	line("serial", d.Serial)
	line("verify_code", d.VerifyCode)
	line("verify_url", d.VerifyURL)
	line("volunteer_no", d.VolunteerNo)
	line("name", d.VolunteerName)
	line("id_type", d.IDTypeLabel)
	line("id_masked", d.IDNumberMasked)
	line("total_minutes", strconv.Itoa(d.TotalMinutes))
	line("records", strconv.Itoa(len(d.Records)))
	line("records_sha256", hex.EncodeToString(rec.Sum(nil)))
	line("summary", d.Summary)
	line("issuer_team", d.IssuerTeam)
	line("issuer_person", d.IssuerPerson)
	line("issuer_contact", d.IssuerContact)
	line("issued_on", d.IssuedOn.In(clock.Zone).Format(dateLayout))
	if len(d.Rest) > 0 {
		rest := sha256.New()
		for _, r := range d.Rest {
			fmt.Fprintf(rest, "%s\t%s\t%d\t%d\t%s\t%s\n", esc(r.Year), esc(r.Team), r.Records, r.Minutes, esc(r.First), esc(r.Last))
		}
		line("rest", strconv.Itoa(len(d.Rest)))
		line("rest_sha256", hex.EncodeToString(rest.Sum(nil)))
	}
	return []byte(b.String())
}

// escaper makes a value safe to place in one payload line or field.
var escaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

func esc(s string) string { return escaper.Replace(s) }
