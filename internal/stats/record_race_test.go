package stats_test

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"zhiyuan/internal/apperr"
	"zhiyuan/internal/apptest"
	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/volunteer"
)

// racePDF is a minimal well-formed PDF (evidence is checked structurally).
var racePDF = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n" +
	"0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n")

// TestRecordChangesRaceKeepTotals races confirmation, voiding, amendments
// (raising and lowering) and approvals on many records at once: every
// change reads the record in its own transaction, so afterwards each
// volunteer's running totals and star level equal the sum of their records,
// and the rollups equal a rebuild.
func TestRecordChangesRaceKeepTotals(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	leader, office := env.Principal("team-admin"), env.Principal("heping-office")
	rec := env.App.Records
	pr := env.Publish(apptest.NewProject("竞态测试", "花园路社区", 10, 10))
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	sh, err := env.App.Projects.AddShift(ctx, leader, pr.ID, project.NewShift{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(3 * time.Hour).Format(time.RFC3339), Capacity: 10})
	must(t, err)
	clock := sh.EndsAt.Add(time.Hour)
	rec.Now = func() time.Time { return clock }
	env.App.Attendance.Now = rec.Now
	var vols []volunteer.Volunteer
	var ids []int64
	for i := 0; i < 4; i++ {
		v, err := env.App.Volunteers.Register(ctx, volunteer.Registration{RealName: fmt.Sprintf("竞态%d", i),
			IDNumber: apptest.ResidentID("120101", apptest.BornYearsAgo(25+i, 3), 600+i), Phone: apptest.Mobile(600 + i),
			RegionCode: "120101001001", Password: "password-123"})
		must(t, err)
		vols = append(vols, v)
		_, err = env.App.Projects.SignUp(ctx, &auth.Principal{AccountID: v.AccountID, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}, sh.ID)
		must(t, err)
		for j := 0; j < 3; j++ { // three pending records from attendance
			in := sh.StartsAt.Add(time.Duration(j*60) * time.Minute)
			scan, err := env.App.Attendance.EnterAttendance(ctx, leader, sh.ID, attendance.ManualAttendance{VolunteerID: v.ID,
				CheckInAt: in.Format(time.RFC3339), CheckOutAt: in.Add(50 * time.Minute).Format(time.RFC3339), Reason: "手机没电"})
			must(t, err)
			ids = append(ids, scan.RecordID)
		}
		for j := 0; j < 3; j++ { // three confirmed backfills
			up, err := rec.Upload(ctx, leader, "签到表.pdf", racePDF)
			must(t, err)
			day := time.Now().AddDate(0, 0, -3-j-4*i).Truncate(time.Hour)
			r, err := rec.CreateBackfill(ctx, leader, record.Backfill{VolunteerID: v.ID, ProjectID: pr.ID,
				StartsAt: day.Format(time.RFC3339), EndsAt: day.Add(4 * time.Hour).Format(time.RFC3339), Content: "补录", EvidenceUploadIDs: []int64{up}})
			must(t, err)
			_, err = rec.Approve(ctx, office, r.ID)
			must(t, err)
			ids = append(ids, r.ID)
		}
	}
	rnd := rand.New(rand.NewSource(1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var unexpected []error
	for _, id := range ids {
		r, err := rec.Get(ctx, leader, id)
		must(t, err)
		ops := []func() error{
			func() error { _, err := rec.Confirm(ctx, leader, id); return err },
			func() error { _, err := rec.Void(ctx, office, id, "重复记录"); return err },
			func() error { _, err := rec.Approve(ctx, office, id); return err },
			func() error { // lower
				_, err := rec.Amend(ctx, leader, id, record.Amendment{StartsAt: r.StartsAt.Format(time.RFC3339),
					EndsAt: r.StartsAt.Add(20 * time.Minute).Format(time.RFC3339), Reason: "核减"})
				return err
			},
			func() error { // raise
				_, err := rec.Amend(ctx, leader, id, record.Amendment{StartsAt: r.StartsAt.Format(time.RFC3339),
					EndsAt: r.EndsAt.Add(30 * time.Minute).Format(time.RFC3339), Reason: "核增"})
				return err
			},
		}
		rnd.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		for _, op := range ops {
			wg.Add(1)
			go func(op func() error) {
				defer wg.Done()
				if err := op(); err != nil && !apperr.Is(err, apperr.Conflict) && !apperr.Is(err, apperr.Forbidden) {
					mu.Lock()
					unexpected = append(unexpected, err)
					mu.Unlock()
				}
			}(op)
		}
	}
	wg.Wait()
	for _, err := range unexpected {
		t.Errorf("unexpected error: %v", err)
	}
	for _, v := range vols {
		var confirmed, pending, keptConfirmed, keptPending int64
		must(t, env.App.DB.Read().QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN state = 'confirmed' THEN minutes ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state IN ('pending', 'pending_approval') THEN minutes ELSE 0 END), 0)
			FROM service_records WHERE volunteer_id = $1`, v.ID).Scan(&confirmed, &pending))
		must(t, env.App.DB.Read().QueryRowContext(ctx, `SELECT confirmed_minutes, pending_minutes FROM volunteer_hours
			WHERE volunteer_id = $1`, v.ID).Scan(&keptConfirmed, &keptPending))
		if confirmed != keptConfirmed || pending != keptPending {
			t.Errorf("volunteer %d: totals confirmed %d pending %d, records confirmed %d pending %d",
				v.ID, keptConfirmed, keptPending, confirmed, pending)
		}
		sum, err := rec.Summary(ctx, office, v.ID)
		must(t, err)
		hours, err := rec.StarHours(ctx, v.RegionCode)
		must(t, err)
		if level, _ := record.StarLevel(confirmed, hours); sum.StarLevel != level || sum.ConfirmedMinutes != confirmed {
			t.Errorf("volunteer %d: summary %+v, records give %d minutes, level %d", v.ID, sum, confirmed, level)
		}
	}
	kept := dump(t, env)
	must(t, stats.Rebuild(ctx, env.App.DB))
	if rebuilt := dump(t, env); fmt.Sprint(kept) != fmt.Sprint(rebuilt) {
		t.Fatalf("rollups differ from the rebuild:\nonly rebuilt: %v\nonly kept: %v", diff(rebuilt, kept), diff(kept, rebuilt))
	}
}
