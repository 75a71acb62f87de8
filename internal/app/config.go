// Package app wires the platform together: configuration, database, secret
// key, services, the HTTP server and its graceful shutdown.
package app

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/checkin"
	"zhiyuan/internal/db"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/volunteer"
)

// Config is the platform's configuration, from flags or ZHIYUAN_* variables.
type Config struct {
	Addr          string // ZHIYUAN_ADDR, default 127.0.0.1:8080
	DB            string // ZHIYUAN_DB: SQLite path or postgres:// URL, default ./zhiyuan.db
	SecretKeyFile string // ZHIYUAN_SECRET_KEY_FILE
	Demo          bool   // load demo data into an empty database
	SecureCookies bool   // ZHIYUAN_SECURE_COOKIES: served over TLS (directly or behind a proxy)
	TrustProxy    bool   // ZHIYUAN_TRUST_PROXY: take the client address from X-Real-IP
	LogFormat     string // ZHIYUAN_LOG_FORMAT: json (default) or text
	RoundMinutes  int    // ZHIYUAN_ROUND_MINUTES: service minutes are rounded down to a multiple of this (default 1)
	// DoubleScanSeconds is ZHIYUAN_DOUBLE_SCAN_SECONDS: a scan this soon
	// after the check-in is a double scan, not the check-out (default 60).
	DoubleScanSeconds int
	// RegisterPerHour is ZHIYUAN_REGISTER_PER_HOUR: self-registrations per
	// hour from one address (default volunteer.DefaultLimits, 20).
	RegisterPerHour int
	// BaseURL (ZHIYUAN_BASE_URL) is the platform's public address: every
	// absolute link (certificate verification, check-in codes, calendar
	// feeds) is built from it, never from the request's Host header.
	BaseURL string
	// MetricsAddr (ZHIYUAN_METRICS_ADDR) is where /metrics is served, apart
	// from the main listener (which answers 404 for it); empty: not served.
	MetricsAddr   string
	TestClockFile string // ZHIYUAN_TEST_CLOCK_FILE: tests only; the records' clock is moved on by the duration in this file
	// SQLiteSynchronous is ZHIYUAN_SQLITE_SYNCHRONOUS: full (default: an
	// acknowledged commit survives a power loss) or normal (faster; the
	// last commits may roll back after a power loss or an OS crash).
	SQLiteSynchronous string
	// Limits, each 0 for its default: ZHIYUAN_CONCURRENT_EXPORTS (xlsx
	// exports written at once, 2), ZHIYUAN_REPORT_RETENTION_DAYS (import
	// error reports kept, 30), ZHIYUAN_UPLOAD_QUOTA_FILES and
	// ZHIYUAN_UPLOAD_QUOTA_MB (evidence per account in 24 hours, 500 and
	// 1024), ZHIYUAN_IMPORT_CELLS_PER_ROW and ZHIYUAN_IMPORT_CELLS_PER_SHEET
	// (200 and 25,000,000).
	ConcurrentExports   int
	ReportRetentionDays int
	UploadQuotaFiles    int
	UploadQuotaMB       int
	ImportCellsPerRow   int
	ImportCellsPerSheet int
}

// Defaults.
const (
	DefaultAddr = "127.0.0.1:8080"
	DefaultDB   = "zhiyuan.db"
)

// FromEnv fills a Config from the environment, with defaults.
func FromEnv() Config {
	c := Config{
		Addr:              envOr("ZHIYUAN_ADDR", DefaultAddr),
		DB:                envOr("ZHIYUAN_DB", DefaultDB),
		SecretKeyFile:     os.Getenv("ZHIYUAN_SECRET_KEY_FILE"),
		SecureCookies:     os.Getenv("ZHIYUAN_SECURE_COOKIES") == "1" || os.Getenv("ZHIYUAN_SECURE_COOKIES") == "true",
		TrustProxy:        os.Getenv("ZHIYUAN_TRUST_PROXY") == "1" || os.Getenv("ZHIYUAN_TRUST_PROXY") == "true",
		LogFormat:         envOr("ZHIYUAN_LOG_FORMAT", "json"),
		BaseURL:           os.Getenv("ZHIYUAN_BASE_URL"),
		MetricsAddr:       os.Getenv("ZHIYUAN_METRICS_ADDR"),
		RoundMinutes:      1,
		TestClockFile:     os.Getenv("ZHIYUAN_TEST_CLOCK_FILE"),
		SQLiteSynchronous: envOr("ZHIYUAN_SQLITE_SYNCHRONOUS", string(db.SyncFull)),
	}
	if n, err := strconv.Atoi(os.Getenv("ZHIYUAN_ROUND_MINUTES")); err == nil && n >= 1 && n <= 60 {
		c.RoundMinutes = n
	}
	c.DoubleScanSeconds = int(attendance.DefaultCheckOutAfter / time.Second)
	if n, err := strconv.Atoi(os.Getenv("ZHIYUAN_DOUBLE_SCAN_SECONDS")); err == nil && n >= 1 && n <= 3600 {
		c.DoubleScanSeconds = n
	}
	c.RegisterPerHour = volunteer.DefaultLimits().Register.Max
	if n, err := strconv.Atoi(os.Getenv("ZHIYUAN_REGISTER_PER_HOUR")); err == nil && n >= 1 {
		c.RegisterPerHour = n
	}
	for name, v := range map[string]*int{"ZHIYUAN_CONCURRENT_EXPORTS": &c.ConcurrentExports, "ZHIYUAN_REPORT_RETENTION_DAYS": &c.ReportRetentionDays,
		"ZHIYUAN_UPLOAD_QUOTA_FILES": &c.UploadQuotaFiles, "ZHIYUAN_UPLOAD_QUOTA_MB": &c.UploadQuotaMB,
		"ZHIYUAN_IMPORT_CELLS_PER_ROW": &c.ImportCellsPerRow, "ZHIYUAN_IMPORT_CELLS_PER_SHEET": &c.ImportCellsPerSheet} {
		if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
			*v = n
		}
	}
	return c
}

// ErrNoBaseURL refuses to serve on a public address without a configured
// base URL: the links printed on certificates would follow the Host header.
var ErrNoBaseURL = errors.New("a public base URL is required when not serving on loopback: set --base-url or ZHIYUAN_BASE_URL (e.g. https://zhiyuan.example.gov.cn)")

// PublicURL returns the base of every absolute link: the configured base
// URL (checked, without a trailing slash) or, on a loopback address
// without one, http:// and the listen address. listenAddr is the address
// actually listened on ("" for c.Addr).
func (c Config) PublicURL(listenAddr string) (string, error) {
	if c.BaseURL != "" {
		if err := checkin.ValidateBaseURL(c.BaseURL); err != nil {
			return "", fmt.Errorf("--base-url %q: must be an absolute http or https URL without query or fragment", c.BaseURL)
		}
		return strings.TrimRight(c.BaseURL, "/"), nil
	}
	if listenAddr == "" {
		listenAddr = c.Addr
	}
	if !loopback(listenAddr) {
		return "", ErrNoBaseURL
	}
	return "http://" + listenAddr, nil
}

// loopback reports whether addr (host:port) listens on a loopback address only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// KeyFileBeside returns where the secret key lives by default for a SQLite
// database: next to it, as <file>.key.
func KeyFileBeside(sqlitePath string) string {
	return filepath.Clean(sqlitePath) + ".key"
}

// LoadKeyring reads the master key. With SQLite and no key file named, the
// key beside the database is used, created on first start (mode 0600);
// created is true then. PostgreSQL needs an explicit key file.
func LoadKeyring(c Config) (k *pii.Keyring, path string, created bool, err error) {
	path = c.SecretKeyFile
	if path == "" {
		if db.DialectOf(c.DB) == db.Postgres {
			return nil, "", false, errors.New("a secret key file is required with PostgreSQL: set ZHIYUAN_SECRET_KEY_FILE or --secret-key-file (create one with `zhiyuan key generate FILE`)")
		}
		path = KeyFileBeside(c.DB)
	}
	master, err := pii.LoadKeyFile(path)
	if errors.Is(err, os.ErrNotExist) && c.SecretKeyFile == "" {
		master, err = pii.CreateKeyFile(path)
		created = err == nil
	}
	if err != nil {
		return nil, path, false, fmt.Errorf("secret key %s: %w", path, err)
	}
	k, err = pii.NewKeyring(master)
	return k, path, created, err
}
