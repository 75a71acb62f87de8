package record_test

import (
	"context"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/record"
	"zhiyuan/internal/volunteer"
)

// admin registers a person, has them accept an invitation to team 1 and
// makes them its admin, appointed by appointer; it returns their principal.
func (f *fixture) admin(t *testing.T, n int, appointer *auth.Principal) *auth.Principal {
	t.Helper()
	ctx := context.Background()
	v, err := f.env.App.Volunteers.Register(ctx, volunteer.Registration{RealName: "新管理员", IDNumber: apptest.ResidentID("120101", apptest.BornYearsAgo(30, n), 801+2*n),
		Phone: apptest.Mobile(800 + n), RegionCode: "120101001001", Password: "password-123"})
	if err != nil {
		t.Fatal(err)
	}
	p := &auth.Principal{AccountID: v.AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}
	if _, err := f.env.App.Teams.AddMember(ctx, f.leader, 1, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.env.App.Teams.Join(ctx, p, 1); err != nil {
		t.Fatal(err)
	}
	if err := f.env.App.Teams.SetRole(ctx, appointer, 1, v.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	p.Grants = append(p.Grants, auth.Grant{Role: auth.RoleTeamAdmin, TeamID: 1})
	return p
}

// backfill enters two hours of past service for the fixture's volunteer as
// the team's leader.
// backfills counts the backfills made, to place each at its own time.
var backfills int

func (f *fixture) backfill(t *testing.T) record.Record {
	t.Helper()
	ctx := context.Background()
	up, err := f.env.App.Records.Upload(ctx, f.leader, "签到表.pdf", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	backfills++ // each at its own time: a volunteer's records never overlap
	past := f.clock.Add(-72*time.Hour - time.Duration(backfills)*3*time.Hour).Truncate(time.Hour)
	r, err := f.env.App.Records.CreateBackfill(ctx, f.leader, record.Backfill{VolunteerID: f.volID, ProjectID: f.shift.ProjectID,
		StartsAt: past.Format(time.RFC3339), EndsAt: past.Add(2 * time.Hour).Format(time.RFC3339), Content: "补录", EvidenceUploadIDs: []int64{up}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The second approver of a backfill is independent of the one who entered
// it: a person the requester made admin is never, even after 30 days; an
// admin someone else appointed is after 30 days in the role, not before; an
// office admin of the team's region is.
func TestSecondApproverIsIndependent(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	rec := f.env.App.Records
	*f.clock = time.Now()
	f.env.App.Teams.Now = func() time.Time { return *f.clock }
	notIndependent := func(err error) bool {
		e := apperr.From(err)
		return apperr.Is(err, apperr.Forbidden) && e.Key == "team.approver_not_independent"
	}

	// The sock puppet: a new person, made admin at once by the requester.
	puppet := f.admin(t, 1, f.leader)
	r := f.backfill(t)
	if _, err := rec.Approve(ctx, puppet, r.ID); !notIndependent(err) {
		t.Fatalf("an admin the requester appointed today approves: %v", err)
	}
	// An admin appointed by the office, 29 days on: not yet.
	other := f.admin(t, 2, f.env.Principal("heping-office"))
	*f.clock = f.clock.Add(29 * 24 * time.Hour)
	if _, err := rec.Approve(ctx, other, r.ID); !notIndependent(err) {
		t.Fatalf("an admin of 29 days approves: %v", err)
	}
	// 31 days on: the puppet still not, the other admin yes.
	*f.clock = f.clock.Add(2 * 24 * time.Hour)
	r = f.backfill(t)
	if _, err := rec.Approve(ctx, puppet, r.ID); !notIndependent(err) {
		t.Fatalf("an admin the requester appointed 31 days ago approves: %v", err)
	}
	if got, err := rec.Approve(ctx, other, r.ID); err != nil || got.State != record.StateConfirmed {
		t.Fatalf("an admin of 31 days appointed by the office: %+v %v", got, err)
	}
	// The office of the team's region approves at once; another district's does not.
	r = f.backfill(t)
	if _, err := rec.Approve(ctx, f.env.Principal("hedong-office"), r.ID); err == nil {
		t.Fatal("another district's office approves")
	}
	if got, err := rec.Approve(ctx, f.env.Principal("heping-office"), r.ID); err != nil || got.State != record.StateConfirmed {
		t.Fatalf("the office approves: %+v %v", got, err)
	}
}
