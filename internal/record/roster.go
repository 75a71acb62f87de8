package record

import (
	"context"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
)

// Present is one signed-up volunteer of a shift with their attendance.
type Present struct {
	VolunteerID int64
	Name        string
	No          string
	Signup      string
	CheckIn     time.Time
	CheckOut    time.Time
}

// ShiftRoster lists a shift's sign-ups with their latest check-in and
// check-out, for its leader.
func (s *Service) ShiftRoster(ctx context.Context, p *auth.Principal, shiftID int64) ([]Present, error) {
	if _, err := s.managedShift(ctx, p, shiftID); err != nil {
		return nil, err
	}
	list, err := db.QueryAll(ctx, s.db.Read(), func(row db.Scanner) (Present, error) {
		var x Present
		var in, out int64
		err := row.Scan(&x.VolunteerID, &x.Name, &x.No, &x.Signup, &in, &out)
		if in > 0 {
			x.CheckIn = time.Unix(in, 0)
		}
		if out > 0 {
			x.CheckOut = time.Unix(out, 0)
		}
		return x, err
	}, `SELECT v.id, v.real_name, v.volunteer_no, s.status,
		COALESCE((SELECT a.check_in_at FROM attendance a WHERE a.shift_id = s.shift_id AND a.volunteer_id = v.id ORDER BY a.id DESC LIMIT 1), 0),
		COALESCE((SELECT a.check_out_at FROM attendance a WHERE a.shift_id = s.shift_id AND a.volunteer_id = v.id ORDER BY a.id DESC LIMIT 1), 0)
		FROM signups s JOIN volunteers v ON v.id = s.volunteer_id
		WHERE s.shift_id = $1 AND s.status <> 'cancelled' ORDER BY s.status, s.id`, shiftID)
	return list, apperr.Wrap(err, "record: shift roster")
}
