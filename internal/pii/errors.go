package pii

import "errors"

// codedError is a sentinel error carrying a stable, UI-translatable code.
type codedError struct {
	code string
	msg  string
}

func (e *codedError) Error() string { return e.msg }

// Validation sentinels. Returned errors wrap one of them; test with errors.Is
// and translate with ErrorCode.
var (
	// ErrIDFormat reports an ID number with the wrong length or characters.
	ErrIDFormat error = &codedError{"format", "pii: malformed ID number"}
	// ErrIDChecksum reports an ID number whose check character does not match.
	ErrIDChecksum error = &codedError{"checksum", "pii: ID number check digit mismatch"}
	// ErrIDBirthDate reports an ID number encoding an impossible birth date.
	ErrIDBirthDate error = &codedError{"birth_date", "pii: ID number has an invalid birth date"}
	// ErrIDRegion reports an ID number whose region code is not plausible.
	ErrIDRegion error = &codedError{"region", "pii: ID number has an invalid region code"}
	// ErrIDType reports an unknown identity document type.
	ErrIDType error = &codedError{"type", "pii: unknown ID document type"}
	// ErrCreditFormat reports a malformed unified social credit code.
	ErrCreditFormat error = &codedError{"format", "pii: malformed unified social credit code"}
	// ErrCreditChecksum reports a credit code whose check character does not match.
	ErrCreditChecksum error = &codedError{"checksum", "pii: unified social credit code check character mismatch"}
	// ErrPhoneFormat reports a string that is not a mainland mobile or landline number.
	ErrPhoneFormat error = &codedError{"format", "pii: malformed phone number"}
)

// ErrorCode returns the stable code ("format", "checksum", "birth_date",
// "region", "type") of a validation error from this package, or "" for any
// other error, including nil.
func ErrorCode(err error) string {
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	return ""
}
