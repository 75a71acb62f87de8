package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"time"

	"zhiyuan/internal/db"
	"zhiyuan/internal/demo"
)

// Open connects to the configured database and applies pending migrations.
func Open(ctx context.Context, c Config, log *slog.Logger) (*db.DB, error) {
	d, err := db.OpenWith(ctx, c.DB, db.Options{Synchronous: db.Synchronous(c.SQLiteSynchronous)})
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx, log); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Serve runs the platform until ctx is cancelled (SIGTERM or SIGINT): it
// opens and migrates the database, loads the secret key, loads demo data if
// asked, and serves HTTP. Messages for the operator go to out.
func Serve(ctx context.Context, c Config, out io.Writer, log *slog.Logger) error {
	start := time.Now()
	if _, err := c.PublicURL(""); err != nil {
		return err
	}
	keys, keyPath, created, err := LoadKeyring(c)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(out, "Created a new secret key at %s (mode 0600). Back it up with the database: without it, encrypted ID and phone numbers cannot be read.\n", keyPath)
	}
	d, err := Open(ctx, c, log)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := New(c, d, keys, log)
	if err != nil {
		return err
	}
	if c.Demo {
		accounts, err := demo.Load(ctx, a.DemoServices())
		switch err {
		case nil:
			if err := demo.LoadActivity(ctx, a.DemoServices()); err != nil {
				return err
			}
			demo.Print(out, accounts)
		case demo.ErrNotEmpty:
			fmt.Fprintln(out, "Demo data not loaded: the database already has accounts (demo data only goes into an empty database).")
		default:
			return err
		}
	}
	settleMemory()
	go returnAfterBursts(ctx, time.Second, burstSlack)
	return a.Serve(ctx, func(addr, metricsAddr string) {
		log.Info("serving", "addr", addr, "metrics_addr", metricsAddr, "database", db.RedactDSN(c.DB), "dialect", d.Dialect, "startup_ms", time.Since(start).Milliseconds())
		if metricsAddr != "" {
			fmt.Fprintf(out, "Metrics on http://%s/metrics\n", metricsAddr)
		}
		fmt.Fprintf(out, "Zhiyuan is serving on http://%s (database %s)\n", addr, db.RedactDSN(c.DB))
	})
}

// settleMemory gives the start-up's garbage (migrations, region tables, the
// demo accounts' password hashing) back to the operating system before
// serving, so an idle server stays small. No default GOMEMLIMIT: a soft
// limit near the live heap of a heavy request (a city dashboard) makes the
// collector run back to back and the request several times slower.
func settleMemory() { debug.FreeOSMemory() }

// burstSlack is how much free heap returnAfterBursts leaves alone.
const burstSlack = 24 << 20
