package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhiyuan/internal/generate"
)

func TestDemoGenerateWritesManifestAndRefusesAFullDatabase(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "city.db")
	args := []string{"demo", "generate", "--db", dsn, "--volunteers", "60", "--teams", "3", "--records", "300",
		"--accounts", "20", "--seed", "7", "--log-format", "text"}
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, nil, &out, &errb); err != nil {
		t.Fatalf("generate: %v\n%s", err, errb.String())
	}
	b, err := os.ReadFile(dsn + ".generate.json")
	if err != nil {
		t.Fatal(err)
	}
	var m generate.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Counts["volunteers"] != 60 || m.Counts["service_records"] != 300 || m.Accounts.VolunteerLast != "v000020" || m.BurstShiftID == 0 {
		t.Errorf("manifest: %s", b)
	}
	if !strings.Contains(out.String(), "rows/s") {
		t.Errorf("summary: %s", out.String())
	}
	out.Reset()
	err = run(context.Background(), args, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second run into the same database: %v", err)
	}
}
