package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// seedBenefitEnterprise stores an industrial enterprise that first became 规上 in since, at tier
// (certified 2024-05-10, valid three years).
func seedBenefitEnterprise(t *testing.T, a *testApp, code, name, district string, since int, tier domain.Tier) domain.Enterprise {
	t.Helper()
	ctx := context.Background()
	e := domain.Enterprise{USCC: domain.USCC(code), Name: name, DistrictCode: district, IndustryGroup: domain.GroupIndustrial,
		FoundedOn: domain.MustDate("2012-03-04")}
	e.AboveScale, e.AboveScaleSince = since > 0, since
	ents := store.NewEnterprises(a.db)
	if err := ents.Create(ctx, store.System, &e); err != nil {
		t.Fatal(err)
	}
	for y, emp := range map[int]int64{2024: 120, 2025: 130} {
		rev := domain.Wan(5000)
		f := domain.YearFigures{EnterpriseID: e.ID, Year: y, Employees: &emp, Revenue: &rev}
		if err := ents.SaveYear(ctx, store.System, &f); err != nil {
			t.Fatal(err)
		}
	}
	if tier != domain.TierBase {
		if err := a.db.Tx(ctx, func(tx *gorm.DB) error {
			return store.AddTierEvent(tx, &domain.TierEvent{EnterpriseID: e.ID, Kind: domain.EventRecorded, FromTier: domain.TierBase, ToTier: tier,
				EffectiveOn: domain.MustDate("2024-05-10"), ValidUntil: domain.MustDate("2027-05-10")})
		}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ents.Get(ctx, domain.Scope{All: true}, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func benefitCard(r response, id string) (outcome, amount string, ok bool) {
	s := r.doc.Find(`[data-testid="benefit"][data-benefit="` + id + `"]`)
	if s.Length() == 0 {
		return "", "", false
	}
	o, _ := s.Attr("data-outcome")
	return o, strings.TrimSpace(s.Find(`[data-testid="benefit-amount"]`).Text()), true
}

func TestEnterprisePageShowsBenefitMatches(t *testing.T) {
	a := newTestApp(t)
	pd := seedBenefitEnterprise(t, a, "91310115MA1K3BTP2B", "浦东升规企业", "310115", 2025, domain.TierSpecialized)
	inn := seedBenefitEnterprise(t, a, "9131012056010553X5", "徐汇创新企业", "310104", 0, domain.TierInnovative)

	r := a.get(enterprisePathT(pd.ID))
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find(`[data-testid="benefits"]`).Length() != 1 {
		t.Fatal("enterprise page has no 政策匹配 section")
	}
	for id, want := range map[string]string{"B02-first-above-scale": "最高 50 万元", "B14-water": "", "B12-digital": ""} {
		o, amt, ok := benefitCard(r, id)
		if !ok || o != "matched" {
			t.Errorf("%s: outcome %q (present %v)", id, o, ok)
		}
		if want != "" && amt != want {
			t.Errorf("%s amount %q, want %q", id, amt, want)
		}
	}
	reasons := r.doc.Find(`[data-benefit="B02-first-above-scale"] [data-testid="benefit-condition"]`)
	if reasons.Length() < 3 || !strings.Contains(reasons.Text(), "2025 年首次纳入规上") {
		t.Errorf("B02 reasons: %q", reasons.Text())
	}
	// 2026: first 规上 was 2025, the water waiver is over.
	r = a.get(enterprisePathT(pd.ID) + "?benefit_year=2026")
	if _, _, ok := benefitCard(r, "B02-first-above-scale"); ok {
		t.Error("B02-first should not be offered for 2026")
	}
	if _, _, ok := benefitCard(r, "B14-water"); ok {
		t.Error("B14 is 2025 only")
	}
	// An innovative enterprise nearly matches the title benefits; the gap says why.
	r = a.get(enterprisePathT(inn.ID))
	if o, _, _ := benefitCard(r, "B12-digital"); o != "near" {
		t.Fatalf("innovative B12: %q", o)
	}
	if miss := r.doc.Find(`[data-benefit="B12-digital"] [data-testid="benefit-missing"]`).Text(); !strings.Contains(miss, "专精特新") {
		t.Errorf("missing: %q", miss)
	}
	// The enterprise sees its own matches.
	ent := a.as(a.user("ent", domain.RoleEnterprise, "", &pd.ID))
	r = ent.get(enterprisePathT(pd.ID) + "/benefits")
	wantStatus(t, r, http.StatusOK)
	if o, _, _ := benefitCard(r, "B02-first-above-scale"); o != "matched" {
		t.Errorf("enterprise's own benefits page: %q", o)
	}
	if r.doc.Find(`[data-testid="grant-form"]`).Length() != 0 {
		t.Error("an enterprise cannot record grants")
	}
	wantStatus(t, ent.get(enterprisePathT(inn.ID)+"/benefits"), http.StatusNotFound)
	// The portal shows the same matches with their reasons.
	r = ent.get("/portal")
	wantStatus(t, r, http.StatusOK)
	if o, amt, _ := benefitCard(r, "B02-first-above-scale"); o != "matched" || amt != "最高 50 万元" {
		t.Errorf("portal B02: %q %q", o, amt)
	}
	if r.doc.Find(`[data-benefit="B02-first-above-scale"] [data-testid="benefit-condition"]`).Length() < 3 {
		t.Error("portal: no reasons")
	}
}

func TestBenefitGrantsListsAndExport(t *testing.T) {
	a := newTestApp(t)
	pd := seedBenefitEnterprise(t, a, "91310115MA1K3BTP2B", "浦东升规企业", "310115", 2025, domain.TierSpecialized)
	xh := seedBenefitEnterprise(t, a, "9131012056010553X5", "徐汇升规企业", "310104", 2025, domain.TierBase)
	seedBenefitEnterprise(t, a, "91310000631696382C", "老规上企业", "310104", 2019, domain.TierBase)
	path := enterprisePathT(pd.ID) + "/benefits/grants"

	// Empty form: per-field messages, 422.
	r := a.post(path, url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, f := range []string{"benefit", "status", "amount", "on"} {
		if fieldError(r, f) == "" {
			t.Errorf("no message for %s", f)
		}
	}
	// Over the cap, typed values kept.
	form := url.Values{"benefit": {"B02-first-above-scale"}, "year": {"2025"}, "status": {"confirmed"}, "amount": {"50.01"}, "on": {"2026-03-01"}}
	r = a.post(path, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "amount") == "" || inputValue(r, "amount") != "50.01" {
		t.Errorf("cap: %q, kept %q", fieldError(r, "amount"), inputValue(r, "amount"))
	}
	// Information-only benefits are not granted; unmatched ones neither.
	r = a.post(path, url.Values{"benefit": {"B14-water"}, "year": {"2025"}, "status": {"paid"}, "amount": {"1"}, "on": {"2026-03-01"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = a.post(enterprisePathT(xh.ID)+"/benefits/grants", url.Values{"benefit": {"B12-digital"}, "year": {"2025"}, "status": {"paid"}, "amount": {"1"}, "on": {"2026-03-01"}})
	if wantStatus(t, r, http.StatusUnprocessableEntity); !strings.Contains(fieldError(r, "benefit"), "不符合") {
		t.Errorf("unmatched grant: %q", fieldError(r, "benefit"))
	}
	// Confirmed, then paid: one record, audited twice.
	form.Set("amount", "50")
	wantStatus(t, a.post(path, form), http.StatusSeeOther)
	form.Set("status", "paid")
	form.Set("on", "2026-04-15")
	wantStatus(t, a.post(path, form), http.StatusSeeOther)
	r = a.get(enterprisePathT(pd.ID) + "/benefits")
	if n := r.doc.Find(`[data-testid="grant-row"]`).Length(); n != 1 {
		t.Fatalf("%d grant rows, want 1", n)
	}
	if g := r.doc.Find(`[data-benefit="B02-first-above-scale"] [data-testid="benefit-grant"]`).Text(); !strings.Contains(g, "已拨付") || !strings.Contains(g, "50") {
		t.Errorf("grant on the match: %q", g)
	}
	rows, _, _ := store.NewAuditLog(a.db).List(context.Background(), store.AuditFilter{EnterpriseID: pd.ID, EntityType: "benefit_grant"})
	if len(rows) != 2 {
		t.Errorf("%d audit rows, want 2", len(rows))
	}
	// District staff cannot grant elsewhere.
	pudong := a.as(a.user("pudong", domain.RoleDistrict, "310115", nil))
	form.Del("_csrf")
	wantStatus(t, pudong.post(enterprisePathT(xh.ID)+"/benefits/grants", form), http.StatusNotFound)

	// The list: both first-规上 enterprises, amounts and district totals; filter and scope.
	r = a.get("/benefits?benefit=B02-first-above-scale&year=2025")
	wantStatus(t, r, http.StatusOK)
	if n := r.doc.Find(`[data-testid="benefit-row"]`).Length(); n != 2 {
		t.Fatalf("%d rows, want 2", n)
	}
	if got := r.doc.Find(`[data-testid="city-amount"]`).Text(); got != "100" {
		t.Errorf("city amount %q, want 100", got)
	}
	if n := r.doc.Find(`[data-testid="district-total"]`).Length(); n != 2 {
		t.Errorf("%d district totals", n)
	}
	r = a.get("/benefits?benefit=B02-first-above-scale&year=2025&district=310104")
	if n := r.doc.Find(`[data-testid="benefit-row"]`).Length(); n != 1 {
		t.Errorf("district filter: %d rows", n)
	}
	r = pudong.get("/benefits?benefit=B02-first-above-scale&year=2025")
	if n := r.doc.Find(`[data-testid="benefit-row"]`).Length(); n != 1 || !strings.Contains(r.doc.Find(`[data-testid="benefit-row"]`).Text(), "浦东") {
		t.Errorf("district scope: %d rows", n)
	}
	r = a.get("/benefits?benefit=B14-water&year=2026")
	if r.doc.Find(`[data-testid="inactive"]`).Length() != 1 {
		t.Error("B14 in 2026 should say it is not in force")
	}

	// CSV: BOM, Chinese headers, 万元.
	r = a.get("/benefits/export?benefit=B02-first-above-scale&year=2025")
	wantStatus(t, r, http.StatusOK)
	body := r.Body.String()
	if !strings.HasPrefix(body, "\uFEFF统一社会信用代码,企业名称,所在区") || !strings.Contains(r.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV head: %q", truncate(body, 80))
	}
	if !strings.Contains(body, "91310115MA1K3BTP2B,浦东升规企业,浦东新区,B02-first-above-scale,小升规一次性奖励,2025,50,已拨付,50,2026-04-15") {
		t.Errorf("CSV rows: %s", body)
	}
	if strings.Count(body, "\n") != 3 {
		t.Errorf("CSV lines: %q", body)
	}
}

func TestBenefitCalculator(t *testing.T) {
	a := newTestApp(t)
	pd := seedBenefitEnterprise(t, a, "91310115MA1K3BTP2B", "浦东专精特新", "310115", 0, domain.TierSpecialized)
	ent := a.as(a.user("ent", domain.RoleEnterprise, "", &pd.ID))
	wantStatus(t, ent.get("/benefits/calculator?benefit=B12-digital"), http.StatusOK)
	r := ent.post("/benefits/calculator", url.Values{"benefit": {"B12-digital"}, "amount": {"１００"}})
	wantStatus(t, r, http.StatusOK)
	if got := r.doc.Find(`[data-testid="calc-support"]`).Text(); got != "30" {
		t.Errorf("B12 support %q, want 30", got)
	}
	if r.doc.Find(`[data-testid="calc-eligible"]`).Length() != 1 || !strings.Contains(r.doc.Find(`[data-testid="calc-clause"]`).Text(), "措施（十二）") {
		t.Error("the calculation should say the enterprise qualifies and cite the clause")
	}
	r = a.post("/benefits/calculator", url.Values{"benefit": {"B09-tech-upgrade"}, "amount": {"300000"}, "special": {"1"}})
	if got := r.doc.Find(`[data-testid="calc-support"]`).Text(); got != "10000" || r.doc.Find(`[data-testid="calc-capped"]`).Length() != 1 {
		t.Errorf("B09 capped support %q", got)
	}
	r = a.post("/benefits/calculator", url.Values{"benefit": {"B13-guarantee"}, "amount": {"2000"}, "existing": {"abc"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "existing") == "" || inputValue(r, "existing") != "abc" {
		t.Error("bad existing balance: message and typed value")
	}
	r = a.post("/benefits/calculator", url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "benefit") == "" {
		t.Error("no benefit chosen")
	}
}

func TestBenefitParametersAdmin(t *testing.T) {
	a := newTestApp(t)
	r := a.get("/admin/benefit-parameters")
	wantStatus(t, r, http.StatusOK)
	row := r.doc.Find(`[data-testid="param-row"][data-key="benefit.B02.industry_groups"]`)
	if row.Find(`[data-testid="mark-unconfirmed"]`).Length() != 1 {
		t.Error("B02 industries must show 未经确认")
	}
	r = a.post("/admin/benefit-parameters", url.Values{"key": {"benefit.B12-digital.rate"}, "effective_from": {"2026-01-01"}, "value": {`"x"`}, "reason": {"t"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "value") == "" {
		t.Error("wrong kind accepted")
	}
	wantStatus(t, a.post("/admin/benefit-parameters", url.Values{"key": {"benefit.B02.industry_groups"}, "effective_from": {"2025-01-01"},
		"value": {`["industrial"]`}, "reason": {"经核实仅限工业"}}), http.StatusSeeOther)
	sw := seedBenefitEnterprise(t, a, "91310115MA1K3BTP2B", "软件升规企业", "310115", 2025, domain.TierBase)
	if err := a.db.W.Exec("UPDATE enterprises SET industry_group = 'software_it' WHERE id = ?", sw.ID).Error; err != nil {
		t.Fatal(err)
	}
	r = a.get(enterprisePathT(sw.ID))
	if o, _, ok := benefitCard(r, "B02-first-above-scale"); ok && o == "matched" {
		t.Error("override not applied: software_it still matched")
	}
}

func enterprisePathT(id int64) string { return fmt.Sprintf("/enterprises/%d", id) }
