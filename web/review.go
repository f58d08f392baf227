package web

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
	"zjtx/internal/tiers"
	"zjtx/templates/layout"
	"zjtx/templates/pages/portal"
)

// Staff review of update requests: district officers see their district, city staff all.

var crumbReview = layout.Crumb{Label: "变更审核", Href: "/review"}

func (s *Server) listReviewQueue(c echo.Context) error {
	f := store.RequestFilter{Scope: scope(c), Statuses: []domain.RequestStatus{domain.RequestSubmitted}, PerPage: 200}
	status := ""
	if c.QueryParam("status") == "all" {
		status = "all"
		f.Statuses = []domain.RequestStatus{domain.RequestSubmitted, domain.RequestApproved, domain.RequestPartial, domain.RequestReturned}
	}
	rows, total, err := s.requests().List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, portal.ListPage(portal.ListView{Meta: s.meta(c, "变更审核", "review-requests"),
		Rows: requestRows(rows, true), Total: total, Status: status, Review: true}))
}

func (s *Server) showReview(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	return s.renderReview(c, http.StatusOK, rid, reviewState{})
}

// reviewState is what a failed review action re-renders with.
type reviewState struct {
	errs      domain.FieldErrors
	chosen    map[string]bool
	conflicts []domain.RequestItem
	reason    string
	note      string
}

func (s *Server) renderReview(c echo.Context, status int, rid int64, st reviewState) error {
	v, err := s.requestView(c, rid)
	if err != nil {
		return err
	}
	if v.Request.Status == domain.RequestDraft {
		return store.ErrNotFound // a draft is the enterprise's own until submitted
	}
	v.Meta = s.meta(c, fmt.Sprintf("审核变更申请 #%d", rid), "review-requests", crumbReview)
	v.Review, v.Reason, v.Note = true, st.reason, st.note
	if st.errs != nil {
		v.Errors = st.errs
	}
	conflict := map[string]domain.RequestItem{}
	for _, it := range st.conflicts {
		conflict[it.Field] = it
	}
	for i := range v.Items {
		it := &v.Items[i]
		it.Chosen = st.chosen == nil || st.chosen[it.Field]
		if x, ok := conflict[it.Field]; ok {
			it.Conflict, it.Chosen = true, false
			it.Current = domain.DisplayValue(it.Field, x.Current)
		}
	}
	if v.Request.Status == domain.RequestSubmitted {
		if err := s.fillCurrent(c, &v); err != nil {
			return err
		}
		if v.Effect, err = s.eligibilityEffect(c, v.Request); err != nil {
			return err
		}
	}
	return render(c, status, portal.RequestPage(v))
}

// fillCurrent shows the registry's value now beside each proposed field, and flags
// a field changed since the request was made.
func (s *Server) fillCurrent(c echo.Context, v *portal.RequestView) error {
	ctx := c.Request().Context()
	var y *domain.YearFigures
	if v.Request.Year != nil {
		if stored, err := s.enterprises.Year(ctx, v.Enterprise.ID, *v.Request.Year); err == nil {
			y = &stored
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	for i, it := range v.Request.Items {
		cur := domain.CurrentValue(v.Enterprise, y, it.Field)
		v.Items[i].Current = domain.DisplayValue(it.Field, cur)
		if !domain.SameValue(cur, it.BaseValue) {
			v.Items[i].Conflict, v.Items[i].Chosen = true, false
		}
	}
	return nil
}

// eligibilityEffect evaluates the enterprise with and without every proposed value and
// says, per rung, what approving the request would change.
func (s *Server) eligibilityEffect(c echo.Context, r domain.UpdateRequest) ([]string, error) {
	ctx := c.Request().Context()
	today := s.today()
	a, err := s.tiers.Assess(ctx, scope(c), r.EnterpriseID, today, false)
	if err != nil {
		return nil, err
	}
	ps, err := s.tiers.Parameters(ctx)
	if err != nil {
		return nil, err
	}
	rec := a.Record
	rec.Years = append([]domain.YearFigures(nil), a.Record.Years...)
	idx := -1
	if r.Year != nil {
		for i, y := range rec.Years {
			if y.Year == *r.Year {
				idx = i
			}
		}
		if idx < 0 {
			rec.Years = append(rec.Years, domain.YearFigures{EnterpriseID: r.EnterpriseID, Year: *r.Year})
			idx = len(rec.Years) - 1
		}
	}
	var scratch domain.YearFigures
	for _, it := range r.Items {
		y := &scratch
		if idx >= 0 {
			y = &rec.Years[idx]
		}
		if err := domain.ApplyItem(&rec.Enterprise, y, it); err != nil {
			return nil, err
		}
	}
	sort.Slice(rec.Years, func(i, j int) bool { return rec.Years[i].Year < rec.Years[j].Year })
	after := eligibility.Evaluate(tiers.BuildFacts(rec, today, false), ps)
	var lines []string
	for _, t := range []domain.Tier{domain.TierInnovative, domain.TierSpecialized, domain.TierLittleGiant} {
		b, n := a.Verdict.Tiers.Get(t), after.Tiers.Get(t)
		if b == nil || n == nil {
			continue
		}
		label := t.LabelOn(today)
		switch {
		case !b.Eligible && n.Eligible:
			lines = append(lines, "批准后，该企业符合"+label+"的认定条件（目前不符合）")
		case b.Eligible && !n.Eligible:
			lines = append(lines, "批准后，该企业将不再符合"+label+"的认定条件（目前符合）")
		case n.Eligible:
			lines = append(lines, "对"+label+"无影响：批准前后均符合")
		default:
			lines = append(lines, "对"+label+"无影响：批准前后均不符合")
		}
	}
	return lines, nil
}

func (s *Server) approveRequest(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	fields := vals["fields"]
	st := reviewState{chosen: map[string]bool{}, note: vals.Get("note"), errs: domain.FieldErrors{}}
	for _, f := range fields {
		st.chosen[f] = true
	}
	ver, err := strconv.ParseInt(vals.Get("version"), 10, 64)
	if err != nil {
		st.errs.Add("version", "表单缺少版本号，请刷新后重试")
		return s.renderReview(c, http.StatusUnprocessableEntity, rid, st)
	}
	var conflict *store.ReviewConflict
	var invalid *store.ReviewInvalid
	switch err := s.requests().Approve(c.Request().Context(), s.actor(c), scope(c), rid, ver, fields, st.note, s.today()); {
	case errors.As(err, &conflict):
		st.conflicts = conflict.Items
		st.errs.Add("fields", "所勾选的字段中有登记库已被他人修改的值（标为“冲突”），未作任何修改。请取消勾选冲突字段后再采纳，或退回企业重新提交。")
		return s.renderReview(c, http.StatusConflict, rid, st)
	case errors.As(err, &invalid):
		for k, m := range invalid.Fields {
			st.errs.Add(k, m)
		}
		if _, ok := st.errs["fields"]; !ok {
			st.errs.Add("fields", "采纳后的数据不符合校验规则，未作任何修改")
		}
		return s.renderReview(c, http.StatusUnprocessableEntity, rid, st)
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrRequestState):
		st.errs.Add("version", "该申请已被他人处理或已更新，请查看最新状态")
		return s.renderReview(c, http.StatusConflict, rid, st)
	case err != nil:
		return err
	}
	setFlash(c, "ok", fmt.Sprintf("变更申请 #%d 已审核，采纳的字段已写入登记库", rid))
	return redirect(c, fmt.Sprintf("/review/%d", rid))
}

func (s *Server) returnRequest(c echo.Context) error {
	rid, err := requestID(c)
	if err != nil {
		return err
	}
	st := reviewState{reason: c.FormValue("reason"), errs: domain.FieldErrors{}}
	ver, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil {
		st.errs.Add("version", "表单缺少版本号，请刷新后重试")
		return s.renderReview(c, http.StatusUnprocessableEntity, rid, st)
	}
	var invalid *store.ReviewInvalid
	switch err := s.requests().Return(c.Request().Context(), s.actor(c), scope(c), rid, ver, st.reason); {
	case errors.As(err, &invalid):
		st.errs = invalid.Fields
		return s.renderReview(c, http.StatusUnprocessableEntity, rid, st)
	case errors.Is(err, store.ErrStale), errors.Is(err, store.ErrRequestState):
		st.errs.Add("version", "该申请已被他人处理或已更新，请查看最新状态")
		return s.renderReview(c, http.StatusConflict, rid, st)
	case err != nil:
		return err
	}
	setFlash(c, "ok", fmt.Sprintf("变更申请 #%d 已退回企业", rid))
	return redirect(c, "/review")
}

// listAnnualMissing lists enterprises in scope that owe this cycle's figures and have none.
func (s *Server) listAnnualMissing(c echo.Context) error {
	today := s.today()
	deadline, rule := domain.AnnualDeadlineFor(today.Year())
	year := today.Year() - 1
	page, _ := strconv.Atoi(c.QueryParam("page"))
	items, total, pending, err := s.requests().MissingAnnual(c.Request().Context(), scope(c), year, page, 50)
	if err != nil {
		return err
	}
	v := portal.AnnualView{Meta: s.meta(c, fmt.Sprintf("%d 年度数据未报企业", year), "annual"), Year: year, Deadline: deadline,
		SingleSource: rule.SingleSource, Overdue: today.After(deadline), Total: total, Page: max(page, 1), Pages: int((total + 49) / 50)}
	for _, e := range items {
		v.Rows = append(v.Rows, portal.AnnualRow{Enterprise: e, Pending: pending[e.ID]})
	}
	return render(c, http.StatusOK, portal.AnnualPage(v))
}

func (s *Server) editFieldPolicy(c echo.Context) error {
	p, err := s.requests().Policy(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, portal.PolicyPage(portal.PolicyView{Meta: s.meta(c, "企业免审字段", "portal-fields"), Rows: policyRows(p, p)}))
}

func (s *Server) updateFieldPolicy(c echo.Context) error {
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	// base is the policy the page showed (was_direct), the lock against lost updates.
	p, base := domain.FieldPolicy{}, domain.FieldPolicy{}
	for _, k := range vals["direct"] {
		p[k] = true
	}
	for _, k := range vals["was_direct"] {
		base[k] = true
	}
	err = s.requests().SetPolicy(c.Request().Context(), s.actor(c), base, p)
	var stale *store.PolicyStale
	if errors.As(err, &stale) {
		// Keep the boxes as this editor ticked them; the next save is based on what is stored now.
		v := portal.PolicyView{Meta: s.meta(c, "企业免审字段", "portal-fields"), Rows: policyRows(p, stale.Current)}
		for _, f := range domain.ProfileFields {
			if f.DirectCapable && stale.Current.Direct(f.Key) != base.Direct(f.Key) {
				v.Conflicts = append(v.Conflicts, "「"+f.Label+"」现为"+domain.DirectLabel(stale.Current.Direct(f.Key)))
			}
		}
		return render(c, http.StatusConflict, portal.PolicyPage(v))
	}
	if err != nil {
		return err
	}
	setFlash(c, "ok", "免审字段清单已保存")
	return redirect(c, "/admin/portal-fields")
}
