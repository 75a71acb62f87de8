package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/clock"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
)

// activity is the spine at work, loaded through the services on a clock the
// demo moves: every state a role meets on its first day is there.
//
//	劝业场街道助老送餐 (published a month ago)
//	  four past shifts: records confirmed, one pending, one overdue
//	  a shift under way, 李红 checked in, its code on the leader's page
//	  tomorrow's shift: open seats; the day after: full, with a waiting list
//	  a backfill approved by the office, and one awaiting approval
//	  a certificate for 张志愿's confirmed hours
//	文明交通劝导 awaiting the office's review; 冬季义诊 a draft;
//	楼道清理 rejected with a reason
type activity struct {
	svc    Services
	clock  time.Time
	real   time.Time
	leader *auth.Principal // team-admin: the first team's admin
	office *auth.Principal // heping-office
	vol    *auth.Principal // volunteer (张志愿)
	vol2   *auth.Principal // volunteer2 (李红)
	volID  int64
	vol2ID int64
}

// loadActivity runs the demo's month of activity. Services' clocks are the
// demo's while it runs and their own again afterwards.
func loadActivity(ctx context.Context, svc Services, teamID int64) error {
	a := &activity{svc: svc, real: time.Now()}
	now := func() time.Time { return a.clock }
	projectsNow, recordsNow, attendanceNow := svc.Projects.Now, svc.Records.Now, svc.Attendance.Now
	svc.Projects.Now, svc.Records.Now, svc.Attendance.Now = now, now, now
	defer func() {
		svc.Projects.Now, svc.Records.Now, svc.Attendance.Now = projectsNow, recordsNow, attendanceNow
	}()
	var err error
	for _, p := range []struct {
		who      **auth.Principal
		username string
		grant    auth.Grant
	}{
		{&a.leader, "team-admin", auth.Grant{Role: auth.RoleTeamAdmin, TeamID: teamID}},
		{&a.office, "heping-office", auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "120101"}},
		{&a.vol, "volunteer", auth.Grant{Role: auth.RoleVolunteer}},
		{&a.vol2, "volunteer2", auth.Grant{Role: auth.RoleVolunteer}},
	} {
		if *p.who, err = a.principal(ctx, p.username, p.grant); err != nil {
			return err
		}
	}
	if a.volID, err = svc.Volunteers.MyID(ctx, a.vol); err != nil {
		return fmt.Errorf("demo: volunteer: %w", err)
	}
	if a.vol2ID, err = svc.Volunteers.MyID(ctx, a.vol2); err != nil {
		return fmt.Errorf("demo: volunteer2: %w", err)
	}
	steps := []func(context.Context) error{a.meals, a.otherProjects}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (a *activity) principal(ctx context.Context, username string, g auth.Grant) (*auth.Principal, error) {
	var id int64
	if err := a.svc.DB.Read().QueryRowContext(ctx, `SELECT id FROM accounts WHERE username = $1`, username).Scan(&id); err != nil {
		return nil, fmt.Errorf("demo: %s: %w", username, err)
	}
	grants := []auth.Grant{g}
	if g.Role == auth.RoleTeamAdmin {
		grants = append(grants, auth.Grant{Role: auth.RoleVolunteer})
	}
	return &auth.Principal{AccountID: id, Username: username, Grants: grants}, nil
}

// day is the real day offset by days, at hour:minute Beijing time.
func (a *activity) day(days, hour, minute int) time.Time {
	d := a.real.In(clock.Zone).AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, clock.Zone)
}

// project drafts a project of the first team, on the current clock.
func (a *activity) project(ctx context.Context, name, category, content, address string, from, to int) (project.Project, error) {
	pr, err := a.svc.Projects.Create(ctx, a.leader, project.NewProject{TeamID: a.leader.Grants[0].TeamID, Name: name,
		Category: category, Content: content, RegionCode: "120101001001", Address: address, RecruitCount: 20,
		StartsOn: a.day(from, 0, 0).Format("2006-01-02"), EndsOn: a.day(to, 0, 0).Format("2006-01-02"),
		ContactName: "王建国", ContactPhone: "13800138000", Risks: "冬季路滑", Protections: "配发防滑鞋套、手套", Insured: true})
	if err != nil {
		return pr, fmt.Errorf("demo: project %s: %w", name, err)
	}
	return pr, nil
}

// publish submits a draft and has the office approve it.
func (a *activity) publish(ctx context.Context, pr project.Project) (project.Project, error) {
	if _, err := a.svc.Projects.Submit(ctx, a.leader, pr.ID); err != nil {
		return pr, fmt.Errorf("demo: submit %s: %w", pr.Name, err)
	}
	pr, err := a.svc.Projects.ReviewProject(ctx, a.office, pr.ID, project.Review{Decision: "approve"})
	if err != nil {
		return pr, fmt.Errorf("demo: approve %s: %w", pr.Name, err)
	}
	return pr, nil
}

func (a *activity) shift(ctx context.Context, pr project.Project, from, to time.Time, capacity, waitlist int, place string) (project.Shift, error) {
	sh, err := a.svc.Projects.AddShift(ctx, a.leader, pr.ID, project.NewShift{StartsAt: from.Format(time.RFC3339),
		EndsAt: to.Format(time.RFC3339), Capacity: capacity, Waitlist: waitlist, Place: place})
	if err != nil {
		return sh, fmt.Errorf("demo: shift %s: %w", from.Format("01-02 15:04"), err)
	}
	return sh, nil
}

func (a *activity) signUp(ctx context.Context, sh project.Shift, who ...*auth.Principal) error {
	for _, p := range who {
		if _, err := a.svc.Projects.SignUp(ctx, p, sh.ID); err != nil {
			return fmt.Errorf("demo: sign-up of %s: %w", p.Username, err)
		}
	}
	return nil
}

// meals is the month of the first team's published project.
func (a *activity) meals(ctx context.Context) error {
	a.clock = a.real.AddDate(0, 0, -32)
	pr, err := a.project(ctx, "劝业场街道助老送餐", "关爱老人", "为辖区独居、空巢老人送午餐，顺带问候、测量血压，发现异常及时报告社区。",
		"天津市和平区劝业场街道花园路12号社区食堂", -32, 30)
	if err != nil {
		return err
	}
	if pr, err = a.publish(ctx, pr); err != nil {
		return err
	}
	// Four past shifts, 25, 20, 12 and 4 days ago, each with both volunteers.
	var past []project.Shift
	for _, ago := range []int{25, 20, 12, 4} {
		sh, err := a.shift(ctx, pr, a.day(-ago, 10, 30), a.day(-ago, 13, 0), 6, 0, "社区食堂门口")
		if err != nil {
			return err
		}
		if err := a.signUp(ctx, sh, a.vol, a.vol2); err != nil {
			return err
		}
		past = append(past, sh)
	}
	for i, sh := range past {
		a.clock = sh.EndsAt.Add(30 * time.Minute)
		var recs [2]int64
		for j, id := range []int64{a.volID, a.vol2ID} {
			scan, err := a.svc.Attendance.EnterAttendance(ctx, a.leader, sh.ID, attendance.ManualAttendance{VolunteerID: id,
				CheckInAt:  sh.StartsAt.Add(time.Duration(j*5) * time.Minute).Format(time.RFC3339),
				CheckOutAt: sh.EndsAt.Format(time.RFC3339), Reason: "送餐途中手机没电，由队长登记"})
			if err != nil {
				return fmt.Errorf("demo: attendance: %w", err)
			}
			recs[j] = scan.RecordID
		}
		a.clock = sh.EndsAt.Add(26 * time.Hour)
		// 张志愿's records are all confirmed; 李红's first stays overdue
		// and her last pending, within its deadline.
		for j, id := range recs {
			if j == 1 && (i == 0 || i == len(past)-1) {
				continue
			}
			if _, err := a.svc.Records.Confirm(ctx, a.leader, id); err != nil {
				return fmt.Errorf("demo: confirm: %w", err)
			}
		}
	}
	if err := a.backfills(ctx, pr); err != nil {
		return err
	}
	if err := a.upcoming(ctx, pr); err != nil {
		return err
	}
	a.clock = a.real
	if _, err := a.svc.Records.IssueCertificate(ctx, a.vol, a.volID, a.leader.Grants[0].TeamID, a.svc.BaseURL); err != nil {
		return fmt.Errorf("demo: certificate: %w", err)
	}
	return nil
}

// backfills records two services done before the platform was used: one the
// office approved, one awaiting approval.
func (a *activity) backfills(ctx context.Context, pr project.Project) error {
	a.clock = a.day(-27, 9, 0)
	upload, err := a.svc.Records.Upload(ctx, a.leader, "签到表.png", evidencePNG())
	if err != nil {
		return fmt.Errorf("demo: evidence: %w", err)
	}
	first, err := a.svc.Records.CreateBackfill(ctx, a.leader, record.Backfill{VolunteerID: a.volID, ProjectID: pr.ID,
		StartsAt: a.day(-28, 14, 0).Format(time.RFC3339), EndsAt: a.day(-28, 16, 0).Format(time.RFC3339),
		Content: "纸质签到表登记的助老送餐服务", Place: "花园路社区", EvidenceUploadIDs: []int64{upload}})
	if err != nil {
		return fmt.Errorf("demo: backfill: %w", err)
	}
	a.clock = a.day(-26, 10, 0)
	if _, err := a.svc.Records.Approve(ctx, a.office, first.ID); err != nil {
		return fmt.Errorf("demo: approve backfill: %w", err)
	}
	a.clock = a.day(-2, 9, 0)
	second, err := a.svc.Records.Upload(ctx, a.leader, "照片.png", evidencePNG())
	if err != nil {
		return fmt.Errorf("demo: evidence: %w", err)
	}
	_, err = a.svc.Records.CreateBackfill(ctx, a.leader, record.Backfill{VolunteerID: a.vol2ID, ProjectID: pr.ID,
		StartsAt: a.day(-3, 14, 0).Format(time.RFC3339), EndsAt: a.day(-3, 17, 0).Format(time.RFC3339),
		Content: "临时顶岗送餐（系统故障期间纸质登记）", Place: "花园路社区", EvidenceUploadIDs: []int64{second}})
	if err != nil {
		return fmt.Errorf("demo: backfill: %w", err)
	}
	return nil
}

// upcoming is today's shift under way (李红 checked in) and the next days'
// shifts: tomorrow's with open seats, the day after's full with a waiting
// list. 张志愿 (the "volunteer" account, which the browser tests sign up
// on shifts starting within the hour) is on no shift near now.
func (a *activity) upcoming(ctx context.Context, pr project.Project) error {
	a.clock = a.real.Add(-48 * time.Hour)
	start := a.real.Add(-time.Hour).Truncate(time.Minute)
	now, err := a.shift(ctx, pr, start, start.Add(3*time.Hour), 8, 0, "社区食堂门口")
	if err != nil {
		return err
	}
	if err := a.signUp(ctx, now, a.vol2); err != nil {
		return err
	}
	open, err := a.shift(ctx, pr, a.day(1, 10, 30), a.day(1, 13, 0), 10, 5, "社区食堂门口")
	if err != nil {
		return err
	}
	if err := a.signUp(ctx, open, a.vol); err != nil {
		return err
	}
	full, err := a.shift(ctx, pr, a.day(2, 10, 30), a.day(2, 13, 0), 2, 3, "社区食堂门口")
	if err != nil {
		return err
	}
	if err := a.signUp(ctx, full, a.vol, a.leader, a.vol2); err != nil {
		return err
	}
	a.clock = a.real
	code, err := a.svc.Attendance.ShiftCode(ctx, a.leader, now.ID)
	if err != nil {
		return fmt.Errorf("demo: shift code: %w", err)
	}
	if _, err := a.svc.Attendance.ScanCode(ctx, a.vol2, code.Value, nil); err != nil {
		return fmt.Errorf("demo: check-in: %w", err)
	}
	return nil
}

// otherProjects are the first team's projects in the other states: one
// awaiting review, a draft, and one rejected with a reason.
func (a *activity) otherProjects(ctx context.Context) error {
	a.clock = a.real.Add(-24 * time.Hour)
	pending, err := a.project(ctx, "文明交通劝导", "交通引导", "早高峰在滨江道路口劝导行人和非机动车遵守信号灯。", "滨江道与南京路交口", 3, 40)
	if err != nil {
		return err
	}
	if _, err := a.svc.Projects.Submit(ctx, a.leader, pending.ID); err != nil {
		return fmt.Errorf("demo: submit: %w", err)
	}
	if _, err := a.project(ctx, "冬季社区义诊", "卫生健康", "组织社区医生为老人量血压、测血糖，讲解冬季防病知识。", "花园路社区活动室", 10, 12); err != nil {
		return err
	}
	rejected, err := a.project(ctx, "楼道清理", "生态环保", "清理楼道堆放杂物。", "花园路小区", 5, 6)
	if err != nil {
		return err
	}
	if _, err := a.svc.Projects.Submit(ctx, a.leader, rejected.ID); err != nil {
		return fmt.Errorf("demo: submit: %w", err)
	}
	_, err = a.svc.Projects.ReviewProject(ctx, a.office, rejected.ID, project.Review{Decision: "reject",
		Reason: "请补充安全防护措施和保险情况，并写明清理物品的处置方式。"})
	if err != nil {
		return fmt.Errorf("demo: reject: %w", err)
	}
	return nil
}

// evidencePNG is a small real PNG image: a sign-in sheet's stand-in.
func evidencePNG() []byte {
	img := image.NewGray(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.SetGray(x, y, color.Gray{Y: uint8(200 + (x+y)%40)})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}
