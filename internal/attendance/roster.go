package attendance

import (
	"context"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
)

// ShiftRoster lists a shift's sign-ups with their latest check-in and
// check-out, for its leader.
func (s *Service) ShiftRoster(ctx context.Context, p *auth.Principal, shiftID int64) ([]Present, error) {
	if _, err := s.managedShift(ctx, p, shiftID); err != nil {
		return nil, err
	}
	list, err := shiftRoster(ctx, s.db.Read(), shiftID)
	return list, apperr.Wrap(err, "attendance: shift roster")
}

// CheckedIn says whether the volunteer has an attendance on the shift, open
// or closed: a sign-up that was used is no longer the volunteer's to cancel.
func (s *Service) CheckedIn(ctx context.Context, q db.Querier, shiftID, volunteerID int64) (bool, error) {
	return hasAttendance(ctx, q, shiftID, volunteerID)
}
