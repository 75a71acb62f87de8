// Command zhiyuan is the volunteer-service platform: one binary that serves
// the web and API surfaces and administers the database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `zhiyuan — 志愿服务平台 volunteer-service platform

Usage:
  zhiyuan serve   [--addr 127.0.0.1:8080] [--base-url https://…] [--metrics-addr 127.0.0.1:9090] [--db PATH_OR_DSN] [--secret-key-file FILE] [--demo]
  zhiyuan migrate [--db PATH_OR_DSN]
  zhiyuan user add --username U --role ROLE [--region CODE] [--team ID] [--department ID] [--name NAME] [--db ...]
                   (reads the password from standard input)
  zhiyuan backup  --to FILE [--db PATH]              (SQLite, while serving; PostgreSQL: pg_dump -Fc)
  zhiyuan restore --from FILE [--db PATH] [--force]  (with the server stopped)
  zhiyuan key generate FILE
  zhiyuan stats rebuild [--db PATH_OR_DSN]   (recompute the dashboard figures from the records)
  zhiyuan demo generate [--db ...] --volunteers N --teams N --records N --seed S [--secret-key-file F]
                   [--city 1201] [--accounts 10000] [--password P] [--manifest FILE]
                   (fills an empty database with a generated city; writes <db>.generate.json)
  zhiyuan version

Environment: ZHIYUAN_ADDR, ZHIYUAN_BASE_URL, ZHIYUAN_METRICS_ADDR, ZHIYUAN_DB, ZHIYUAN_SECRET_KEY_FILE, ZHIYUAN_SECURE_COOKIES,
ZHIYUAN_TRUST_PROXY, ZHIYUAN_LOG_FORMAT (json|text), ZHIYUAN_CPU_PROFILE (a file for a CPU profile of
the serve run). Flags override the environment.
Roles: platform_admin, office_admin, community_worker, team_admin, volunteer, resident, department_staff.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "zhiyuan:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args[1:], stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args[1:], stdout, stderr)
	case "user":
		if len(args) > 1 && args[1] == "add" {
			return cmdUserAdd(ctx, args[2:], stdin, stdout, stderr)
		}
	case "key":
		if len(args) > 2 && args[1] == "generate" {
			return cmdKeyGenerate(args[2], stdout)
		}
	case "stats":
		if len(args) > 1 && args[1] == "rebuild" {
			return cmdStatsRebuild(ctx, args[2:], stdout, stderr)
		}
	case "demo":
		if len(args) > 1 && args[1] == "generate" {
			return cmdGenerate(ctx, args[2:], stdout, stderr)
		}
	case "version":
		fmt.Fprintln(stdout, "zhiyuan", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
