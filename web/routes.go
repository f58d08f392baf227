package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
)

// access says who may call a route. Row scoping (which enterprise) is the
// handler's job, through the user's domain.Scope; this is the role gate in front.
type access struct {
	public bool          // no login needed
	roles  []domain.Role // nil with public false: any logged-in user
}

var (
	public    = access{public: true}
	loggedIn  = access{}
	staff     = roles(domain.RoleAdmin, domain.RoleCity, domain.RoleDistrict)
	readers   = roles(domain.RoleAdmin, domain.RoleCity, domain.RoleDistrict, domain.RoleSpecialist)
	adminOnly = roles(domain.RoleAdmin)
	cityLevel = roles(domain.RoleAdmin, domain.RoleCity)
	// calcUsers may use the benefit calculators: staff, and an enterprise for itself.
	calcUsers = roles(domain.RoleAdmin, domain.RoleCity, domain.RoleDistrict, domain.RoleEnterprise)
	// specialistOnly: the 服务专员's own workbench.
	specialistOnly = roles(domain.RoleSpecialist)
)

func roles(rs ...domain.Role) access { return access{roles: rs} }

func (a access) allows(r domain.Role) bool {
	if a.public || a.roles == nil {
		return true
	}
	for _, x := range a.roles {
		if x == r {
			return true
		}
	}
	return false
}

// route is one entry of the app's single route table.
type route struct {
	Method  string
	Path    string
	Name    string
	Access  access
	Handler echo.HandlerFunc
}

// routes is the whole URL space: GET showX / POST createX, updateX.
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, "/healthz", "healthz", public, s.healthz},
		{http.MethodGet, "/static/*", "static", public, serveStatic},
		{http.MethodGet, "/login", "login.show", public, s.showLogin},
		{http.MethodPost, "/login", "login.create", public, s.login},
		{http.MethodPost, "/logout", "logout", loggedIn, s.logout},
		{http.MethodGet, "/account/password", "password.edit", loggedIn, s.editPassword},
		{http.MethodPost, "/account/password", "password.update", loggedIn, s.updatePassword},
		{http.MethodGet, "/", "home", loggedIn, s.home},

		{http.MethodGet, "/enterprises", "enterprises.list", readers, s.listEnterprises},
		{http.MethodGet, "/enterprises/new", "enterprises.new", staff, s.newEnterprise},
		{http.MethodPost, "/enterprises", "enterprises.create", staff, s.createEnterprise},
		{http.MethodGet, "/enterprises/:id", "enterprises.show", loggedIn, s.showEnterprise},
		{http.MethodGet, "/enterprises/:id/edit", "enterprises.edit", staff, s.editEnterprise},
		{http.MethodPost, "/enterprises/:id", "enterprises.update", staff, s.updateEnterprise},

		{http.MethodPost, "/enterprises/:id/promote", "tiers.promote", cityLevel, s.promoteEnterprise},
		{http.MethodPost, "/enterprises/:id/recommend", "tiers.recommend", staff, s.recommendEnterprise},
		{http.MethodPost, "/enterprises/:id/reject", "tiers.reject", cityLevel, s.rejectApplication},
		{http.MethodPost, "/enterprises/:id/miit-result", "tiers.miit", cityLevel, s.recordMIITResult},
		{http.MethodPost, "/enterprises/:id/renew", "tiers.renew", cityLevel, s.renewEnterprise},
		{http.MethodPost, "/enterprises/:id/revoke", "tiers.revoke", adminOnly, s.revokeEnterprise},

		{http.MethodGet, "/decisions/:did", "decisions.show", loggedIn, s.showDecision},
		{http.MethodGet, "/tiers/review", "tiers.review", staff, s.listReview},
		{http.MethodGet, "/tiers/applications", "tiers.applications", staff, s.listApplications},
		{http.MethodGet, "/tiers/candidates", "tiers.candidates", staff, s.listCandidates},

		{http.MethodGet, "/enterprises/:id/years/new", "years.new", staff, s.newYear},
		{http.MethodPost, "/enterprises/:id/years", "years.create", staff, s.createYear},
		{http.MethodGet, "/enterprises/:id/years/:year/edit", "years.edit", staff, s.editYear},
		{http.MethodPost, "/enterprises/:id/years/:year", "years.update", staff, s.updateYear},

		{http.MethodGet, "/enterprises/:id/facts", "facts.edit", staff, s.editFacts},
		{http.MethodPost, "/enterprises/:id/facts", "facts.update", staff, s.updateFacts},

		// 改制上市培育库 (issue #7): staff read and move the pipeline; city level records events.
		{http.MethodGet, "/listing", "listing.board", staff, s.showListingBoard},
		{http.MethodGet, "/listing/table", "listing.table", staff, s.showListingTable},
		{http.MethodGet, "/listing/funnel", "listing.funnel", staff, s.showListingFunnel},
		{http.MethodGet, "/enterprises/:id/listing", "listing.show", staff, s.showListing},
		{http.MethodPost, "/enterprises/:id/listing", "listing.update", staff, s.updateListing},
		{http.MethodPost, "/enterprises/:id/listing/move", "listing.move", staff, s.moveListing},
		{http.MethodGet, "/listing/activities", "activities.list", staff, s.listActivities},
		{http.MethodGet, "/listing/activities/new", "activities.new", cityLevel, s.newActivity},
		{http.MethodPost, "/listing/activities", "activities.create", cityLevel, s.createActivity},
		{http.MethodGet, "/listing/activities/:aid", "activities.show", staff, s.showActivity},

		{http.MethodGet, "/admin/users", "users.list", adminOnly, s.listUsers},
		{http.MethodGet, "/admin/users/new", "users.new", adminOnly, s.newUser},
		{http.MethodPost, "/admin/users", "users.create", adminOnly, s.createUser},
		{http.MethodGet, "/admin/users/:uid", "users.edit", adminOnly, s.editUser},
		{http.MethodPost, "/admin/users/:uid", "users.update", adminOnly, s.updateUser},
		{http.MethodPost, "/admin/users/:uid/password", "users.reset", adminOnly, s.resetUserPassword},
		{http.MethodGet, "/admin/audit", "audit.list", adminOnly, s.listAudit},
		{http.MethodGet, "/admin/parameters", "params.list", adminOnly, s.listParams},
		{http.MethodPost, "/admin/parameters", "params.create", adminOnly, s.createParam},

		{http.MethodGet, "/service/home", "service.home", specialistOnly, s.serviceHome},
		{http.MethodGet, "/service/visits/new", "visits.new", readers, s.newVisit},
		{http.MethodPost, "/service/visits", "visits.create", readers, s.createVisit},
		{http.MethodGet, "/service/visits", "visits.list", readers, s.listVisits},
		{http.MethodGet, "/service/visits/export.csv", "visits.export.csv", readers, s.exportVisits},
		{http.MethodGet, "/service/visits/export.xlsx", "visits.export.xlsx", readers, s.exportVisits},
		{http.MethodGet, "/service/demands", "demands.board", staff, s.listDemands},
		{http.MethodPost, "/service/demands/route", "demands.route", staff, s.routeDemands},
		{http.MethodGet, "/service/demands/:dmid", "demands.show", readers, s.showDemand},
		{http.MethodPost, "/service/demands/:dmid/status", "demands.status", readers, s.updateDemandStatus},
		{http.MethodGet, "/service/coverage", "service.coverage", staff, s.showCoverage},
		{http.MethodGet, "/service/unassigned", "assignments.queue", staff, s.listUnassigned},
		{http.MethodPost, "/service/assignments", "assignments.create", staff, s.assignSpecialists},
		{http.MethodPost, "/enterprises/:id/specialist", "assignments.update", staff, s.reassignSpecialist},
		{http.MethodGet, "/service/specialists/:sid", "specialists.show", staff, s.showWorkload},
		{http.MethodGet, "/service/days", "servicedays.list", readers, s.listServiceDays},
		{http.MethodGet, "/service/days/new", "servicedays.new", staff, s.newServiceDay},
		{http.MethodPost, "/service/days", "servicedays.create", staff, s.createServiceDay},
		{http.MethodGet, "/service/days/:sdid", "servicedays.show", readers, s.showServiceDay},

		{http.MethodGet, "/portal", "portal.home", enterpriseOnly, s.portalHome},
		{http.MethodPost, "/portal/contact", "portal.contact", enterpriseOnly, s.updateContact},
		{http.MethodGet, "/portal/requests", "portal.requests", enterpriseOnly, s.listOwnRequests},
		{http.MethodGet, "/portal/requests/new", "portal.new", enterpriseOnly, s.newRequest},
		{http.MethodPost, "/portal/requests", "portal.create", enterpriseOnly, s.createRequest},
		{http.MethodGet, "/portal/requests/:rid", "portal.show", enterpriseOnly, s.showRequest},
		{http.MethodGet, "/portal/requests/:rid/edit", "portal.edit", enterpriseOnly, s.editRequest},
		{http.MethodPost, "/portal/requests/:rid", "portal.update", enterpriseOnly, s.updateRequest},
		{http.MethodPost, "/portal/requests/:rid/submit", "portal.submit", enterpriseOnly, s.submitRequest},
		{http.MethodPost, "/portal/requests/:rid/files", "portal.upload", enterpriseOnly, s.uploadEvidence},
		{http.MethodGet, "/requests/:rid/files/:fid", "requests.file", evidenceReaders, s.downloadEvidence},
		{http.MethodGet, "/review", "review.list", staff, s.listReviewQueue},
		{http.MethodGet, "/review/annual", "review.annual", staff, s.listAnnualMissing},
		{http.MethodGet, "/review/:rid", "review.show", staff, s.showReview},
		{http.MethodPost, "/review/:rid/approve", "review.approve", staff, s.approveRequest},
		{http.MethodPost, "/review/:rid/return", "review.return", staff, s.returnRequest},
		{http.MethodGet, "/admin/portal-fields", "policy.edit", adminOnly, s.editFieldPolicy},
		{http.MethodPost, "/admin/portal-fields", "policy.update", adminOnly, s.updateFieldPolicy},

		{http.MethodGet, "/benefits", "benefits.list", readers, s.listBenefits},
		{http.MethodGet, "/benefits/export", "benefits.export", readers, s.exportBenefits},
		{http.MethodGet, "/benefits/export.xlsx", "benefits.export.xlsx", readers, s.exportBenefits},
		{http.MethodGet, "/benefits/grants", "grants.list", staff, s.listGrants},
		{http.MethodGet, "/benefits/calculator", "benefits.calc", calcUsers, s.showCalculator},
		{http.MethodPost, "/benefits/calculator", "benefits.calc.run", calcUsers, s.runCalculator},
		{http.MethodGet, "/enterprises/:id/benefits", "benefits.enterprise", loggedIn, s.showEnterpriseBenefits},
		{http.MethodPost, "/enterprises/:id/benefits/grants", "benefits.grant", staff, s.createGrant},
		{http.MethodGet, "/admin/benefit-parameters", "benefits.params", adminOnly, s.listBenefitParams},
		{http.MethodPost, "/admin/benefit-parameters", "benefits.params.create", adminOnly, s.createBenefitParam},

		// 数据看板与区级评价 (issue #9)
		{http.MethodGet, "/dashboard", "dashboard.show", staff, s.showDashboard},
		{http.MethodGet, "/dashboard/evaluation", "evaluation.show", cityLevel, s.showEvaluation},
		{http.MethodGet, "/dashboard/evaluation/export", "evaluation.export", cityLevel, s.exportEvaluation},
		{http.MethodGet, "/dashboard/evaluation/export.xlsx", "evaluation.export.xlsx", cityLevel, s.exportEvaluation},
		{http.MethodPost, "/dashboard/evaluation/weights", "evaluation.weights", adminOnly, s.updateWeights},

		{http.MethodPost, "/api/v1/eval", "api.eval", loggedIn, s.evalAPI},

		// JSON API (issue #10): session or personal token (Authorization: Bearer …).
		// 数据导入导出与 API 令牌 (issue #10); district officers import only their district (dataio checks each row).
		{http.MethodGet, "/data/import", "import.show", staff, s.showImport},
		{http.MethodGet, "/data/import/template.xlsx", "import.template.xlsx", staff, s.downloadTemplate},
		{http.MethodGet, "/data/import/template.csv", "import.template.csv", staff, s.downloadTemplate},
		{http.MethodPost, "/data/import", "import.upload", staff, s.uploadImport},
		{http.MethodPost, "/data/import/:runid/mapping", "import.mapping", staff, s.saveMapping},
		{http.MethodPost, "/data/import/:runid/commit", "import.commit", staff, s.commitImport},
		{http.MethodGet, "/enterprises/export.csv", "enterprises.export.csv", readers, s.exportEnterprises},
		{http.MethodGet, "/enterprises/export.xlsx", "enterprises.export.xlsx", readers, s.exportEnterprises},
		{http.MethodGet, "/enterprises/figures.csv", "figures.export.csv", readers, s.exportFigures},
		{http.MethodGet, "/enterprises/figures.xlsx", "figures.export.xlsx", readers, s.exportFigures},
		{http.MethodGet, "/service/demands/export.csv", "demands.export.csv", staff, s.exportDemands},
		{http.MethodGet, "/service/demands/export.xlsx", "demands.export.xlsx", staff, s.exportDemands},
		{http.MethodGet, "/listing/export.csv", "listing.export.csv", staff, s.exportPipeline},
		{http.MethodGet, "/listing/export.xlsx", "listing.export.xlsx", staff, s.exportPipeline},
		{http.MethodGet, "/account/tokens", "tokens.list", loggedIn, s.listTokens},
		{http.MethodPost, "/account/tokens", "tokens.create", loggedIn, s.createToken},
		{http.MethodPost, "/account/tokens/:tid/revoke", "tokens.revoke", loggedIn, s.revokeToken},

		{http.MethodGet, "/api/v1/openapi.json", "api.openapi", public, s.openAPI},
		{http.MethodGet, "/api/v1/enterprises", "api.enterprises.list", readers, s.apiListEnterprises},
		{http.MethodPost, "/api/v1/enterprises", "api.enterprises.create", staff, s.apiCreateEnterprise},
		{http.MethodGet, "/api/v1/enterprises/:id", "api.enterprises.show", loggedIn, s.apiGetEnterprise},
		{http.MethodPut, "/api/v1/enterprises/:id", "api.enterprises.update", staff, s.apiUpdateEnterprise},
		{http.MethodGet, "/api/v1/enterprises/:id/years", "api.years.list", loggedIn, s.apiListYears},
		{http.MethodPut, "/api/v1/enterprises/:id/years/:year", "api.years.put", staff, s.apiPutYear},
		{http.MethodGet, "/api/v1/enterprises/:id/tiers", "api.tiers", loggedIn, s.apiTiers},
		{http.MethodGet, "/api/v1/enterprises/:id/visits", "api.visits", readers, s.apiVisits},
		{http.MethodGet, "/api/v1/enterprises/:id/demands", "api.demands", loggedIn, s.apiDemands},
	}
}

func (s *Server) healthz(c echo.Context) error {
	if err := s.db.Ping(c.Request().Context()); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ok")
}

// home sends each role to where its work starts.
func (s *Server) home(c echo.Context) error {
	u := currentUser(c)
	if u.Role == domain.RoleSpecialist {
		return c.Redirect(http.StatusSeeOther, "/service/home")
	}
	if u.Role == domain.RoleEnterprise && u.EnterpriseID != nil {
		return c.Redirect(http.StatusSeeOther, "/portal")
	}
	if staff.allows(u.Role) {
		return c.Redirect(http.StatusSeeOther, "/dashboard") // city-wide, or the officer's district
	}
	return c.Redirect(http.StatusSeeOther, "/enterprises")
}
