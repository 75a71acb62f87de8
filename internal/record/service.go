package record

import (
	"log/slog"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/certificate"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/volunteer"
)

// Service is the record of service hours, star levels and certificates.
type Service struct {
	db         *db.DB
	volunteers *volunteer.Service
	signer     *certificate.Signer
	log        *slog.Logger
	// RoundTo is the rounding rule: minutes are rounded down to a multiple
	// of it (1 keeps every minute, 15 counts quarter hours).
	RoundTo int
	// Now is the clock; tests replace it.
	Now func() time.Time
	// quota is the daily evidence quota per account (evidence.go); nil
	// means DefaultUploadQuota.
	quota *UploadQuota
}

// NewService returns the record service.
func NewService(d *db.DB, v *volunteer.Service, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: d, volunteers: v, log: log, RoundTo: 1, Now: time.Now}
}

var (
	errRecordMissing = apperr.New(apperr.NotFound, "record.not_found")
	errForbidden     = apperr.New(apperr.Forbidden, "error.forbidden")
	errTeamStopped   = apperr.New(apperr.Conflict, "team.suspended_no_work")
)

// round applies the rounding rule to a duration, in whole minutes.
func (s *Service) round(d time.Duration) int {
	m := int(d / time.Minute)
	if s.RoundTo > 1 {
		m -= m % s.RoundTo
	}
	return m
}

// addWorkingDays counts n weekdays after t (public holidays are not known
// to the platform yet, so a deadline over a holiday comes early).
func addWorkingDays(t time.Time, n int) time.Time {
	d := t.In(clock.Zone)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}
