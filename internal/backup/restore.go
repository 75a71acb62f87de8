package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"zhiyuan/internal/db"
)

// ErrExists refuses to overwrite a database without force.
var ErrExists = errors.New("目标数据库已存在；确认要覆盖请加 --force / the target database exists: add --force to overwrite it")

// ErrInUse refuses to replace a database another process has open.
var ErrInUse = errors.New("目标数据库正在被使用，请先停止服务 / the target database is in use: stop the server first")

// Restore checks the backup file from and puts a copy of it at dbPath. An
// existing database is replaced only with force, and only when no other
// process has it open; its -wal and -shm files go with it, so a stale
// write-ahead log can never be replayed onto the restored file.
func Restore(ctx context.Context, from, dbPath string, force bool) (Info, error) {
	if db.DialectOf(dbPath) == db.Postgres {
		return Info{}, ErrPostgres
	}
	dbPath = strings.TrimPrefix(dbPath, "sqlite://")
	if sameFile(from, dbPath) {
		return Info{}, ErrSameFile
	}
	info, err := Check(ctx, from)
	if err != nil {
		return Info{}, err
	}
	exists := false
	if _, err := os.Stat(dbPath); err == nil {
		exists = true
	} else if !errors.Is(err, os.ErrNotExist) {
		return Info{}, fmt.Errorf("restore: %w", err)
	}
	if exists && !force {
		return Info{}, ErrExists
	}
	tmp, err := copyBeside(from, dbPath)
	if err != nil {
		return Info{}, err
	}
	defer os.Remove(tmp) // a no-op once renamed
	if exists {
		if err := release(ctx, dbPath); err != nil {
			return Info{}, err
		}
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return Info{}, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return Info{}, fmt.Errorf("restore: %w", err)
	}
	info.Path = dbPath
	return info, syncDir(filepath.Dir(dbPath))
}

// release makes sure nobody else has the database open and folds its
// write-ahead log back into it: leaving WAL mode needs the only connection,
// so SQLite itself answers "busy" while a server holds the file.
func release(ctx context.Context, path string) error {
	conn, err := open(path, false)
	if err != nil {
		return err
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode); err != nil || mode != "delete" {
		return fmt.Errorf("%w (%v)", ErrInUse, err)
	}
	return nil
}

// copyBeside copies from into a synced temporary file in dst's directory.
func copyBeside(from, dst string) (string, error) {
	in, err := os.Open(from)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".restore-*")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	_, err = io.Copy(out, in)
	err = errors.Join(err, out.Sync(), out.Close())
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("restore: %w", err)
	}
	return out.Name(), nil
}
