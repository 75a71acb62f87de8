package demo

import (
	"context"
	"fmt"
	"time"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/pii"
	"zhiyuan/internal/volunteer"
)

// person is a demo volunteer; IDs are valid (check digit, real birth date)
// but made up.
type person struct {
	name, region string
	born         string // YYYYMMDD
	seq          int    // odd: male, even: female
	tags, skills []string
}

// profiles of the demo accounts that are volunteers.
var profiles = map[string]person{
	"team-admin": {"王建国", "120101001001", "19750312", 31, []string{"党员", "退役军人"}, []string{"应急救援", "驾驶"}},
	"volunteer":  {"张志愿", "120101001002", "19950808", 53, []string{"青年"}, []string{"急救"}},
	"volunteer2": {"李红", "120101002", "19880120", 64, []string{"巾帼", "党员"}, []string{"心理咨询"}},
}

var surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
var given = []string{"建华", "秀英", "志强", "丽娟", "海燕", "国庆", "红梅", "卫东", "春燕", "晓明"}
var tagSets = [][]string{{"党员"}, {"青年"}, {"巾帼"}, {"平安"}, {"劳模"}, {"退役军人"}, {"党员", "青年"}, nil}
var skillSets = [][]string{{"急救"}, {"外语", "英语"}, {"心理咨询"}, {"驾驶"}, {"法律咨询"}, {"摄影"}, nil}
var streets = []string{"120101001001", "120101001002", "120101002", "120101003", "120101004", "120101005", "120101006"}

func idNumber(p person) string {
	first17 := fmt.Sprintf("%s%s%03d", "120101", p.born, p.seq)
	c, _ := pii.ResidentCheckChar(first17)
	return first17 + string(c)
}

// loadPeople gives the volunteer accounts their real-name records, makes
// the team admin the admin of the first team and 张志愿 a member of it, and
// registers 30 people on the teams' behalf (unclaimed records).
func loadPeople(ctx context.Context, svc Services, teamIDs []int64) error {
	var n int
	for username, p := range profiles {
		var accountID int64
		if err := svc.DB.Read().QueryRowContext(ctx, `SELECT id FROM accounts WHERE username = $1`, username).Scan(&accountID); err != nil {
			return fmt.Errorf("demo: %s: %w", username, err)
		}
		n++
		v, err := svc.Volunteers.CompleteProfile(ctx, &auth.Principal{AccountID: accountID, Username: username},
			registration(p, fmt.Sprintf("1390000%04d", n)))
		if err != nil {
			return fmt.Errorf("demo: profile of %s: %w", username, err)
		}
		me := &auth.Principal{AccountID: accountID, Username: username, Grants: []auth.Grant{{Role: auth.RoleVolunteer}}}
		switch username {
		case "team-admin":
			if err := svc.Teams.Enrol(ctx, teamIDs[0], v.ID, "admin"); err != nil {
				return fmt.Errorf("demo: team admin: %w", err)
			}
		case "volunteer":
			if _, err := svc.Teams.Join(ctx, me, teamIDs[0]); err != nil {
				return fmt.Errorf("demo: join: %w", err)
			}
			if err := svc.Teams.Approve(ctx, auth.System, teamIDs[0], v.ID); err != nil {
				return fmt.Errorf("demo: approve: %w", err)
			}
		}
	}
	for i := 0; i < 30; i++ {
		p := person{
			name:   string(surnames[i%len(surnames)]) + given[(i*7)%len(given)],
			region: streets[i%len(streets)],
			born:   time.Date(1950+(i*13)%55, time.Month(1+i%12), 1+(i*5)%28, 0, 0, 0, 0, time.UTC).Format("20060102"),
			seq:    101 + i,
			tags:   tagSets[i%len(tagSets)],
			skills: skillSets[i%len(skillSets)],
		}
		teamID := teamIDs[i%2]
		if _, err := svc.Teams.Preregister(ctx, auth.System, teamID, registration(p, fmt.Sprintf("1390001%04d", i))); err != nil {
			return fmt.Errorf("demo: person %d: %w", i, err)
		}
	}
	return nil
}

func registration(p person, phone string) volunteer.Registration {
	r := volunteer.Registration{RealName: p.name, IDNumber: idNumber(p), Phone: phone, RegionCode: p.region,
		Tags: p.tags, Skills: p.skills, ServiceCategories: []string{"社区服务"}}
	born, _ := time.Parse("20060102", p.born)
	if pii.AgeOn(born, time.Now()) < volunteer.AdultAge {
		r.GuardianName, r.GuardianPhone, r.GuardianConsent = "监护人", "13800138000", true
	}
	return r
}
