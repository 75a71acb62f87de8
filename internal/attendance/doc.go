// Package attendance keeps check-ins and check-outs (签到签退): a volunteer
// scanning the shift's rotating QR code, the leader scanning a volunteer's
// personal code, or the leader entering attendance by hand with a reason.
// A check-out asks record to create the service record, clipped to the
// shift, in the same transaction; record keeps the records, hours, stars
// and certificates. The codes' format is checkin's.
//
// A scan is one write transaction: on SQLite the single writer reads the
// shift, the volunteer and their standing in one statement; PostgreSQL
// locks the volunteer's row first, so two scans of one volunteer are serial.
package attendance
