package attendance_test

import (
	"context"
	"testing"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/attendance"
)

// A volunteer who has checked in cannot cancel the sign-up (it would leave
// the attendance open for ever); the team can still close the attendance.
func TestCheckedInSignupCannotBeCancelled(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	att, projects := f.env.App.Attendance, f.env.App.Projects
	mine, err := projects.MyShifts(ctx, f.vol, false)
	if err != nil || len(mine) != 1 {
		t.Fatalf("my shifts: %+v %v", mine, err)
	}
	if s, err := att.ScanCode(ctx, f.vol, f.code(t), nil); err != nil || s.Action != attendance.ActionCheckIn {
		t.Fatalf("check in: %+v %v", s, err)
	}
	for _, who := range []string{"volunteer", "team"} {
		p := f.vol
		if who == "team" {
			p = f.leader
		}
		if err := projects.Cancel(ctx, p, mine[0].SignupID); apperr.From(err).Key != "signup.checked_in" {
			t.Errorf("%s cancels after the check-in: %v, want signup.checked_in", who, err)
		}
	}
	sh, err := projects.Shift(ctx, nil, f.shift.ID)
	if err != nil || sh.Taken != 1 {
		t.Fatalf("seats taken: %d (%v), want 1", sh.Taken, err)
	}
	*f.clock = f.shift.EndsAt
	if s, err := att.ScanCode(ctx, f.vol, f.code(t), nil); err != nil || s.Action != attendance.ActionCheckOut || s.RecordID == 0 {
		t.Fatalf("check out: %+v %v", s, err)
	}
}
