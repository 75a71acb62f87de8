// Package roster moves volunteers in and out of spreadsheets: the import of
// a team's volunteers from an .xlsx file with a per-row error report, the
// import template, and the masked exports of rosters and volunteer lists.
package roster

import (
	"log/slog"
	"time"

	"zhiyuan/internal/db"
	"zhiyuan/internal/i18n"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/sheet"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

// Service is the spreadsheet side of the register.
type Service struct {
	db         *db.DB
	keys       *pii.Keyring // seals the stored error reports
	volunteers *volunteer.Service
	teams      *team.Service
	cat        *i18n.Catalog
	log        *slog.Logger
	// exports holds a token per export being written (exports.go).
	exports chan struct{}
	// SheetLimits bound the cells an import reads (zero fields: the
	// sheet package's defaults).
	SheetLimits sheet.Limits
	// ReportRetention is how long an import's error report is kept
	// (reports.go); DefaultReportRetention unless set before serving.
	ReportRetention time.Duration
}

// NewService returns the roster service.
func NewService(d *db.DB, keys *pii.Keyring, v *volunteer.Service, t *team.Service, cat *i18n.Catalog, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, keys: keys, ReportRetention: DefaultReportRetention, volunteers: v, teams: t, cat: cat, log: log, exports: make(chan struct{}, DefaultConcurrentExports)}
}

// MaxUpload is the largest import file accepted (a 500,000-row sheet is
// about 30 MB).
const MaxUpload = 128 << 20

// MaxDuration is how long an import request may take to upload and save: a
// million-row sheet at a few thousand rows a second, with room to spare.
const MaxDuration = 30 * time.Minute
