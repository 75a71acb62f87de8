// Package auth holds accounts, passwords, sessions and API tokens, login
// throttling, roles and the authorization policy.
package auth

import "time"

// Account is a login.
type Account struct {
	ID          int64
	Username    string
	DisplayName string
	Locale      string
	RegionCode  string
	Disabled    bool
	CreatedAt   time.Time
	Grants      []Grant
}

// SessionKind distinguishes browser sessions from API bearer tokens.
type SessionKind string

// The session kinds.
const (
	SessionWeb SessionKind = "web"
	SessionAPI SessionKind = "api"
)

// Session lifetimes: web sessions end after IdleTimeout without use or at
// WebLifetime; API tokens at APILifetime.
const (
	WebLifetime = 7 * 24 * time.Hour
	IdleTimeout = 12 * time.Hour
	APILifetime = 24 * time.Hour
	// touchEvery limits how often a session's last-seen time is written.
	touchEvery = time.Minute
)

// Session is an issued token; Token is only known right after login.
type Session struct {
	Token     string
	AccountID int64
	Kind      SessionKind
	ExpiresAt time.Time
}

// Meta is where a request came from, for sessions and the audit log.
type Meta struct {
	IP        string
	UserAgent string
}
