package attendance

import (
	"context"
	"strings"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/db"
	"zhiyuan/internal/record"
)

// EnterAttendance records a volunteer's attendance by hand, with a reason
// (a phone without a camera, a forgotten scan), in one transaction: a
// signed-up volunteer's check-in and check-out, creating the record; or,
// when the volunteer's attendance on the shift is still open, its close at
// check_out_at (whatever became of the sign-up, however long ago the shift
// ended), so the leader can always close it: at the check-in itself it
// closes with no record.
func (s *Service) EnterAttendance(ctx context.Context, p *auth.Principal, shiftID int64, in ManualAttendance) (Scan, error) {
	sh, err := s.managedShift(ctx, p, shiftID)
	if err != nil {
		return Scan{}, err
	}
	f := apperr.Fields{}
	reason := record.ReasonField(f, in.Reason)
	in1, err1 := time.Parse(time.RFC3339, strings.TrimSpace(in.CheckInAt))
	out, err2 := time.Parse(time.RFC3339, strings.TrimSpace(in.CheckOutAt))
	if err2 != nil || out.After(s.Now()) || (err1 == nil && !out.After(in1)) {
		f.Add("check_out_at", "range", "record.manual_range")
	}
	if err := f.Err(); err != nil {
		return Scan{}, err
	}
	var scan Scan
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if err := s.db.Dialect.LockRow(ctx, tx, "volunteers", in.VolunteerID); err != nil {
			return apperr.Mask(err, apperr.New(apperr.NotFound, "volunteer.not_found"))
		}
		st, err := loadStanding(ctx, tx, sh, in.VolunteerID, out.In(clock.Zone).Format("2006-01-02"))
		if err != nil {
			return apperr.Wrap(err, "attendance: standing")
		}
		if st.openID != 0 { // the leader's close of an open attendance
			if out.Before(st.openIn) {
				fe := apperr.Fields{}
				fe.Add("check_out_at", "range", "record.manual_range")
				return fe.Err()
			}
			scan = Scan{Action: ActionCheckOut, At: out, ShiftID: sh.id, VolunteerID: in.VolunteerID}
			scan.RecordID, scan.Minutes, err = s.checkOut(ctx, tx, sh, st.openID, in.VolunteerID, st.openIn, out, p.AccountID)
			return err
		}
		if err1 != nil {
			fe := apperr.Fields{}
			fe.Add("check_out_at", "range", "record.manual_range")
			return fe.Err()
		}
		st, err = loadStanding(ctx, tx, sh, in.VolunteerID, in1.In(clock.Zone).Format("2006-01-02"))
		if err != nil {
			return apperr.Wrap(err, "attendance: standing")
		}
		if _, err := s.scanTx(ctx, tx, sh, in.VolunteerID, st, in1.In(clock.Zone).Format("2006-01-02"), "manual", reason, p.AccountID, in1, true); err != nil {
			return err
		}
		st, err = loadStanding(ctx, tx, sh, in.VolunteerID, out.In(clock.Zone).Format("2006-01-02"))
		if err != nil {
			return apperr.Wrap(err, "attendance: standing")
		}
		scan, err = s.scanTx(ctx, tx, sh, in.VolunteerID, st, out.In(clock.Zone).Format("2006-01-02"), "manual", reason, p.AccountID, out, true)
		return err
	})
	return scan, err
}
