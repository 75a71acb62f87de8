package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/dbtest"
)

func TestUserAddReadsPasswordFromStdin(t *testing.T) {
	dsn := dbtest.DSN(t)
	var out, errb bytes.Buffer
	args := []string{"user", "add", "--db", dsn, "--username", "Ops", "--name", "值班员", "--role", "office_admin", "--region", "120101"}
	if err := run(context.Background(), args, strings.NewReader("s3cret-password\n"), &out, &errb); err != nil {
		t.Fatalf("user add: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), `"ops" with role office_admin`) {
		t.Fatalf("output: %s", out.String())
	}
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, p, err := auth.NewService(d, nil).Login(context.Background(), "ops", "s3cret-password", auth.SessionAPI, auth.Meta{})
	if err != nil {
		t.Fatalf("login with the password from stdin: %v", err)
	}
	if len(p.Grants) != 1 || p.Grants[0].Role != auth.RoleOfficeAdmin || p.Grants[0].RegionCode != "120101" {
		t.Fatalf("grants = %+v", p.Grants)
	}
	var who string
	if err := d.Read().QueryRowContext(context.Background(), `SELECT username FROM audit_log WHERE action = 'create'`).Scan(&who); err != nil || who != "cli" {
		t.Fatalf("audit of CLI creation: %q %v", who, err)
	}
}

func TestUserAddRefusesBadInputInBothLanguages(t *testing.T) {
	dsn := dbtest.DSN(t)
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"user", "add", "--db", dsn, "--username", "x", "--role", "office_admin", "--region", "999999"},
		strings.NewReader("short\n"), &out, &errb)
	if err == nil {
		t.Fatal("bad input accepted")
	}
	for _, want := range []string{"用户名格式不正确", "Invalid username", "密码至少 8 位", "行政区划代码不存在"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// Weak passwords, in both languages.
	for pw, want := range map[string]string{"aaaaaaaa": "同一个字符", "okname-okname": "cannot contain the username", "12345678": "太容易被猜到"} {
		err := run(context.Background(), []string{"user", "add", "--db", dsn, "--username", "okname", "--role", "office_admin", "--region", "120101"},
			strings.NewReader(pw+"\n"), &out, &errb)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("password %q: %v", pw, err)
		}
	}
	if err := run(context.Background(), []string{"user", "add", "--db", dsn, "--username", "okname", "--role", "king"},
		strings.NewReader("password-123\n"), &out, &errb); err == nil || !strings.Contains(err.Error(), "请选择有效的角色") {
		t.Fatalf("unknown role: %v", err)
	}
}

func TestVersionAndUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"version"}, nil, &out, &errb); err != nil || !strings.HasPrefix(out.String(), "zhiyuan ") {
		t.Fatalf("version: %q %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, nil, &out, &errb); err == nil || !strings.Contains(errb.String(), "Usage:") {
		t.Fatalf("unknown command: %v", err)
	}
}

func TestMigrateReportsVersion(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--db", dbtest.DSN(t)}, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "schema version") {
		t.Fatalf("migrate: %s", out.String())
	}
}

func TestServeRequiresKeyWithPostgres(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"serve", "--db", "postgres://nobody@127.0.0.1:1/x"}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "secret key file is required") {
		t.Fatalf("serve on PostgreSQL without a key: %v", err)
	}
}

// TestServeFinishesInFlightRequests starts serve, begins a request whose body
// is still arriving, asks the server to stop, and checks that the request is
// still answered and that serve returns cleanly.
func TestServeFinishesInFlightRequests(t *testing.T) {
	if dbtest.Postgres() {
		t.Skip("serve's own key handling is for SQLite; PostgreSQL needs a key file and is covered by the e2e test")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "z.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--log-format", "text"}, nil, pw, io.Discard)
		pw.Close()
	}()
	addr := waitServing(t, pr)
	go io.Copy(io.Discard, pr)

	if info, err := os.Stat(dbPath + ".key"); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file beside the database: %v %v", info, err)
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "username=a&password=b"
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:5])
	time.Sleep(100 * time.Millisecond)
	cancel() // as SIGTERM does
	time.Sleep(100 * time.Millisecond)
	fmt.Fprint(conn, body[5:])
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request was cut off: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden { // no CSRF token: answered, not dropped
		t.Fatalf("in-flight request status %d", res.StatusCode)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Fatal("still listening after shutdown")
	}
}

func waitServing(t *testing.T, r io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "serving on http://"); i >= 0 {
			return strings.Fields(line[i+len("serving on http://"):])[0]
		}
	}
	t.Fatal("serve never said it was serving")
	return ""
}
