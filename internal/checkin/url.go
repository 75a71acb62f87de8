package checkin

import (
	"errors"
	"net/url"
	"strings"
)

// ErrBaseURL reports a base URL that is not an absolute http or https URL.
var ErrBaseURL = errors.New("checkin: base URL must be an absolute http or https URL")

// CheckinPath is the path, under the base URL, of the page that checks the
// volunteer in; the code follows it.
const CheckinPath = "/c/"

// CheckinURL returns the URL a shift code's QR code holds:
// baseURL + "/c/" + c.Value. The base URL is checked by ValidateBaseURL and
// may carry a path prefix; a trailing slash is dropped. An empty or
// non-base64url c.Value fails with ErrMalformed.
func CheckinURL(baseURL string, c Code) (string, error) {
	base, err := normalizeBaseURL(baseURL)
	if err != nil {
		return "", err
	}
	if !isCodeText(c.Value) {
		return "", ErrMalformed
	}
	return base + CheckinPath + c.Value, nil
}

// ValidateBaseURL checks that baseURL is an absolute http or https URL with
// a host and without user info, query or fragment. Call it at start-up on
// the configured public URL of the platform.
func ValidateBaseURL(baseURL string) error {
	_, err := normalizeBaseURL(baseURL)
	return err
}

// normalizeBaseURL validates baseURL and returns it re-encoded, without a
// trailing slash.
func normalizeBaseURL(baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", ErrBaseURL
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Opaque != "" || u.Hostname() == "" ||
		u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", ErrBaseURL
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"), nil
}
