package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"

	"zhiyuan/internal/apperr"
)

// The password rules, the same wherever a password is set: registration,
// claiming a record, accounts created by admins or on the command line, and
// password changes.
const (
	// MaxPasswordLen is the longest password accepted, in bytes.
	MaxPasswordLen = 256
	// minPasswordScore is the least zxcvbn score accepted (0-4): 2 is
	// "somewhat guessable", about 10^6 guesses or more, which with the
	// login throttle's waits takes years online.
	minPasswordScore = 2
	// strengthRunes bounds how much of a password the estimator reads: its
	// cost grows fast with length, and a password whose first 64 characters
	// are not guessable is not guessable.
	strengthRunes = 64
)

// CheckPassword returns a field error (field "password") if pw may not be
// used by the account username: too short or too long, only spaces, one
// character repeated, containing the username, or easy to guess (common
// passwords, keyboard runs, sequences, dates, words, estimated by zxcvbn).
// related are other words the person is known by (name, phone), which a
// guesser would try first; username may be empty when not yet known.
func CheckPassword(pw, username string, related ...string) error {
	f := apperr.Fields{}
	key, args := passwordProblem(pw, NormalizeUsername(username), related)
	if key == "" {
		return nil
	}
	f.AddArgs("password", strings.TrimPrefix(key, "auth.password_"), key, args)
	return f.Err()
}

// passwordProblem returns the message key (and its arguments) of the first
// rule pw breaks, or "".
func passwordProblem(pw, username string, related []string) (string, map[string]any) {
	n := utf8.RuneCountInString(pw)
	switch {
	case strings.TrimFunc(pw, unicode.IsSpace) == "" && pw != "":
		return "auth.password_blank", nil
	case n < MinPasswordLen:
		return "auth.password_too_short", map[string]any{"Min": MinPasswordLen}
	case len(pw) > MaxPasswordLen:
		return "auth.password_too_long", nil
	case oneCharacter(pw):
		return "auth.password_repeated", nil
	case username != "" && strings.Contains(strings.ToLower(pw), username):
		return "auth.password_has_username", nil
	}
	inputs := append([]string{username}, related...)
	if short := []rune(pw); len(short) > strengthRunes {
		pw = string(short[:strengthRunes])
	}
	if zxcvbn.PasswordStrength(pw, inputs).Score < minPasswordScore {
		return "auth.password_weak", nil
	}
	return "", nil
}

// oneCharacter reports whether pw is one character repeated.
func oneCharacter(pw string) bool {
	first, _ := utf8.DecodeRuneInString(pw)
	return strings.Trim(pw, string(first)) == ""
}
