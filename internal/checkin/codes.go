package checkin

import (
	"errors"
	"fmt"
	"time"
)

// DefaultPeriod is the rotation period NewCodes uses when given none.
const DefaultPeriod = 30 * time.Second

// MinKeySize is the length of the shortest secret NewCodes accepts.
const MinKeySize = 32

// ErrKeySize reports a secret shorter than MinKeySize.
var ErrKeySize = errors.New("checkin: key too short")

// epoch is the origin of the window numbers.
var epoch = time.Unix(0, 0)

// Code is a signed, time-limited code, ready for a URL or a QR code.
type Code struct {
	// Value is the code itself: unpadded base64url, safe in a URL path.
	Value string
	// ExpiresAt is the end of the window the code was issued in, when the
	// display should show a fresh code. Verification accepts the code for
	// one more period after it, for a scan at the edge and clock skew.
	ExpiresAt time.Time
}

// Codes issues and checks shift and personal codes. It is safe for
// concurrent use.
type Codes struct {
	key    []byte
	period time.Duration
	now    func() time.Time
}

// NewCodes returns a Codes signing with key, a secret of at least
// MinKeySize bytes that the caller derives for this use only. A period of
// zero or less means DefaultPeriod; a nil now means time.Now.
func NewCodes(key []byte, period time.Duration, now func() time.Time) (*Codes, error) {
	if len(key) < MinKeySize {
		return nil, fmt.Errorf("%w: got %d bytes, need %d", ErrKeySize, len(key), MinKeySize)
	}
	if period <= 0 {
		period = DefaultPeriod
	}
	if now == nil {
		now = time.Now
	}
	return &Codes{key: append([]byte(nil), key...), period: period, now: now}, nil
}

// Issue returns the code of shiftID for the current window.
func (c *Codes) Issue(shiftID int64) Code {
	return c.issue(kindShift, shiftID)
}

// IssuePersonal returns the personal code of volunteerID for the current window.
func (c *Codes) IssuePersonal(volunteerID int64) Code {
	return c.issue(kindPersonal, volunteerID)
}

// Parse checks a shift code and returns its shift ID. Errors wrap
// ErrMalformed, ErrForged, ErrWrongKind, ErrExpired or ErrFuture.
func (c *Codes) Parse(value string) (shiftID int64, err error) {
	return c.parse(kindShift, value)
}

// ParsePersonal checks a personal code and returns its volunteer ID. Errors
// wrap ErrMalformed, ErrForged, ErrWrongKind, ErrExpired or ErrFuture.
func (c *Codes) ParsePersonal(value string) (volunteerID int64, err error) {
	return c.parse(kindPersonal, value)
}

// Verify checks that value is a current code of shiftID. Errors wrap
// ErrMalformed, ErrForged, ErrWrongKind, ErrWrongShift, ErrExpired or
// ErrFuture, checked in that order.
func (c *Codes) Verify(value string, shiftID int64) error {
	t, err := c.open(value)
	if err != nil {
		return err
	}
	if t.kind != kindShift {
		return ErrWrongKind
	}
	if t.id != shiftID {
		return ErrWrongShift
	}
	return c.checkWindow(t.window)
}

func (c *Codes) issue(kind byte, id int64) Code {
	w := c.windowAt(c.now())
	return Code{
		Value:     c.seal(token{kind: kind, id: id, window: w}),
		ExpiresAt: epoch.Add(time.Duration(w+1) * c.period).UTC(),
	}
}

func (c *Codes) parse(kind byte, value string) (int64, error) {
	t, err := c.open(value)
	if err != nil {
		return 0, err
	}
	if t.kind != kind {
		return 0, ErrWrongKind
	}
	if err := c.checkWindow(t.window); err != nil {
		return 0, err
	}
	return t.id, nil
}

// windowAt returns the number of the window containing t; times before the
// epoch fall in window 0.
func (c *Codes) windowAt(t time.Time) uint64 {
	d := t.Sub(epoch)
	if d < 0 {
		return 0
	}
	return uint64(d / c.period)
}

// checkWindow accepts the current and the previous window only.
func (c *Codes) checkWindow(w uint64) error {
	now := c.windowAt(c.now())
	switch {
	case w > now:
		return ErrFuture
	case now-w > 1:
		return ErrExpired
	}
	return nil
}
