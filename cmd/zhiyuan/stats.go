package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"zhiyuan/internal/app"
	"zhiyuan/internal/stats"
)

// cmdStatsRebuild recomputes the dashboard rollups from the raw tables: the
// repair after a restore from an old backup or a hand edit of the database.
func cmdStatsRebuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("stats rebuild", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := configFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := app.Open(ctx, *c, app.NewLogger(stderr, c.LogFormat))
	if err != nil {
		return err
	}
	defer d.Close()
	app.RegisterFigures()
	start := time.Now()
	if err := stats.Rebuild(ctx, d); err != nil {
		return fmt.Errorf("统计数据重建失败 / rebuilding the statistics failed: %w", err)
	}
	var counts, active int64
	if err := d.Read().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM stat_counts), (SELECT COUNT(*) FROM stat_active)`).Scan(&counts, &active); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "统计数据已重建 / statistics rebuilt: %d counters, %d activity sets in %s\n", counts, active, time.Since(start).Round(time.Millisecond))
	return nil
}
