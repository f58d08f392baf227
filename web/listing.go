package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/templates/layout"
	"zjtx/templates/pages/listing"
)

// The 改制上市培育库 (issue #7): board, table and funnel, an enterprise's pipeline page,
// stage moves by form or by drag, and the pipeline section of the enterprise page.

var crumbListing = layout.Crumb{Label: "上市培育", Href: "/listing"}

func (s *Server) listing() *store.Listing { return store.NewListing(s.db) }

// listingFilter reads the board's and table's query. The parameters — district, tier,
// board, stage, flagged=1, page, per_page (≤ 1000) — are a stable interface: the export
// of the data issue reuses this function. Unknown values are dropped, as on the list.
func (s *Server) listingFilter(c echo.Context, q url.Values) (listing.Filter, store.ListingFilter) {
	vf := listing.Filter{}
	sf := store.ListingFilter{Scope: scope(c), Today: s.today()}
	if d := q.Get("district"); domain.IsDistrict(d) {
		vf.District, sf.District = d, d
	}
	if t := domain.Tier(q.Get("tier")); t.Valid() {
		vf.Tier, sf.Tier = string(t), t
	}
	if b := domain.ListingBoard(q.Get("board")); b.Valid() {
		vf.Board, sf.Board = string(b), b
	}
	if st := domain.ListingStage(q.Get("stage")); st.Valid() {
		vf.Stage, sf.Stage = string(st), st
	}
	if q.Get("flagged") == "1" {
		vf.Flagged, sf.Flagged = true, true
	}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 0 {
		sf.Page = p
	}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 && n <= 1000 {
		vf.PerPage, sf.PerPage = n, n
	}
	return vf, sf
}

func (s *Server) cardOf(r store.ListingCard) listing.Card {
	return listing.Card{EnterpriseID: r.EnterpriseID, Name: r.Name, USCC: r.USCC, District: r.DistrictCode, Tier: r.Tier,
		Stage: r.Stage, StageSince: r.StageSince, Target: r.TargetBoard, Sponsor: r.Sponsor, PlannedOn: r.PlannedFilingOn,
		Days: r.StageSince.DaysUntil(s.today()), Version: r.Version, Flag: domain.PoolFlag(r.ListingPipeline, s.today())}
}

func (s *Server) boardView(c echo.Context, q url.Values) (listing.BoardView, error) {
	ctx := c.Request().Context()
	vf, sf := s.listingFilter(c, q)
	vf.Stage, vf.Flagged, vf.PerPage = "", false, 0
	sf.Stage, sf.Flagged = "", false
	v := listing.BoardView{Meta: s.meta(c, "上市培育看板", "listing"), Filter: vf, CanMove: staff.allows(currentUser(c).Role),
		ColumnLimit: store.BoardColumnLimit}
	cols, err := s.listing().Board(ctx, sf)
	if err != nil {
		return v, err
	}
	for _, col := range cols {
		lc := listing.Column{Stage: col.Stage, Total: col.Total}
		for _, r := range col.Cards {
			lc.Cards = append(lc.Cards, s.cardOf(r))
		}
		v.Columns = append(v.Columns, lc)
	}
	v.Funnel, err = s.listing().Funnel(ctx, sf, s.today())
	return v, err
}

func (s *Server) showListingBoard(c echo.Context) error {
	v, err := s.boardView(c, c.QueryParams())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, listing.BoardPage(v))
}

func (s *Server) showListingTable(c echo.Context) error {
	ctx := c.Request().Context()
	vf, sf := s.listingFilter(c, c.QueryParams())
	page, err := s.listing().Table(ctx, sf)
	if err != nil {
		return err
	}
	v := listing.TableView{Meta: s.meta(c, "上市培育企业表", "listing", crumbListing), Filter: vf, Total: page.Total, Page: page.Page, Pages: page.Pages()}
	for _, r := range page.Items {
		v.Rows = append(v.Rows, s.cardOf(r))
	}
	if v.Funnel, err = s.listing().Funnel(ctx, sf, s.today()); err != nil {
		return err
	}
	return render(c, http.StatusOK, listing.TablePage(v))
}

func (s *Server) showListingFunnel(c echo.Context) error {
	vf, sf := s.listingFilter(c, c.QueryParams())
	vf.Stage, vf.Flagged = "", false
	f, err := s.listing().Funnel(c.Request().Context(), sf, s.today())
	if err != nil {
		return err
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		return render(c, http.StatusOK, listing.Funnel(f, vf))
	}
	return render(c, http.StatusOK, listing.FunnelPage(listing.FunnelPageView{Meta: s.meta(c, "上市培育漏斗", "listing", crumbListing), Filter: vf, Funnel: f}))
}

// listingSection gathers what the enterprise page and the pipeline page show.
// facts is the enterprise's fact sheet, nil when none was recorded (the caller has
// usually loaded it already, for the eligibility assessment); has says which of the
// pipeline's tables hold rows of the enterprise, so empty ones are not read.
func (s *Server) listingSection(ctx context.Context, u *domain.User, e domain.Enterprise, years []domain.YearFigures, facts *domain.EnterpriseFacts, has listingRows) (listing.Section, error) {
	sec := listing.Section{EnterpriseID: e.ID, Today: s.today(), CanEdit: staff.allows(u.Role)}
	ls := s.listing()
	if has.pipeline {
		p, err := ls.Pipeline(ctx, e.ID)
		switch {
		case err == nil:
			sec.Pipeline = &p
			sec.Flag = domain.PoolFlag(p, sec.Today)
		case !errors.Is(err, store.ErrNotFound):
			return sec, err
		}
	}
	var evs []domain.ListingEvent
	if has.events {
		var err error
		if evs, err = ls.Events(ctx, e.ID); err != nil {
			return sec, err
		}
	}
	sec.Hints = domain.BoardHints(years, facts, evs, sec.Today)
	slices.Reverse(evs)
	sec.Events = evs
	if has.activities {
		var err error
		sec.Activities, err = ls.ActivitiesFor(ctx, e.ID)
		return sec, err
	}
	return sec, nil
}

// listingRows says which pipeline tables hold an enterprise's rows.
type listingRows struct{ pipeline, events, activities bool }

// allListingRows reads every table (the caller has not probed them).
var allListingRows = listingRows{true, true, true}

func listingHas(h store.Histories) listingRows {
	return listingRows{h.Pipeline, h.ListingEvents, h.Activities}
}

// recordedFacts is f, or nil when the enterprise has no fact sheet yet.
func recordedFacts(f domain.EnterpriseFacts) *domain.EnterpriseFacts {
	if f.EnterpriseID == 0 {
		return nil
	}
	return &f
}

// renderPipeline renders an enterprise's pipeline page with the given form states.
func (s *Server) renderPipeline(c echo.Context, status int, e domain.Enterprise, mf *listing.MoveForm, df *listing.DetailsForm, refusal string) error {
	ctx := c.Request().Context()
	years, err := s.enterprises.Years(ctx, e.ID)
	if err != nil {
		return err
	}
	sheet, err := store.NewFacts(s.db).Get(ctx, e.ID)
	if err != nil {
		return err
	}
	sec, err := s.listingSection(ctx, currentUser(c), e, years, recordedFacts(sheet.Facts), allListingRows)
	if err != nil {
		return err
	}
	v := listing.PipelineView{Meta: s.meta(c, "上市培育 · "+e.Name, "listing", crumbListing), Enterprise: e, Section: sec, Refusal: refusal}
	if mf != nil {
		v.Move = *mf
	} else {
		v.Move = listing.MoveForm{On: s.today().String(), Errors: domain.FieldErrors{}}
		if sec.Pipeline != nil {
			v.Move.ToStage = string(sec.Pipeline.Stage.Next())
		}
	}
	if sec.Pipeline != nil {
		v.Move.Version = strconv.FormatInt(sec.Pipeline.Version, 10)
	}
	if df != nil {
		v.Details = *df
	} else if sec.Pipeline != nil {
		v.Details = detailsFormOf(*sec.Pipeline)
	}
	if v.Details.Errors == nil {
		v.Details.Errors = domain.FieldErrors{}
	}
	return render(c, status, listing.PipelinePage(v))
}

func detailsFormOf(p domain.ListingPipeline) listing.DetailsForm {
	return listing.DetailsForm{Version: strconv.FormatInt(p.Version, 10), TargetBoard: string(p.TargetBoard), MarketBoard: string(p.MarketBoard),
		Sponsor: p.Sponsor, LawFirm: p.LawFirm, Auditor: p.Auditor, PlannedFilingOn: p.PlannedFilingOn.String(), Notes: p.Notes,
		Errors: domain.FieldErrors{}}
}

func (s *Server) showListing(c echo.Context) error {
	e, err := s.loadEnterprise(c)
	if err != nil {
		return err
	}
	return s.renderPipeline(c, http.StatusOK, e, nil, nil, "")
}

// moveListing moves an enterprise's stage, from the pipeline page's form, a card's form
// (both answer 303, or 422 with the pipeline page) or a drag on the board (htmx: the
// board region re-rendered with the outcome, 200 or 422).
func (s *Server) moveListing(c echo.Context) error {
	e, err := s.loadEnterprise(c)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	f, req := s.moveFormFrom(vals)
	req.EnterpriseID = e.ID
	drag := c.Request().Header.Get("HX-Request") == "true" && vals.Get("view") == "board"
	if len(f.Errors) == 0 {
		_, err = s.listing().Move(c.Request().Context(), s.actor(c), scope(c), req)
	}
	var ie *store.InvalidError
	switch {
	case len(f.Errors) > 0:
	case errors.As(err, &ie):
		for k, msg := range ie.Fields {
			f.Errors.Add(k, msg)
		}
	case errors.Is(err, store.ErrStale):
		f.Errors.Add("version", "保存失败：该企业的培育阶段已被他人修改，请核对当前阶段后再提交。")
	case err != nil:
		return err
	}
	to := domain.ListingStage(req.To)
	if drag {
		v, verr := s.boardView(c, vals)
		if verr != nil {
			return verr
		}
		if len(f.Errors) > 0 {
			v.Error = e.Name + "：" + firstMessage(f.Errors)
			return render(c, http.StatusUnprocessableEntity, listing.Board(v))
		}
		v.Result = fmt.Sprintf("已将 %s 移至“%s”", e.Name, to.Label())
		return render(c, http.StatusOK, listing.Board(v))
	}
	if len(f.Errors) > 0 {
		status := http.StatusUnprocessableEntity
		if f.Errors["version"] != "" {
			status = http.StatusConflict
		}
		return s.renderPipeline(c, status, e, &f, nil, "未能移动："+firstMessage(f.Errors))
	}
	setFlash(c, "ok", fmt.Sprintf("已将 %s 移至“%s”", e.Name, to.Label()))
	next := vals.Get("next")
	if !strings.HasPrefix(next, "/listing") || strings.HasPrefix(next, "//") {
		next = enterprisePath(e.ID) + "/listing"
	}
	return redirect(c, next)
}

// firstMessage picks one message to headline a refusal, in form order.
func firstMessage(fe domain.FieldErrors) string {
	for _, k := range []string{"version", "to_stage", "reason", "on", "pool", "company_form", "restructure_by", "audited_years"} {
		if m := fe[k]; m != "" {
			return m
		}
	}
	for _, m := range fe {
		return m
	}
	return ""
}

// moveFormFrom reads a move form: typed values for re-display, and the request when valid.
func (s *Server) moveFormFrom(v url.Values) (listing.MoveForm, store.MoveRequest) {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	on := func(k string) bool { x := v.Get(k); return x == "on" || x == "true" || x == "1" }
	f := listing.MoveForm{ToStage: get("to_stage"), On: get("on"), Reason: get("reason"), Version: get("version"), Next: get("next"),
		AuditedYears: get("audited_years"), CompanyForm: get("company_form"), RestructureBy: get("restructure_by"),
		CleanRecord: on("clean_record"), ControllerStable: on("controller_stable"), Errors: domain.FieldErrors{}}
	req := store.MoveRequest{To: domain.ListingStage(f.ToStage), Reason: f.Reason, On: s.today()}
	if f.On != "" {
		d, err := domain.ParseDate(f.On)
		switch {
		case err != nil:
			f.Errors.Add("on", err.Error())
		case d.After(s.today()):
			f.Errors.Add("on", "日期不能晚于今天")
		}
		req.On = d
	}
	if f.Version != "" {
		n, err := strconv.ParseInt(f.Version, 10, 64)
		if err != nil {
			f.Errors.Add("version", "表单已损坏，请刷新后重试")
		}
		req.Version = n
	}
	if req.To == domain.StagePool && (f.CompanyForm != "" || f.AuditedYears != "" || f.RestructureBy != "") {
		p := domain.PoolEntry{CompanyForm: domain.CompanyForm(f.CompanyForm), CleanRecord: f.CleanRecord, ControllerStable: f.ControllerStable}
		if f.AuditedYears != "" {
			n, err := strconv.Atoi(domain.NormalizeNumber(f.AuditedYears))
			if err != nil {
				f.Errors.Add("audited_years", "请输入整数年数")
			}
			p.AuditedYears = n
		}
		if f.RestructureBy != "" {
			d, err := domain.ParseDate(f.RestructureBy)
			if err != nil {
				f.Errors.Add("restructure_by", err.Error())
			}
			p.RestructureBy = d
		}
		req.Pool = &p
	}
	return f, req
}

func (s *Server) updateListing(c echo.Context) error {
	e, err := s.loadEnterprise(c)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	get := func(k string) string { return strings.TrimSpace(vals.Get(k)) }
	f := listing.DetailsForm{Version: get("version"), TargetBoard: get("target_board"), MarketBoard: get("market_board"), MarketOn: get("market_on"),
		Sponsor: get("sponsor"), LawFirm: get("law_firm"), Auditor: get("auditor"), PlannedFilingOn: get("planned_filing_on"), Notes: get("notes"),
		Errors: domain.FieldErrors{}}
	p := domain.ListingPipeline{EnterpriseID: e.ID, TargetBoard: domain.ListingBoard(f.TargetBoard), MarketBoard: domain.ListingBoard(f.MarketBoard),
		Sponsor: f.Sponsor, LawFirm: f.LawFirm, Auditor: f.Auditor, Notes: f.Notes}
	if n, err := strconv.ParseInt(f.Version, 10, 64); err != nil {
		f.Errors.Add("version", "表单缺少版本号，请刷新后重试")
	} else {
		p.Version = n
	}
	date := func(field, s string) domain.Date {
		if s == "" {
			return domain.Date{}
		}
		d, err := domain.ParseDate(s)
		if err != nil {
			f.Errors.Add(field, err.Error())
		}
		return d
	}
	p.PlannedFilingOn = date("planned_filing_on", f.PlannedFilingOn)
	marketOn := date("market_on", f.MarketOn)
	if marketOn.After(s.today()) {
		f.Errors.Add("market_on", "变更日期不能晚于今天")
	}
	for k, msg := range p.ValidateDetails() {
		f.Errors.Add(k, msg)
	}
	if len(f.Errors) == 0 {
		err = s.listing().SaveDetails(c.Request().Context(), s.actor(c), scope(c), &p, marketOn)
	}
	var ie *store.InvalidError
	switch {
	case len(f.Errors) > 0:
	case errors.As(err, &ie):
		for k, msg := range ie.Fields {
			f.Errors.Add(k, msg)
		}
	case errors.Is(err, store.ErrStale):
		f.Errors.Add("version", "保存失败：培育信息已被他人修改，请刷新后再保存。")
		return s.renderPipeline(c, http.StatusConflict, e, nil, &f, "")
	case err != nil:
		return err
	}
	if len(f.Errors) > 0 {
		refusal := ""
		if m := f.Errors["stage"]; m != "" {
			refusal = m
		}
		return s.renderPipeline(c, http.StatusUnprocessableEntity, e, nil, &f, refusal)
	}
	setFlash(c, "ok", "上市培育信息已保存")
	return redirect(c, enterprisePath(e.ID)+"/listing")
}

// --- Roadshows and trainings ---------------------------------------------------------

var crumbActivities = layout.Crumb{Label: "路演与培训", Href: "/listing/activities"}

func (s *Server) listActivities(c echo.Context) error {
	kind := domain.ActivityKind(c.QueryParam("kind"))
	if !kind.Valid() {
		kind = ""
	}
	rows, err := s.listing().Activities(c.Request().Context(), kind, 200)
	if err != nil {
		return err
	}
	v := listing.ActivitiesView{Meta: s.meta(c, "路演与培训", "listing-activities"), Kind: string(kind), CanCreate: cityLevel.allows(currentUser(c).Role)}
	for _, r := range rows {
		v.Rows = append(v.Rows, listing.ActivityRow{Activity: r.ListingActivity, Participants: r.Participants})
	}
	return render(c, http.StatusOK, listing.ActivitiesPage(v))
}

func (s *Server) newActivity(c echo.Context) error {
	return render(c, http.StatusOK, listing.ActivityFormPage(listing.ActivityFormView{
		Meta: s.meta(c, "登记路演或培训", "listing-activities", crumbActivities),
		Form: listing.ActivityForm{Kind: string(domain.ActivityRoadshow), HeldOn: s.today().String(), Errors: domain.FieldErrors{}}}))
}

func (s *Server) createActivity(c echo.Context) error {
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	get := func(k string) string { return strings.TrimSpace(vals.Get(k)) }
	f := listing.ActivityForm{Kind: get("kind"), Title: get("title"), HeldOn: get("held_on"), Chain: get("chain"), Venue: get("venue"),
		Investors: get("investors"), Participants: get("participants"), Notes: get("notes"), Errors: domain.FieldErrors{}}
	a := domain.ListingActivity{Kind: domain.ActivityKind(f.Kind), Title: f.Title, Chain: f.Chain, Venue: f.Venue, Investors: f.Investors, Notes: f.Notes}
	if f.HeldOn != "" {
		d, err := domain.ParseDate(f.HeldOn)
		if err != nil {
			f.Errors.Add("held_on", err.Error())
		}
		a.HeldOn = d
	}
	for k, msg := range a.Validate() {
		f.Errors.Add(k, msg)
	}
	ctx := c.Request().Context()
	var ids []int64
	var unknown []string
	for _, line := range strings.FieldsFunc(f.Participants, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == '，' || r == ' ' }) {
		code := domain.NormalizeUSCC(line)
		if code == "" {
			continue
		}
		e, err := s.enterprises.GetByUSCC(ctx, domain.USCC(code))
		switch {
		case errors.Is(err, store.ErrNotFound):
			unknown = append(unknown, code)
		case err != nil:
			return err
		default:
			ids = append(ids, e.ID)
		}
	}
	if len(unknown) > 0 {
		f.Errors.Add("participants", "未找到以下统一社会信用代码对应的企业："+strings.Join(unknown, "、"))
	}
	if len(f.Errors) > 0 {
		return render(c, http.StatusUnprocessableEntity, listing.ActivityFormPage(listing.ActivityFormView{
			Meta: s.meta(c, "登记路演或培训", "listing-activities", crumbActivities), Form: f}))
	}
	if err := s.listing().CreateActivity(ctx, s.actor(c), &a, ids); err != nil {
		return err
	}
	setFlash(c, "ok", "已登记："+a.Title)
	return redirect(c, fmt.Sprintf("/listing/activities/%d", a.ID))
}

func (s *Server) showActivity(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("aid"), 10, 64)
	if err != nil || id <= 0 {
		return store.ErrNotFound
	}
	a, ps, err := s.listing().Activity(c.Request().Context(), scope(c), id)
	if err != nil {
		return err
	}
	v := listing.ActivityView{Meta: s.meta(c, a.Title, "listing-activities", crumbActivities), Activity: a}
	for _, p := range ps {
		v.Participants = append(v.Participants, listing.Participant{EnterpriseID: p.EnterpriseID, Name: p.Name, USCC: p.USCC,
			District: p.DistrictCode, Stage: domain.ListingStage(p.Stage)})
	}
	return render(c, http.StatusOK, listing.ActivityPage(v))
}
