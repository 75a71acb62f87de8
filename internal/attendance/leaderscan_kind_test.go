package attendance_test

import (
	"context"
	"testing"

	"zhiyuan/internal/apperr"
)

// TestLeaderScanOfAShiftCode checks that a leader who scans a shift's code
// on the leader scan page is told it is a shift code (not a volunteer's
// personal code), and a volunteer who scans a personal code is told the
// reverse.
func TestLeaderScanOfAShiftCode(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	att := f.env.App.Attendance
	_, err := att.LeaderScan(ctx, f.leader, f.shift.ID, f.code(t))
	if e := apperr.From(err); e.Fields["code"].Code != "wrong_kind" || e.Fields["code"].Key != "checkin.code_wrong_kind_shift" {
		t.Fatalf("shift code on the leader scan: %v", err)
	}
	personal, err := att.PersonalCode(ctx, f.vol)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := att.ScanCode(ctx, f.vol, personal.Value, nil); apperr.From(err).Fields["code"].Key != "checkin.code_wrong_kind" {
		t.Fatalf("personal code as a shift code: %v", err)
	}
}
