package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/forms"
	"zjtx/internal/store"
	"zjtx/templates/layout"
	"zjtx/templates/pages/enterprises"
)

var crumbEnterprises = layout.Crumb{Label: "企业名录", Href: "/enterprises"}

// listFilter reads the list query; unknown values are dropped rather than erroring,
// since they come from links and bookmarks.
func listFilter(c echo.Context) (enterprises.ListFilter, store.EnterpriseFilter) {
	q := c.QueryParams()
	vf := enterprises.ListFilter{Q: strings.TrimSpace(q.Get("q")), Desc: q.Get("desc") == "1"}
	sf := store.EnterpriseFilter{Scope: scope(c), Query: vf.Q, Desc: vf.Desc, PerPage: 50}
	if d := q.Get("district"); domain.IsDistrict(d) {
		vf.District, sf.District = d, d
	}
	if t := domain.Tier(q.Get("tier")); t.Valid() {
		vf.Tier, sf.Tier = string(t), t
	}
	if g := domain.IndustryGroup(q.Get("group")); g.Valid() {
		vf.Group, sf.Group = string(g), g
	}
	if l := domain.Label(q.Get("label")); l.Valid() {
		vf.Label, sf.Label = string(l), l
	}
	for _, sz := range domain.SizeClasses {
		if q.Get("size") == string(sz) {
			vf.Size, sf.Size = string(sz), sz
		}
	}
	switch s := store.EnterpriseSort(q.Get("sort")); s {
	case store.SortName, store.SortUpdated, store.SortFounded:
		vf.Sort, sf.Sort = string(s), s
	}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 0 {
		sf.Page = p
	}
	sf.Drill, vf.Drill, vf.DrillLabel = enterpriseDrill(q)
	return vf, sf
}

func (s *Server) listEnterprises(c echo.Context) error {
	vf, sf := listFilter(c)
	page, err := s.enterprises.List(c.Request().Context(), sf)
	if err != nil {
		return err
	}
	v := enterprises.ListView{
		Meta: s.meta(c, "企业名录", "enterprises"), Filter: vf, Items: page.Items,
		Total: page.Total, Page: page.Page, Pages: page.Pages(), CanCreate: staff.allows(currentUser(c).Role),
	}
	if isHTMX(c, "results") {
		return render(c, http.StatusOK, enterprises.Results(v))
	}
	return render(c, http.StatusOK, enterprises.ListPage(v))
}

// enterpriseID parses :id; anything but a positive integer is simply not found.
func enterpriseID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, store.ErrNotFound
	}
	return id, nil
}

func (s *Server) showEnterprise(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	return s.renderEnterprise(c, http.StatusOK, id, enterprises.EligibilityView{})
}

// renderEnterprise renders the enterprise page; ev carries an action's form state
// (typed values, errors, a refusal) when a tier action is re-rendered.
func (s *Server) renderEnterprise(c echo.Context, status int, id int64, ev enterprises.EligibilityView) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	// One read brings the record, the tier history and which other histories hold rows;
	// the empty ones (most enterprises have no decisions, audit rows or pipeline) are not read.
	a, err := s.tiers.AssessPage(ctx, scope(c), id, s.today(), store.RecordReads{TierEvents: true, Grants: true, Histories: true})
	if err != nil {
		return err
	}
	e, years, events := a.Record.Enterprise, a.Record.Years, a.TierEvents
	var history []store.AuditEntry
	if a.Has.Audit {
		if history, err = s.audit.Recent(ctx, id, 20); err != nil {
			return err
		}
	}
	ev.Verdict, ev.Next = a.Verdict, e.Tier.Next()
	if a.Has.Decisions {
		if ev.Decisions, err = s.decisions.ForEnterprise(ctx, id); err != nil {
			return err
		}
	}
	if a.Has.Applications {
		if apps, err := s.decisions.ApplicationsFor(ctx, id); err != nil {
			return err
		} else if len(apps) > 0 && apps[0].Status.Open() {
			ev.Open = &apps[0]
		}
	}
	ev.Can = tierActions(u, e, ev.Open)
	if ev.Errors == nil {
		ev.Errors = domain.FieldErrors{}
	}
	v := enterprises.DetailView{
		Meta:       s.meta(c, e.Name, "enterprises", crumbEnterprises),
		Enterprise: e, Years: enterprises.YearRows(years), TierEvents: events,
		CanEdit: staff.allows(u.Role), History: auditRows(history), Eligibility: ev,
	}
	if len(years) > 0 {
		v.SizeYear = years[len(years)-1].Year
	}
	if v.Service, err = s.servicePanel(c, e); err != nil {
		return err
	}
	if v.Listing, err = s.listingSection(ctx, u, e, years, recordedFacts(a.Record.Facts), listingHas(a.Has)); err != nil {
		return err
	}
	if v.Benefits, err = s.enterpriseBenefits(c, a.Record, events, false, a.Has.Grants); err != nil {
		return err
	}
	if chk, err := domain.ParseUSCC(string(e.USCC)); err == nil {
		v.USCCWarning = chk.Warning
	}
	return render(c, status, enterprises.DetailPage(v))
}

func (s *Server) newEnterprise(c echo.Context) error {
	return s.renderEnterpriseForm(c, http.StatusOK, forms.Enterprise{Errors: forms.Errors{}}, 0)
}

func (s *Server) renderEnterpriseForm(c echo.Context, status int, f forms.Enterprise, id int64) error {
	v := enterprises.FormView{Form: f, IsNew: id == 0, Action: "/enterprises", Cancel: "/enterprises"}
	if id == 0 {
		v.Meta = s.meta(c, "新增企业", "enterprise-new", crumbEnterprises)
	} else {
		v.Action = fmt.Sprintf("/enterprises/%d", id)
		v.Cancel = v.Action
		v.Meta = s.meta(c, "编辑企业资料", "enterprises", crumbEnterprises, layout.Crumb{Label: f.Name, Href: v.Action})
	}
	return render(c, status, enterprises.FormPage(v))
}

func (s *Server) createEnterprise(c echo.Context) error {
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	f := forms.EnterpriseFromValues(vals)
	f.Version = ""
	var e domain.Enterprise
	ok := f.Apply(&e, s.today())
	checkOwnDistrict(c, &f)
	if !ok || len(f.Errors) > 0 {
		return s.renderEnterpriseForm(c, http.StatusUnprocessableEntity, f, 0)
	}
	if err := s.enterprises.Create(c.Request().Context(), s.actor(c), &e); err != nil {
		if errors.Is(err, store.ErrConflict) {
			f.Errors.Add("uscc", "该统一社会信用代码已登记，请勿重复录入")
			return s.renderEnterpriseForm(c, http.StatusUnprocessableEntity, f, 0)
		}
		return err
	}
	setFlash(c, "ok", "已登记企业："+e.Name)
	return redirect(c, fmt.Sprintf("/enterprises/%d", e.ID))
}

func (s *Server) editEnterprise(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	e, err := s.enterprises.Get(c.Request().Context(), scope(c), id)
	if err != nil {
		return err
	}
	return s.renderEnterpriseForm(c, http.StatusOK, forms.EnterpriseFromDomain(e), id)
}

func (s *Server) updateEnterprise(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	current, err := s.enterprises.Get(ctx, scope(c), id)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	f := forms.EnterpriseFromValues(vals)
	if f.Version == "" {
		f.Errors.Add("version", "表单缺少版本号，请刷新后重试")
	}
	e := current // keeps tier, size and the other fields the form does not carry
	ok := f.Apply(&e, s.today())
	checkOwnDistrict(c, &f)
	if !ok || len(f.Errors) > 0 {
		return s.renderEnterpriseForm(c, http.StatusUnprocessableEntity, f, id)
	}
	switch err := s.enterprises.Update(ctx, s.actor(c), &e); {
	case errors.Is(err, store.ErrConflict):
		f.Errors.Add("uscc", "该统一社会信用代码已被其他企业使用")
		return s.renderEnterpriseForm(c, http.StatusUnprocessableEntity, f, id)
	case errors.Is(err, store.ErrStale):
		// Someone saved in between: show what they changed, offer the new version.
		latest, gerr := s.enterprises.Get(ctx, scope(c), id)
		if gerr != nil {
			return gerr
		}
		f.Errors.Add("version", "保存失败：该企业资料已被他人修改。"+describeChanges(forms.EnterpriseFromDomain(latest), f)+"请核对后再次保存。")
		f.Version = strconv.FormatInt(latest.Version, 10)
		return s.renderEnterpriseForm(c, http.StatusConflict, f, id)
	case err != nil:
		return err
	}
	setFlash(c, "ok", "企业资料已保存")
	return redirect(c, fmt.Sprintf("/enterprises/%d", id))
}

// describeChanges names the fields where the stored profile differs from what was submitted.
func describeChanges(stored, submitted forms.Enterprise) string {
	type pair struct{ label, a, b string }
	pairs := []pair{
		{"企业名称", stored.Name, submitted.Name}, {"统一社会信用代码", stored.USCC, submitted.USCC},
		{"所在区", domain.DistrictName(stored.District), domain.DistrictName(submitted.District)},
		{"注册地址", stored.Address, submitted.Address}, {"成立日期", stored.FoundedOn, submitted.FoundedOn},
		{"国民经济行业代码", stored.IndustryCode, submitted.IndustryCode}, {"主导产品", stored.MainProduct, submitted.MainProduct},
		{"细分市场", stored.NicheMarket, submitted.NicheMarket}, {"进入细分市场日期", stored.NicheSince, submitted.NicheSince},
		{"联系人", stored.ContactPerson, submitted.ContactPerson}, {"联系电话", stored.ContactPhone, submitted.ContactPhone},
	}
	var diffs []string
	for _, p := range pairs {
		if p.a != p.b {
			diffs = append(diffs, fmt.Sprintf("%s 现为“%s”", p.label, p.a))
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return "当前值：" + strings.Join(diffs, "；") + "。"
}

// checkOwnDistrict keeps a district officer's enterprises in their district.
func checkOwnDistrict(c echo.Context, f *forms.Enterprise) {
	if u := currentUser(c); u.Role == domain.RoleDistrict && f.District != u.DistrictCode {
		f.Errors.Add("district", "只能登记或修改本区（"+domain.DistrictName(u.DistrictCode)+"）的企业")
	}
}

func enterprisePath(id int64) string { return fmt.Sprintf("/enterprises/%d", id) }
