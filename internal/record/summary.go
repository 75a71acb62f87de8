package record

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/region"
)

// DefaultStarHours are the confirmed hours for one to five stars, where a
// region has set none of its own.
var DefaultStarHours = []int64{100, 300, 600, 1000, 1500}

// Summary returns a volunteer's hours and star level, to those who may see
// the volunteer. It reads the running totals kept with every change.
func (s *Service) Summary(ctx context.Context, p *auth.Principal, volunteerID int64) (Summary, error) {
	v, err := s.volunteers.Get(ctx, p, volunteerID)
	if err != nil {
		return Summary{}, err
	}
	out := Summary{VolunteerID: v.ID}
	var pending int64
	out.ConfirmedMinutes, pending, err = hoursOf(ctx, s.db.Read(), v.ID)
	if err != nil {
		return out, apperr.Wrap(err, "record: summary")
	}
	return s.withStars(ctx, out, pending, v.RegionCode)
}

// withStars completes a summary with the total and the stars of the region.
func (s *Service) withStars(ctx context.Context, out Summary, pending int64, regionCode string) (Summary, error) {
	out.TotalMinutes = out.ConfirmedMinutes + pending
	hours, err := s.StarHours(ctx, regionCode)
	if err != nil {
		return out, err
	}
	out.StarLevel, out.NextStarMinutes = StarLevel(out.ConfirmedMinutes, hours)
	return out, nil
}

// MyHours is what the principal's own hours page shows of their service.
type MyHours struct {
	VolunteerID  int64
	Summary      Summary
	Records      []Record
	Certificates []Issued
}

// MyHours returns the principal's own summary, records and certificates.
// One's own are always visible, so it reads them directly, in one batch
// after the volunteer's id: the summary, the star thresholds of the
// volunteer's region and its ancestors, the records and the certificates.
// The batch is the page's: reads that other services queued in it
// go with these (on PostgreSQL in the same round trip); nil is none.
func (s *Service) MyHours(ctx context.Context, p *auth.Principal, page *db.Batch) (MyHours, error) {
	id, err := s.volunteers.MyID(ctx, p)
	if err != nil {
		return MyHours{}, err
	}
	out := MyHours{VolunteerID: id, Summary: Summary{VolunteerID: id}}
	var region string
	var pending int64
	found := false
	var stars []starRow
	b := page
	if b == nil {
		b = &db.Batch{}
	}
	b.Queue(func(row db.Scanner) error {
		found = true
		return row.Scan(&region, &out.Summary.ConfirmedMinutes, &pending)
	}, hoursWithRegionQuery, id)
	db.QueueAll(b, &stars, scanStarRow, starsOfVolunteerQuery, id)
	db.QueueAll(b, &out.Records, scanRecord, recordsOfQuery, id)
	db.QueueAll(b, &out.Certificates, scanIssued, certificatesOfQuery, id)
	if err := s.db.ReadBatch(ctx, b); err != nil {
		return out, apperr.Wrap(err, "record: my hours")
	}
	if !found {
		return out, apperr.Wrap(sql.ErrNoRows, "record: my hours")
	}
	out.Summary.TotalMinutes = out.Summary.ConfirmedMinutes + pending
	out.Summary.StarLevel, out.Summary.NextStarMinutes = StarLevel(out.Summary.ConfirmedMinutes, nearestStars(region, stars))
	return out, nil
}

// StarLevel gives the stars earned by confirmed minutes under thresholds in
// hours, and the minutes still needed for the next star (0 at the top).
func StarLevel(confirmedMinutes int64, thresholdHours []int64) (level int, toNext int64) {
	for _, h := range thresholdHours {
		h = min(max(h, 1), MaxStarHours) // never 0 minutes, never an overflow
		if confirmedMinutes >= h*60 {
			level++
			continue
		}
		return level, h*60 - confirmedMinutes
	}
	return level, 0
}

// StarHours returns the thresholds of the nearest region (the code itself,
// then its ancestors) that set its own, else the defaults. One statement
// reads the code's and its ancestors' rows (most regions set none).
func (s *Service) StarHours(ctx context.Context, code string) ([]int64, error) {
	codes := []any{code}
	for _, a := range region.Ancestors(code) {
		codes = append(codes, a.Code)
	}
	rows, err := starRowsOf(ctx, s.db.Read(), codes)
	if err != nil {
		return nil, apperr.Wrap(err, "record: stars")
	}
	return nearestStars(code, rows), nil
}

// nearestStars picks from rows the thresholds of code's nearest region
// that set its own: the longest of code and its ancestors among them, a row
// that does not parse or is out of bounds being skipped; the defaults if
// there is none.
func nearestStars(code string, rows []starRow) []int64 {
	var best []int64
	bestLen := -1
	for _, r := range rows {
		if r.code != code && !isAncestor(r.code, code) {
			continue
		}
		var h []int64
		if len(r.code) > bestLen && json.Unmarshal([]byte(r.hours), &h) == nil && validStars(h) {
			best, bestLen = h, len(r.code)
		}
	}
	if best == nil {
		return DefaultStarHours
	}
	return best
}

func isAncestor(ancestor, code string) bool {
	for _, a := range region.Ancestors(code) {
		if a.Code == ancestor {
			return true
		}
	}
	return false
}

// SetStarHours sets a region's thresholds (an office, for its region).
func (s *Service) SetStarHours(ctx context.Context, p *auth.Principal, regionCode string, hours []int64) error {
	if !auth.Can(p, auth.PermStarsManage, auth.Target{RegionCode: regionCode}) {
		return errForbidden
	}
	f := apperr.Fields{}
	if !region.Valid(regionCode) {
		f.Add("region_code", "unknown", "region.unknown")
	}
	starFields(f, hours)
	if err := f.Err(); err != nil {
		return err
	}
	b, _ := json.Marshal(hours)
	return s.db.Tx(ctx, func(tx db.Querier) error {
		if err := setStarThresholds(ctx, tx, regionCode, string(b)); err != nil {
			return apperr.Wrap(err, "record: set stars")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "update", Entity: "star_thresholds", EntityID: regionCode,
			RegionCode: regionCode, Detail: map[string]any{"hours": hours}})
	})
}

// MaxStarHours is the most hours a star threshold may ask for: more than a
// lifetime of service, and far from overflowing when counted in minutes.
const MaxStarHours = 100_000

// starFields checks thresholds: five of them (one per star), each within
// 1..MaxStarHours and above the one before, each fault named by its field
// (hours.1 … hours.5).
func starFields(f apperr.Fields, hours []int64) {
	if len(hours) != len(DefaultStarHours) {
		f.Add("hours", "count", "record.star_hours")
		return
	}
	for i, h := range hours {
		field := "hours." + strconv.Itoa(i+1)
		switch {
		case h < 1 || h > MaxStarHours:
			f.AddArgs(field, "range", "record.star_hours_range", map[string]any{"Star": i + 1, "Max": MaxStarHours})
		case i > 0 && h <= hours[i-1] && hours[i-1] <= MaxStarHours: // an out-of-range one is named alone
			f.AddArgs(field, "order", "record.star_hours_order", map[string]any{"Star": i + 1, "Prev": hours[i-1]})
		}
	}
}

// validStars reports whether stored thresholds are within the bounds
// SetStarHours keeps (a row written before them is ignored).
func validStars(hours []int64) bool {
	f := apperr.Fields{}
	starFields(f, hours)
	return len(f) == 0
}
