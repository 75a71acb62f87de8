package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"zhiyuan/internal/app"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/pii"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

// configFlags binds the common flags over the environment's values.
func configFlags(fs *flag.FlagSet) *app.Config {
	c := app.FromEnv()
	fs.StringVar(&c.DB, "db", c.DB, "SQLite file path or postgres:// URL (ZHIYUAN_DB)")
	fs.StringVar(&c.SecretKeyFile, "secret-key-file", c.SecretKeyFile, "file holding the 32-byte master key (ZHIYUAN_SECRET_KEY_FILE)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "json or text (ZHIYUAN_LOG_FORMAT)")
	fs.StringVar(&c.SQLiteSynchronous, "sqlite-synchronous", c.SQLiteSynchronous, "full (an acknowledged commit survives a power loss) or normal (faster; the last commits may roll back after a power loss) (ZHIYUAN_SQLITE_SYNCHRONOUS)")
	return &c
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := configFlags(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (ZHIYUAN_ADDR)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "serve /metrics on this address only, e.g. 127.0.0.1:9090; empty: not served (ZHIYUAN_METRICS_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public address of the platform, the base of every absolute link; required when --addr is not loopback (ZHIYUAN_BASE_URL)")
	fs.BoolVar(&c.Demo, "demo", false, "load demo data into an empty database and print the demo accounts")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies, "mark cookies Secure: set when served over HTTPS (ZHIYUAN_SECURE_COOKIES)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy, "take the client address from X-Real-IP (ZHIYUAN_TRUST_PROXY)")
	fs.IntVar(&c.RoundMinutes, "round-minutes", c.RoundMinutes, "round service minutes down to a multiple of this, 1–60 (ZHIYUAN_ROUND_MINUTES)")
	fs.IntVar(&c.DoubleScanSeconds, "double-scan-seconds", c.DoubleScanSeconds, "a scan this many seconds or fewer after the check-in is a double scan, not the check-out, 1–3600 (ZHIYUAN_DOUBLE_SCAN_SECONDS)")
	fs.IntVar(&c.RegisterPerHour, "register-per-hour", c.RegisterPerHour, "self-registrations allowed per hour from one address (ZHIYUAN_REGISTER_PER_HOUR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.RoundMinutes < 1 || c.RoundMinutes > 60 {
		return fmt.Errorf("serve: --round-minutes must be between 1 and 60")
	}
	if c.DoubleScanSeconds < 1 || c.DoubleScanSeconds > 3600 {
		return fmt.Errorf("serve: --double-scan-seconds must be between 1 and 3600")
	}
	if c.RegisterPerHour < 1 {
		return fmt.Errorf("serve: --register-per-hour must be at least 1")
	}
	stopProfile, err := startCPUProfile()
	if err != nil {
		return err
	}
	defer stopProfile()
	return app.Serve(ctx, *c, stdout, app.NewLogger(stderr, c.LogFormat))
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := configFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := app.Open(ctx, *c, app.NewLogger(stderr, c.LogFormat))
	if err != nil {
		return err
	}
	defer d.Close()
	v, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database is at schema version %d\n", v)
	return nil
}

func cmdUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := configFlags(fs)
	var in auth.NewAccount
	var role string
	fs.StringVar(&in.Username, "username", "", "login name")
	fs.StringVar(&in.DisplayName, "name", "", "display name")
	fs.StringVar(&role, "role", "", "role to grant")
	fs.StringVar(&in.Grant.RegionCode, "region", "", "region code of the account and of a regional role's scope")
	fs.Int64Var(&in.Grant.TeamID, "team", 0, "team id (team_admin)")
	fs.Int64Var(&in.Grant.DepartmentID, "department", 0, "department id (department_staff)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if in.Username == "" || role == "" {
		return fmt.Errorf("user add: --username and --role are required")
	}
	in.Grant.Role = auth.Role(role)
	in.RegionCode = in.Grant.RegionCode
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("user add: reading password: %w", err)
	}
	in.Password = strings.TrimRight(line, "\r\n")
	d, err := app.Open(ctx, *c, app.NewLogger(stderr, c.LogFormat))
	if err != nil {
		return err
	}
	defer d.Close()
	svc := auth.NewService(d, nil)
	ctx = audit.WithActor(ctx, audit.Actor{Username: "cli"})
	a, err := svc.CreateAccount(ctx, auth.System, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created account %d %q with role %s\n", a.ID, a.Username, role)
	return nil
}

func cmdKeyGenerate(path string, stdout io.Writer) error {
	if _, err := pii.CreateKeyFile(path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote a new secret key to %s (mode 0600); keep it out of the database and back it up\n", path)
	return nil
}
