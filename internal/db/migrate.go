package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// renderedMigrations returns the migrations with the dialect's type tokens
// ({{id}}, {{blob}}) replaced, so one numbered file serves both engines.
func renderedMigrations(d Dialect) (fs.FS, error) {
	out := fstest.MapFS{}
	r := d.ddlTokens()
	err := fs.WalkDir(migrationFiles, "migrations", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := migrationFiles.ReadFile(path)
		if err != nil {
			return err
		}
		out[e.Name()] = &fstest.MapFile{Data: []byte(r.Replace(string(b))), Mode: 0o444}
		return nil
	})
	return out, err
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the versions it applied. On PostgreSQL an advisory lock keeps two
// starting servers from migrating at once.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) ([]int64, error) {
	fsys, err := renderedMigrations(db.Dialect)
	if err != nil {
		return nil, fmt.Errorf("db: read migrations: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if db.Dialect == Postgres {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(db.Dialect.gooseDialect(), db.rw, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("db: migrations: %w", err)
	}
	// A migration may rewrite a whole table: its journals go to disk.
	if err := db.Dialect.SetWriterUse(ctx, db.rw, LargeStatements); err != nil {
		return nil, fmt.Errorf("db: migrate: %w", err)
	}
	results, err := p.Up(ctx)
	if rerr := db.Dialect.SetWriterUse(context.WithoutCancel(ctx), db.rw, ShortWrites); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		return nil, fmt.Errorf("db: migrate: %w", err)
	}
	var applied []int64
	for _, r := range results {
		applied = append(applied, r.Source.Version)
		if log != nil {
			log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
		}
	}
	return applied, nil
}

// SchemaVersion returns the highest applied migration version.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	fsys, err := renderedMigrations(db.Dialect)
	if err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(db.Dialect.gooseDialect(), db.rw, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// LatestVersion returns the highest migration version this binary carries.
func LatestVersion() (int64, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, e := range entries {
		n, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(strings.SplitN(n, "_", 2)[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("db: migration %s has no version: %w", e.Name(), err)
		}
		latest = max(latest, v)
	}
	return latest, nil
}
