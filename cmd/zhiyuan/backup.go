package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"zhiyuan/internal/app"
	"zhiyuan/internal/backup"
	"zhiyuan/internal/db"
)

// cmdBackup copies a SQLite database while it serves. The key file is not
// copied into the backup: the key and the data are kept apart, so the
// command names the key file to back up separately.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := configFlags(fs)
	to := fs.String("to", "", "backup file to write (replaced atomically)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if db.DialectOf(c.DB) == db.Postgres {
		return backup.ErrPostgres
	}
	if *to == "" {
		return fmt.Errorf("backup: --to FILE is required")
	}
	info, err := backup.Backup(ctx, c.DB, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (schema version %d, %d bytes)\n", c.DB, info.Path, info.Version, info.Bytes)
	fmt.Fprintf(stdout, "备份不含密钥：请另行备份密钥文件 %s，没有它加密的证件号和手机号无法读取。\n"+
		"The backup does not hold the key: back up the key file %s separately; without it the encrypted ID and phone numbers cannot be read.\n",
		keyFile(*c), keyFile(*c))
	return nil
}

// cmdRestore puts a checked backup in place of a stopped server's database.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := configFlags(fs)
	from := fs.String("from", "", "backup file to restore")
	force := fs.Bool("force", false, "replace an existing database (the server must be stopped)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return fmt.Errorf("restore: --from FILE is required")
	}
	info, err := backup.Restore(ctx, *from, c.DB, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s to %s (schema version %d); serve applies any newer migrations\n", *from, info.Path, info.Version)
	key := keyFile(*c)
	if _, err := os.Stat(key); err != nil {
		fmt.Fprintf(stdout, "注意：密钥文件 %s 不存在。请先放回与备份配套的密钥，否则 serve 会生成新密钥，已加密的数据将无法读取。\n"+
			"Warning: the key file %s is missing. Put back the key that goes with this backup first: otherwise serve creates a new key and the encrypted data cannot be read.\n", key, key)
	} else {
		fmt.Fprintf(stdout, "密钥文件 %s 必须是与备份配套的那一个。/ The key file %s must be the one that goes with this backup.\n", key, key)
	}
	return nil
}

// keyFile is where serve looks for the secret key of c's database.
func keyFile(c app.Config) string {
	if c.SecretKeyFile != "" {
		return c.SecretKeyFile
	}
	return app.KeyFileBeside(c.DB)
}
