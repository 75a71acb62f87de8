package web

import (
	"strings"

	"zhiyuan/internal/attendance"
	"zhiyuan/internal/auth"
	"zhiyuan/internal/project"
	"zhiyuan/internal/record"
)

// The names of project, record and attendance values, as message keys.
var (
	projectStateKeys = map[string]string{
		project.StateDraft:         "project.state.draft",
		project.StatePendingReview: "project.state.pending_review",
		project.StatePublished:     "project.state.published",
		project.StateRejected:      "project.state.rejected",
		project.StateClosed:        "project.state.closed",
	}
	recordStateKeys = map[string]string{
		record.StatePending:         "record.state.pending",
		record.StatePendingApproval: "record.state.pending_approval",
		record.StateConfirmed:       "record.state.confirmed",
		record.StateVoided:          "record.state.voided",
	}
	recordActionKeys = map[string]string{
		"create":  "record.action.create",
		"confirm": "record.action.confirm",
		"void":    "record.action.void",
		"amend":   "record.action.amend",
	}
	scanActionKeys = map[string]string{
		attendance.ActionCheckIn:  "checkin.checked_in",
		attendance.ActionCheckOut: "checkin.checked_out",
	}
)

// ProjectState is the name of a project's state.
func (p *Page) ProjectState(s string) string { return p.label(projectStateKeys, s) }

// RecordState is the name of a service record's state.
func (p *Page) RecordState(s string) string { return p.label(recordStateKeys, s) }

// RecordAction is the name of a change in a record's history.
func (p *Page) RecordAction(a string) string { return p.label(recordActionKeys, a) }

// ScanAction says what a scan did: 已签到 or 已签退.
func (p *Page) ScanAction(a string) string { return p.label(scanActionKeys, a) }

// Stars shows a star level as ★ characters, or a dash below one star.
func (p *Page) Stars(n int) string {
	if n <= 0 {
		return "—"
	}
	return strings.Repeat("★", n)
}

// Hours64 shows minutes summed in an int64 as hours with one decimal.
func (p *Page) Hours64(minutes int64) string { return p.Hours(int(minutes)) }

// canAttend reports whether the principal manages attendance for a team.
func (s *Server) canAttend(pr *auth.Principal, regionCode string, teamID int64) bool {
	return auth.Can(pr, auth.PermAttendanceManage, auth.Target{RegionCode: regionCode, TeamID: teamID})
}
