// Package checkin issues and checks the signed, rotating codes used to check
// volunteers in and out of a shift, and draws them as QR codes.
//
// Two kinds of code share one format and one rotation:
//
//   - a shift code, shown on the leader's phone and scanned by volunteers
//     (Issue, Parse, Verify); it is put in a platform URL (CheckinURL) so the
//     phone's own camera or WeChat's scanner opens the check-in page;
//   - a personal code, shown on a volunteer's phone and scanned by the
//     leader (IssuePersonal, ParsePersonal).
//
// # Layout
//
// A code's Value is the unpadded base64url encoding (RFC 4648 §5) of
//
//	header  1 byte   version<<4 | kind (version 1; kind 1 shift, 2 personal)
//	id      uvarint  shift or volunteer ID (uint64 of the int64)
//	window  uvarint  time since the Unix epoch divided by the period
//	tag     12 bytes HMAC-SHA256(key, domain || header || id || window)[:12]
//
// where domain is "zhiyuan/checkin/shift\x00" or "zhiyuan/checkin/personal\x00".
// With a 30 s period the window needs 4 bytes until the year 2225, so a code
// is 24 characters for IDs below 128, 26 below 16 384 and 27 below 2 097 152.
// Decoding is strict: only the canonical encoding of a code is accepted
// (no padding, no line breaks, no non-zero trailing bits, minimal varints).
//
// # Security
//
// The 96-bit tag is compared in constant time. A forger without the key
// succeeds with probability 2⁻⁹⁶ per guess, and the header byte, the domain
// string and the tag together keep a shift code from ever being read as a
// personal code or the reverse. A code is accepted during the window it was
// issued in and the next one (a scan at the edge of the window, a little
// clock skew): at most two periods, 60 s by default. Older codes fail with
// ErrExpired, codes from a later window with ErrFuture, so a photo of an
// old code is useless. Within those 60 s a code can still be forwarded; the
// caller decides what else a check-in requires (enrolment, one check-in per
// volunteer and shift).
package checkin
