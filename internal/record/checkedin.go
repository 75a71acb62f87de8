package record

import (
	"context"
	"database/sql"
	"errors"

	"zhiyuan/internal/db"
)

// CheckedIn says whether the volunteer has an attendance on the shift, open
// or closed: a sign-up that was used is no longer the volunteer's to cancel.
func (s *Service) CheckedIn(ctx context.Context, q db.Querier, shiftID, volunteerID int64) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM attendance WHERE volunteer_id = $1 AND shift_id = $2 LIMIT 1`, volunteerID, shiftID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
