// Package backup copies a SQLite database to a file while the server is
// serving and writing, and restores such a copy after checking it is a
// Zhiyuan database this binary can run. PostgreSQL is backed up with its own
// tools (pg_dump -Fc, pg_restore); see the README.
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"zhiyuan/internal/db"
)

// ErrPostgres refuses a PostgreSQL DSN: pg_dump does that job better.
var ErrPostgres = errors.New("PostgreSQL 数据库请用 pg_dump 备份：pg_dump -Fc -f zhiyuan.dump \"$ZHIYUAN_DB\"，" +
	"恢复用 pg_restore（见 README「Backup and restore」）。\n" +
	"A PostgreSQL database is backed up with pg_dump: pg_dump -Fc -f zhiyuan.dump \"$ZHIYUAN_DB\", " +
	"and restored with pg_restore (see README, \"Backup and restore\").")

// ErrSameFile refuses to write a backup over the database itself.
var ErrSameFile = errors.New("备份文件不能是数据库本身 / the backup file cannot be the database itself")

// Info describes a backup file.
type Info struct {
	Path    string // the file
	Version int64  // the schema (goose) version it holds
	Bytes   int64  // its size
}

// Backup writes a consistent copy of the SQLite database src to dst with
// VACUUM INTO on a read-only connection: it sees one snapshot, so writes that
// commit while it runs are either wholly in the copy or not at all, and it
// never blocks the server's writer. The copy is written to a temporary file
// beside dst, checked, synced and renamed over dst.
func Backup(ctx context.Context, src, dst string) (Info, error) {
	if db.DialectOf(src) == db.Postgres {
		return Info{}, ErrPostgres
	}
	src = strings.TrimPrefix(src, "sqlite://")
	if _, err := os.Stat(src); err != nil {
		return Info{}, fmt.Errorf("backup: database %s: %w", src, err)
	}
	if sameFile(src, dst) {
		return Info{}, ErrSameFile
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close() // VACUUM INTO accepts an empty file
	done := false
	defer func() {
		if !done {
			os.Remove(tmpName)
		}
	}()
	conn, err := open(src, true)
	if err != nil {
		return Info{}, err
	}
	_, err = conn.ExecContext(ctx, `VACUUM INTO $1`, tmpName)
	conn.Close()
	if err != nil {
		return Info{}, fmt.Errorf("backup: copy %s: %w", src, err)
	}
	info, err := Check(ctx, tmpName)
	if err != nil {
		return Info{}, err
	}
	if err := syncFile(tmpName); err != nil {
		return Info{}, err
	}
	if err := os.Rename(tmpName, dst); err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	done = true
	info.Path = dst
	return info, syncDir(filepath.Dir(dst))
}

// Check opens a backup file read-only and makes sure it is a sound SQLite
// database holding a Zhiyuan schema no newer than this binary's migrations.
func Check(ctx context.Context, path string) (Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Info{}, fmt.Errorf("backup: %w", err)
	}
	conn, err := open(path, true)
	if err != nil {
		return Info{}, err
	}
	defer conn.Close()
	var verdict string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&verdict); err != nil {
		return Info{}, fmt.Errorf("backup: %s is not a SQLite database: %w", path, err)
	}
	if verdict != "ok" {
		return Info{}, fmt.Errorf("backup: %s failed the integrity check: %s", path, verdict)
	}
	var version sql.NullInt64
	err = conn.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&version)
	if err != nil || !version.Valid || version.Int64 < 1 {
		return Info{}, fmt.Errorf("backup: %s is not a Zhiyuan database (no schema version table): %v", path, err)
	}
	latest, err := db.LatestVersion()
	if err != nil {
		return Info{}, err
	}
	if version.Int64 > latest {
		return Info{}, fmt.Errorf("backup: %s has schema version %d, newer than this binary's %d: restore it with a newer zhiyuan",
			path, version.Int64, latest)
	}
	return Info{Path: path, Version: version.Int64, Bytes: st.Size()}, nil
}

// open returns a single connection pool on a SQLite file.
func open(path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(2000)")
	if readOnly {
		q.Set("mode", "ro")
	}
	conn, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("backup: open %s: %w", path, err)
	}
	conn.SetMaxOpenConns(1)
	return conn, nil
}

// sameFile reports whether a and b name the same file (or would).
func sameFile(a, b string) bool {
	if ia, err := os.Stat(a); err == nil {
		if ib, err := os.Stat(b); err == nil {
			return os.SameFile(ia, ib)
		}
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	err = d.Sync()
	return errors.Join(err, d.Close())
}
