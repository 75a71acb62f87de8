package pii

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

var (
	// ErrKeyFileMode reports a key file that group or other users could access.
	ErrKeyFileMode = errors.New("pii: key file permissions too open")
	// ErrKeyFileFormat reports a key file that holds neither 64 hex characters nor 32 raw bytes.
	ErrKeyFileFormat = errors.New("pii: key file must hold 64 hex characters or 32 raw bytes")
)

// maxKeyFileSize bounds how much of a key file is read.
const maxKeyFileSize = 1024

// checksModes reports whether unix permission bits are meaningful here.
var checksModes = runtime.GOOS != "windows" && runtime.GOOS != "plan9"

// LoadKeyFile reads a master key from path. The file must be a regular file
// holding 64 hex characters (surrounding white space ignored) or exactly 32
// raw bytes. On unix its mode must be 0600 or 0400; anything readable or
// writable by group or other users is refused with ErrKeyFileMode.
func LoadKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pii: open key file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("pii: stat key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrKeyFileFormat, path)
	}
	if perm := info.Mode().Perm(); checksModes && perm != 0o600 && perm != 0o400 {
		return nil, fmt.Errorf("%w: %s has mode %04o, want 0600 or 0400 (run: chmod 600 %s)",
			ErrKeyFileMode, path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("pii: read key file: %w", err)
	}
	defer clear(data)
	key, err := decodeKey(data)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, path)
	}
	return key, nil
}

// decodeKey accepts 64 hex characters (white space trimmed) or 32 raw bytes.
// 32 bytes that are all hex digits are refused: that is a 16-byte key written
// as hex, not a raw 32-byte key.
func decodeKey(data []byte) ([]byte, error) {
	if trimmed := bytes.TrimSpace(data); len(trimmed) == 2*MasterKeySize {
		key := make([]byte, MasterKeySize)
		if _, err := hex.Decode(key, trimmed); err == nil {
			return key, nil
		}
		clear(key)
	}
	if len(data) == MasterKeySize && !isHex(data) {
		return bytes.Clone(data), nil
	}
	return nil, ErrKeyFileFormat
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) && !('a' <= c && c <= 'f') && !('A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// CreateKeyFile generates a random master key and writes it to path as 64
// hex characters and a newline. The file must not exist yet (O_EXCL); it is
// created with mode 0600 and flushed to disk together with its directory
// entry. On any error the partial file is removed.
func CreateKeyFile(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pii: create key file: %w", err)
	}
	key := make([]byte, MasterKeySize)
	rand.Read(key) // never fails; crashes the program if the OS cannot supply randomness
	buf := append(hex.AppendEncode(make([]byte, 0, 2*MasterKeySize+1), key), '\n')
	defer clear(buf)

	err = writeKeyFile(f, buf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		os.Remove(path)
		clear(key)
		return nil, fmt.Errorf("pii: write key file: %w", err)
	}
	return key, nil
}

// writeKeyFile forces mode 0600 (the umask may have narrowed it), writes buf
// and fsyncs.
func writeKeyFile(f *os.File, buf []byte) error {
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(buf); err != nil {
		return err
	}
	return f.Sync()
}

// syncDir fsyncs a directory so that a newly created entry survives a crash.
// Directories cannot be synced on Windows; there it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
