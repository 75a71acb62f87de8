package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"zhiyuan/internal/dbtest"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	ctx := context.Background()
	var out, errb bytes.Buffer
	err := run(ctx, []string{"backup", "--db", "postgres://nobody@127.0.0.1:1/x", "--to", "x"}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "pg_dump -Fc") || !strings.Contains(err.Error(), "请用 pg_dump") {
		t.Fatalf("backup of PostgreSQL: %v", err)
	}
	if err := run(ctx, []string{"backup", "--db", "x.db"}, nil, &out, &errb); err == nil || !strings.Contains(err.Error(), "--to") {
		t.Fatalf("backup without --to: %v", err)
	}
	if dbtest.Postgres() {
		return
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "z.db")
	if err := run(ctx, []string{"migrate", "--db", src}, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	file := filepath.Join(dir, "z.backup")
	if err := run(ctx, []string{"backup", "--db", src, "--to", file}, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), src+".key") || !strings.Contains(out.String(), "请另行备份密钥文件") {
		t.Fatalf("backup output does not name the key file:\n%s", out.String())
	}
	out.Reset()
	restored := filepath.Join(dir, "r.db")
	if err := run(ctx, []string{"restore", "--from", file, "--db", restored}, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), restored+".key is missing") {
		t.Fatalf("restore without the key beside it gives no warning:\n%s", out.String())
	}
	if err := run(ctx, []string{"restore", "--from", file, "--db", restored}, nil, &out, &errb); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over a database without --force: %v", err)
	}
	if err := run(ctx, []string{"restore", "--from", file, "--db", restored, "--force"}, nil, &out, &errb); err != nil {
		t.Fatalf("restore --force over a stopped database: %v", err)
	}
}
