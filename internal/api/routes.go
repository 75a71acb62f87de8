package api

import (
	"net/http"
	"slices"
	"strings"

	"zhiyuan/internal/auth"
	"zhiyuan/internal/httpx"
	"zhiyuan/internal/record"
	"zhiyuan/internal/roster"
)

// Routes is the whole JSON surface; the OpenAPI document lists exactly these.
func (s *Server) Routes() []httpx.Route {
	return slices.Concat(
		s.accountRoutes(),
		s.catalogRoutes(),
		s.registryRoutes(),
		s.teamRoutes(),
		s.rosterRoutes(),
		s.projectRoutes(),
		s.attendanceRoutes(),
		s.certificateRoutes(),
		s.statsRoutes(),
	)
}

// accountRoutes are the document, signing in and out, the caller, regions, accounts and the audit log.
func (s *Server) accountRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/openapi.json", Perm: auth.PermPublic, Handler: s.openapi},
		{Method: "POST", Pattern: "/api/v1/auth/login", Perm: auth.PermPublic, Handler: s.login},
		{Method: "POST", Pattern: "/api/v1/auth/logout", Perm: auth.PermSignedIn, Handler: s.logout},
		{Method: "GET", Pattern: "/api/v1/me", Perm: auth.PermSignedIn, Handler: s.me},
		{Method: "GET", Pattern: "/api/v1/regions", Perm: auth.PermPublic, Handler: s.regions},
		{Method: "GET", Pattern: "/api/v1/accounts", Perm: auth.PermAccountsView, Handler: s.accountList},
		{Method: "POST", Pattern: "/api/v1/accounts", Perm: auth.PermAccountsAdmin, Handler: s.accountCreate},
		{Method: "GET", Pattern: "/api/v1/accounts/{id}", Perm: auth.PermAccountsView, Handler: s.accountGet},
		{Method: "POST", Pattern: "/api/v1/accounts/{id}/grants", Perm: auth.PermAccountsAdmin, Handler: s.grantAdd},
		{Method: "DELETE", Pattern: "/api/v1/accounts/{id}/grants/{grant}", Perm: auth.PermAccountsAdmin, Handler: s.grantRevoke},
		{Method: "POST", Pattern: "/api/v1/accounts/{id}/disable", Perm: auth.PermAccountsAdmin, Handler: s.accountDisable},
		{Method: "POST", Pattern: "/api/v1/accounts/{id}/enable", Perm: auth.PermAccountsAdmin, Handler: s.accountEnable},
		{Method: "GET", Pattern: "/api/v1/audit", Perm: auth.PermAuditView, Handler: s.auditList},
	}
}

// catalogRoutes are the lists of service types, skills and the like that administrators keep.
func (s *Server) catalogRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/catalogs/{kind}", Perm: auth.PermPublic, Handler: s.catalogList},
		{Method: "POST", Pattern: "/api/v1/catalogs/{kind}", Perm: auth.PermCatalogManage, Handler: s.catalogAdd},
		{Method: "DELETE", Pattern: "/api/v1/catalogs/{kind}/{name}", Perm: auth.PermCatalogManage, Handler: s.catalogRemove},
	}
}

// registryRoutes are volunteers' registration, claims, their own profile, the search and the reveal of an ID number.
func (s *Server) registryRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Pattern: "/api/v1/volunteers", Perm: auth.PermPublic, Handler: s.volunteerRegister},
		{Method: "POST", Pattern: "/api/v1/volunteers/claim", Perm: auth.PermPublic, Handler: s.volunteerClaim},
		{Method: "POST", Pattern: "/api/v1/volunteers/claims/{id}/confirm", Perm: auth.PermPublic, Handler: s.volunteerClaimConfirm},
		{Method: "POST", Pattern: "/api/v1/volunteers/claims/{id}/approve", Perm: auth.PermVolunteerPreregister, Handler: s.volunteerClaimApprove},
		{Method: "GET", Pattern: "/api/v1/volunteers", Perm: auth.PermVolunteerSearch, Handler: s.volunteerList},
		{Method: "GET", Pattern: "/api/v1/volunteers/me", Perm: auth.PermSignedIn, Handler: s.volunteerMe},
		{Method: "POST", Pattern: "/api/v1/volunteers/me", Perm: auth.PermSignedIn, Handler: s.volunteerCompleteProfile},
		{Method: "PUT", Pattern: "/api/v1/volunteers/me", Perm: auth.PermSignedIn, Handler: s.volunteerUpdateProfile},
		{Method: "GET", Pattern: "/api/v1/volunteers/{id}", Perm: auth.PermVolunteerView, Handler: s.volunteerGet},
		{Method: "POST", Pattern: "/api/v1/volunteers/{id}/reveal", Perm: auth.PermVolunteerReveal, Handler: s.volunteerReveal},
	}
}

// teamRoutes are teams, their review, membership and members' claims.
func (s *Server) teamRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/teams", Perm: auth.PermPublic, Handler: s.teamList},
		{Method: "POST", Pattern: "/api/v1/teams", Perm: auth.PermTeamCreate, Handler: s.teamCreate},
		{Method: "GET", Pattern: "/api/v1/teams/mine", Perm: auth.PermSignedIn, Handler: s.teamMine},
		{Method: "GET", Pattern: "/api/v1/teams/{id}", Perm: auth.PermPublic, Handler: s.teamGet},
		{Method: "GET", Pattern: "/api/v1/teams/{id}/reviews", Perm: auth.PermSignedIn, Handler: s.teamReviews},
		{Method: "POST", Pattern: "/api/v1/teams/{id}/review", Perm: auth.PermTeamReview, Handler: s.teamReview},
		{Method: "GET", Pattern: "/api/v1/teams/{id}/members", Perm: auth.PermTeamManage, Handler: s.teamMembers},
		{Method: "POST", Pattern: "/api/v1/teams/{id}/members", Perm: auth.PermTeamManage, Handler: s.teamAddMember},
		{Method: "POST", Pattern: "/api/v1/teams/{id}/members/{volunteer}/approve", Perm: auth.PermTeamManage, Handler: s.teamApproveMember},
		{Method: "PUT", Pattern: "/api/v1/teams/{id}/members/{volunteer}/role", Perm: auth.PermTeamManage, Handler: s.teamSetRole},
		{Method: "DELETE", Pattern: "/api/v1/teams/{id}/members/{volunteer}", Perm: auth.PermTeamManage, Handler: s.teamRemoveMember},
		{Method: "POST", Pattern: "/api/v1/teams/{id}/volunteers", Perm: auth.PermTeamManage, Handler: s.teamPreregister},
		{Method: "GET", Pattern: "/api/v1/teams/{id}/claims", Perm: auth.PermTeamManage, Handler: s.teamClaims},
		{Method: "POST", Pattern: "/api/v1/teams/{id}/join", Perm: auth.PermTeamJoin, Handler: s.teamJoin},
		{Method: "POST", Pattern: "/api/v1/teams/{id}/leave", Perm: auth.PermTeamJoin, Handler: s.teamLeave},
	}
}

// rosterRoutes are the spreadsheet imports and exports.
func (s *Server) rosterRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/volunteers.xlsx", Perm: auth.PermVolunteerSearch, Handler: s.volunteersXLSX},
		{Method: "GET", Pattern: "/api/v1/teams/{id}/members.xlsx", Perm: auth.PermTeamManage, Handler: s.teamMembersXLSX},
		{Method: "POST", Pattern: "/api/v1/teams/{id}/imports", Perm: auth.PermTeamManage, Handler: s.teamImport, MaxBody: roster.MaxUpload, Timeout: roster.MaxDuration},
		{Method: "GET", Pattern: "/api/v1/imports/template.xlsx", Perm: auth.PermPublic, Handler: s.importTemplate},
		{Method: "GET", Pattern: "/api/v1/imports/{id}/report.xlsx", Perm: auth.PermTeamManage, Handler: s.importReport},
	}
}

// projectRoutes are projects, their shifts, signing up and cancelling, and one's shifts and calendar.
func (s *Server) projectRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/projects", Perm: auth.PermPublic, Handler: s.projectList},
		{Method: "POST", Pattern: "/api/v1/projects", Perm: auth.PermProjectManage, Handler: s.projectCreate},
		{Method: "GET", Pattern: "/api/v1/projects/{id}", Perm: auth.PermPublic, Handler: s.projectGet},
		{Method: "POST", Pattern: "/api/v1/projects/{id}/submit", Perm: auth.PermProjectManage, Handler: s.projectSubmit},
		{Method: "POST", Pattern: "/api/v1/projects/{id}/review", Perm: auth.PermProjectReview, Handler: s.projectReview},
		{Method: "GET", Pattern: "/api/v1/projects/{id}/shifts", Perm: auth.PermPublic, Handler: s.shiftList},
		{Method: "POST", Pattern: "/api/v1/projects/{id}/shifts", Perm: auth.PermProjectManage, Handler: s.shiftCreate},
		{Method: "POST", Pattern: "/api/v1/shifts/{id}/signups", Perm: auth.PermSignup, Handler: s.signupCreate},
		{Method: "DELETE", Pattern: "/api/v1/signups/{id}", Perm: auth.PermSignedIn, Handler: s.signupCancel},
		{Method: "GET", Pattern: "/api/v1/volunteers/me/shifts", Perm: auth.PermSignedIn, Handler: s.myShifts},
		{Method: "GET", Pattern: "/api/v1/calendar/{token}", Perm: auth.PermPublic, Handler: s.calendar},
		{Method: "POST", Pattern: "/api/v1/volunteers/me/calendar/renew", Perm: auth.PermSignedIn, Handler: s.renewCalendar},
	}
}

// attendanceRoutes are check-in codes, scans, attendance and the service records they make.
func (s *Server) attendanceRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/shifts/{id}/checkin-code", Perm: auth.PermAttendanceManage, Handler: s.shiftCode},
		{Method: "POST", Pattern: "/api/v1/shifts/{id}/scans", Perm: auth.PermAttendanceManage, Handler: s.leaderScan},
		{Method: "POST", Pattern: "/api/v1/checkins", Perm: auth.PermCheckin, Handler: s.checkin},
		{Method: "GET", Pattern: "/api/v1/volunteers/me/code", Perm: auth.PermCheckin, Handler: s.personalCode},
		{Method: "GET", Pattern: "/api/v1/volunteers/{id}/service-records", Perm: auth.PermSignedIn, Handler: s.volunteerRecords},
		{Method: "GET", Pattern: "/api/v1/service-records/{id}", Perm: auth.PermSignedIn, Handler: s.recordGet},
		{Method: "POST", Pattern: "/api/v1/service-records/{id}/confirm", Perm: auth.PermAttendanceManage, Handler: s.recordConfirm},
		{Method: "POST", Pattern: "/api/v1/service-records/{id}/void", Perm: auth.PermAttendanceManage, Handler: s.recordVoid},
		{Method: "POST", Pattern: "/api/v1/uploads", Perm: auth.PermAttendanceManage, Handler: s.upload, MaxBody: record.MaxUpload + 64<<10},
		{Method: "POST", Pattern: "/api/v1/service-records", Perm: auth.PermAttendanceManage, Handler: s.backfill},
		{Method: "POST", Pattern: "/api/v1/service-records/{id}/approve", Perm: auth.PermAttendanceManage, Handler: s.recordApprove},
		{Method: "POST", Pattern: "/api/v1/service-records/{id}/amend", Perm: auth.PermAttendanceManage, Handler: s.recordAmend},
		{Method: "POST", Pattern: "/api/v1/service-records/{id}/correction", Perm: auth.PermCheckin, Handler: s.recordCorrection},
		{Method: "POST", Pattern: "/api/v1/shifts/{id}/attendance", Perm: auth.PermAttendanceManage, Handler: s.manualAttendance},
		{Method: "GET", Pattern: "/api/v1/teams/{id}/overdue-records", Perm: auth.PermAttendanceManage, Handler: s.overdueRecords},
	}
}

// certificateRoutes are hours, stars, certificates and their public verification.
func (s *Server) certificateRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/volunteers/{id}/certificates", Perm: auth.PermSignedIn, Handler: s.volunteerCertificates},
		{Method: "GET", Pattern: "/api/v1/volunteers/{id}/summary", Perm: auth.PermSignedIn, Handler: s.volunteerSummary},
		{Method: "PUT", Pattern: "/api/v1/regions/{code}/star-thresholds", Perm: auth.PermStarsManage, Handler: s.setStars},
		{Method: "POST", Pattern: "/api/v1/certificates", Perm: auth.PermSignedIn, Handler: s.certificateIssue},
		{Method: "GET", Pattern: "/api/v1/certificates/{id}/pdf", Perm: auth.PermSignedIn, Handler: s.certificatePDF},
		{Method: "GET", Pattern: "/api/v1/certificates/public-key", Perm: auth.PermPublic, Handler: s.certificateKey},
		{Method: "GET", Pattern: "/api/v1/verify/{code}", Perm: auth.PermPublic, Handler: s.certificateVerify},
	}
}

// statsRoutes are the dashboard's figures, their workbook and a region's public totals.
func (s *Server) statsRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Pattern: "/api/v1/stats", Perm: auth.PermStatsView, Handler: s.stats},
		{Method: "GET", Pattern: "/api/v1/stats.xlsx", Perm: auth.PermStatsView, Handler: s.statsXLSX},
		{Method: "GET", Pattern: "/api/v1/stats/public/{code}", Perm: auth.PermPublic, Handler: s.statsPublic},
	}
}

// mountRoutes registers routes and answers unknown API paths with the JSON
// envelope instead of the HTML 404 page.
func mountRoutes(mux *http.ServeMux, routes []httpx.Route, deny httpx.Deny) {
	httpx.Mount(mux, routes, deny)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := httpx.AllowedMethods(mux, r, "/api/"); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			deny(w, r, errMethod)
			return
		}
		deny(w, r, errNoRoute)
	})
}
