package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/forms"
	"zjtx/internal/store"
	"zjtx/internal/tiers"
	"zjtx/templates/pages/portal"
)

// The enterprise portal: an enterprise account sees its registry data and proposes
// changes as update requests; only the fields the policy marks direct change at once.

var enterpriseOnly = roles(domain.RoleEnterprise)

// evidenceReaders may download evidence files (row scope decides which).
var evidenceReaders = roles(domain.RoleAdmin, domain.RoleCity, domain.RoleDistrict, domain.RoleEnterprise)

// ownEnterprise is the enterprise an enterprise account acts for; never taken from the request.
func ownEnterprise(c echo.Context) (int64, error) {
	u := currentUser(c)
	if u == nil || u.EnterpriseID == nil {
		return 0, echo.NewHTTPError(http.StatusForbidden, "该账户未绑定企业")
	}
	return *u.EnterpriseID, nil
}

func (s *Server) requests() *store.Requests { return store.NewRequests(s.db) }

func (s *Server) portalHome(c echo.Context) error {
	return s.renderPortalHome(c, http.StatusOK, nil, nil)
}

// renderPortalHome renders the portal; typed and errs carry a failed direct edit.
func (s *Server) renderPortalHome(c echo.Context, status int, typed map[string]string, errs domain.FieldErrors) error {
	id, err := ownEnterprise(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	today := s.today()
	// The tier history comes with the record (the benefits read it); grants and requests
	// are read only when the enterprise has any.
	a, err := s.tiers.AssessPage(ctx, scope(c), id, today, store.RecordReads{TierEvents: true, Grants: true, Requests: true})
	if err != nil {
		return err
	}
	e := a.Record.Enterprise
	rs := s.requests()
	policy, err := rs.Policy(ctx)
	if err != nil {
		return err
	}
	v := portal.HomeView{
		Meta: s.meta(c, "企业首页", "portal"), Enterprise: e, Verdict: a.Verdict, Next: e.Tier.Next(),
		Annual: tiers.AnnualUpdate(a.Record, today), Version: strconv.FormatInt(e.Version, 10), DirectErrors: errs,
	}
	if v.DirectErrors == nil {
		v.DirectErrors = domain.FieldErrors{}
	}
	for i := len(a.Record.Years) - 1; i >= 0; i-- {
		v.Years = append(v.Years, a.Record.Years[i])
	}
	if sp, err := rs.Specialist(ctx, id); err != nil {
		return err
	} else if sp != nil {
		v.Specialist = &portal.Contact{Name: sp.Name, Phone: sp.Phone}
	}
	ds, err := rs.Demands(ctx, id)
	if err != nil {
		return err
	}
	for _, d := range ds {
		label := d.Status
		if st := domain.DemandStatus(d.Status); st.Valid() {
			label = st.Label()
		}
		cat := d.Category
		if dc := domain.DemandCategory(d.Category); dc.Valid() {
			cat = dc.Label()
		}
		v.Demands = append(v.Demands, portal.Demand{Category: cat, Description: d.Description, Status: label,
			RaisedOn: d.RaisedOn.String(), DueOn: d.DueOn.String()})
	}
	if a.Has.Requests {
		rows, err := rs.Recent(ctx, store.RequestFilter{Scope: scope(c), EnterpriseID: id, PerPage: 5})
		if err != nil {
			return err
		}
		v.Requests = requestRows(rows, false)
	}
	v.Policy = policyRows(policy, policy)
	for _, f := range domain.ProfileFields {
		if policy.Direct(f.Key) {
			val := domain.ProfileValue(e, f.Key)
			if t, ok := typed[f.Key]; ok {
				val = t
			}
			v.Direct = append(v.Direct, portal.DirectField{Key: f.Key, Label: f.Label, Value: val})
		}
	}
	if v.Benefits, err = s.enterpriseBenefits(c, a.Record, a.TierEvents, false, a.Has.Grants); err != nil {
		return err
	}
	v.Benefits.BasePath = "/portal"
	return render(c, status, portal.HomePage(v))
}

// policyRows shows p's boxes; stored is the policy the save will be checked against.
func policyRows(p, stored domain.FieldPolicy) []portal.PolicyRow {
	var rows []portal.PolicyRow
	for _, f := range domain.ProfileFields {
		rows = append(rows, portal.PolicyRow{Key: f.Key, Label: f.Label, Direct: p.Direct(f.Key), Was: stored.Direct(f.Key), Capable: f.DirectCapable})
	}
	for _, f := range domain.YearFields {
		rows = append(rows, portal.PolicyRow{Key: domain.YearKeyPrefix + f.Key, Label: "年度数据：" + f.Label})
	}
	return rows
}

func requestRows(rows []store.RequestRow, staffView bool) []portal.RequestRow {
	out := make([]portal.RequestRow, len(rows))
	for i, r := range rows {
		href := fmt.Sprintf("/portal/requests/%d", r.ID)
		if staffView {
			href = fmt.Sprintf("/review/%d", r.ID)
		}
		row := portal.RequestRow{ID: r.ID, EnterpriseName: r.EnterpriseName, USCC: r.USCC, District: r.DistrictCode,
			Status: r.Status, Year: portal.YearLabel(r.Year), Items: r.ItemCount, Reason: r.Reason, Href: href}
		if r.SubmittedAt != nil {
			row.SubmittedAt = r.SubmittedAt.In(shanghai).Format("2006-01-02 15:04")
		}
		out[i] = row
	}
	return out
}

// updateContact saves the fields the policy lets an enterprise change directly.
func (s *Server) updateContact(c echo.Context) error {
	id, err := ownEnterprise(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	policy, err := s.requests().Policy(ctx)
	if err != nil {
		return err
	}
	e, err := s.enterprises.Get(ctx, scope(c), id)
	if err != nil {
		return err
	}
	errs := domain.FieldErrors{}
	typed := map[string]string{}
	ver, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		errs.Add("version", "表单缺少版本号，请刷新后重试")
	}
	for _, f := range domain.ProfileFields {
		if !policy.Direct(f.Key) {
			continue
		}
		typed[f.Key] = c.FormValue(f.Key)
		if err := domain.SetProfileValue(&e, f.Key, typed[f.Key]); err != nil {
			errs.Add(f.Key, "格式有误")
		}
	}
	for k, m := range e.Validate(s.today()) {
		if _, ok := typed[k]; ok {
			errs.Add(k, m)
		}
	}
	if len(errs) > 0 {
		return s.renderPortalHome(c, http.StatusUnprocessableEntity, typed, errs)
	}
	e.Version = ver
	switch err := s.enterprises.Update(ctx, s.actor(c), &e); {
	case errors.Is(err, store.ErrStale):
		errs.Add("version", "保存失败：企业资料已被他人修改，请刷新后重试")
		return s.renderPortalHome(c, http.StatusConflict, typed, errs)
	case err != nil:
		return err
	}
	setFlash(c, "ok", "联系信息已保存")
	return redirect(c, "/portal")
}

func (s *Server) listOwnRequests(c echo.Context) error {
	id, err := ownEnterprise(c)
	if err != nil {
		return err
	}
	rows, total, err := s.requests().List(c.Request().Context(), store.RequestFilter{Scope: scope(c), EnterpriseID: id, PerPage: 200})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, portal.ListPage(portal.ListView{Meta: s.meta(c, "变更申请", "requests"), Rows: requestRows(rows, false), Total: total}))
}

// reviewFields are the profile fields that go through review under the policy.
func reviewFields(p domain.FieldPolicy) ([]domain.PortalField, []string) {
	var fs []domain.PortalField
	var keys []string
	for _, f := range domain.ProfileFields {
		if !p.Direct(f.Key) {
			fs = append(fs, f)
			keys = append(keys, f.Key)
		}
	}
	return fs, keys
}

func (s *Server) renderRequestForm(c echo.Context, status int, e domain.Enterprise, v portal.FormView) error {
	policy, err := s.requests().Policy(c.Request().Context())
	if err != nil {
		return err
	}
	v.Fields, _ = reviewFields(policy)
	v.Enterprise = e
	if v.Errors == nil {
		v.Errors = domain.FieldErrors{}
	}
	title := "新建变更申请"
	if v.Action != "/portal/requests" {
		title = "修改变更申请"
	}
	v.Meta = s.meta(c, title, "requests")
	return render(c, status, portal.FormPage(v))
}

// newRequest shows the form filled with the registry's data; ?year=Y picks a year of figures.
func (s *Server) newRequest(c echo.Context) error {
	id, err := ownEnterprise(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	e, err := s.enterprises.Get(ctx, scope(c), id)
	if err != nil {
		return err
	}
	yf := forms.Year{Values: map[string]string{}, Errors: forms.Errors{}}
	if y, err := strconv.Atoi(c.QueryParam("year")); err == nil && y > 1900 && y <= s.today().Year() {
		if stored, err := s.enterprises.Year(ctx, id, y); err == nil {
			yf = forms.YearFromDomain(stored)
			yf.Version = ""
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		yf.Year = strconv.Itoa(y)
	}
	return s.renderRequestForm(c, http.StatusOK, e, portal.FormView{Profile: forms.EnterpriseFromDomain(e), Year: yf, Action: "/portal/requests"})
}

// readProposal parses the request form over the registry's data: the profile fields under
// review (direct fields and the USCC keep their registry values) and, when a year is given,
// that year's figures. It returns the items that differ from the registry.
func (s *Server) readProposal(c echo.Context, e domain.Enterprise) (portal.FormView, domain.UpdateRequest, bool, error) {
	ctx := c.Request().Context()
	vals, err := c.FormParams()
	if err != nil {
		return portal.FormView{}, domain.UpdateRequest{}, false, echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	policy, err := s.requests().Policy(ctx)
	if err != nil {
		return portal.FormView{}, domain.UpdateRequest{}, false, err
	}
	_, keys := reviewFields(policy)
	merged := url.Values{}
	base := forms.EnterpriseFromDomain(e)
	for _, f := range domain.ProfileFields {
		v := domain.ProfileValue(e, f.Key)
		// A field the form did not send keeps the registry's value; an unticked checkbox
		// sends nothing, so flags are read only from a form that carries the profile section.
		_, sent := vals[f.Key]
		switch {
		case !slices.Contains(keys, f.Key):
		case isFlagField(f.Key) && vals.Get("profile") == "1":
			x := vals.Get(f.Key)
			v = strconv.FormatBool(x == "on" || x == "true" || x == "1")
		case sent && !isFlagField(f.Key):
			v = vals.Get(f.Key)
		}
		merged.Set(f.Key, v)
	}
	merged.Set("uscc", base.USCC)
	pf := forms.EnterpriseFromValues(merged)
	for _, f := range domain.ProfileFields {
		if isFlagField(f.Key) {
			setFlag(&pf, f.Key, merged.Get(f.Key) == "true")
		}
	}
	yf := forms.YearFromValues(vals)
	yf.Version = ""
	v := portal.FormView{Profile: pf, Year: yf, Version: vals.Get("version"), Errors: domain.FieldErrors{}}
	proposed := e
	ok := pf.Apply(&proposed, s.today())
	for k, m := range pf.Errors {
		v.Errors.Add(k, m)
	}
	r := domain.UpdateRequest{EnterpriseID: e.ID, Note: vals.Get("note")}
	var baseYear, newYear *domain.YearFigures
	anyFigure := yf.Year != ""
	for _, fld := range domain.YearFields {
		anyFigure = anyFigure || yf.Values[fld.Key] != ""
	}
	if anyFigure {
		var y domain.YearFigures
		if !yf.Apply(&y, s.today()) {
			ok = false
			for k, m := range yf.Errors {
				v.Errors.Add(k, m)
			}
		} else {
			year := y.Year
			r.Year, newYear = &year, &y
			if stored, err := s.enterprises.Year(ctx, e.ID, y.Year); err == nil {
				baseYear = &stored
			} else if !errors.Is(err, store.ErrNotFound) {
				return v, r, false, err
			}
		}
	}
	if ok {
		r.Items = domain.DiffRequest(e, proposed, keys, baseYear, newYear)
	}
	return v, r, ok, nil
}

func isFlagField(k string) bool {
	switch k {
	case "above_scale", "high_tech", "tech_sme", "gazelle", "unicorn", "single_champion", "listed":
		return true
	}
	return false
}

func setFlag(f *forms.Enterprise, k string, b bool) {
	switch k {
	case "above_scale":
		f.AboveScale = b
	case "high_tech":
		f.HighTech = b
	case "tech_sme":
		f.TechSME = b
	case "gazelle":
		f.Gazelle = b
	case "unicorn":
		f.Unicorn = b
	case "single_champion":
		f.SingleChampion = b
	case "listed":
		f.Listed = b
	}
}

func (s *Server) createRequest(c echo.Context) error { return s.saveRequest(c, 0) }

func (s *Server) updateRequest(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	return s.saveRequest(c, rid)
}

// saveRequest stores the form as a draft or submits it (action=submit).
func (s *Server) saveRequest(c echo.Context, rid int64) error {
	id, err := ownEnterprise(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	e, err := s.enterprises.Get(ctx, scope(c), id)
	if err != nil {
		return err
	}
	action := "/portal/requests"
	var existing domain.UpdateRequest
	if rid != 0 {
		action = fmt.Sprintf("/portal/requests/%d", rid)
		if existing, err = s.requests().Get(ctx, scope(c), rid); err != nil {
			return err
		}
		if !existing.Status.Editable() {
			setFlash(c, "warn", "该申请已提交审核或已办结，不能再修改")
			return redirect(c, action)
		}
	}
	v, r, ok, err := s.readProposal(c, e)
	if err != nil {
		return err
	}
	v.Action = action
	submit := c.FormValue("action") != "draft"
	if ok && submit && len(r.Items) == 0 {
		v.Errors.Add("items", "没有与登记库不同的内容：请填写需要变更的字段后再提交")
		ok = false
	}
	if rid != 0 {
		r.ID = rid
		if r.Version, err = strconv.ParseInt(v.Version, 10, 64); err != nil {
			v.Errors.Add("version", "表单缺少版本号，请刷新后重试")
			ok = false
		}
		v.Returned = existing.Reason
	}
	if !ok {
		return s.renderRequestForm(c, http.StatusUnprocessableEntity, e, v)
	}
	switch err := s.requests().Save(ctx, s.actor(c), scope(c), &r, submit); {
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrRequestState):
		v.Errors.Add("version", "保存失败：该申请已在别处修改或提交，请返回申请页查看")
		return s.renderRequestForm(c, http.StatusConflict, e, v)
	case err != nil:
		return err
	}
	if submit {
		setFlash(c, "ok", fmt.Sprintf("变更申请 #%d 已提交审核（%d 项），审核通过后生效", r.ID, len(r.Items)))
	} else {
		setFlash(c, "ok", fmt.Sprintf("变更申请 #%d 草稿已保存，可稍后继续填写", r.ID))
	}
	return redirect(c, fmt.Sprintf("/portal/requests/%d", r.ID))
}

func requestID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("rid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, store.ErrNotFound
	}
	return id, nil
}

// requestForm fills the form with a request's proposed values over the registry's data.
func (s *Server) editRequest(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := s.requests().Get(ctx, scope(c), rid)
	if err != nil {
		return err
	}
	if !r.Status.Editable() {
		setFlash(c, "warn", "该申请已提交审核或已办结，不能再修改")
		return redirect(c, fmt.Sprintf("/portal/requests/%d", rid))
	}
	e, err := s.enterprises.Get(ctx, scope(c), r.EnterpriseID)
	if err != nil {
		return err
	}
	proposed := e
	y := domain.YearFigures{}
	yf := forms.Year{Values: map[string]string{}, Errors: forms.Errors{}}
	if r.Year != nil {
		if stored, err := s.enterprises.Year(ctx, e.ID, *r.Year); err == nil {
			y = stored
		}
		y.Year = *r.Year
	}
	for _, it := range r.Items {
		if err := domain.ApplyItem(&proposed, &y, it); err != nil {
			return err
		}
	}
	if r.Year != nil {
		yf = forms.YearFromDomain(y)
		yf.Version = ""
	}
	v := portal.FormView{Profile: forms.EnterpriseFromDomain(proposed), Year: yf, Action: fmt.Sprintf("/portal/requests/%d", rid),
		Version: strconv.FormatInt(r.Version, 10), Returned: r.Reason}
	if r.Status != domain.RequestReturned {
		v.Returned = ""
	}
	return s.renderRequestForm(c, http.StatusOK, e, v)
}

func (s *Server) submitRequest(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	ver, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	var invalid *store.ReviewInvalid
	switch err := s.requests().Submit(c.Request().Context(), s.actor(c), scope(c), rid, ver); {
	case errors.As(err, &invalid):
		return s.renderRequest(c, http.StatusUnprocessableEntity, rid, invalid.Fields["items"])
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrRequestState):
		return s.renderRequest(c, http.StatusConflict, rid, "提交失败：该申请已修改或已提交，请查看最新状态")
	case err != nil:
		return err
	}
	setFlash(c, "ok", fmt.Sprintf("变更申请 #%d 已提交审核", rid))
	return redirect(c, fmt.Sprintf("/portal/requests/%d", rid))
}

func (s *Server) showRequest(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	return s.renderRequest(c, http.StatusOK, rid, "")
}

// requestView builds the common part of the enterprise's and the reviewer's request page.
func (s *Server) requestView(c echo.Context, rid int64) (portal.RequestView, error) {
	ctx := c.Request().Context()
	r, err := s.requests().Get(ctx, scope(c), rid)
	if err != nil {
		return portal.RequestView{}, err
	}
	e, err := s.enterprises.Get(ctx, scope(c), r.EnterpriseID)
	if err != nil {
		return portal.RequestView{}, err
	}
	v := portal.RequestView{Request: r, Enterprise: e, Errors: domain.FieldErrors{}}
	for _, it := range r.Items {
		f, _ := domain.LookupPortalField(it.Field)
		v.Items = append(v.Items, portal.ItemRow{Field: it.Field, Label: f.Label, Base: domain.DisplayValue(it.Field, it.BaseValue),
			New: domain.DisplayValue(it.Field, it.NewValue), Outcome: it.Outcome, OutcomeLabel: domain.ItemOutcomeLabel(it.Outcome),
			Conflict: it.Outcome == domain.OutcomeItemConflict, Current: displayPtr(it.Field, it.Current, it.Outcome == domain.OutcomeItemConflict)})
		v.FileFields = append(v.FileFields, f)
	}
	for _, f := range r.Files {
		label := "整份申请"
		if pf, ok := domain.LookupPortalField(f.Field); ok {
			label = pf.Label
		}
		v.Files = append(v.Files, portal.FileRow{ID: f.ID, FieldLabel: label, Filename: f.Filename,
			Size: fmt.Sprintf("%.0f KB", float64(f.Size)/1024), Href: fmt.Sprintf("/requests/%d/files/%d", r.ID, f.ID)})
	}
	return v, nil
}

func displayPtr(field string, v *string, set bool) string {
	if !set {
		return ""
	}
	return domain.DisplayValue(field, v)
}

func (s *Server) renderRequest(c echo.Context, status int, rid int64, uploadErr string) error {
	v, err := s.requestView(c, rid)
	if err != nil {
		return err
	}
	v.Meta = s.meta(c, fmt.Sprintf("变更申请 #%d", rid), "requests")
	v.CanEdit = v.Request.Status.Editable()
	v.UploadError = uploadErr
	return render(c, status, portal.RequestPage(v))
}

// uploadEvidence attaches a PDF/JPG/PNG, checked by content, to an editable request.
func (s *Server) uploadEvidence(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := s.requests().Get(ctx, scope(c), rid)
	if err != nil {
		return err
	}
	if !r.Status.Editable() {
		return s.renderRequest(c, http.StatusConflict, rid, "该申请已提交审核或已办结，不能再上传材料")
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return s.renderRequest(c, http.StatusUnprocessableEntity, rid, "请选择要上传的文件")
	}
	field := c.FormValue("field")
	if field != "" && !slices.ContainsFunc(r.Items, func(it domain.RequestItem) bool { return it.Field == field }) {
		return s.renderRequest(c, http.StatusUnprocessableEntity, rid, "请选择本申请中的字段")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, domain.MaxEvidenceBytes+1))
	if err != nil {
		return err
	}
	// multipart strips "/" paths but not Windows ones (`..\x.pdf`): keep only the last part.
	fh.Filename = fh.Filename[strings.LastIndexAny(fh.Filename, `/\`)+1:]
	ct, msg := domain.CheckEvidence(fh.Filename, data)
	if msg != "" {
		return s.renderRequest(c, http.StatusUnprocessableEntity, rid, msg)
	}
	sum := sha256.Sum256(data)
	rf := domain.RequestFile{RequestID: rid, Field: field, Filename: fh.Filename, ContentType: ct, SHA256: hex.EncodeToString(sum[:]), Data: data}
	if err := s.requests().AddFile(ctx, s.actor(c), scope(c), &rf); err != nil {
		if errors.Is(err, store.ErrRequestState) {
			return s.renderRequest(c, http.StatusConflict, rid, "该申请已提交审核或已办结，不能再上传材料")
		}
		return err
	}
	setFlash(c, "ok", "已上传 "+fh.Filename)
	return redirect(c, fmt.Sprintf("/portal/requests/%d", rid))
}

// downloadEvidence serves a file to those who may see the request's enterprise.
func (s *Server) downloadEvidence(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(c.Param("fid"), 10, 64)
	if err != nil {
		return store.ErrNotFound
	}
	f, err := s.requests().File(c.Request().Context(), scope(c), rid, fid)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Filename))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, f.ContentType, f.Data)
}
