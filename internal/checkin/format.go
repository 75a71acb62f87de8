package checkin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
)

const (
	version      = 1
	kindShift    = 1
	kindPersonal = 2
	tagSize      = 12

	minRaw     = 1 + 1 + 1 + tagSize
	maxRaw     = 1 + 2*binary.MaxVarintLen64 + tagSize
	minEncoded = (minRaw*8 + 5) / 6
	maxEncoded = (maxRaw*8 + 5) / 6
)

// domains separates the tags of the two kinds of code.
var domains = [...]string{
	kindShift:    "zhiyuan/checkin/shift\x00",
	kindPersonal: "zhiyuan/checkin/personal\x00",
}

// encoding rejects padding and non-zero trailing bits, so that a code has
// exactly one spelling.
var encoding = base64.RawURLEncoding.Strict()

// token is the authenticated content of a code.
type token struct {
	kind   byte
	id     int64
	window uint64
}

// seal encodes and signs t.
func (c *Codes) seal(t token) string {
	var buf [maxRaw]byte
	b := append(buf[:0], version<<4|t.kind)
	b = binary.AppendUvarint(b, uint64(t.id))
	b = binary.AppendUvarint(b, t.window)
	b = append(b, c.tag(t.kind, b)...)
	return encoding.EncodeToString(b)
}

// open decodes value and checks its tag; it does not look at the time.
func (c *Codes) open(value string) (token, error) {
	if len(value) < minEncoded || len(value) > maxEncoded {
		return token{}, fmt.Errorf("%w: length %d", ErrMalformed, len(value))
	}
	if !isCodeText(value) {
		return token{}, fmt.Errorf("%w: not base64url", ErrMalformed)
	}
	raw, err := encoding.DecodeString(value)
	if err != nil {
		return token{}, fmt.Errorf("%w: not base64url", ErrMalformed)
	}
	header := raw[0]
	kind := header & 0x0f
	if header>>4 != version || (kind != kindShift && kind != kindPersonal) {
		return token{}, fmt.Errorf("%w: unknown header %#x", ErrMalformed, header)
	}
	id, n := uvarint(raw[1:])
	if n == 0 {
		return token{}, fmt.Errorf("%w: bad ID", ErrMalformed)
	}
	w, m := uvarint(raw[1+n:])
	if m == 0 {
		return token{}, fmt.Errorf("%w: bad window", ErrMalformed)
	}
	body := raw[:1+n+m]
	if len(raw)-len(body) != tagSize {
		return token{}, fmt.Errorf("%w: bad tag length", ErrMalformed)
	}
	if !hmac.Equal(c.tag(kind, body), raw[len(body):]) {
		return token{}, ErrForged
	}
	return token{kind: kind, id: int64(id), window: w}, nil
}

// tag returns the truncated HMAC of body in the domain of kind.
func (c *Codes) tag(kind byte, body []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	io.WriteString(m, domains[kind])
	m.Write(body)
	return m.Sum(nil)[:tagSize]
}

// uvarint decodes a minimally encoded uvarint from b, returning the value
// and the number of bytes read, or n == 0 if there is none.
func uvarint(b []byte) (v uint64, n int) {
	v, n = binary.Uvarint(b)
	if n <= 0 || n != uvarintLen(v) {
		return 0, 0
	}
	return v, n
}

// uvarintLen returns the length of the minimal uvarint encoding of v.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// isCodeText reports whether s holds only base64url characters.
func isCodeText(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' || b == '_') {
			return false
		}
	}
	return len(s) > 0
}
