package roster

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/db"
)

// DefaultReportRetention is how long an import's error report is kept: long
// enough to fix the rows and import them again, no longer than the numbers
// in it are needed.
const DefaultReportRetention = 30 * 24 * time.Hour

// reportAAD binds a sealed report to its batch, so that one batch's report
// cannot be moved to another's row.
func reportAAD(batchID int64) string {
	return "import_batches.report " + strconv.FormatInt(batchID, 10)
}

// PurgeReports deletes the error reports of imports older than the
// retention period (the import's row and counts stay) and audits how many,
// in one transaction. The delete is conditional, so several server
// processes running it at once delete each report once and only the one
// that deleted something writes an audit entry.
func (s *Service) PurgeReports(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.Add(-s.ReportRetention).Unix()
	var n int64
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		res, err := tx.ExecContext(ctx, `UPDATE import_batches SET report = NULL WHERE report IS NOT NULL AND created_at < $1`, cutoff)
		if err != nil {
			return apperr.Wrap(err, "roster: purge reports")
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return apperr.Wrap(err, "roster: purge reports")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "purge", Entity: "import_report",
			Detail: map[string]any{"reports": n, "created_before": time.Unix(cutoff, 0).UTC().Format(time.RFC3339)}})
	})
	if err != nil {
		n = 0
	}
	return n, err
}

// RunReportPurge purges expired reports now and then every period until ctx
// ends.
func (s *Service) RunReportPurge(ctx context.Context, period time.Duration, log *slog.Logger) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		if n, err := s.PurgeReports(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("purge import reports", "err", err)
		} else if n > 0 {
			log.Info("purged expired import reports", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
