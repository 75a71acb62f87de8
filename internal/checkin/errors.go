package checkin

import "errors"

// codedError is a sentinel error carrying a stable, UI-translatable code.
type codedError struct {
	code string
	msg  string
}

func (e *codedError) Error() string { return e.msg }

// Code errors. Returned errors wrap one of them; test with errors.Is and
// translate with ErrorCode.
var (
	// ErrMalformed reports a value that is not a code of this format.
	ErrMalformed error = &codedError{"malformed", "checkin: malformed code"}
	// ErrForged reports a well-formed code whose tag does not match.
	ErrForged error = &codedError{"forged", "checkin: code signature mismatch"}
	// ErrExpired reports a genuine code older than the previous window.
	ErrExpired error = &codedError{"expired", "checkin: code expired"}
	// ErrFuture reports a genuine code from a window that has not started yet.
	ErrFuture error = &codedError{"future", "checkin: code not valid yet"}
	// ErrWrongShift reports a genuine shift code for another shift than expected.
	ErrWrongShift error = &codedError{"wrong_shift", "checkin: code is for another shift"}
	// ErrWrongKind reports a genuine personal code where a shift code was
	// expected, or the reverse.
	ErrWrongKind error = &codedError{"wrong_kind", "checkin: code is of the wrong kind"}
)

// ErrorCode returns the stable code ("malformed", "forged", "expired",
// "future", "wrong_shift", "wrong_kind") of a code error from this package,
// or "" for any other error, including nil.
func ErrorCode(err error) string {
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	return ""
}
