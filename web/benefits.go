package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
	rules "zjtx/internal/domain/benefits"
	"zjtx/internal/store"
	"zjtx/internal/tiers"
	"zjtx/templates/layout"
	bpages "zjtx/templates/pages/benefits"
)

// benefitStores keeps one benefit store per database, so the parameter cache lives as long
// as the server (the Server struct is shared with other features; this keeps the change local).
var benefitStores sync.Map // *store.DB → *store.Benefits

func (s *Server) benefits() *store.Benefits {
	if b, ok := benefitStores.Load(s.db); ok {
		return b.(*store.Benefits)
	}
	b, _ := benefitStores.LoadOrStore(s.db, store.NewBenefits(s.db))
	return b.(*store.Benefits)
}

// firstBenefitYear is the first award year the measures (in force 2025-04-03) can pay.
const firstBenefitYear = 2025

// benefitYear reads an award year from the query, defaulting to last year: a year's figures
// (产值, 营收) are final in the next, and that is when its awards are matched and paid.
func (s *Server) benefitYear(raw string) int {
	today := s.today()
	if y, err := strconv.Atoi(raw); err == nil && y >= firstBenefitYear && y <= today.Year() {
		return y
	}
	return max(firstBenefitYear, today.Year()-1)
}

func (s *Server) benefitYears() []int {
	var ys []int
	for y := s.today().Year(); y >= firstBenefitYear; y-- {
		ys = append(ys, y)
	}
	return ys
}

// enterpriseBenefits matches every benefit for one loaded enterprise, explained.
// hasGrants false skips reading grants the caller knows there are none of.
func (s *Server) enterpriseBenefits(c echo.Context, r tiers.Record, events []domain.TierEvent, full, hasGrants bool) (bpages.SectionView, error) {
	ctx := c.Request().Context()
	year := s.benefitYear(c.QueryParam("benefit_year"))
	ps, err := s.benefits().Parameters(ctx)
	if err != nil {
		return bpages.SectionView{}, err
	}
	var grants []rules.Grant
	if hasGrants {
		if grants, err = s.benefits().Grants(ctx, r.Enterprise.ID); err != nil {
			return bpages.SectionView{}, err
		}
	}
	asOf := rules.EvalDate(year, s.today())
	snap := ps.At(asOf)
	in := store.InputOf(r.Enterprise, r.Years, r.Facts, events, grants)
	u := currentUser(c)
	v := bpages.SectionView{EnterpriseID: r.Enterprise.ID, Year: year, AsOf: asOf, Grants: grants, ParamsVersion: snap.Version(),
		Full: full, CanGrant: staff.allows(u.Role), CanCalc: staff.allows(u.Role) || u.Role == domain.RoleEnterprise,
		BasePath: enterprisePath(r.Enterprise.ID)}
	if full {
		v.BasePath += "/benefits"
	}
	v.YearChoices = s.benefitYears()
	for _, res := range snap.Match(&in, year, asOf, true, nil) {
		switch res.Outcome {
		case rules.Matched:
			v.Matched = append(v.Matched, res)
		case rules.Near:
			v.Near = append(v.Near, res)
		default:
			v.Others = append(v.Others, res)
		}
	}
	return v, nil
}

// showEnterpriseBenefits is an enterprise's matches, near matches, other benefits and grants.
func (s *Server) showEnterpriseBenefits(c echo.Context) error {
	return s.renderEnterpriseBenefits(c, http.StatusOK, bpages.GrantForm{Errors: domain.FieldErrors{}})
}

func (s *Server) renderEnterpriseBenefits(c echo.Context, status int, f bpages.GrantForm) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := s.tiers.Assess(ctx, scope(c), id, s.today(), false)
	if err != nil {
		return err
	}
	events, err := s.enterprises.TierEvents(ctx, id)
	if err != nil {
		return err
	}
	sec, err := s.enterpriseBenefits(c, a.Record, events, true, true)
	if err != nil {
		return err
	}
	e := a.Record.Enterprise
	if f.Year == "" {
		f.Year = strconv.Itoa(sec.Year)
	}
	v := bpages.EnterprisePageView{Meta: s.meta(c, e.Name+" · 政策匹配", "benefits-mine", crumbEnterprises,
		layout.Crumb{Label: e.Name, Href: enterprisePath(e.ID)}), Enterprise: e, Section: sec, Form: f}
	for _, r := range rules.Rules() {
		if r.Grantable {
			v.Grantable = append(v.Grantable, r)
		}
	}
	return render(c, status, bpages.EnterprisePage(v))
}

// createGrant records a matched benefit as confirmed or paid (staff; audited in the store).
func (s *Server) createGrant(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := bpages.GrantForm{Benefit: strings.TrimSpace(c.FormValue("benefit")), Year: strings.TrimSpace(c.FormValue("year")),
		Status: strings.TrimSpace(c.FormValue("status")), Amount: strings.TrimSpace(c.FormValue("amount")),
		On: strings.TrimSpace(c.FormValue("on")), Note: c.FormValue("note"), Version: strings.TrimSpace(c.FormValue("version")),
		Errors: domain.FieldErrors{}}
	a, err := s.tiers.Assess(ctx, scope(c), id, s.today(), false)
	if err != nil {
		return err
	}
	g := rules.Grant{EnterpriseID: id, BenefitID: f.Benefit, Status: rules.GrantStatus(f.Status), Note: f.Note}
	if y, err := strconv.Atoi(f.Year); err == nil {
		g.Year = y
	} else {
		f.Errors.Add("year", "请填写奖励年度，如 2025")
	}
	if f.Amount != "" {
		if m, err := domain.ParseWan(f.Amount); err != nil {
			f.Errors.Add("amount", err.Error())
		} else {
			g.Amount = m
		}
	}
	if f.On != "" {
		if d, err := domain.ParseDate(f.On); err != nil {
			f.Errors.Add("on", err.Error())
		} else {
			g.On = d
		}
	}
	if f.Version != "" {
		g.Version, _ = strconv.ParseInt(f.Version, 10, 64)
	}
	ps, err := s.benefits().Parameters(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	asOf := rules.EvalDate(max(g.Year, 1900), today)
	snap := ps.At(asOf)
	var matched domain.Money
	if _, ok := rules.RuleByID(g.BenefitID); ok && g.Year >= firstBenefitYear && g.Year <= today.Year() {
		// Only a benefit the enterprise matches in that year can be granted.
		events, err := s.enterprises.TierEvents(ctx, id)
		if err != nil {
			return err
		}
		grants, err := s.benefits().Grants(ctx, id)
		if err != nil {
			return err
		}
		in := store.InputOf(a.Record.Enterprise, a.Record.Years, a.Record.Facts, events, grants)
		res, _ := snap.MatchOne(&in, g.BenefitID, g.Year, asOf, true)
		if res.Outcome != rules.Matched {
			var why []string
			for _, c := range res.Gaps() {
				why = append(why, c.Message)
			}
			f.Errors.Add("benefit", "该企业 "+f.Year+" 年度不符合此政策："+strings.Join(why, "；"))
		} else if res.AmountKnown {
			matched = res.Amount
		}
	}
	for k, msg := range g.Validate(snap, today, matched) {
		f.Errors.Add(k, msg)
	}
	if len(f.Errors) == 0 {
		err := s.benefits().RecordGrant(ctx, s.actor(c), scope(c), &g)
		if fe, ok := store.IsGrantInvalid(err); ok {
			for k, msg := range fe {
				f.Errors.Add(k, msg)
			}
		} else if errors.Is(err, store.ErrStale) || errors.Is(err, store.ErrConflict) {
			f.Errors.Add("version", "保存失败：该兑现记录已被他人修改，请核对后再次提交")
			f.Version = ""
			return s.renderEnterpriseBenefits(c, http.StatusConflict, f)
		} else if err != nil {
			return err
		}
	}
	if len(f.Errors) > 0 {
		return s.renderEnterpriseBenefits(c, http.StatusUnprocessableEntity, f)
	}
	r, _ := rules.RuleByID(g.BenefitID)
	setFlash(c, "ok", "已登记："+r.Name+"（"+f.Year+" 年度）"+g.Status.Label()+" "+g.Amount.FormatWan()+" 万元")
	return redirect(c, enterprisePath(id)+"/benefits?benefit_year="+f.Year)
}

// benefitListMax bounds the rows a list page shows; the CSV has them all.
const benefitListMax = 1000

// benefitList matches one benefit for one award year over the enterprises the user may see.
func (s *Server) benefitList(c echo.Context, limit int) (bpages.ListView, error) {
	ctx := c.Request().Context()
	q := c.QueryParams()
	v := bpages.ListView{Rules: rules.Rules(), Districts: domain.Districts, Years: s.benefitYears(), Year: s.benefitYear(q.Get("year"))}
	v.Rule = v.Rules[0]
	if r, ok := rules.RuleByID(q.Get("benefit")); ok {
		v.Rule = r
	}
	if d := q.Get("district"); domain.IsDistrict(d) {
		v.District = d
	}
	ps, err := s.benefits().Parameters(ctx)
	if err != nil {
		return v, err
	}
	v.AsOf = rules.EvalDate(v.Year, s.today())
	snap := ps.At(v.AsOf)
	v.Window = snap.Window(v.Rule.ID)
	v.Active = v.Window.Contains(v.AsOf)
	if !v.Active {
		return v, nil
	}
	totals := rules.NewTotals()
	err = s.benefits().Scan(ctx, store.CandidateFilter{Scope: scope(c), District: v.District}, snap.NeedFor([]string{v.Rule.ID}, v.Year), v.Year,
		func(ins []rules.Input) error {
			for i := range ins {
				in := &ins[i]
				v.Scanned++
				r, _ := snap.MatchOne(in, v.Rule.ID, v.Year, v.AsOf, false)
				if r.Outcome != rules.Matched {
					continue
				}
				totals.Add(in.District, &r)
				if limit > 0 && len(v.Rows) >= limit {
					v.Truncated = true
					continue
				}
				row := bpages.ListRow{EnterpriseID: in.EnterpriseID, USCC: in.USCC, Name: in.Name, District: in.District, Grant: r.Grant}
				if r.AmountKnown {
					row.Amount = r.Amount.FormatWan()
				}
				v.Rows = append(v.Rows, row)
			}
			return nil
		})
	v.City, v.Totals = totals.City(v.Rule.ID), totals.Districts(v.Rule.ID)
	return v, err
}

// listBenefits is /benefits: for a benefit and an award year, every matching enterprise with
// its capped amount, filterable by district, with per-district totals.
func (s *Server) listBenefits(c echo.Context) error {
	v, err := s.benefitList(c, benefitListMax)
	if err != nil {
		return err
	}
	v.Meta = s.meta(c, "免申即享名单", "benefits")
	return render(c, http.StatusOK, bpages.ListPage(v))
}

// exportBenefits downloads the list as CSV: UTF-8 with BOM (Excel opens it as UTF-8),
// Chinese headers, amounts in 万元.
func (s *Server) exportBenefits(c echo.Context) error {
	v, err := s.benefitList(c, 0)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	format := exportFormat(c)
	w, err := dataio.NewWriter(&buf, format, []string{"统一社会信用代码", "企业名称", "所在区", "政策编号", "政策名称", "奖励年度", "核定上限（万元）", "兑现状态", "兑现金额（万元）", "兑现日期"})
	if err != nil {
		return err
	}
	for _, r := range v.Rows {
		rec := []any{r.USCC, r.Name, domain.DistrictName(r.District), v.Rule.ID, v.Rule.Name, strconv.Itoa(v.Year), r.Amount, "", "", ""}
		if r.Grant != nil {
			rec[7], rec[8], rec[9] = r.Grant.Status.Label(), r.Grant.Amount.FormatWan(), r.Grant.On.String()
		}
		if err := w.Row(rec); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	name := v.Rule.ID + "-" + strconv.Itoa(v.Year)
	if v.District != "" {
		name += "-" + v.District
	}
	setDownload(c, format, "benefits-"+name)
	return c.Blob(http.StatusOK, c.Response().Header().Get(echo.HeaderContentType), buf.Bytes())
}

// calcEnterprise is the enterprise a calculation is for: an enterprise user's own, or the one
// staff chose (in their scope); nil for none.
func (s *Server) calcEnterprise(c echo.Context, raw string) (*domain.Enterprise, error) {
	u := currentUser(c)
	var id int64
	if u.Role == domain.RoleEnterprise {
		if u.EnterpriseID == nil {
			return nil, nil
		}
		id = *u.EnterpriseID
	} else if n, err := strconv.ParseInt(raw, 10, 64); err == nil && n > 0 {
		id = n
	} else {
		return nil, nil
	}
	e, err := s.enterprises.Get(c.Request().Context(), scope(c), id)
	if err != nil {
		return nil, err
	}
	return &e, nil
}

func (s *Server) calcView(c echo.Context, f bpages.CalcForm, ent string) (bpages.CalcView, error) {
	v := bpages.CalcView{Meta: s.meta(c, "补贴测算", "benefits-calc"), Form: f, AsOf: s.today()}
	for _, id := range rules.Calculators {
		r, _ := rules.RuleByID(id)
		v.Options = append(v.Options, r)
	}
	e, err := s.calcEnterprise(c, ent)
	v.Enterprise = e
	return v, err
}

// showCalculator is the project calculator (staff, and an enterprise for itself).
func (s *Server) showCalculator(c echo.Context) error {
	f := bpages.CalcForm{Benefit: c.QueryParam("benefit"), Errors: domain.FieldErrors{}}
	v, err := s.calcView(c, f, c.QueryParam("enterprise"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, bpages.CalcPage(v))
}

// runCalculator computes the capped support; nothing is stored.
func (s *Server) runCalculator(c echo.Context) error {
	ctx := c.Request().Context()
	f := bpages.CalcForm{Benefit: strings.TrimSpace(c.FormValue("benefit")), Amount: strings.TrimSpace(c.FormValue("amount")),
		Existing: strings.TrimSpace(c.FormValue("existing")), Special: c.FormValue("special"), Errors: domain.FieldErrors{}}
	v, err := s.calcView(c, f, c.FormValue("enterprise"))
	if err != nil {
		return err
	}
	in := rules.CalcInput{BenefitID: f.Benefit, Special: f.Special == "1"}
	if f.Amount != "" {
		if m, err := domain.ParseWan(f.Amount); err != nil {
			v.Form.Errors.Add("amount", err.Error())
		} else {
			in.Amount = m
		}
	}
	if f.Existing != "" {
		if m, err := domain.ParseWan(f.Existing); err != nil {
			v.Form.Errors.Add("existing", err.Error())
		} else {
			in.Existing = m
		}
	}
	ps, err := s.benefits().Parameters(ctx)
	if err != nil {
		return err
	}
	snap := ps.At(v.AsOf)
	res, fe := snap.Calculate(in)
	for k, msg := range fe {
		v.Form.Errors.Add(k, msg)
	}
	if len(v.Form.Errors) > 0 {
		return render(c, http.StatusUnprocessableEntity, bpages.CalcPage(v))
	}
	v.Result = &res
	if v.Enterprise != nil {
		in := store.InputOf(*v.Enterprise, nil, domain.EnterpriseFacts{}, nil, nil)
		t, _ := snap.MatchOne(&in, f.Benefit, v.AsOf.Year(), v.AsOf, true)
		v.Title = &t
	}
	return render(c, http.StatusOK, bpages.CalcPage(v))
}

// listBenefitParams shows every benefit parameter with its marks and dated values.
func (s *Server) listBenefitParams(c echo.Context) error {
	return s.renderBenefitParams(c, http.StatusOK, bpages.ParamForm{Key: c.QueryParam("key"), Errors: domain.FieldErrors{}})
}

func (s *Server) renderBenefitParams(c echo.Context, status int, f bpages.ParamForm) error {
	ctx := c.Request().Context()
	ps, err := s.benefits().Parameters(ctx)
	if err != nil {
		return err
	}
	ovs, err := s.benefits().Overrides(ctx)
	if err != nil {
		return err
	}
	v := bpages.ParamsView{Meta: s.meta(c, "政策匹配参数", "benefit-params"), Form: f}
	for _, p := range ps.List() {
		if p.Unconfirmed {
			v.Unconfirmed++
		}
		v.Rows = append(v.Rows, bpages.ParamRow{Param: p, Current: currentValue(p, s.today())})
	}
	for i := len(ovs) - 1; i >= 0; i-- {
		o := ovs[i]
		v.Overrides = append(v.Overrides, bpages.OverrideRow{Key: o.Key, EffectiveFrom: o.EffectiveFrom.String(), Value: o.Value, Reason: o.Reason, CreatedBy: o.CreatedBy})
	}
	return render(c, status, bpages.ParamsPage(v))
}

// createBenefitParam records an administrator's override of a benefit parameter.
func (s *Server) createBenefitParam(c echo.Context) error {
	in, o := overrideInput(c, func(k string) bool { _, ok := rules.DefaultParameters().Lookup(k); return ok }, `"2026-12-31"`)
	f := bpages.ParamForm{Key: in.Key, EffectiveFrom: in.EffectiveFrom, Value: in.Value, Reason: in.Reason, Errors: in.Errors}
	if len(f.Errors) == 0 {
		err := s.benefits().AddOverride(c.Request().Context(), s.actor(c), &o)
		if fe, ok := store.IsGrantInvalid(err); ok {
			for k, msg := range fe {
				f.Errors.Add(k, msg)
			}
		} else if err != nil {
			return err
		}
	}
	if len(f.Errors) > 0 {
		return s.renderBenefitParams(c, http.StatusUnprocessableEntity, f)
	}
	setFlash(c, "ok", "已更正政策匹配参数 "+o.Key+"：自 "+o.EffectiveFrom.String()+" 起取值 "+o.Value)
	return redirect(c, "/admin/benefit-parameters")
}
