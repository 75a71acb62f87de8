// Package demo loads a small, realistic demo into an empty database: Heping
// District (和平区) of Tianjin with its civilization office, a street, teams,
// departments, and one account per role (Load, which every test's fixture
// starts from), and a month of the spine at work (LoadActivity, which
// `serve --demo` adds: projects in every state, shifts open, full and under
// way, records confirmed, pending and overdue, backfills, a certificate).
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/audit"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/db"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
	"zhiyuan/internal/stats"
	"zhiyuan/internal/team"
	"zhiyuan/internal/volunteer"
)

// Account is a demo login, printed once at load.
type Account struct {
	Username string
	Password string
	Role     auth.Role
	Scope    string
}

// ErrNotEmpty is returned when the database already holds accounts.
var ErrNotEmpty = errors.New("demo: the database already has accounts; demo data is only loaded into an empty database")

type org struct {
	name, region, contact string
}

var teams = []org{
	{"和平区劝业场街道志愿服务队", "120101001", "王建国"},
	{"天津蓝天救援队和平分队", "120101", "赵刚"},
	{"和平区心理援助志愿服务团队", "120101", "李浩"},
}

var departments = []struct{ name, kind, region string }{
	{"和平区城市管理委员会", "城管", "120101"},
	{"天津市公安交通管理局和平支队", "交警", "120101"},
	{"和平区市政工程管理所", "市政", "120101"},
}

// Services are what the demo is loaded through: the same services as the
// platform's screens use, so the demo data obeys the platform's rules.
type Services struct {
	DB         *db.DB
	Auth       *auth.Service
	Volunteers *volunteer.Service
	Teams      *team.Service
	Projects   *project.Service
	Records    *record.Service
	Attendance *attendance.Service
	// BaseURL is where certificates' verify links point.
	BaseURL string
}

// Load fills an empty database and returns the demo accounts with their
// generated passwords.
func Load(ctx context.Context, svc Services) ([]Account, error) {
	d := svc.DB
	var n int
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts`).Scan(&n); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if n > 0 {
		return nil, ErrNotEmpty
	}
	ctx = audit.WithActor(ctx, audit.Actor{Username: "demo"})
	teamIDs, deptIDs, err := insertOrgs(ctx, d)
	if err != nil {
		return nil, err
	}
	plan := []struct {
		username, name, region string
		grant                  auth.Grant
	}{
		{"admin", "平台管理员", "", auth.Grant{Role: auth.RolePlatformAdmin}},
		{"tianjin-office", "天津市文明办", "1201", auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "1201"}},
		{"heping-office", "和平区文明办", "120101", auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "120101"}},
		{"hedong-office", "河东区文明办", "120102", auth.Grant{Role: auth.RoleOfficeAdmin, RegionCode: "120102"}},
		{"quanyechang", "劝业场街道社区工作者", "120101001", auth.Grant{Role: auth.RoleCommunityWorker, RegionCode: "120101001"}},
		{"team-admin", "劝业场街道志愿服务队队长", "120101001", auth.Grant{Role: auth.RoleTeamAdmin, TeamID: teamIDs[0]}},
		{"volunteer", "张志愿", "120101001", auth.Grant{Role: auth.RoleVolunteer}},
		{"volunteer2", "李红", "120101002", auth.Grant{Role: auth.RoleVolunteer}},
		{"resident", "王居民", "120101001001", auth.Grant{Role: auth.RoleResident}},
		{"chengguan", "和平区城管委工作人员", "120101", auth.Grant{Role: auth.RoleDepartmentStaff, DepartmentID: deptIDs[0]}},
	}
	var out []Account
	for _, p := range plan {
		pw, err := password()
		if err != nil {
			return nil, err
		}
		_, err = svc.Auth.CreateAccount(ctx, auth.System, auth.NewAccount{Username: p.username, DisplayName: p.name,
			Password: pw, RegionCode: p.region, Grant: p.grant})
		if err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", p.username, err)
		}
		scope := p.grant.RegionCode
		switch {
		case p.grant.TeamID != 0:
			scope = fmt.Sprintf("team %d", p.grant.TeamID)
		case p.grant.DepartmentID != 0:
			scope = fmt.Sprintf("department %d", p.grant.DepartmentID)
		}
		out = append(out, Account{Username: p.username, Password: pw, Role: p.grant.Role, Scope: scope})
	}
	if err := loadPeople(ctx, svc, teamIDs); err != nil {
		return nil, err
	}
	return out, nil
}

func insertOrgs(ctx context.Context, d *db.DB) (teamIDs, deptIDs []int64, err error) {
	now := time.Now().Unix()
	err = d.Tx(ctx, func(tx db.Querier) error {
		for _, t := range teams {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO teams (name, region_code, status, contact_name, created_at, updated_at)
				VALUES ($1, $2, 'approved', $3, $4, $4) RETURNING id`, t.name, t.region, t.contact, now).Scan(&id); err != nil {
				return err
			}
			if err := stats.Created(team.FiguresOf(id)).Apply(ctx, tx); err != nil {
				return err
			}
			teamIDs = append(teamIDs, id)
		}
		for _, dep := range departments {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO departments (name, kind, region_code, created_at)
				VALUES ($1, $2, $3, $4) RETURNING id`, dep.name, dep.kind, dep.region, now).Scan(&id); err != nil {
				return err
			}
			deptIDs = append(deptIDs, id)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("demo: organisations: %w", err)
	}
	return teamIDs, deptIDs, nil
}

// LoadActivity adds the month of activity to a database Load has filled.
func LoadActivity(ctx context.Context, svc Services) error {
	ctx = audit.WithActor(ctx, audit.Actor{Username: "demo"})
	var teamID int64
	if err := svc.DB.Read().QueryRowContext(ctx, `SELECT id FROM teams WHERE name = $1`, teams[0].name).Scan(&teamID); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return loadActivity(ctx, svc, teamID)
}

// password returns a 12-character password that is easy to type on a phone.
func password() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 12)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b), nil
}

// Print writes the demo accounts as a table.
func Print(w io.Writer, accounts []Account) {
	fmt.Fprintln(w, "Demo accounts (演示账号) — passwords are shown only now:")
	fmt.Fprintf(w, "  %-16s %-14s %-18s %s\n", "username", "password", "role", "scope")
	for _, a := range accounts {
		fmt.Fprintf(w, "  %-16s %-14s %-18s %s\n", a.Username, a.Password, a.Role, a.Scope)
	}
}
