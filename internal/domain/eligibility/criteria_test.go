package eligibility

import (
	"testing"

	"zjtx/internal/domain"
)

// critCase changes the strong fixture so that one criterion gets a status.
type critCase struct {
	name     string
	tier, id string
	set      func(f *Facts)
	want     Status
}

func runCrit(t *testing.T, rs string, cases []critCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(rs+"/"+c.id+"/"+c.name, func(t *testing.T) {
			f := strong(t, rs)
			c.set(&f)
			if err := Validate(f); err != nil {
				t.Fatalf("test facts invalid: %v", err)
			}
			v := Evaluate(f, nil)
			if v.RuleSet != rs {
				t.Fatalf("rule set %s", v.RuleSet)
			}
			wantStatus(t, crit(t, v, c.tier, c.id), c.want)
			route := c.id == "inn.direct" || c.id == "inn.tech_sme" || c.id == "inn.score"
			if c.want != Pass && !route && tierOf(&v, c.tier).Eligible {
				t.Errorf("%s eligible with %s %s", c.tier, c.id, c.want)
			}
		})
	}
}

func noop(*Facts) {}

// ELIGIBILITY.md §2, every tier and both rule sets.
func TestCommonCriteria(t *testing.T) {
	for _, rs := range []string{RuleSet2022, RuleSet2026} {
		for _, tier := range []string{"inn", "sp", "lg"} {
			runCrit(t, rs, []critCase{
				{"pass", tier, "common.registered", noop, Pass},
				{"not_shanghai", tier, "common.registered", func(f *Facts) { f.RegisteredInShanghai = bp(false) }, Fail},
				{"not_legal_person", tier, "common.registered", func(f *Facts) { f.IndependentLegalPerson = bp(false) }, Fail},
				{"pass", tier, "common.sme", noop, Pass},
				{"large", tier, "common.sme", func(f *Facts) { yr(f, 1).Employees = i64(1000); yr(f, 1).Revenue = f64(40000) }, Fail},
				{"unknown", tier, "common.sme", func(f *Facts) { yr(f, 1).Employees = nil }, Missing},
				{"pass", tier, "common.credit", noop, Pass},
				{"abnormal", tier, "common.credit", func(f *Facts) { f.AbnormalOperation = bp(true) }, Fail},
				{"dishonest", tier, "common.credit", func(f *Facts) { f.SeriousDishonesty = bp(true) }, Fail},
				{"pass", tier, "common.industry", noop, Pass},
				{"restricted", tier, "common.industry", func(f *Facts) { f.RestrictedIndustry = bp(true) }, Fail},
				{"pass", tier, "common.incidents", noop, Pass},
				{"incident", tier, "common.incidents", func(f *Facts) { f.MajorIncident3Y = bp(true) }, Fail},
				{"tax", tier, "common.incidents", func(f *Facts) { f.TaxViolation3Y = bp(true) }, Fail},
			})
		}
	}
}

func TestSizeFromYearBeforeAsOf(t *testing.T) {
	f := strong(t, RuleSet2026)
	yr(&f, 2).Employees = i64(5000) // only Y−1 counts
	v := Evaluate(f, nil)
	if v.Size != "small" {
		t.Errorf("size = %s", v.Size)
	}
	f.Years = []Year{{Year: 2020, Employees: i64(10)}}
	v = Evaluate(f, nil)
	c := crit(t, v, "inn", "common.sme")
	wantStatus(t, c, Missing)
	wantMsg(t, c, "years[2025].employees", "years[2025].revenue")
	if v.Size != "unknown" {
		t.Errorf("size = %s", v.Size)
	}
}

func TestInnovativeRoutes(t *testing.T) {
	for _, rs := range []string{RuleSet2022, RuleSet2026} {
		runCrit(t, rs, []critCase{
			{"honour", "inn", "inn.direct", noop, Pass},
			{"ip_demo", "inn", "inn.direct", func(f *Facts) { f.Honours = []string{HonourIPDemo} }, Pass},
			{"award_provincial", "inn", "inn.direct", func(f *Facts) {
				f.Honours = []string{}
				f.RDInstitution = InstNone
				f.Awards = []Award{{Level: LevelProvincial, Year: f.AsOf.Year() - 3}}
			}, Pass},
			{"award_too_old", "inn", "inn.direct", func(f *Facts) {
				f.Honours = []string{}
				f.RDInstitution = InstNone
				f.Awards = []Award{{Level: LevelNational, Year: f.AsOf.Year() - 4}}
			}, Fail},
			{"institution", "inn", "inn.direct", func(f *Facts) { f.Honours = []string{}; f.RDInstitution = InstNational }, Pass},
			{"equity_500", "inn", "inn.direct", func(f *Facts) {
				f.Honours, f.RDInstitution = []string{}, InstMunicipal
				yr(f, 3).EquityFinancing, yr(f, 2).EquityFinancing, yr(f, 1).EquityFinancing = f64(100), f64(150), f64(250)
			}, Pass},
			{"equity_499.99", "inn", "inn.direct", func(f *Facts) {
				f.Honours, f.RDInstitution = []string{}, InstMunicipal
				yr(f, 3).EquityFinancing, yr(f, 2).EquityFinancing, yr(f, 1).EquityFinancing = f64(100), f64(150), f64(249.99)
			}, Fail},
			{"nothing_reported", "inn", "inn.direct", func(f *Facts) {
				f.Honours, f.Awards, f.RDInstitution = nil, nil, ""
			}, Missing},
		})
	}
	// inn.tech_sme exists only under miit-2026.
	f := loadFixture(t, "inn_eligible_tech_sme_2026.json")
	v := Evaluate(f, nil)
	if !v.Tiers.Innovative.Eligible || len(v.Tiers.Innovative.Routes) != 1 || v.Tiers.Innovative.Routes[0] != "tech_sme" {
		t.Errorf("tech_sme route: %+v", v.Tiers.Innovative.Routes)
	}
	f.AsOf = domain.MustDate("2026-03-31")
	v = Evaluate(f, nil)
	if v.Tiers.Innovative.Eligible {
		t.Error("科技型中小企业 does not qualify under miit-2022")
	}
	if _, ok := v.Tiers.Innovative.Criterion("inn.tech_sme"); ok {
		t.Error("inn.tech_sme reported under miit-2022")
	}
}

// prereq: ELIGIBILITY.md §0 One step at a time.
func TestPrereq(t *testing.T) {
	for _, rs := range []string{RuleSet2022, RuleSet2026} {
		runCrit(t, rs, []critCase{
			{"base", "sp", "prereq", func(f *Facts) { f.CurrentTier = domain.TierBase }, Fail},
			{"innovative_valid", "sp", "prereq", func(f *Facts) { f.CurrentTier = domain.TierInnovative }, Pass},
			{"higher_tier", "sp", "prereq", func(f *Facts) { f.CurrentTier = domain.TierLittleGiant }, Pass},
			{"expired", "sp", "prereq", func(f *Facts) {
				f.CurrentTier = domain.TierInnovative
				f.CurrentTierValidUntil = f.AsOf.AddDays(-1)
			}, Fail},
			{"expires_on_as_of", "sp", "prereq", func(f *Facts) {
				f.CurrentTier = domain.TierInnovative
				f.CurrentTierValidUntil = f.AsOf
			}, Pass},
			{"no_expiry_given", "sp", "prereq", func(f *Facts) {
				f.CurrentTier = domain.TierInnovative
				f.CurrentTierValidUntil = domain.Date{}
			}, Pass},
			{"innovative_only", "lg", "prereq", func(f *Facts) { f.CurrentTier = domain.TierInnovative }, Fail},
			{"specialized", "lg", "prereq", noop, Pass},
			{"expired", "lg", "prereq", func(f *Facts) { f.CurrentTierValidUntil = f.AsOf.AddDays(-1) }, Fail},
		})
	}
	f := strong(t, RuleSet2026)
	f.CurrentTierValidUntil = domain.Date{}
	wantMsg(t, crit(t, Evaluate(f, nil), "sp", "prereq"), "current_tier_valid_until", "按有效处理")
}

func TestSpecialized2022Criteria(t *testing.T) {
	rs := RuleSet2022
	runCrit(t, rs, []critCase{
		{"2.00y", "sp", "sp.niche", func(f *Facts) { setNicheDays(f, 731) }, Pass},
		{"1.99y", "sp", "sp.niche", func(f *Facts) { setNicheDays(f, 730) }, Fail},
		{"missing", "sp", "sp.niche", func(f *Facts) { f.NicheSince = domain.Date{} }, Missing},
		{"edge", "sp", "sp.rd", func(f *Facts) { yr(f, 1).Revenue, yr(f, 1).RDExpense = f64(3333.34), f64(100.0002) }, Pass},
		{"amount_99.99", "sp", "sp.rd", func(f *Facts) { yr(f, 1).Revenue, yr(f, 1).RDExpense = f64(1000), f64(99.99) }, Fail},
		{"ratio_2.99", "sp", "sp.rd", func(f *Facts) { yr(f, 1).Revenue, yr(f, 1).RDExpense = f64(10000), f64(299.9) }, Fail},
		{"ratio_3.00", "sp", "sp.rd", func(f *Facts) { yr(f, 1).Revenue, yr(f, 1).RDExpense = f64(10000), f64(300) }, Pass},
		{"1000", "sp", "sp.revenue", func(f *Facts) { yr(f, 1).Revenue = f64(1000); yr(f, 1).RDExpense = f64(100) }, Pass},
		{"999.99", "sp", "sp.revenue", func(f *Facts) { yr(f, 1).Revenue = f64(999.99) }, Fail},
		{"small_with_equity", "sp", "sp.revenue", func(f *Facts) {
			yr(f, 1).Revenue = f64(900)
			yr(f, 2).EquityFinancing, yr(f, 1).EquityFinancing = f64(1000), f64(1000)
		}, Pass},
		{"equity_one_year_missing", "sp", "sp.revenue", func(f *Facts) {
			yr(f, 1).Revenue = f64(900)
			yr(f, 2).EquityFinancing, yr(f, 1).EquityFinancing = nil, f64(1000)
		}, Missing},
		{"score", "sp", "sp.score_or_direct", noop, Pass},
		{"low_score_chuangke", "sp", "sp.score_or_direct", func(f *Facts) {
			lowerSpScore(f)
			f.ChuangkeRank = i64(500)
		}, Pass},
		{"low_score_no_direct", "sp", "sp.score_or_direct", func(f *Facts) {
			lowerSpScore(f)
			f.ChuangkeRank = i64(501)
		}, Fail},
		{"low_score_provincial_top3", "sp", "sp.score_or_direct", func(f *Facts) {
			lowerSpScore(f)
			f.Awards = []Award{{Level: LevelProvincial, Rank: i64(3), Year: 2023}}
		}, Pass},
		{"low_score_provincial_4th", "sp", "sp.score_or_direct", func(f *Facts) {
			lowerSpScore(f)
			f.Awards = []Award{{Level: LevelProvincial, Rank: i64(4), Year: 2023}}
		}, Fail},
		{"low_score_national_5th", "sp", "sp.score_or_direct", func(f *Facts) {
			lowerSpScore(f)
			f.Awards = []Award{{Level: LevelNational, Rank: i64(5), Year: 2022}}
		}, Pass},
		{"low_score_rd_avg", "sp", "sp.score_or_direct", func(f *Facts) {
			lowerSpScore(f)
			yr(f, 2).RDExpense, yr(f, 1).RDExpense = f64(900), f64(1100)
		}, Pass},
		{"low_score_equity_6000", "sp", "sp.score_or_direct", func(f *Facts) {
			lowerSpScore(f)
			yr(f, 2).EquityFinancing, yr(f, 1).EquityFinancing = f64(3000), f64(3000)
		}, Pass},
	})
}

// lowerSpScore drops the 2022 specialized score below 60 while keeping the required criteria.
func lowerSpScore(f *Facts) {
	f.LocalScore = f64(0)
	f.ChainRole = ChainNone
	f.DigitalLevel = i64(1)
	f.Quality = []string{}
	f.RDInstitution = InstNone
	f.IP = &IP{Class1: i64(0), Class1SelfDeveloped: i64(0), Class1HighValue: i64(0), Class2: i64(0), Class1InUse: i64(0)}
	for i := range f.Years {
		f.Years[i].NetProfit = f64(0)
	}
	f.Awards = []Award{}
	f.ChuangkeRank = nil
}

func TestSpecialized2026Criteria(t *testing.T) {
	rs := RuleSet2026
	runCrit(t, rs, []critCase{
		{"3.00y", "sp", "sp.niche", func(f *Facts) { setNicheDays(f, 1096) }, Pass},
		{"2.99y", "sp", "sp.niche", func(f *Facts) { setNicheDays(f, 1095) }, Fail},
		{"1500", "sp", "sp.revenue", func(f *Facts) { scaleY1(f, 1500) }, Pass},
		{"1499.99", "sp", "sp.revenue", func(f *Facts) { scaleY1(f, 1499.99) }, Fail},
		{"small_with_equity", "sp", "sp.revenue", func(f *Facts) {
			scaleY1(f, 1400)
			yr(f, 2).EquityFinancing, yr(f, 1).EquityFinancing = f64(500), f64(1500)
		}, Pass},
		{"main_80", "sp", "sp.structure", func(f *Facts) { yr(f, 1).MainRevenue = f64(8000) }, Pass},
		{"main_79.99", "sp", "sp.structure", func(f *Facts) { yr(f, 1).MainRevenue = f64(7999) }, Fail},
		{"debt_80", "sp", "sp.structure", func(f *Facts) { yr(f, 1).TotalLiabilities = f64(8000) }, Pass},
		{"debt_80.01", "sp", "sp.structure", func(f *Facts) { yr(f, 1).TotalLiabilities = f64(8001) }, Fail},
		{"rd_y2_ratio_low", "sp", "sp.rd", func(f *Facts) { yr(f, 2).RDExpense = f64(269.99) }, Fail},
		{"rd_y2_ratio_edge", "sp", "sp.rd", func(f *Facts) { yr(f, 2).RDExpense = f64(270) }, Pass},
		{"rd_y2_missing", "sp", "sp.rd", func(f *Facts) { yr(f, 2).RDExpense = nil }, Missing},
		{"rd_amount_low", "sp", "sp.rd", func(f *Facts) { scaleY1(f, 3000); yr(f, 1).RDExpense = f64(99.99) }, Fail},
		{"ip_in_use", "sp", "sp.ip", noop, Pass},
		{"ip_none", "sp", "sp.ip", func(f *Facts) { f.IP.Class1InUse = i64(0); f.RDInstitution = InstMunicipal }, Fail},
		{"ip_waived_institution", "sp", "sp.ip", func(f *Facts) { f.IP.Class1InUse = i64(0) }, Pass},
		{"ip_waived_ministerial_award", "sp", "sp.ip", func(f *Facts) {
			f.IP.Class1InUse = i64(0)
			f.RDInstitution = InstMunicipal
			f.Awards = []Award{{Level: LevelMinisterial, Rank: i64(3), Year: 2024}}
		}, Pass},
		{"ip_missing", "sp", "sp.ip", func(f *Facts) { f.IP = nil; f.RDInstitution = InstMunicipal }, Missing},
		{"attested", "sp", "sp.market", noop, Pass},
		{"not_attested", "sp", "sp.market", func(f *Facts) { f.MarketPositionAttested = bp(false) }, Fail},
		{"unreviewed", "sp", "sp.market", func(f *Facts) { f.MarketPositionAttested = nil }, Missing},
		{"50", "sp", "sp.dev_score", func(f *Facts) { f.DevScore = map[string]float64{"2026": 50} }, Pass},
		{"49.9", "sp", "sp.dev_score", func(f *Facts) { f.DevScore = map[string]float64{"2026": 49.9, "2025": 80} }, Fail},
		{"missing", "sp", "sp.dev_score", func(f *Facts) { f.DevScore = map[string]float64{"2025": 80} }, Missing},
	})
}

// scaleY1 sets revenue Y−1 and keeps the ratios of the strong fixture (main 95%, R&D 9%).
func scaleY1(f *Facts, revenue float64) {
	y := yr(f, 1)
	y.Revenue, y.MainRevenue, y.RDExpense = f64(revenue), f64(revenue*0.95), f64(revenue*0.09)
}

func TestLittleGiant2022Criteria(t *testing.T) {
	rs := RuleSet2022
	runCrit(t, rs, []critCase{
		{"niche_2.99y", "lg", "lg.zhuan", func(f *Facts) { setNicheDays(f, 1095) }, Fail},
		{"main_70", "lg", "lg.zhuan", func(f *Facts) { setMain(f, 6000, 6500, 7000) }, Pass},
		{"main_69.99", "lg", "lg.zhuan", func(f *Facts) { setMain(f, 6000, 6500, 6999) }, Fail},
		{"growth_5", "lg", "lg.zhuan", func(f *Facts) { setMain(f, 8000, 8000, 8800) }, Pass},
		{"growth_4.99", "lg", "lg.zhuan", func(f *Facts) { setMain(f, 8000, 8000, 8799) }, Fail},
		{"info_system_no", "lg", "lg.jing", func(f *Facts) { f.InfoSystemCoreBusiness = bp(false) }, Fail},
		{"cert_missing", "lg", "lg.jing", func(f *Facts) { f.MgmtCertification = nil }, Missing},
		{"debt_70", "lg", "lg.jing", func(f *Facts) { yr(f, 1).TotalLiabilities = f64(7000) }, Pass},
		{"debt_70.01", "lg", "lg.jing", func(f *Facts) { yr(f, 1).TotalLiabilities = f64(7001) }, Fail},
		{"share_10", "lg", "lg.te", func(f *Facts) { f.MarketShareDomestic = f64(10) }, Pass},
		{"share_9.99", "lg", "lg.te", func(f *Facts) { f.MarketShareDomestic = f64(9.99) }, Fail},
		{"no_brand", "lg", "lg.te", func(f *Facts) { f.OwnBrand = bp(false) }, Fail},
		{"xin_large_3pct", "lg", "lg.xin", func(f *Facts) { yr(f, 2).RDExpense = f64(270) }, Pass},
		{"xin_large_2.99pct", "lg", "lg.xin", func(f *Facts) { yr(f, 2).RDExpense = f64(269.99); f.ChuangkeRank = nil }, Fail},
		{"xin_mid_needs_6pct", "lg", "lg.xin", func(f *Facts) {
			scaleY1(f, 9999.99)
			yr(f, 1).RDExpense = f64(550)
			f.ChuangkeRank = nil
		}, Fail},
		{"xin_mid_6pct", "lg", "lg.xin", func(f *Facts) { scaleY1(f, 5000); yr(f, 1).RDExpense = f64(300) }, Pass},
		{"xin_small", "lg", "lg.xin", func(f *Facts) {
			scaleY1(f, 4999)
			yr(f, 2).EquityFinancing, yr(f, 1).EquityFinancing = f64(4000), f64(4000)
			yr(f, 2).RDExpense, yr(f, 1).RDExpense = f64(1500), f64(1500)
			yr(f, 1).Employees, yr(f, 1).RDStaff = i64(100), i64(50)
		}, Pass},
		{"xin_small_staff_49", "lg", "lg.xin", func(f *Facts) {
			scaleY1(f, 4999)
			yr(f, 2).EquityFinancing, yr(f, 1).EquityFinancing = f64(4000), f64(4000)
			yr(f, 2).RDExpense, yr(f, 1).RDExpense = f64(1500), f64(1500)
			yr(f, 1).Employees, yr(f, 1).RDStaff = i64(100), i64(49)
			f.ChuangkeRank = nil
		}, Fail},
		{"xin_no_institution", "lg", "lg.xin", func(f *Facts) { f.RDInstitution = InstNone; f.ChuangkeRank = nil }, Fail},
		{"xin_ip_1", "lg", "lg.xin", func(f *Facts) { f.IP.Class1InUse = i64(1); f.ChuangkeRank = nil }, Fail},
		{"xin_direct_chuangke_50", "lg", "lg.xin", func(f *Facts) { f.IP.Class1InUse = i64(1); f.ChuangkeRank = i64(50) }, Pass},
		{"xin_direct_national_top3", "lg", "lg.xin", func(f *Facts) {
			f.IP.Class1InUse = i64(1)
			f.Awards = []Award{{Level: LevelNational, Rank: i64(3), Year: 2022}}
		}, Pass},
		{"key_link", "lg", "lg.lian", noop, Pass},
		{"supporting", "lg", "lg.lian", func(f *Facts) { f.ChainRole = ChainSupporting }, Fail},
		{"priority", "lg", "lg.pin", noop, Pass},
		{"not_priority", "lg", "lg.pin", func(f *Facts) { f.PriorityField = bp(false) }, Fail},
		{"clean", "lg", "lg.exclusions", noop, Pass},
		{"single_champion", "lg", "lg.exclusions", func(f *Facts) { f.Honours = []string{HonourSingleChampion} }, Fail},
		{"controlled", "lg", "lg.exclusions", func(f *Facts) { f.ControlledByLG = bp(true) }, Fail},
		{"group", "lg", "lg.exclusions", func(f *Facts) { f.GroupSimilarLG = bp(true) }, Fail},
	})
}

func setMain(f *Facts, y3, y2, y1 float64) {
	yr(f, 3).MainRevenue, yr(f, 2).MainRevenue, yr(f, 1).MainRevenue = f64(y3), f64(y2), f64(y1)
}

func TestLittleGiant2026Criteria(t *testing.T) {
	rs := RuleSet2026
	runCrit(t, rs, []critCase{
		{"3.00y", "lg", "lg.niche", func(f *Facts) { setNicheDays(f, 1096) }, Pass},
		{"2.99y", "lg", "lg.niche", func(f *Facts) { setNicheDays(f, 1095) }, Fail},
		{"revenue_5000", "lg", "lg.scale", func(f *Facts) { scaleY1(f, 5000); yr(f, 3).Revenue = f64(4000) }, Pass},
		{"revenue_4999.99", "lg", "lg.scale", func(f *Facts) { scaleY1(f, 4999.99); yr(f, 3).Revenue = f64(4000) }, Fail},
		{"main_90", "lg", "lg.scale", func(f *Facts) { yr(f, 1).MainRevenue = f64(9000) }, Pass},
		{"main_89.99", "lg", "lg.scale", func(f *Facts) { yr(f, 1).MainRevenue = f64(8999) }, Fail},
		// sqrt(11025/10000) − 1 = 5% exactly
		{"cagr_5", "lg", "lg.scale", func(f *Facts) { yr(f, 3).Revenue = f64(10000); scaleY1(f, 11025) }, Pass},
		{"cagr_4.99", "lg", "lg.scale", func(f *Facts) { yr(f, 3).Revenue = f64(10000); scaleY1(f, 11024) }, Fail},
		{"cagr_missing", "lg", "lg.scale", func(f *Facts) { yr(f, 3).Revenue = nil }, Missing},
		{"debt_75", "lg", "lg.scale", func(f *Facts) { yr(f, 1).TotalLiabilities = f64(7500) }, Pass},
		{"debt_75.01", "lg", "lg.scale", func(f *Facts) { yr(f, 1).TotalLiabilities = f64(7501) }, Fail},
		{"rd_1200", "lg", "lg.rd", func(f *Facts) { yr(f, 2).RDExpense, yr(f, 1).RDExpense = f64(300), f64(900) }, Pass},
		{"rd_1199.99", "lg", "lg.rd", func(f *Facts) { yr(f, 2).RDExpense, yr(f, 1).RDExpense = f64(299.99), f64(900) }, Fail},
		{"rd_ratio_y1_low", "lg", "lg.rd", func(f *Facts) { yr(f, 2).RDExpense, yr(f, 1).RDExpense = f64(1000), f64(299.99) }, Fail},
		{"ip_4", "lg", "lg.ip", func(f *Facts) { f.IP.Class1InUse = i64(4) }, Pass},
		{"ip_3", "lg", "lg.ip", func(f *Facts) { f.IP.Class1InUse = i64(3) }, Fail},
		{"ip_3_national_award", "lg", "lg.ip", func(f *Facts) {
			f.IP.Class1InUse = i64(3)
			f.Awards = []Award{{Level: LevelNational, Rank: i64(2), Year: 2023}}
		}, Pass},
		{"ip_3_provincial_award", "lg", "lg.ip", func(f *Facts) {
			f.IP.Class1InUse = i64(3)
			f.Awards = []Award{{Level: LevelProvincial, Rank: i64(1), Year: 2023}}
		}, Fail},
		{"domestic_10", "lg", "lg.market", func(f *Facts) { f.MarketShareDomestic = f64(10); f.MarketRankDomestic = nil }, Pass},
		{"international_10", "lg", "lg.market", func(f *Facts) {
			f.MarketShareDomestic, f.MarketShareIntl, f.MarketRankDomestic = f64(1), f64(10), nil
		}, Pass},
		{"rank_3", "lg", "lg.market", func(f *Facts) { f.MarketShareDomestic, f.MarketRankDomestic = f64(1), i64(3) }, Pass},
		{"none", "lg", "lg.market", func(f *Facts) {
			f.MarketShareDomestic, f.MarketShareIntl, f.MarketRankDomestic = f64(9.99), f64(9.99), i64(4)
		}, Fail},
		{"priority", "lg", "lg.field", func(f *Facts) { f.ChainRole = ChainSupporting }, Pass},
		{"key_link", "lg", "lg.field", func(f *Facts) { f.PriorityField = bp(false) }, Pass},
		{"neither", "lg", "lg.field", func(f *Facts) { f.PriorityField = bp(false); f.ChainRole = ChainSupporting }, Fail},
		{"60", "lg", "lg.dev_score", func(f *Facts) { f.DevScore = map[string]float64{"2026": 60} }, Pass},
		{"59.99", "lg", "lg.dev_score", func(f *Facts) { f.DevScore = map[string]float64{"2026": 59.99} }, Fail},
		{"single_champion", "lg", "lg.exclusions", func(f *Facts) { f.Honours = []string{HonourSingleChampion} }, Fail},
	})
}

// Renewal reviews skip the growth criteria marked "(not assessed on a renewal review)" and take
// the dev score of either of the last 2 years (ELIGIBILITY.md §4–§6).
func TestRenewal(t *testing.T) {
	f := strong(t, RuleSet2022)
	setMain(&f, 9500, 9500, 9500) // 0% growth
	v := Evaluate(f, nil)
	wantStatus(t, crit(t, v, "lg", "lg.zhuan"), Fail)
	f.Renewal = bp(true)
	v = Evaluate(f, nil)
	wantStatus(t, crit(t, v, "lg", "lg.zhuan"), Pass)
	wantMsg(t, crit(t, v, "lg", "lg.zhuan"), "复核")
	if !v.Tiers.LittleGiant.Eligible || !v.Renewal {
		t.Error("renewal should be eligible")
	}

	g := strong(t, RuleSet2026)
	yr(&g, 3).Revenue = f64(10000) // 0% compound growth
	v = Evaluate(g, nil)
	wantStatus(t, crit(t, v, "lg", "lg.scale"), Fail)
	g.Renewal = bp(true)
	v = Evaluate(g, nil)
	wantStatus(t, crit(t, v, "lg", "lg.scale"), Pass)

	g.DevScore = map[string]float64{"2026": 45, "2025": 62}
	v = Evaluate(g, nil)
	wantStatus(t, crit(t, v, "sp", "sp.dev_score"), Pass)
	wantStatus(t, crit(t, v, "lg", "lg.dev_score"), Pass)
	g.Renewal = bp(false)
	v = Evaluate(g, nil)
	wantStatus(t, crit(t, v, "sp", "sp.dev_score"), Fail)
	wantStatus(t, crit(t, v, "lg", "lg.dev_score"), Fail)
	g.Renewal = bp(true)
	g.DevScore = map[string]float64{"2026": 45}
	v = Evaluate(g, nil)
	wantStatus(t, crit(t, v, "sp", "sp.dev_score"), Missing)
}

// The same facts on 2026-03-31 and 2026-04-01 fall under different rule sets (§0).
func TestAsOfSwitch(t *testing.T) {
	f := strong(t, RuleSet2026)
	f.AsOf = domain.MustDate("2026-03-31")
	v1 := Evaluate(f, nil)
	f.AsOf = domain.MustDate("2026-04-01")
	v2 := Evaluate(f, nil)
	if v1.RuleSet != RuleSet2022 || v2.RuleSet != RuleSet2026 {
		t.Fatalf("rule sets %s, %s", v1.RuleSet, v2.RuleSet)
	}
	if !v1.Tiers.Specialized.Score.Set || v2.Tiers.Specialized.Score.Set {
		t.Error("only miit-2022 has a specialized score")
	}
	if _, ok := v1.Tiers.Specialized.Criterion("sp.structure"); ok {
		t.Error("sp.structure is miit-2026 only")
	}
	if _, ok := v2.Tiers.LittleGiant.Criterion("lg.zhuan"); ok {
		t.Error("lg.zhuan is miit-2022 only")
	}
	if v1.ParamsVersion == v2.ParamsVersion {
		t.Error("parameter versions should differ across the switch")
	}
	// a niche of 2.5 years passes sp.niche under 2022 (≥ 2) but not under 2026 (≥ 3)
	setNicheDays(&f, 913)
	f.AsOf = domain.MustDate("2026-03-31")
	wantStatus(t, crit(t, Evaluate(f, nil), "sp", "sp.niche"), Pass)
	f.AsOf = domain.MustDate("2026-04-01")
	wantStatus(t, crit(t, Evaluate(f, nil), "sp", "sp.niche"), Fail)
}

// Absent inputs are missing, never pass, and the message names the field.
func TestMissingInputs(t *testing.T) {
	v := Evaluate(loadFixture(t, "minimal_2022.json"), nil)
	for _, tier := range []string{"inn", "sp", "lg"} {
		tr := tierOf(&v, tier)
		if tr.Eligible {
			t.Errorf("%s eligible on minimal facts", tier)
		}
		for _, c := range tr.Criteria {
			if c.Status == Pass && c.Route != RouteCommon && c.ID != "lg.exclusions" {
				t.Errorf("%s %s passes without data: %s", tier, c.ID, c.Message)
			}
			if c.Status == Missing && c.Message == "" {
				t.Errorf("%s %s missing without a message", tier, c.ID)
			}
		}
	}
	wantStatus(t, crit(t, v, "inn", "common.sme"), Missing)
	wantMsg(t, crit(t, v, "inn", "inn.rd"), "years[2024].rd_expense", "years[2024].revenue")
	wantStatus(t, crit(t, v, "sp", "sp.niche"), Missing)
	wantMsg(t, crit(t, v, "sp", "sp.niche"), "niche_since")
	if !v.Tiers.Innovative.Score.Set || v.Tiers.Innovative.Score.V != 0 {
		t.Errorf("score should be computed (0), got %+v", v.Tiers.Innovative.Score)
	}
}

func TestFixtures(t *testing.T) {
	cases := []struct {
		file        string
		rs          string
		inn, sp, lg bool
		failing     []string // tier:id expected not to pass
	}{
		{"strong_2022.json", RuleSet2022, true, true, true, nil},
		{"strong_2026.json", RuleSet2026, true, true, true, nil},
		{"inn_eligible_direct_2022.json", RuleSet2022, true, false, false, []string{"inn:inn.score", "sp:prereq"}},
		{"inn_ineligible_2022.json", RuleSet2022, false, false, false, []string{"inn:inn.score", "inn:inn.direct"}},
		{"inn_eligible_tech_sme_2026.json", RuleSet2026, true, false, false, []string{"inn:inn.score", "inn:inn.direct"}},
		{"inn_ineligible_2026.json", RuleSet2026, false, false, false, []string{"inn:inn.tech_sme"}},
		{"sp_eligible_2022.json", RuleSet2022, true, true, false, []string{"lg:prereq"}},
		{"sp_eligible_2026.json", RuleSet2026, true, true, false, []string{"lg:prereq"}},
		{"sp_ineligible_2022.json", RuleSet2022, true, false, false, []string{"sp:sp.niche"}},
		{"sp_ineligible_2026.json", RuleSet2026, true, false, false, []string{"sp:sp.dev_score", "lg:lg.dev_score"}},
		{"lg_ineligible_2022.json", RuleSet2022, true, true, false, []string{"lg:lg.te"}},
		{"lg_ineligible_2026.json", RuleSet2026, true, true, false, []string{"lg:lg.ip"}},
		{"large_2026.json", RuleSet2026, false, false, false, []string{"inn:common.sme", "sp:common.sme", "lg:common.sme"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			v := Evaluate(loadFixture(t, c.file), nil)
			if v.RuleSet != c.rs {
				t.Errorf("rule set %s", v.RuleSet)
			}
			got := [3]bool{v.Tiers.Innovative.Eligible, v.Tiers.Specialized.Eligible, v.Tiers.LittleGiant.Eligible}
			if got != [3]bool{c.inn, c.sp, c.lg} {
				t.Errorf("eligible inn/sp/lg = %v, want %v", got, [3]bool{c.inn, c.sp, c.lg})
			}
			for _, tf := range c.failing {
				tier, id := tf[:len(tf)-len(tf[indexColon(tf):])], tf[indexColon(tf)+1:]
				if cr := crit(t, v, tier, id); cr.Status == Pass {
					t.Errorf("%s passes: %s", tf, cr.Message)
				}
			}
			for _, tier := range []domain.Tier{domain.TierInnovative, domain.TierSpecialized, domain.TierLittleGiant} {
				r := v.Tiers.Get(tier)
				if r.Eligible && len(Gap(v, tier)) > 0 && tier != domain.TierInnovative && tier != domain.TierSpecialized {
					t.Errorf("%s eligible with gaps %v", tier, Gap(v, tier))
				}
				if !r.Eligible && len(Gap(v, tier)) == 0 {
					t.Errorf("%s not eligible and no gap", tier)
				}
			}
		})
	}
}

func indexColon(s string) int {
	for i := range s {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}

func TestNextTierAndGap(t *testing.T) {
	f := loadFixture(t, "sp_ineligible_2022.json")
	v := Evaluate(f, nil)
	if v.NextTier == nil || *v.NextTier != domain.TierSpecialized {
		t.Fatalf("next tier = %v", v.NextTier)
	}
	gap := Gap(v, *v.NextTier)
	found := false
	for _, c := range gap {
		if c.Status == Pass {
			t.Errorf("gap lists a passed criterion %s", c.ID)
		}
		found = found || c.ID == "sp.niche"
	}
	if !found {
		t.Error("gap should list sp.niche")
	}
	f.CurrentTier = domain.TierLittleGiant
	if v := Evaluate(f, nil); v.NextTier != nil {
		t.Errorf("no rung above little_giant, got %v", *v.NextTier)
	}
}
