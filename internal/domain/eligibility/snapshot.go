package eligibility

import (
	"fmt"

	"zjtx/internal/domain"
)

// Snapshot is the parameter set compiled for one interval of dates: typed fields, no maps, so
// Evaluate reads them cheaply. Percentages are held as fractions (3% → 0.03).
type Snapshot struct {
	From    domain.Date // first date of the interval
	RuleSet string
	version string

	RecentYears int // 近三年 = years ≥ Y − RecentYears

	Inn  InnParams
	Sp22 Sp2022Params
	Sp26 Sp2026Params
	Lg22 Lg2022Params
	Lg26 Lg2026Params
}

// Version is the fingerprint of the parameter values this snapshot was compiled from.
func (s *Snapshot) Version() string { return s.version }

// IPPoints are the points of an IP indicator by best class held.
type IPPoints struct{ HighValue, SelfDeveloped, Class1, Class2, None float64 }

func (p IPPoints) max() float64 { return max(p.HighValue, p.SelfDeveloped, p.Class1, p.Class2, p.None) }

// InnParams: 创新型（科技和创新型）中小企业, ELIGIBILITY.md §3.
type InnParams struct {
	ScoreMin, InnovationMin, GrowthMin, SpecializationMin float64
	IP                                                    IPPoints
	RD, Growth, Debt, Main                                Bands
	FieldYes, FieldNo                                     float64
	DirectAwardLevels, DirectHonours, DirectInstLevels    []string
	DirectEquityMin                                       float64
	DirectEquityYears                                     int
}

// Sp2022Params: 专精特新中小企业 under miit-2022, ELIGIBILITY.md §4.
type Sp2022Params struct {
	NicheMinYears, RDExpenseMin, RDRatioMin, RevenueMin, RevenueEquityMin float64
	ScoreMin                                                              float64
	DirectProvincialRankMax, DirectNationalRankMax                        int64
	DirectRDAvgMin, DirectEquityMin                                       float64
	DirectChuangkeRankMax                                                 int64

	PtsMain, PtsGrowth, PtsDigital, PtsNetMargin, PtsDebt Bands
	PtsRDAmount, PtsRDRatio, PtsRDStaff                   Bands
	PtsNichePerYears, PtsNicheMax                         float64
	PtsChainKeyLink, PtsChainSupporting, PtsChainNone     float64
	PtsQualityPerItem, PtsQualityMax                      float64
	PtsLocalMax                                           float64
	PtsIP                                                 IPPoints
	PtsInst                                               [5]float64 // none, below_municipal, municipal, provincial, national
}

// Sp2026Params: 专精特新中小企业 under miit-2026 (single source), ELIGIBILITY.md §4.
type Sp2026Params struct {
	NicheMinYears, RevenueMin, RevenueEquityMin, MainRatioMin, DebtRatioMax float64
	RDExpenseMin, RDRatioMin                                                float64
	IPInUseMin                                                              int64
	IPWaiverAwardRankMax                                                    int64
	IPWaiverAwardLevels, IPWaiverInstLevels                                 []string
	DevScoreMin                                                             float64
}

// Lg2022Params: 专精特新"小巨人" under miit-2022, ELIGIBILITY.md §5.
type Lg2022Params struct {
	ZhuanNicheMinYears, ZhuanMainRatioMin, ZhuanGrowthMin float64
	JingDebtRatioMax                                      float64
	TeMarketShareMin                                      float64
	XinRevenueLarge, XinRDRatioLarge                      float64
	XinRevenueMid, XinRDRatioMid                          float64
	XinSmallEquityMin, XinSmallRDTotalMin, XinSmallStaff  float64
	XinIPInUseMin                                         int64
	XinDirectAwardRankMax, XinDirectChuangkeRankMax       int64
}

// Lg2026Params: 专精特新"小巨人" under miit-2026 (single source), ELIGIBILITY.md §5.
type Lg2026Params struct {
	NicheMinYears                                                       float64
	ScaleRevenueMin, ScaleMainRatioMin, ScaleCAGRMin, ScaleDebtRatioMax float64
	RDTotalMin, RDRatioMin                                              float64
	IPInUseMin, IPWaiverAwardRankMax                                    int64
	MarketShareMin                                                      float64
	MarketRankMax                                                       int64
	DevScoreMin                                                         float64
}

func (r *paramReader) ip(key string) IPPoints {
	m := r.points(key, "class1_high_value", "class1_self_developed", "class1", "class2", "none")
	return IPPoints{m["class1_high_value"], m["class1_self_developed"], m["class1"], m["class2"], m["none"]}
}

func (r *paramReader) rank(key string) int64 { return int64(r.num(key)) }

func (ps *ParameterSet) compile(d domain.Date) (*Snapshot, error) {
	r := &paramReader{ps: ps, d: d}
	s := &Snapshot{From: d, version: ps.fingerprint(d)}
	s.RuleSet = r.str("ruleset")
	if r.err == nil && s.RuleSet != RuleSet2022 && s.RuleSet != RuleSet2026 {
		return nil, fmt.Errorf("ruleset 应为 %s 或 %s", RuleSet2022, RuleSet2026)
	}
	s.RecentYears = int(r.num("terms.recent_years"))

	in := &s.Inn
	in.ScoreMin = r.num("inn.score.total_min")
	in.InnovationMin = r.num("inn.score.innovation_min")
	in.GrowthMin = r.num("inn.score.growth_min")
	in.SpecializationMin = r.num("inn.score.specialization_min")
	in.IP = r.ip("inn.ip.points")
	in.RD = r.bands("inn.rd.bands", 100)
	in.Growth = r.bands("inn.growth.bands", 100)
	in.Debt = r.bands("inn.debt.bands", 100)
	in.Main = r.bands("inn.main.bands", 100)
	fp := r.points("inn.field.points", "yes", "no")
	in.FieldYes, in.FieldNo = fp["yes"], fp["no"]
	in.DirectAwardLevels = r.strs("inn.direct.award_levels")
	in.DirectHonours = r.strs("inn.direct.honours")
	in.DirectInstLevels = r.strs("inn.direct.rd_institution_levels")
	in.DirectEquityMin = r.num("inn.direct.equity_min")
	in.DirectEquityYears = int(r.num("inn.direct.equity_years"))

	if s.RuleSet == RuleSet2022 {
		p := &s.Sp22
		p.NicheMinYears = r.num("sp2022.niche.min_years")
		p.RDExpenseMin = r.num("sp2022.rd.expense_min")
		p.RDRatioMin = r.pct("sp2022.rd.ratio_min")
		p.RevenueMin = r.num("sp2022.revenue.min")
		p.RevenueEquityMin = r.num("sp2022.revenue.equity_min")
		p.ScoreMin = r.num("sp2022.score.min")
		p.DirectProvincialRankMax = r.rank("sp2022.direct.provincial_award_rank_max")
		p.DirectNationalRankMax = r.rank("sp2022.direct.national_award_rank_max")
		p.DirectRDAvgMin = r.num("sp2022.direct.rd_avg_min")
		p.DirectEquityMin = r.num("sp2022.direct.equity_min")
		p.DirectChuangkeRankMax = r.rank("sp2022.direct.chuangke_rank_max")
		p.PtsMain = r.bands("sp2022.pts.main_ratio.bands", 100)
		p.PtsGrowth = r.bands("sp2022.pts.growth.bands", 100)
		niche := r.points("sp2022.pts.niche", "years_per_point", "max")
		p.PtsNichePerYears, p.PtsNicheMax = niche["years_per_point"], niche["max"]
		chain := r.points("sp2022.pts.chain.points", "key_link", "supporting", "none")
		p.PtsChainKeyLink, p.PtsChainSupporting, p.PtsChainNone = chain["key_link"], chain["supporting"], chain["none"]
		p.PtsDigital = r.bands("sp2022.pts.digital.bands", 1)
		q := r.points("sp2022.pts.quality", "per_item", "max")
		p.PtsQualityPerItem, p.PtsQualityMax = q["per_item"], q["max"]
		p.PtsNetMargin = r.bands("sp2022.pts.net_margin.bands", 100)
		p.PtsDebt = r.bands("sp2022.pts.debt.bands", 100)
		p.PtsLocalMax = r.num("sp2022.pts.local.max")
		p.PtsIP = r.ip("sp2022.pts.ip.points")
		p.PtsRDAmount = r.bands("sp2022.pts.rd.amount_bands", 1)
		p.PtsRDRatio = r.bands("sp2022.pts.rd.ratio_bands", 100)
		p.PtsRDStaff = r.bands("sp2022.pts.rd_staff.bands", 100)
		inst := r.points("sp2022.pts.rd_institution.points", instValues...)
		for i, n := range instValues {
			p.PtsInst[i] = inst[n]
		}

		l := &s.Lg22
		l.ZhuanNicheMinYears = r.num("lg2022.zhuan.niche_min_years")
		l.ZhuanMainRatioMin = r.pct("lg2022.zhuan.main_ratio_min")
		l.ZhuanGrowthMin = r.pct("lg2022.zhuan.growth_min")
		l.JingDebtRatioMax = r.pct("lg2022.jing.debt_ratio_max")
		l.TeMarketShareMin = r.num("lg2022.te.market_share_min")
		l.XinRevenueLarge = r.num("lg2022.xin.revenue_large")
		l.XinRDRatioLarge = r.pct("lg2022.xin.rd_ratio_large")
		l.XinRevenueMid = r.num("lg2022.xin.revenue_mid")
		l.XinRDRatioMid = r.pct("lg2022.xin.rd_ratio_mid")
		l.XinSmallEquityMin = r.num("lg2022.xin.small_equity_min")
		l.XinSmallRDTotalMin = r.num("lg2022.xin.small_rd_total_min")
		l.XinSmallStaff = r.pct("lg2022.xin.small_rd_staff_min")
		l.XinIPInUseMin = r.rank("lg2022.xin.class1_in_use_min")
		l.XinDirectAwardRankMax = r.rank("lg2022.xin.direct_award_rank_max")
		l.XinDirectChuangkeRankMax = r.rank("lg2022.xin.direct_chuangke_rank_max")
	} else {
		p := &s.Sp26
		p.NicheMinYears = r.num("sp2026.niche.min_years")
		p.RevenueMin = r.num("sp2026.revenue.min")
		p.RevenueEquityMin = r.num("sp2026.revenue.equity_min")
		p.MainRatioMin = r.pct("sp2026.structure.main_ratio_min")
		p.DebtRatioMax = r.pct("sp2026.structure.debt_ratio_max")
		p.RDExpenseMin = r.num("sp2026.rd.expense_min")
		p.RDRatioMin = r.pct("sp2026.rd.ratio_min")
		p.IPInUseMin = r.rank("sp2026.ip.class1_in_use_min")
		p.IPWaiverAwardRankMax = r.rank("sp2026.ip.waiver_award_rank_max")
		p.IPWaiverAwardLevels = r.strs("sp2026.ip.waiver_award_levels")
		p.IPWaiverInstLevels = r.strs("sp2026.ip.waiver_rd_institution_levels")
		p.DevScoreMin = r.num("sp2026.dev_score.min")

		l := &s.Lg26
		l.NicheMinYears = r.num("lg2026.niche.min_years")
		l.ScaleRevenueMin = r.num("lg2026.scale.revenue_min")
		l.ScaleMainRatioMin = r.pct("lg2026.scale.main_ratio_min")
		l.ScaleCAGRMin = r.pct("lg2026.scale.cagr_min")
		l.ScaleDebtRatioMax = r.pct("lg2026.scale.debt_ratio_max")
		l.RDTotalMin = r.num("lg2026.rd.total_min")
		l.RDRatioMin = r.pct("lg2026.rd.ratio_min")
		l.IPInUseMin = r.rank("lg2026.ip.class1_in_use_min")
		l.IPWaiverAwardRankMax = r.rank("lg2026.ip.waiver_award_rank_max")
		l.MarketShareMin = r.num("lg2026.market.share_min")
		l.MarketRankMax = r.rank("lg2026.market.rank_max")
		l.DevScoreMin = r.num("lg2026.dev_score.min")
	}
	if r.err != nil {
		return nil, r.err
	}
	return s, nil
}
