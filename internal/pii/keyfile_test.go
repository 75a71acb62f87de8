package pii

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCreateAndLoadKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pii.key")
	key, err := CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != MasterKeySize || bytes.Equal(key, make([]byte, MasterKeySize)) {
		t.Fatalf("bad key %x", key)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(key) + "\n"; string(data) != want {
		t.Errorf("file content = %q, want %q", data, want)
	}
	if runtime.GOOS != "windows" {
		info, _ := os.Stat(path)
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("mode = %04o, want 0600", perm)
		}
	}
	loaded, err := LoadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(loaded, key) {
		t.Error("loaded key differs from created key")
	}
	if _, err := NewKeyring(loaded); err != nil {
		t.Error(err)
	}
}

func TestCreateKeyFileRefusesExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pii.key")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := CreateKeyFile(path); !errors.Is(err, fs.ErrExist) {
		t.Errorf("err = %v, want fs.ErrExist", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "keep me" {
		t.Errorf("existing file modified: %q", data)
	}
	if _, err := CreateKeyFile(filepath.Join(t.TempDir(), "missing", "pii.key")); err == nil {
		t.Error("created a key file in a missing directory")
	}
}

func writeKey(t *testing.T, data []byte, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pii.key")
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is subject to the umask
		t.Fatal(err)
	}
	return path
}

func TestLoadKeyFileFormats(t *testing.T) {
	key := testMaster()
	hexKey := hex.EncodeToString(key)
	raw := bytes.Repeat([]byte{0xA5}, 32)
	rawWithSpace := append([]byte{' '}, bytes.Repeat([]byte{0xA5}, 30)...)
	rawWithSpace = append(rawWithSpace, '\n')
	tests := []struct {
		name string
		data []byte
		want []byte
	}{
		{"hex", []byte(hexKey), key},
		{"hex newline", []byte(hexKey + "\n"), key},
		{"hex CRLF and spaces", []byte("  " + hexKey + "\r\n"), key},
		{"hex upper case", []byte(strings.ToUpper(hexKey)), key},
		{"raw", raw, raw},
		{"raw starting and ending with white space", rawWithSpace, rawWithSpace},
		{"empty", nil, nil},
		{"short hex", []byte(hexKey[:62]), nil},
		{"long hex", []byte(hexKey + "00"), nil},
		{"non-hex 64", []byte(strings.Repeat("g", 64)), nil},
		{"32 hex chars (16-byte key)", []byte(hexKey[:32]), nil},
		{"31 raw bytes", raw[:31], nil},
		{"33 raw bytes", append(bytes.Clone(raw), 1), nil},
		{"hex with inner space", []byte(hexKey[:32] + " " + hexKey[32:]), nil},
		{"huge", bytes.Repeat([]byte("a"), 10000), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadKeyFile(writeKey(t, tt.data, 0o600))
			if tt.want == nil {
				if !errors.Is(err, ErrKeyFileFormat) || got != nil {
					t.Fatalf("LoadKeyFile = %x, %v; want ErrKeyFileFormat", got, err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("LoadKeyFile = %x, %v; want %x", got, err, tt.want)
			}
		})
	}
}

func TestLoadKeyFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("unix permission bits only")
	}
	data := []byte(hex.EncodeToString(testMaster()) + "\n")
	tests := []struct {
		mode os.FileMode
		ok   bool
	}{
		{0o600, true},
		{0o400, true},
		{0o644, false},
		{0o640, false},
		{0o604, false},
		{0o660, false},
		{0o666, false},
		{0o700, false},
		{0o620, false},
		{0o602, false},
	}
	for _, tt := range tests {
		path := writeKey(t, data, tt.mode)
		key, err := LoadKeyFile(path)
		if tt.ok {
			if err != nil || !bytes.Equal(key, testMaster()) {
				t.Errorf("mode %04o: %x, %v", tt.mode, key, err)
			}
			continue
		}
		if !errors.Is(err, ErrKeyFileMode) || key != nil {
			t.Errorf("mode %04o: err = %v, want ErrKeyFileMode", tt.mode, err)
			continue
		}
		if !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), path) {
			t.Errorf("mode %04o: error %q does not say how to fix it", tt.mode, err)
		}
	}
}

func TestLoadKeyFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadKeyFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
	if _, err := LoadKeyFile(dir); err == nil {
		t.Error("directory accepted")
	}
}
