package web

import (
	"slices"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/roster"
)

// Routes is the whole HTML surface: every route names its permission.
func (s *Server) Routes() []httpx.Route {
	return slices.Concat(
		s.siteRoutes(),
		s.accountRoutes(),
		s.registryRoutes(),
		s.teamRoutes(),
		s.rosterRoutes(),
		s.projectRoutes(),
		s.attendanceRoutes(),
		s.certificateRoutes(),
		s.statsRoutes(),
	)
}

// siteRoutes are the home page, the assets, the language and the not-found answer.
func (s *Server) siteRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/{$}", Perm: auth.PermPublic, Handler: s.home},
		{Method: "GET", Pattern: "/static/", Perm: auth.PermPublic, Handler: s.static()},
		{Method: "POST", Pattern: "/locale", Perm: auth.PermPublic, Handler: s.setLocale},
		{Method: "GET", Pattern: "/", Perm: auth.PermPublic, Handler: s.notFound},
	}
}

// accountRoutes are signing in and out, one's account, and the administrators' accounts and audit log.
func (s *Server) accountRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/login", Perm: auth.PermPublic, Handler: s.loginForm},
		{Method: "POST", Pattern: "/login", Perm: auth.PermPublic, Handler: s.login},
		{Method: "POST", Pattern: "/logout", Perm: auth.PermSignedIn, Handler: s.logout},
		{Method: "GET", Pattern: "/account", Perm: auth.PermSignedIn, Handler: s.accountPage},
		{Method: "POST", Pattern: "/account/password", Perm: auth.PermSignedIn, Handler: s.changePassword},
		{Method: "GET", Pattern: "/admin/accounts", Perm: auth.PermAccountsView, Handler: s.accountList},
		{Method: "GET", Pattern: "/admin/accounts/new", Perm: auth.PermAccountsAdmin, Handler: s.accountNewForm},
		{Method: "POST", Pattern: "/admin/accounts", Perm: auth.PermAccountsAdmin, Handler: s.accountCreate},
		{Method: "GET", Pattern: "/admin/accounts/{id}", Perm: auth.PermAccountsView, Handler: s.accountDetail},
		{Method: "POST", Pattern: "/admin/accounts/{id}/grants", Perm: auth.PermAccountsAdmin, Handler: s.grantAdd},
		{Method: "POST", Pattern: "/admin/accounts/{id}/grants/{grant}/revoke", Perm: auth.PermAccountsAdmin, Handler: s.grantRevoke},
		{Method: "POST", Pattern: "/admin/accounts/{id}/disable", Perm: auth.PermAccountsAdmin, Handler: s.accountDisable},
		{Method: "POST", Pattern: "/admin/accounts/{id}/enable", Perm: auth.PermAccountsAdmin, Handler: s.accountEnable},
		{Method: "GET", Pattern: "/admin/audit", Perm: auth.PermAuditView, Handler: s.auditList},
	}
}

// registryRoutes are volunteers' registration, claiming a profile a team entered for them, their own profile and the search.
func (s *Server) registryRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/register", Perm: auth.PermPublic, Handler: s.registerForm},
		{Method: "POST", Pattern: "/register", Perm: auth.PermPublic, Handler: s.register},
		{Method: "GET", Pattern: "/regions/options", Perm: auth.PermPublic, Handler: s.regionOptions},
		{Method: "GET", Pattern: "/claim", Perm: auth.PermPublic, Handler: s.claimForm},
		{Method: "POST", Pattern: "/claim", Perm: auth.PermPublic, Handler: s.claim},
		{Method: "POST", Pattern: "/claim/{id}/confirm", Perm: auth.PermPublic, Handler: s.claimConfirm},
		{Method: "GET", Pattern: "/me/volunteer", Perm: auth.PermSignedIn, Handler: s.myVolunteer},
		{Method: "POST", Pattern: "/me/volunteer", Perm: auth.PermSignedIn, Handler: s.completeProfile},
		{Method: "GET", Pattern: "/admin/volunteers", Perm: auth.PermVolunteerSearch, Handler: s.volunteerSearch},
		{Method: "GET", Pattern: "/admin/volunteers/{id}", Perm: auth.PermVolunteerView, Handler: s.volunteerDetail},
	}
}

// teamRoutes are teams, their review, membership and members' claims.
func (s *Server) teamRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/teams", Perm: auth.PermPublic, Handler: s.teamList},
		{Method: "GET", Pattern: "/teams/new", Perm: auth.PermTeamCreate, Handler: s.teamNewForm},
		{Method: "POST", Pattern: "/teams", Perm: auth.PermTeamCreate, Handler: s.teamCreate},
		{Method: "GET", Pattern: "/teams/{id}", Perm: auth.PermPublic, Handler: s.teamPage},
		{Method: "POST", Pattern: "/teams/{id}/join", Perm: auth.PermTeamJoin, Handler: s.teamJoin},
		{Method: "POST", Pattern: "/teams/{id}/leave", Perm: auth.PermTeamJoin, Handler: s.teamLeave},
		{Method: "POST", Pattern: "/teams/{id}/review", Perm: auth.PermTeamReview, Handler: s.teamReview},
		{Method: "GET", Pattern: "/my/teams", Perm: auth.PermSignedIn, Handler: s.myTeams},
		{Method: "GET", Pattern: "/admin/teams/review", Perm: auth.PermTeamReview, Handler: s.reviewQueue},
		{Method: "GET", Pattern: "/teams/{id}/members", Perm: auth.PermTeamManage, Handler: s.memberList},
		{Method: "POST", Pattern: "/teams/{id}/members/{volunteer}/approve", Perm: auth.PermTeamManage, Handler: s.memberApprove()},
		{Method: "POST", Pattern: "/teams/{id}/members/{volunteer}/role", Perm: auth.PermTeamManage, Handler: s.memberSetRole()},
		{Method: "POST", Pattern: "/teams/{id}/members/{volunteer}/remove", Perm: auth.PermTeamManage, Handler: s.memberRemove()},
		{Method: "GET", Pattern: "/teams/{id}/members/new", Perm: auth.PermTeamManage, Handler: s.preregisterForm},
		{Method: "POST", Pattern: "/teams/{id}/members/new", Perm: auth.PermTeamManage, Handler: s.preregister},
		{Method: "GET", Pattern: "/teams/{id}/claims", Perm: auth.PermTeamManage, Handler: s.teamClaims},
		{Method: "POST", Pattern: "/teams/{id}/claims/{claim}/approve", Perm: auth.PermTeamManage, Handler: s.teamClaimApprove},
	}
}

// rosterRoutes are the spreadsheet imports and exports.
func (s *Server) rosterRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/teams/{id}/import", Perm: auth.PermTeamManage, Handler: s.importForm},
		{Method: "POST", Pattern: "/teams/{id}/import", Perm: auth.PermTeamManage, Handler: s.importUpload, MaxBody: roster.MaxUpload, Timeout: roster.MaxDuration},
		{Method: "GET", Pattern: "/teams/{id}/members.xlsx", Perm: auth.PermTeamManage, Handler: s.membersXLSX},
		{Method: "GET", Pattern: "/imports/template.xlsx", Perm: auth.PermPublic, Handler: s.importTemplate},
		{Method: "GET", Pattern: "/imports/{id}/report.xlsx", Perm: auth.PermTeamManage, Handler: s.importReport},
		{Method: "GET", Pattern: "/admin/volunteers.xlsx", Perm: auth.PermVolunteerSearch, Handler: s.volunteersXLSX},
	}
}

// projectRoutes are projects, their shifts, and signing up and cancelling.
func (s *Server) projectRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/shifts", Perm: auth.PermPublic, Handler: s.openShifts},
		{Method: "GET", Pattern: "/projects", Perm: auth.PermPublic, Handler: s.projectList},
		{Method: "GET", Pattern: "/projects/new", Perm: auth.PermProjectManage, Handler: s.projectNewForm},
		{Method: "POST", Pattern: "/projects", Perm: auth.PermProjectManage, Handler: s.projectCreate},
		{Method: "GET", Pattern: "/projects/{id}", Perm: auth.PermPublic, Handler: s.projectPage},
		{Method: "POST", Pattern: "/projects/{id}/submit", Perm: auth.PermProjectManage, Handler: s.projectSubmit},
		{Method: "POST", Pattern: "/projects/{id}/review", Perm: auth.PermProjectReview, Handler: s.projectReview},
		{Method: "POST", Pattern: "/projects/{id}/shifts", Perm: auth.PermProjectManage, Handler: s.shiftCreate},
		{Method: "POST", Pattern: "/shifts/{id}/signup", Perm: auth.PermSignup, Handler: s.shiftSignup},
		{Method: "GET", Pattern: "/me/shifts", Perm: auth.PermSignedIn, Handler: s.myShifts},
		{Method: "POST", Pattern: "/me/calendar/renew", Perm: auth.PermSignedIn, Handler: s.renewCalendar},
		{Method: "POST", Pattern: "/signups/{id}/cancel", Perm: auth.PermSignedIn, Handler: s.cancelSignup},
	}
}

// attendanceRoutes are check-in codes, scans, attendance and the service records they make.
func (s *Server) attendanceRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/shifts/{id}/code", Perm: auth.PermAttendanceManage, Handler: s.shiftCodePage},
		{Method: "GET", Pattern: "/shifts/{id}/code/fragment", Perm: auth.PermAttendanceManage, Handler: s.shiftCodeFragment},
		{Method: "POST", Pattern: "/shifts/{id}/scan", Perm: auth.PermAttendanceManage, Handler: s.leaderScan},
		{Method: "GET", Pattern: "/c/{code}", Perm: auth.PermCheckin, Handler: s.checkinPage},
		{Method: "POST", Pattern: "/c/{code}", Perm: auth.PermCheckin, Handler: s.checkin},
		{Method: "GET", Pattern: "/me/code", Perm: auth.PermCheckin, Handler: s.myCodePage},
		{Method: "GET", Pattern: "/me/code/fragment", Perm: auth.PermCheckin, Handler: s.myCodeFragment},
		{Method: "POST", Pattern: "/shifts/{id}/attendance", Perm: auth.PermAttendanceManage, Handler: s.enterAttendance},
		{Method: "GET", Pattern: "/leader/today", Perm: auth.PermAttendanceManage, Handler: s.leaderToday},
		{Method: "GET", Pattern: "/teams/{id}/records", Perm: auth.PermAttendanceManage, Handler: s.teamRecords},
		{Method: "GET", Pattern: "/records/{id}", Perm: auth.PermSignedIn, Handler: s.recordPage},
		{Method: "POST", Pattern: "/records/{id}/confirm", Perm: auth.PermAttendanceManage, Handler: s.recordAction("flash.record_confirmed", s.recordConfirm)},
		{Method: "POST", Pattern: "/records/{id}/correction", Perm: auth.PermCheckin, Handler: s.recordAction("flash.correction_requested", s.recordCorrection)},
		{Method: "POST", Pattern: "/records/{id}/void", Perm: auth.PermAttendanceManage, Handler: s.recordAction("flash.record_voided", s.recordVoid)},
	}
}

// certificateRoutes are one's hours and certificates and their public verification.
func (s *Server) certificateRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/verify/{code}", Perm: auth.PermPublic, Handler: s.verifyCertificate},
		{Method: "GET", Pattern: "/me/hours", Perm: auth.PermSignedIn, Handler: s.myHours},
		{Method: "POST", Pattern: "/me/certificates", Perm: auth.PermSignedIn, Handler: s.myCertificate},
		{Method: "GET", Pattern: "/certificates/{file}", Perm: auth.PermSignedIn, Handler: s.certificatePDF},
	}
}

// statsRoutes are the dashboard, its workbook and a region's public totals.
func (s *Server) statsRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/admin/stats", Perm: auth.PermStatsView, Handler: s.statsDashboard},
		{Method: "GET", Pattern: "/admin/stats.xlsx", Perm: auth.PermStatsView, Handler: s.statsWorkbook},
		{Method: "GET", Pattern: "/stats/{code}", Perm: auth.PermPublic, Handler: s.statsPublic},
	}
}
