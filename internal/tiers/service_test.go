package tiers_test

import (
	"context"
	"errors"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
	"zjtx/internal/tiers"
)

var (
	all   = domain.Scope{All: true}
	today = domain.MustDate("2026-06-30")
	city  = store.Actor{UserID: 0, Name: "市级 测试员"}
)

func m(w int64) *domain.Money { x := domain.Wan(w); return &x }
func n(v int64) *int64        { return &v }
func b(v bool) *bool          { return &v }

// seedQualified stores an enterprise that qualifies for 创新型 (高新技术企业, direct route)
// and, once 创新型, for 专精特新 under miit-2026.
func seedQualified(t *testing.T, db *store.DB) domain.Enterprise {
	t.Helper()
	ctx := context.Background()
	e := domain.Enterprise{USCC: "91310115MA1K3BTP2B", Name: "上海资格测试有限公司", DistrictCode: "310115",
		IndustryGroup: domain.GroupIndustrial, Labels: domain.Labels{HighTech: true}, FoundedOn: domain.MustDate("2015-01-01"),
		NicheSince: domain.MustDate("2018-01-01")}
	ents := store.NewEnterprises(db)
	if err := ents.Create(ctx, store.System, &e); err != nil {
		t.Fatal(err)
	}
	for _, y := range []domain.YearFigures{
		{Year: 2023, Employees: n(150), RDStaff: n(30), Revenue: m(4000), MainRevenue: m(3800), RDExpense: m(200), TotalAssets: m(6000), TotalLiabilities: m(2500)},
		{Year: 2024, Employees: n(160), RDStaff: n(32), Revenue: m(4500), MainRevenue: m(4300), RDExpense: m(220), TotalAssets: m(6500), TotalLiabilities: m(2600)},
		{Year: 2025, Employees: n(170), RDStaff: n(35), Revenue: m(5200), MainRevenue: m(5000), RDExpense: m(260), TotalAssets: m(7000), TotalLiabilities: m(2800), NetProfit: m(400)},
	} {
		y.EnterpriseID = e.ID
		if err := ents.SaveYear(ctx, store.System, &y); err != nil {
			t.Fatal(err)
		}
	}
	sheet := store.FactSheet{Facts: domain.EnterpriseFacts{EnterpriseID: e.ID, IPClass1: n(3), IPClass1InUse: n(2),
		MarketPositionAttested: b(true)}, DevScores: []domain.DevScore{{Year: 2026, Score: 66}}}
	if err := store.NewFacts(db).SaveFacts(ctx, store.System, sheet); err != nil {
		t.Fatal(err)
	}
	e, _ = ents.Get(ctx, all, e.ID)
	return e
}

func promote(s *tiers.Service, id int64, to domain.Tier, cert string) (domain.Decision, error) {
	return s.Promote(context.Background(), city, all, tiers.PromoteRequest{EnterpriseID: id, ToTier: to, AsOf: today,
		CertificateNo: cert, Batch: "2026年第一批"})
}

func TestPromotionOneRungAtATimeWithDecisionRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := tiers.New(db)
		e := seedQualified(t, db)

		// Skipping a rung is refused before any evaluation.
		_, err := promote(s, e.ID, domain.TierSpecialized, "X-1")
		if r, ok := tiers.IsRefusal(err); !ok || r.Decision != nil {
			t.Fatalf("base → specialized: %v", err)
		}
		// Missing certificate details are a form error, nothing recorded.
		if _, err := s.Promote(ctx, city, all, tiers.PromoteRequest{EnterpriseID: e.ID, ToTier: domain.TierInnovative, AsOf: today}); !errors.As(err, new(*tiers.FormError)) {
			t.Fatalf("no certificate: %v", err)
		}

		d, err := promote(s, e.ID, domain.TierInnovative, "沪创新2026-00001")
		if err != nil {
			t.Fatalf("innovative: %v", err)
		}
		if d.Outcome != domain.OutcomeGranted || d.ValidUntil != domain.MustDate("2029-06-30") || d.RuleSet != "miit-2026" || d.Facts == "" || d.Verdict == "" {
			t.Fatalf("decision = %+v", d)
		}
		got, _ := store.NewEnterprises(db).Get(ctx, all, e.ID)
		if got.Tier != domain.TierInnovative || got.TierValidUntil != d.ValidUntil {
			t.Fatalf("enterprise after promotion: %s until %s", got.Tier, got.TierValidUntil)
		}
		// The decision record cannot be altered.
		if err := db.W.Exec("UPDATE tier_decisions SET outcome = 'refused' WHERE id = ?", d.ID).Error; err == nil {
			t.Fatal("decision record was updated")
		}

		// Little giant needs MIIT; a refusal for failing criteria is recorded with its reasons.
		if _, err := promote(s, e.ID, domain.TierLittleGiant, "x"); err == nil {
			t.Fatal("innovative → little giant accepted")
		}
		// Remove the attestation: 专精特新 now fails sp.market and says so.
		sheet, _ := store.NewFacts(db).Get(ctx, e.ID)
		sheet.Facts.MarketPositionAttested = nil
		if err := store.NewFacts(db).SaveFacts(ctx, store.System, sheet); err != nil {
			t.Fatal(err)
		}
		_, err = promote(s, e.ID, domain.TierSpecialized, "沪专精2026-00001")
		r, ok := tiers.IsRefusal(err)
		if !ok || r.Decision == nil || r.Decision.Outcome != domain.OutcomeRefused || r.Verdict == nil {
			t.Fatalf("failing promotion: %v", err)
		}
		if sp, ok := r.Verdict.Tiers.Specialized.Criterion("sp.market"); !ok || sp.Status.String() != "missing" {
			t.Errorf("sp.market = %+v", sp)
		}
		decisions, _ := store.NewDecisions(db).ForEnterprise(ctx, e.ID)
		if len(decisions) != 2 || decisions[0].Outcome != domain.OutcomeRefused {
			t.Fatalf("decisions = %+v", decisions)
		}
		got, _ = store.NewEnterprises(db).Get(ctx, all, e.ID)
		if got.Tier != domain.TierInnovative {
			t.Fatalf("refused promotion changed the tier to %s", got.Tier)
		}
	})
}

func TestDistrictRecommendationThenCityConfirms(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	s := tiers.New(db)
	e := seedQualified(t, db)
	district := store.Actor{Name: "浦东新区 审核员"}
	if _, err := s.Recommend(ctx, district, domain.Scope{District: "310115"}, e.ID, domain.TierInnovative, today, "初审通过"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Recommend(ctx, district, domain.Scope{District: "310115"}, e.ID, domain.TierInnovative, today, ""); err == nil {
		t.Fatal("a second open recommendation was accepted")
	}
	if _, err := s.Recommend(ctx, district, domain.Scope{District: "310104"}, e.ID, domain.TierInnovative, today, ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another district's officer: %v", err)
	}
	apps, _ := store.NewDecisions(db).Applications(ctx, all, domain.AppDistrictRecommended)
	if len(apps) != 1 {
		t.Fatalf("queue = %+v", apps)
	}
	d, err := promote(s, e.ID, domain.TierInnovative, "沪创新2026-00002")
	if err != nil || d.ApplicationID == nil {
		t.Fatalf("confirm: %+v %v", d, err)
	}
	apps, _ = store.NewDecisions(db).Applications(ctx, all, domain.AppDistrictRecommended)
	if len(apps) != 0 {
		t.Fatal("application still open after the promotion")
	}
}

func TestLittleGiantThroughMIIT(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	s := tiers.New(db)
	e := seedQualified(t, db)
	// Put the enterprise at 专精特新 directly, as history would.
	if err := db.Tx(ctx, func(tx *gormDB) error {
		return store.AddTierEvent(tx, &domain.TierEvent{EnterpriseID: e.ID, Kind: domain.EventRecorded, FromTier: domain.TierBase,
			ToTier: domain.TierSpecialized, EffectiveOn: domain.MustDate("2025-01-01"), ValidUntil: domain.MustDate("2028-01-01")})
	}); err != nil {
		t.Fatal(err)
	}
	// 2026 little giant needs far more (revenue ≥ 5000 万 with 90% main business, ≥ 4 IP …): refused, recorded.
	_, err := s.Recommend(ctx, city, all, e.ID, domain.TierLittleGiant, today, "")
	if r, ok := tiers.IsRefusal(err); !ok || r.Decision == nil {
		t.Fatalf("recommendation of an unqualified enterprise: %v", err)
	}
	if _, err := s.RecordMIITResult(ctx, city, all, e.ID, today, tiers.MIITResult{Granted: true, CertificateNo: "x", Batch: "第七批"}); err == nil {
		t.Fatal("a MIIT result without a recommendation was recorded")
	}
}

func TestRenewRevokeExpire(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	s := tiers.New(db)
	e := seedQualified(t, db)
	if _, err := promote(s, e.ID, domain.TierInnovative, "沪创新2026-00003"); err != nil {
		t.Fatal(err)
	}
	d, err := s.Renew(ctx, city, all, e.ID, today)
	if err != nil || d.ValidUntil != domain.MustDate("2032-06-30") {
		t.Fatalf("renewal: %+v %v", d, err)
	}
	// Falsified data: revoked and barred for three years.
	if _, err := s.Revoke(ctx, city, all, e.ID, tiers.RevokeRequest{Reason: domain.RevokeFalsified, AsOf: today}); !errors.As(err, new(*tiers.FormError)) {
		t.Fatalf("revocation without evidence: %v", err)
	}
	if _, err := s.Revoke(ctx, city, all, e.ID, tiers.RevokeRequest{Reason: domain.RevokeFalsified, Evidence: "审计报告数据不实", AsOf: today}); err != nil {
		t.Fatal(err)
	}
	got, _ := store.NewEnterprises(db).Get(ctx, all, e.ID)
	if got.Tier != domain.TierBase || got.BarredUntil != domain.MustDate("2029-06-30") {
		t.Fatalf("after revocation: %s barred until %s", got.Tier, got.BarredUntil)
	}
	_, err = promote(s, e.ID, domain.TierInnovative, "沪创新2026-00004")
	if r, ok := tiers.IsRefusal(err); !ok || r.Decision != nil {
		t.Fatalf("barred enterprise promoted: %v", err)
	}

	// Expiry: a title that ended yesterday drops, once, even when run twice.
	other := domain.Enterprise{USCC: "91310000631696382C", Name: "到期企业", DistrictCode: "310101", IndustryGroup: domain.GroupOther}
	if err := store.NewEnterprises(db).Create(ctx, store.System, &other); err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(ctx, func(tx *gormDB) error {
		return store.AddTierEvent(tx, &domain.TierEvent{EnterpriseID: other.ID, Kind: domain.EventRecorded, FromTier: domain.TierBase,
			ToTier: domain.TierInnovative, EffectiveOn: domain.MustDate("2023-06-29"), ValidUntil: domain.MustDate("2026-06-29")})
	}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 0} {
		n, err := s.ExpireDue(ctx, today)
		if err != nil || n != want {
			t.Fatalf("run %d: expired %d, %v", i+1, n, err)
		}
	}
	got, _ = store.NewEnterprises(db).Get(ctx, all, other.ID)
	if got.Tier != domain.TierBase || !got.TierValidUntil.IsZero() {
		t.Fatalf("expired enterprise: %+v", got)
	}
	evs, _ := store.NewEnterprises(db).TierEvents(ctx, other.ID)
	if len(evs) != 2 || evs[0].Kind != domain.EventExpired || evs[0].EffectiveOn != domain.MustDate("2026-06-30") {
		t.Fatalf("events = %+v", evs)
	}
}
