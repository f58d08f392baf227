package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/templates/layout"
	"zjtx/templates/pages/enterprises"
	"zjtx/templates/pages/service"
)

// 一企一专员: the specialist's workbench, visits with inline demands, the demand board,
// coverage, the unassigned queue and service days. Row scope comes from scope(c) throughout.

func (s *Server) svc() *store.Service { return store.NewService(s.db) }

var (
	crumbBoard = layout.Crumb{Label: "诉求看板", Href: "/service/demands"}
	crumbDays  = layout.Crumb{Label: "专属服务日", Href: "/service/days"}
)

// sixMonths is the horizon for "title expiring soon".
func sixMonths(d domain.Date) domain.Date { return domain.DateOf(d.Time().AddDate(0, 6, 0)) }

// pathID parses a positive integer path parameter; anything else is not found.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, store.ErrNotFound
	}
	return id, nil
}

// formIDs reads the repeated positive integer field name.
func formIDs(vals []string) ([]int64, bool) {
	var ids []int64
	for _, v := range vals {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// ---- Workbench ----

func (s *Server) serviceHome(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	today := s.today()
	v := service.HomeView{Meta: s.meta(c, "我的工作台", "service-home"), Today: today, StaleDays: domain.DefaultStaleDays}
	workload, due, err := s.svc().Workbench(ctx, u.ID, today, domain.AddWorkingDays(today, 5), 200)
	if err != nil {
		return err
	}
	v.Workload = mapRows(workload, workloadView)
	staleBefore := today.AddDays(-domain.DefaultStaleDays)
	for _, r := range v.Workload {
		if r.LastVisit.IsZero() || r.LastVisit.Before(staleBefore) {
			v.Owed = append(v.Owed, r)
		}
	}
	v.DueSoon = mapRows(due, demandView)
	// The home is the specialist's own: their scope is their portfolio, already read.
	var ok bool
	if v.Expiring, ok = store.ExpiringIn(workload, today, sixMonths(today), 200); !ok {
		if v.Expiring, err = s.enterprises.Expiring(ctx, scope(c), today, sixMonths(today), 200); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, service.HomePage(v))
}

func (s *Server) showWorkload(c echo.Context) error {
	id, err := pathID(c, "sid")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.users.Get(ctx, id)
	if err != nil {
		return err
	}
	me := currentUser(c)
	if u.Role != domain.RoleSpecialist || (me.Role == domain.RoleDistrict && u.DistrictCode != "" && u.DistrictCode != me.DistrictCode) {
		return store.ErrNotFound
	}
	rows, err := s.svc().Workload(ctx, u.ID, s.today())
	if err != nil {
		return err
	}
	if me.Role == domain.RoleDistrict { // a city-level specialist's other districts are not this officer's
		kept := rows[:0]
		for _, r := range rows {
			if r.DistrictCode == me.DistrictCode {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	v := service.WorkloadView{Meta: s.meta(c, "服务专员："+u.Name(), "coverage", layout.Crumb{Label: "走访覆盖", Href: "/service/coverage"}),
		Specialist: u, Today: s.today(), Rows: mapRows(rows, workloadView)}
	return render(c, http.StatusOK, service.WorkloadPage(v))
}

// ---- Visits ----

func (s *Server) visitOptions(c echo.Context, v *service.VisitFormView, wanted string) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	var err error
	if u.Role == domain.RoleSpecialist {
		if v.Enterprises, err = s.svc().AssignedEnterprises(ctx, u.ID); err != nil {
			return err
		}
	} else if id, perr := strconv.ParseInt(wanted, 10, 64); perr == nil && id > 0 {
		e, err := s.enterprises.Get(ctx, scope(c), id)
		if err != nil {
			return err
		}
		v.Enterprises, v.Fixed = []domain.Enterprise{e}, true
	}
	daysScope := scope(c)
	if u.Role == domain.RoleSpecialist {
		daysScope = domain.Scope{District: u.DistrictCode, All: u.DistrictCode == ""}
	}
	days, err := s.svc().RecentServiceDays(ctx, daysScope, 20)
	v.ServiceDays = mapRows(days, serviceDayView)
	return err
}

func (s *Server) renderVisitForm(c echo.Context, status int, f service.VisitForm) error {
	v := service.VisitFormView{Meta: s.meta(c, "记录走访", "visit-new"), Form: f}
	if err := s.visitOptions(c, &v, f.EnterpriseID); err != nil {
		return err
	}
	if v.Fixed && len(v.Enterprises) == 1 {
		v.Meta.Crumbs = []layout.Crumb{{Label: v.Enterprises[0].Name, Href: enterprisePath(v.Enterprises[0].ID)}}
	} else if !v.Fixed && currentUser(c).Role != domain.RoleSpecialist {
		f.Errors.Add("enterprise_id", "请从企业详情页的“记录走访”进入")
		v.Form = f
	}
	return render(c, status, service.VisitFormPage(v))
}

func (s *Server) newVisit(c echo.Context) error {
	f := service.VisitForm{EnterpriseID: c.QueryParam("enterprise"), VisitedOn: s.today().String(), Kind: string(domain.VisitOnSite),
		Demands: []service.DemandInput{{}}, Errors: domain.FieldErrors{}}
	return s.renderVisitForm(c, http.StatusOK, f)
}

func (s *Server) createVisit(c echo.Context) error {
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	get := func(k string) string { return strings.TrimSpace(vals.Get(k)) }
	f := service.VisitForm{EnterpriseID: get("enterprise_id"), VisitedOn: get("visited_on"), Kind: get("kind"),
		Participants: get("participants"), Summary: get("summary"), ServiceDayID: get("service_day_id"), Errors: domain.FieldErrors{}}
	cats, descs, depts := vals["demand_category"], vals["demand_description"], vals["demand_department"]
	for i := range max(len(cats), len(descs), len(depts)) {
		at := func(xs []string) string {
			if i < len(xs) {
				return strings.TrimSpace(xs[i])
			}
			return ""
		}
		f.Demands = append(f.Demands, service.DemandInput{Category: at(cats), Description: at(descs), Department: at(depts)})
	}
	if vals.Get("op") == "add" {
		f.Demands = append(f.Demands, service.DemandInput{})
		return s.renderVisitForm(c, http.StatusOK, f)
	}
	if len(f.Demands) == 0 {
		f.Demands = []service.DemandInput{{}}
	}

	ctx := c.Request().Context()
	u := currentUser(c)
	v := domain.Visit{Kind: domain.VisitKind(f.Kind), Participants: f.Participants, Summary: f.Summary}
	if id, err := strconv.ParseInt(f.EnterpriseID, 10, 64); err != nil || id <= 0 {
		f.Errors.Add("enterprise_id", "请选择走访的企业")
	} else {
		// Only an enterprise in the user's scope (a specialist's: their own) may be named;
		// anything else is refused as not found, whatever the form said.
		if _, err := s.enterprises.Get(ctx, scope(c), id); err != nil {
			return err
		}
		v.EnterpriseID = id
	}
	if f.VisitedOn != "" {
		d, err := domain.ParseDate(f.VisitedOn)
		if err != nil {
			f.Errors.Add("visited_on", err.Error())
		}
		v.VisitedOn = d
	}
	for k, msg := range v.Validate(s.today()) {
		f.Errors.Add(k, msg)
	}
	if f.ServiceDayID != "" {
		id, err := strconv.ParseInt(f.ServiceDayID, 10, 64)
		if err != nil || id <= 0 {
			f.Errors.Add("service_day_id", "请选择专属服务日")
		} else {
			v.ServiceDayID = &id
		}
	}
	if u.Role == domain.RoleSpecialist {
		v.SpecialistID = &u.ID
	}
	var demands []domain.Demand
	for i, in := range f.Demands {
		if in == (service.DemandInput{}) {
			continue
		}
		d := domain.Demand{Category: domain.DemandCategory(in.Category), Description: in.Description, Department: in.Department, RaisedOn: v.VisitedOn}
		for k, msg := range d.ValidateNew(fmt.Sprintf("demand_%d_", i+1)) {
			f.Errors.Add(k, msg)
		}
		demands = append(demands, d)
	}
	if len(f.Errors) > 0 {
		return s.renderVisitForm(c, http.StatusUnprocessableEntity, f)
	}
	if err := s.svc().CreateVisit(ctx, s.actor(c), scope(c), &v, demands); err != nil {
		if errors.Is(err, store.ErrNotFound) && v.ServiceDayID != nil {
			f.Errors.Add("service_day_id", "所选专属服务日不存在")
			return s.renderVisitForm(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	msg := "已记录走访"
	if len(demands) > 0 {
		msg += fmt.Sprintf("及 %d 条诉求", len(demands))
	}
	setFlash(c, "ok", msg)
	return redirect(c, enterprisePath(v.EnterpriseID)+"#service")
}

// ---- Demands ----

func (s *Server) boardQuery(c echo.Context) (service.BoardQuery, store.BoardFilter) {
	q := c.QueryParams()
	bq := service.BoardQuery{Overdue: q.Get("overdue") == "1", Department: strings.TrimSpace(q.Get("department"))}
	bq.OnTime = !bq.Overdue && q.Get("ontime") == "1"
	bf := store.BoardFilter{Scope: scope(c), Today: s.today(), Overdue: bq.Overdue, OnTime: bq.OnTime, Department: bq.Department}
	if sat := q.Get("satisfaction"); sat == "unrated" || domain.Satisfaction(sat).Valid() {
		bq.Satisfaction, bf.Satisfied = sat, sat
	}
	if st := q.Get("status"); st == "all" || domain.DemandStatus(st).Valid() {
		bq.Status, bf.Status = st, st
	}
	if cat := domain.DemandCategory(q.Get("category")); cat.Valid() {
		bq.Category, bf.Category = string(cat), cat
	}
	if d := q.Get("district"); domain.IsDistrict(d) {
		bq.District, bf.District = d, d
	}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 0 {
		bf.Page = p
	}
	return bq, bf
}

func (s *Server) renderBoard(c echo.Context, status int, bq service.BoardQuery, bf store.BoardFilter, rf service.RouteForm) error {
	page, err := s.svc().Board(c.Request().Context(), bf)
	if err != nil {
		return err
	}
	v := service.BoardView{Meta: s.meta(c, "诉求看板", "demands"), Query: bq, Today: s.today(),
		Demands: mapRows(page.Items, demandView), Paging: service.Paging{Page: page.Page, Pages: page.Pages(), Total: page.Total},
		Departments: domain.Departments(), Route: rf}
	if u := currentUser(c); u.Role == domain.RoleDistrict {
		v.Districts = []domain.District{{Code: u.DistrictCode, Name: domain.DistrictName(u.DistrictCode)}}
	} else {
		v.Districts = domain.Districts
	}
	return render(c, status, service.BoardPage(v))
}

func (s *Server) listDemands(c echo.Context) error {
	bq, bf := s.boardQuery(c)
	return s.renderBoard(c, http.StatusOK, bq, bf, service.RouteForm{Errors: domain.FieldErrors{}})
}

func (s *Server) routeDemands(c echo.Context) error {
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	rf := service.RouteForm{IDs: vals["id"], Department: strings.TrimSpace(vals.Get("department")), Errors: domain.FieldErrors{}}
	ids, ok := formIDs(rf.IDs)
	switch {
	case !ok:
		return echo.NewHTTPError(http.StatusBadRequest, "所选诉求有误")
	case len(ids) == 0:
		rf.Errors.Add("id", "请勾选要转办的诉求")
	}
	switch n := utf8.RuneCountInString(rf.Department); {
	case n == 0:
		rf.Errors.Add("department", "请填写承办部门")
	case n > 60:
		rf.Errors.Add("department", "承办部门不超过60字")
	}
	bq, bf := s.boardQuery(c)
	if len(rf.Errors) > 0 {
		return s.renderBoard(c, http.StatusUnprocessableEntity, bq, bf, rf)
	}
	n, err := s.svc().RouteDemands(c.Request().Context(), s.actor(c), scope(c), ids, rf.Department)
	if errors.Is(err, store.ErrStale) {
		rf.Errors.Add("id", "所选诉求刚被他人更新，请刷新后重试")
		return s.renderBoard(c, http.StatusConflict, bq, bf, rf)
	}
	if err != nil {
		return err
	}
	setFlash(c, "ok", fmt.Sprintf("已将 %d 件诉求转办至 %s", n, rf.Department))
	return redirect(c, "/service/demands")
}

func (s *Server) renderDemand(c echo.Context, status int, f *service.StatusForm) error {
	id, err := pathID(c, "dmid")
	if err != nil {
		return err
	}
	d, err := s.svc().GetDemand(c.Request().Context(), scope(c), id)
	if err != nil {
		return err
	}
	v := service.DemandView{Meta: s.meta(c, "诉求："+d.EnterpriseName, "demands", crumbBoard), Demand: demandView(d), Today: s.today(),
		CanAct: readers.allows(currentUser(c).Role)}
	if currentUser(c).Role == domain.RoleSpecialist {
		v.Meta.Crumbs = []layout.Crumb{{Label: d.EnterpriseName, Href: enterprisePath(d.EnterpriseID)}}
	}
	if f != nil {
		v.Form = *f
	} else {
		v.Form = service.StatusForm{Version: strconv.FormatInt(d.Version, 10), Errors: domain.FieldErrors{}}
		if next := d.Status.Next(); len(next) > 0 {
			v.Form.To = string(next[0])
		}
	}
	return render(c, status, service.DemandPage(v))
}

func (s *Server) showDemand(c echo.Context) error { return s.renderDemand(c, http.StatusOK, nil) }

func (s *Server) updateDemandStatus(c echo.Context) error {
	id, err := pathID(c, "dmid")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := s.svc().GetDemand(ctx, scope(c), id)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	get := func(k string) string { return strings.TrimSpace(vals.Get(k)) }
	f := service.StatusForm{Version: get("version"), To: get("to"), Resolution: get("resolution"), Reason: get("reason"),
		Satisfaction: get("satisfaction"), Errors: domain.FieldErrors{}}
	version, verr := strconv.ParseInt(f.Version, 10, 64)
	if verr != nil {
		f.Errors.Add("version", "表单缺少版本号，请刷新后重试")
	}
	t := domain.Transition{To: domain.DemandStatus(f.To), Resolution: f.Resolution, Reason: f.Reason, Satisfaction: domain.Satisfaction(f.Satisfaction)}
	for k, msg := range domain.CheckTransition(d.Status, &t) {
		f.Errors.Add(k, msg)
	}
	if len(f.Errors) > 0 {
		return s.renderDemand(c, http.StatusUnprocessableEntity, &f)
	}
	switch err := s.svc().MoveDemand(ctx, s.actor(c), scope(c), id, version, t, s.today()); {
	case errors.Is(err, store.ErrStale):
		f.Errors.Add("version", "提交失败：该诉求已被他人更新，请查看最新状态后再操作。")
		f.Version = strconv.FormatInt(d.Version, 10)
		return s.renderDemand(c, http.StatusConflict, &f)
	case err != nil:
		return err
	}
	setFlash(c, "ok", "诉求已改为“"+t.To.Label()+"”")
	return redirect(c, fmt.Sprintf("/service/demands/%d", id))
}

// ---- Coverage ----

func (s *Server) showCoverage(c echo.Context) error {
	ctx := c.Request().Context()
	today := s.today()
	days := domain.DefaultStaleDays
	if n, err := strconv.Atoi(c.QueryParam("days")); err == nil && n >= 1 && n <= 730 {
		days = n
	}
	v := service.CoverageView{Meta: s.meta(c, "走访覆盖", "coverage"), Today: today, Quarter: domain.QuarterStart(today), StaleDays: days}
	if d := c.QueryParam("district"); domain.IsDistrict(d) {
		v.District = d
	}
	if u := currentUser(c); u.Role == domain.RoleDistrict {
		v.District = u.DistrictCode
	}
	districts, err := s.svc().CoverageByDistrict(ctx, scope(c), today, days)
	if err != nil {
		return err
	}
	specialists, err := s.svc().CoverageBySpecialist(ctx, v.District, today, days)
	if err != nil {
		return err
	}
	v.Districts, v.Specialists = mapRows(districts, coverageView), mapRows(specialists, coverageView)
	return render(c, http.StatusOK, service.CoveragePage(v))
}

// ---- Assignment ----

func (s *Server) renderUnassigned(c echo.Context, status int, district, tier string, page int, f service.AssignForm) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	if u.Role == domain.RoleDistrict {
		district = u.DistrictCode
	}
	uf := store.UnassignedFilter{Scope: scope(c), District: district, Tier: domain.Tier(tier), Page: page}
	p, err := s.svc().Unassigned(ctx, uf)
	if err != nil {
		return err
	}
	v := service.UnassignedView{Meta: s.meta(c, "待分配服务专员", "unassigned"), District: district, Tier: tier, Form: f,
		Items: p.Items, Paging: service.Paging{Page: p.Page, Pages: p.Pages(), Total: p.Total}}
	if u.Role == domain.RoleDistrict {
		v.Districts = []domain.District{{Code: u.DistrictCode, Name: domain.DistrictName(u.DistrictCode)}}
	} else {
		v.Districts = domain.Districts
	}
	if v.Specialists, err = s.svc().Specialists(ctx, district); err != nil {
		return err
	}
	return render(c, status, service.UnassignedPage(v))
}

func unassignedQuery(get func(string) string) (district, tier string) {
	if d := get("district"); domain.IsDistrict(d) {
		district = d
	}
	if t := domain.Tier(get("tier")); t.Valid() {
		tier = string(t)
	}
	return district, tier
}

func (s *Server) listUnassigned(c echo.Context) error {
	district, tier := unassignedQuery(c.QueryParam)
	page, _ := strconv.Atoi(c.QueryParam("page"))
	return s.renderUnassigned(c, http.StatusOK, district, tier, page, service.AssignForm{Errors: domain.FieldErrors{}})
}

func (s *Server) assignSpecialists(c echo.Context) error {
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	district, tier := unassignedQuery(vals.Get)
	f := service.AssignForm{IDs: vals["id"], SpecialistID: strings.TrimSpace(vals.Get("specialist_id")), Errors: domain.FieldErrors{}}
	ids, ok := formIDs(f.IDs)
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "所选企业有误")
	}
	if len(ids) == 0 {
		f.Errors.Add("id", "请勾选要分配的企业")
	}
	sid, err := strconv.ParseInt(f.SpecialistID, 10, 64)
	if err != nil || sid <= 0 {
		f.Errors.Add("specialist_id", "请选择服务专员")
	}
	if len(f.Errors) > 0 {
		return s.renderUnassigned(c, http.StatusUnprocessableEntity, district, tier, 1, f)
	}
	n, err := s.svc().Assign(c.Request().Context(), s.actor(c), scope(c), ids, sid)
	switch {
	case errors.Is(err, store.ErrNotSpecialist):
		f.Errors.Add("specialist_id", "该服务专员不能服务所选企业：须为企业所在区或市级的在岗服务专员")
		return s.renderUnassigned(c, http.StatusUnprocessableEntity, district, tier, 1, f)
	case errors.Is(err, store.ErrConflict):
		f.Errors.Add("id", "所选企业中有的刚被他人分配了服务专员，本次未作任何分配，请核对后重试")
		return s.renderUnassigned(c, http.StatusConflict, district, tier, 1, f)
	case err != nil:
		return err
	}
	setFlash(c, "ok", fmt.Sprintf("已为 %d 家企业分配服务专员", n))
	back := "/service/unassigned"
	if district != "" || tier != "" {
		back += "?district=" + district + "&tier=" + tier
	}
	return redirect(c, back)
}

// servicePanel loads the enterprise page's service section; a re-rendered reassignment
// form travels in the request context.
func (s *Server) servicePanel(c echo.Context, e domain.Enterprise) (service.EnterprisePanel, error) {
	ctx := c.Request().Context()
	u := currentUser(c)
	p := service.EnterprisePanel{EnterpriseID: e.ID, Tier: e.Tier, Today: s.today(), CSRFToken: s.csrfToken(c),
		CanAssign: staff.allows(u.Role), CanVisit: readers.allows(u.Role), Form: service.ReassignForm{Errors: domain.FieldErrors{}}}
	if f, ok := c.Get("reassignForm").(service.ReassignForm); ok {
		p.Form = f
	}
	svc := s.svc()
	history, err := svc.AssignmentHistory(ctx, e.ID)
	if err != nil {
		return p, err
	}
	for _, a := range history { // the open assignment is in the history: no second query
		if a.EndedAt == nil {
			v := assignmentView(a)
			p.Current = &v
			break
		}
	}
	visits, err := svc.VisitsFor(ctx, e.ID, 30)
	if err != nil {
		return p, err
	}
	demands, err := svc.DemandsFor(ctx, e.ID, 50)
	if err != nil {
		return p, err
	}
	p.History, p.Visits, p.Demands = mapRows(history, assignmentView), mapRows(visits, visitView), mapRows(demands, demandView)
	if p.CanAssign {
		if p.Specialists, err = svc.Specialists(ctx, e.DistrictCode); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) reassignSpecialist(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	if _, err := s.enterprises.Get(c.Request().Context(), scope(c), id); err != nil {
		return err
	}
	f := service.ReassignForm{SpecialistID: strings.TrimSpace(c.FormValue("specialist_id")), Reason: strings.TrimSpace(c.FormValue("reason")), Errors: domain.FieldErrors{}}
	sid, perr := strconv.ParseInt(f.SpecialistID, 10, 64)
	if perr != nil || sid <= 0 {
		f.Errors.Add("specialist_id", "请选择服务专员")
	}
	if utf8.RuneCountInString(f.Reason) > 200 {
		f.Errors.Add("reason", "更换原因不超过200字")
	}
	status := http.StatusUnprocessableEntity
	if len(f.Errors) == 0 {
		err = s.svc().Reassign(c.Request().Context(), s.actor(c), scope(c), id, sid, f.Reason)
		switch {
		case err == nil:
			setFlash(c, "ok", "服务专员已保存")
			return redirect(c, enterprisePath(id)+"#service")
		case errors.Is(err, store.ErrReasonRequired):
			f.Errors.Add("reason", "更换服务专员须填写原因")
		case errors.Is(err, store.ErrNotSpecialist):
			f.Errors.Add("specialist_id", "须为企业所在区或市级的在岗服务专员")
		case errors.Is(err, store.ErrConflict):
			f.Errors.Add("specialist_id", "服务专员刚被他人更换，请查看后重试")
			status = http.StatusConflict
		default:
			return err
		}
	}
	c.Set("reassignForm", f)
	return s.renderEnterprise(c, status, id, enterprises.EligibilityView{})
}

// ---- Service days ----

func (s *Server) listServiceDays(c echo.Context) error {
	days, err := s.svc().ServiceDays(c.Request().Context(), s.daysScope(c), 60)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, service.DaysPage(service.DaysView{Meta: s.meta(c, "专属服务日", "service-days"),
		Days: mapRows(days, serviceDayView), CanCreate: staff.allows(currentUser(c).Role)}))
}

// daysScope: service days are listed by district; a specialist sees their district's and city-wide ones.
func (s *Server) daysScope(c echo.Context) domain.Scope {
	u := currentUser(c)
	if u.Role == domain.RoleSpecialist {
		return domain.Scope{District: u.DistrictCode, All: u.DistrictCode == ""}
	}
	return scope(c)
}

func (s *Server) renderDayForm(c echo.Context, status int, f service.DayForm) error {
	v := service.DayFormView{Meta: s.meta(c, "登记专属服务日", "service-days", crumbDays), Form: f, Districts: domain.Districts}
	if u := currentUser(c); u.Role == domain.RoleDistrict {
		v.Districts = []domain.District{{Code: u.DistrictCode, Name: domain.DistrictName(u.DistrictCode)}}
	}
	return render(c, status, service.DayFormPage(v))
}

func (s *Server) newServiceDay(c echo.Context) error {
	return s.renderDayForm(c, http.StatusOK, service.DayForm{HeldOn: s.today().String(), District: currentUser(c).DistrictCode, Errors: domain.FieldErrors{}})
}

func (s *Server) createServiceDay(c echo.Context) error {
	get := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	f := service.DayForm{HeldOn: get("held_on"), District: get("district"), Place: get("place"), Theme: get("theme"),
		Enterprises: get("enterprises"), Errors: domain.FieldErrors{}}
	u := currentUser(c)
	day := domain.ServiceDay{Place: f.Place, Theme: f.Theme, DistrictCode: f.District}
	if d, err := domain.ParseDate(f.HeldOn); f.HeldOn == "" {
		f.Errors.Add("held_on", "请填写日期")
	} else if err != nil {
		f.Errors.Add("held_on", err.Error())
	} else if d.After(s.today().AddYears(1)) || d.Before(s.today().AddYears(-1)) {
		f.Errors.Add("held_on", "日期应在前后一年之内")
	} else {
		day.HeldOn = d
	}
	switch {
	case u.Role == domain.RoleDistrict && f.District != u.DistrictCode:
		f.Errors.Add("district", "只能登记本区的专属服务日")
	case f.District != "" && !domain.IsDistrict(f.District):
		f.Errors.Add("district", "请选择上海市16个区之一，或留空表示市级")
	}
	if f.Place == "" {
		f.Errors.Add("place", "请填写地点")
	} else if utf8.RuneCountInString(f.Place) > 100 {
		f.Errors.Add("place", "地点不超过100字")
	}
	if f.Theme == "" {
		f.Errors.Add("theme", "请填写主题")
	} else if utf8.RuneCountInString(f.Theme) > 100 {
		f.Errors.Add("theme", "主题不超过100字")
	}
	ctx := c.Request().Context()
	var ids []int64
	var unknown []string
	seen := map[int64]bool{}
	for _, line := range strings.FieldsFunc(f.Enterprises, func(r rune) bool { return r == '\n' || r == ',' || r == '，' || r == ' ' || r == '\r' }) {
		code := domain.NormalizeUSCC(line)
		e, err := s.enterprises.GetByUSCC(ctx, domain.USCC(code))
		if err == nil {
			_, err = s.enterprises.Get(ctx, scope(c), e.ID)
		}
		switch {
		case errors.Is(err, store.ErrNotFound):
			unknown = append(unknown, line)
		case err != nil:
			return err
		case !seen[e.ID]:
			seen[e.ID] = true
			ids = append(ids, e.ID)
		}
	}
	if len(unknown) > 0 {
		f.Errors.Add("enterprises", "以下代码不是您可见的已登记企业："+strings.Join(unknown, "、"))
	}
	if len(ids) > 500 {
		f.Errors.Add("enterprises", "一次最多登记500家企业")
	}
	if len(f.Errors) > 0 {
		return s.renderDayForm(c, http.StatusUnprocessableEntity, f)
	}
	if err := s.svc().CreateServiceDay(ctx, s.actor(c), scope(c), &day, ids); err != nil {
		return err
	}
	setFlash(c, "ok", fmt.Sprintf("已登记专属服务日，服务企业 %d 家", len(ids)))
	return redirect(c, fmt.Sprintf("/service/days/%d", day.ID))
}

func (s *Server) showServiceDay(c echo.Context) error {
	id, err := pathID(c, "sdid")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	day, err := s.svc().ServiceDay(ctx, id)
	if err != nil {
		return err
	}
	if u := currentUser(c); u.Role == domain.RoleDistrict && day.DistrictCode != "" && day.DistrictCode != u.DistrictCode {
		return store.ErrNotFound
	}
	v := service.DayView{Meta: s.meta(c, day.HeldOn.String()+" "+day.Theme, "service-days", crumbDays), Day: day, Today: s.today()}
	visits, err := s.svc().ServiceDayVisits(ctx, scope(c), id)
	if err != nil {
		return err
	}
	demands, err := s.svc().ServiceDayDemands(ctx, scope(c), id)
	if err != nil {
		return err
	}
	v.Visits, v.Demands = mapRows(visits, visitView), mapRows(demands, demandView)
	return render(c, http.StatusOK, service.DayPage(v))
}
