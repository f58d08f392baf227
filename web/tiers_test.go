package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

func m(w int64) *domain.Money { x := domain.Wan(w); return &x }
func cnt(v int64) *int64      { return &v }

// qualified stores a 高新技术企业 with three years of figures: eligible for 创新型 by the
// direct route, and for 专精特新 (miit-2026) once 创新型 and attested.
func (a *testApp) qualified(attested bool) domain.Enterprise {
	a.t.Helper()
	ctx := context.Background()
	e := domain.Enterprise{USCC: "91310115MA1K3BTP2B", Name: "上海晋级测试有限公司", DistrictCode: "310115",
		IndustryGroup: domain.GroupIndustrial, Labels: domain.Labels{HighTech: true},
		FoundedOn: domain.MustDate("2015-01-01"), NicheSince: domain.MustDate("2018-01-01")}
	ents := store.NewEnterprises(a.db)
	if err := ents.Create(ctx, store.System, &e); err != nil {
		a.t.Fatal(err)
	}
	for _, y := range []domain.YearFigures{
		{Year: 2024, Employees: cnt(160), RDStaff: cnt(32), Revenue: m(4500), MainRevenue: m(4300), RDExpense: m(220), TotalAssets: m(6500), TotalLiabilities: m(2600)},
		{Year: 2025, Employees: cnt(170), RDStaff: cnt(35), Revenue: m(5200), MainRevenue: m(5000), RDExpense: m(260), TotalAssets: m(7000), TotalLiabilities: m(2800)},
	} {
		y.EnterpriseID = e.ID
		if err := ents.SaveYear(ctx, store.System, &y); err != nil {
			a.t.Fatal(err)
		}
	}
	att := attested
	sheet := store.FactSheet{Facts: domain.EnterpriseFacts{EnterpriseID: e.ID, IPClass1: cnt(3), IPClass1InUse: cnt(2),
		MarketPositionAttested: &att}, DevScores: []domain.DevScore{{Year: 2026, Score: 66}}}
	if err := store.NewFacts(a.db).SaveFacts(ctx, store.System, sheet); err != nil {
		a.t.Fatal(err)
	}
	return e
}

func TestEligibilityShownWithValueThresholdClause(t *testing.T) {
	a := newTestApp(t)
	e := a.qualified(false)
	r := a.get(fmt.Sprintf("/enterprises/%d", e.ID))
	wantStatus(t, r, http.StatusOK)
	inn := r.doc.Find(`[data-testid="verdict-innovative"]`)
	if v, _ := inn.Attr("data-eligible"); v != "true" || !strings.Contains(inn.Text(), "直通条件") {
		t.Fatalf("innovative verdict: eligible=%s %q", v, truncate(inn.Text(), 300))
	}
	rd := r.doc.Find(`[data-testid="verdict-innovative"] tr[data-criterion="inn.rd"]`)
	cells := rd.Find("td")
	if cells.Length() != 6 || !strings.Contains(cells.Eq(2).Text(), "5%") || strings.TrimSpace(cells.Eq(5).Text()) == "" {
		t.Errorf("inn.rd row should show value, threshold and clause: %q", rd.Text())
	}
	// The gap view names what is missing for the next rung, in Chinese.
	if gap := r.doc.Find(`[data-testid="gap"]`).Text(); !strings.Contains(gap, "创新型中小企业") && !strings.Contains(gap, "科技和创新型") {
		t.Errorf("gap = %q", gap)
	}
	sp := r.doc.Find(`[data-testid="verdict-specialized"] tr[data-criterion="prereq"]`)
	if st, _ := sp.Attr("data-status"); st != "fail" {
		t.Errorf("specialized prereq status = %q, want fail (not yet 创新型)", st)
	}
}

func TestPromotionRefusedGrantedAndSkipRefused(t *testing.T) {
	a := newTestApp(t)
	e := a.qualified(false)
	base := fmt.Sprintf("/enterprises/%d", e.ID)
	cert := url.Values{"certificate_no": {"沪创新2026-00001"}, "batch": {"2026年第一批"}}

	// Skipping a rung (base → specialized) is refused.
	skip := url.Values{"to_tier": {"specialized"}, "certificate_no": {"X"}, "batch": {"B"}}
	r := a.post(base+"/promote", skip)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if msg := r.doc.Find(`[data-testid="refusal"]`).Text(); !strings.Contains(msg, "逐级") {
		t.Errorf("skip refusal = %q", msg)
	}

	// Missing certificate number: a field error, nothing recorded.
	r = a.post(base+"/promote", url.Values{"to_tier": {"innovative"}, "batch": {"2026年第一批"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.doc.Find(`[data-testid="promote-form"]`).Text(), "请填写证书编号") {
		t.Error("certificate error not shown at the field")
	}

	cert.Set("to_tier", "innovative")
	r = a.post(base+"/promote", cert)
	wantStatus(t, r, http.StatusSeeOther)
	r = a.get(base)
	if !strings.Contains(r.doc.Find(`[data-testid="flash"]`).Text(), "已认定为创新型中小企业") {
		t.Errorf("flash = %q", r.doc.Find(`[data-testid="flash"]`).Text())
	}
	link := r.doc.Find(`[data-testid="decisions"] tr[data-outcome="granted"] a`)
	href, ok := link.Attr("href")
	if !ok {
		t.Fatal("no granted decision listed")
	}
	dr := a.get(href)
	wantStatus(t, dr, http.StatusOK)
	if !strings.Contains(dr.doc.Find(`[data-testid="facts-json"]`).Text(), `"uscc": "91310115MA1K3BTP2B"`) ||
		dr.doc.Find(`[data-testid="verdict-innovative"]`).Length() != 1 {
		t.Error("decision record lacks the facts or the verdict")
	}
	if !strings.Contains(dr.doc.Find(`[data-testid="replay"]`).Text(), "均与记录一致") {
		t.Errorf("replay = %q", dr.doc.Find(`[data-testid="replay"]`).Text())
	}

	// Not attested: 专精特新 is refused, the failing criterion is shown, and the refusal is recorded.
	cert.Set("to_tier", "specialized")
	cert.Set("certificate_no", "沪专精2026-00001")
	r = a.post(base+"/promote", cert)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	refusal := r.doc.Find(`[data-testid="refusal"]`).Text()
	if !strings.Contains(refusal, "不符合") || !strings.Contains(refusal, "决定 #") {
		t.Errorf("refusal = %q", refusal)
	}
	if r.doc.Find(`[data-testid="gap"] li[data-criterion="sp.market"]`).Length() != 1 {
		t.Error("gap view does not list sp.market")
	}
	if r.doc.Find(`[data-testid="decisions"] tr[data-outcome="refused"]`).Length() != 1 {
		t.Error("refused decision not listed")
	}
	got, _ := store.NewEnterprises(a.db).Get(context.Background(), all, e.ID)
	if got.Tier != domain.TierInnovative {
		t.Fatalf("tier = %s after a refusal", got.Tier)
	}
}

func TestDistrictRecommendsCityConfirms(t *testing.T) {
	a := newTestApp(t)
	e := a.qualified(true)
	base := fmt.Sprintf("/enterprises/%d", e.ID)
	district := a.as(a.user("pd", domain.RoleDistrict, "310115", nil))

	r := district.get(base)
	if r.doc.Find(`[data-testid="recommend-form"]`).Length() != 1 || r.doc.Find(`[data-testid="promote-form"]`).Length() != 0 {
		t.Fatal("a district officer should be offered the recommendation, not the promotion")
	}
	wantStatus(t, district.post(base+"/promote", url.Values{"to_tier": {"innovative"}}), http.StatusForbidden)
	wantStatus(t, district.post(base+"/recommend", url.Values{"to_tier": {"innovative"}, "note": {"材料齐全"}}), http.StatusSeeOther)

	r = a.get("/tiers/applications")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.doc.Find(`[data-testid="district-queue"]`).Text(), e.Name) {
		t.Fatal("recommendation not in the city's queue")
	}
	r = a.get(base)
	if r.doc.Find(`[data-testid="open-application"]`).Length() != 1 || r.doc.Find(`[data-testid="reject-form"]`).Length() != 1 {
		t.Fatal("city should see the open recommendation with confirm and reject")
	}
	wantStatus(t, a.post(base+"/promote", url.Values{"to_tier": {"innovative"}, "certificate_no": {"沪创新2026-1"}, "batch": {"2026年第一批"}}), http.StatusSeeOther)
	r = a.get("/tiers/applications")
	if strings.Contains(r.doc.Find(`[data-testid="district-queue"]`).Text(), e.Name) {
		t.Error("confirmed recommendation still queued")
	}
}

func TestReviewRenewAndRevoke(t *testing.T) {
	a := newTestApp(t)
	e := a.qualified(true)
	base := fmt.Sprintf("/enterprises/%d", e.ID)
	ctx := context.Background()
	// Certified 2023-09-01: expires 2026-09-01, inside the 6-month review window of 2026-06-30.
	if err := a.db.Tx(ctx, func(tx *gormDB) error {
		return store.AddTierEvent(tx, &domain.TierEvent{EnterpriseID: e.ID, Kind: domain.EventRecorded, FromTier: domain.TierBase,
			ToTier: domain.TierInnovative, EffectiveOn: domain.MustDate("2023-09-01"), ValidUntil: domain.MustDate("2026-09-01")})
	}); err != nil {
		t.Fatal(err)
	}
	r := a.get("/tiers/review")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.doc.Find(`[data-testid="review-table"]`).Text(), e.Name) {
		t.Fatal("expiring title not listed for review")
	}
	wantStatus(t, a.post(base+"/renew", nil), http.StatusSeeOther)
	got, _ := store.NewEnterprises(a.db).Get(ctx, all, e.ID)
	if got.TierValidUntil != domain.MustDate("2029-09-01") {
		t.Fatalf("renewed until %s", got.TierValidUntil)
	}
	r = a.post(base+"/revoke", url.Values{"reason": {"falsified_data"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.doc.Find(`[data-testid="revoke-form"]`).Text(), "证据") {
		t.Error("missing evidence not explained")
	}
	wantStatus(t, a.post(base+"/revoke", url.Values{"reason": {"falsified_data"}, "evidence": {"审计发现研发费用虚报"}}), http.StatusSeeOther)
	r = a.post(base+"/promote", url.Values{"to_tier": {"innovative"}, "certificate_no": {"X"}, "batch": {"B"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.doc.Find(`[data-testid="refusal"]`).Text(), "不得再次申请") {
		t.Errorf("barred refusal = %q", r.doc.Find(`[data-testid="refusal"]`).Text())
	}
}

func TestCandidatesListsWhoCouldMoveUp(t *testing.T) {
	a := newTestApp(t)
	e := a.qualified(true)
	a.seed("91310000631696382C", "上海无数据企业", "310115") // no figures: not a candidate
	r := a.get("/tiers/candidates?district=310115")
	wantStatus(t, r, http.StatusOK)
	rows := r.doc.Find(`[data-testid="candidate-row"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), e.Name) {
		t.Fatalf("candidates = %q", rows.Text())
	}
	if !strings.Contains(r.doc.Find(`[data-testid="candidates-summary"]`).Text(), "评估 2 家") {
		t.Errorf("summary = %q", r.doc.Find(`[data-testid="candidates-summary"]`).Text())
	}
	r = a.get("/tiers/candidates?district=310104")
	if r.doc.Find(`[data-testid="candidate-row"]`).Length() != 0 {
		t.Error("another district's enterprise listed")
	}
	// A district officer always sees their own district, whatever the URL says.
	d := a.as(a.user("pd2", domain.RoleDistrict, "310115", nil))
	r = d.get("/tiers/candidates?district=310104")
	if r.doc.Find(`[data-testid="candidate-row"]`).Length() != 1 {
		t.Error("district officer should see their own district's candidates")
	}
}
