package project

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
)

// A volunteer's shifts as an iCalendar feed (RFC 5545), for the phone's
// calendar app: the app cannot log in, so the feed's URL carries a token
// that names the volunteer and is signed with the platform's key over the
// feed's generation (calendar_feeds): renewing the feed or changing the
// password moves the generation on and ends every older URL. The database
// holds no token, only the generation.

var errFeedMissing = apperr.New(apperr.NotFound, "ical.not_found")

// SetFeedKey gives the service the key that signs calendar feed tokens.
func (s *Service) SetFeedKey(key []byte) { s.feedKey = key }

// feedToken is the token of a volunteer's feed at a generation (0: the
// tokens issued before feeds could be renewed).
func (s *Service) feedToken(volunteerID, generation int64) string {
	m := hmac.New(sha256.New, s.feedKey)
	if generation == 0 {
		fmt.Fprintf(m, "ical|%d", volunteerID)
	} else {
		fmt.Fprintf(m, "ical|%d|%d", volunteerID, generation)
	}
	return strconv.FormatInt(volunteerID, 10) + "-" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// FeedToken returns the principal's calendar feed token.
func (s *Service) FeedToken(ctx context.Context, p *auth.Principal) (string, error) {
	if len(s.feedKey) == 0 {
		return "", apperr.Wrap(fmt.Errorf("no feed key"), "project: feed")
	}
	id, err := s.volunteers.MyID(ctx, p)
	if err != nil {
		return "", err
	}
	gen, err := feedGeneration(ctx, s.db.Read(), id)
	if err != nil {
		return "", apperr.Wrap(err, "project: feed generation")
	}
	return s.feedToken(id, gen), nil
}

// RenewFeed ends the principal's calendar feed URL and returns the token of
// the new one.
func (s *Service) RenewFeed(ctx context.Context, p *auth.Principal) (string, error) {
	if len(s.feedKey) == 0 {
		return "", apperr.Wrap(fmt.Errorf("no feed key"), "project: feed")
	}
	id, err := s.volunteers.MyID(ctx, p)
	if err != nil {
		return "", err
	}
	var gen int64
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		var err error
		if gen, err = nextFeedGeneration(ctx, tx, id, s.Now()); err != nil {
			return apperr.Wrap(err, "project: renew feed")
		}
		return audit.Write(ctx, tx, audit.Entry{Action: "calendar_renew", Entity: "volunteer", EntityID: strconv.FormatInt(id, 10),
			RegionCode: p.RegionCode})
	})
	if err != nil {
		return "", err
	}
	return s.feedToken(id, gen), nil
}

// EndFeeds ends the calendar feed URL of the account's volunteer, in the
// transaction tx of a password change (auth.Service.PasswordChanged).
func (s *Service) EndFeeds(ctx context.Context, tx db.Querier, accountID int64) error {
	id, err := s.volunteers.MyID(ctx, &auth.Principal{AccountID: accountID})
	if apperr.Is(err, apperr.NotFound) {
		return nil // an account without a volunteer has no feed
	}
	if err != nil {
		return err
	}
	if _, err := nextFeedGeneration(ctx, tx, id, s.Now()); err != nil {
		return apperr.Wrap(err, "project: end feed")
	}
	return audit.Write(ctx, tx, audit.Entry{Action: "calendar_end", Entity: "volunteer", EntityID: strconv.FormatInt(id, 10)})
}

// Feed returns the iCalendar text of the volunteer the token names.
func (s *Service) Feed(ctx context.Context, token string) (string, error) {
	if len(s.feedKey) == 0 {
		return "", errFeedMissing
	}
	idPart, _, ok := strings.Cut(token, "-")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if !ok || err != nil || id <= 0 {
		return "", errFeedMissing
	}
	gen, err := feedGeneration(ctx, s.db.Read(), id)
	if err != nil {
		return "", apperr.Wrap(err, "project: feed generation")
	}
	if !hmac.Equal([]byte(s.feedToken(id, gen)), []byte(token)) {
		return "", errFeedMissing
	}
	upcoming, err := s.shiftsOf(ctx, id, false)
	if err != nil {
		return "", err
	}
	past, err := s.shiftsOf(ctx, id, true)
	if err != nil {
		return "", err
	}
	return ICal(append(upcoming, past...), s.Now()), nil
}

// ICal renders shifts as an iCalendar document.
func ICal(shifts []MyShift, now time.Time) string {
	var b strings.Builder
	line := func(s string) {
		// Fold lines longer than 75 octets (RFC 5545 §3.1), not inside a UTF-8 sequence.
		for len(s) > 75 {
			cut := 75
			for cut > 0 && s[cut]&0xC0 == 0x80 {
				cut--
			}
			b.WriteString(s[:cut] + "\r\n")
			s = " " + s[cut:]
		}
		b.WriteString(s + "\r\n")
	}
	stamp := now.UTC().Format("20060102T150405Z")
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Zhiyuan//Volunteer shifts//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + escapeText("我的志愿服务班次"))
	for _, m := range shifts {
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:signup-%d@zhiyuan", m.SignupID))
		line("DTSTAMP:" + stamp)
		line("DTSTART:" + m.StartsAt.UTC().Format("20060102T150405Z"))
		line("DTEND:" + m.EndsAt.UTC().Format("20060102T150405Z"))
		summary := m.ProjectName
		if m.Status == SignupWaitlisted {
			summary = "（候补）" + summary
		}
		line("SUMMARY:" + escapeText(summary))
		line("LOCATION:" + escapeText(m.Place))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}

// escapeText escapes an iCalendar TEXT value.
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}
