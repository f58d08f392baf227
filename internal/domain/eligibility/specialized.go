package eligibility

import (
	"math"

	"zjtx/internal/domain"
)

// Clauses of the specialized tier (ELIGIBILITY.md §4).
const (
	sp22 = "工信部企业〔2022〕63号 附件2《专精特新中小企业认定标准》"
	sp26 = "《优质中小企业梯度培育管理办法》（2026年4月1日起施行）专精特新中小企业认定标准（单一来源）"

	clSp22Prereq  = sp22 + "；ELIGIBILITY.md §4 prereq（全国文件未明确，按地方实践与 2026 年文件，须持有有效的创新型中小企业称号）"
	clSp22Niche   = sp22 + " 从事特定细分市场时间达到2年以上；ELIGIBILITY.md §4 sp.niche"
	clSp22RD      = sp22 + " 上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3%；ELIGIBILITY.md §4 sp.rd"
	clSp22Revenue = sp22 + " 上年度营业收入总额在1000万元以上，或近2年新增股权融资总额达到2000万元以上；ELIGIBILITY.md §4 sp.revenue"
	clSp22Score   = sp22 + " 评价得分达到60分以上或满足直接认定条件之一；ELIGIBILITY.md §4 sp.score_or_direct"
	clSp22Pts     = sp22 + " 评价指标（满分100分）；ELIGIBILITY.md §4 score table "

	clSp26Prereq    = sp26 + " 须为有效期内的科技和创新型中小企业；ELIGIBILITY.md §4 prereq"
	clSp26Niche     = sp26 + " 从事特定细分市场3年以上；ELIGIBILITY.md §4 sp.niche"
	clSp26Revenue   = sp26 + " 上年度营业收入1500万元以上，或近2年新增股权融资2000万元以上；ELIGIBILITY.md §4 sp.revenue"
	clSp26Structure = sp26 + " 主营业务收入占比≥80%且资产负债率≤80%；ELIGIBILITY.md §4 sp.structure"
	clSp26RD        = sp26 + " 近2年每年研发费用≥100万元且占营业收入比重≥3%；ELIGIBILITY.md §4 sp.rd"
	clSp26IP        = sp26 + " 拥有与主导产品相关并实施产生经济效益的Ⅰ类知识产权；ELIGIBILITY.md §4 sp.ip"
	clSp26Market    = sp26 + " 主导产品市场占有率较为靠前（评审确认）；ELIGIBILITY.md §4 sp.market"
	clSp26DevScore  = sp26 + " 专精特新发展评价得分≥50分；ELIGIBILITY.md §4 sp.dev_score"
)

var (
	lvProvincial = []string{LevelProvincial}
	lvNational   = []string{LevelNational}
)

// specialized2022 evaluates 专精特新中小企业 under miit-2022 (§4): common, prereq, sp.niche, sp.rd,
// sp.revenue and sp.score_or_direct must all pass. The 13 points indicators (ids sp.pts.*) are
// reported too; they feed the score, and are not required on their own.
func (e *ev) specialized2022(t *TierResult, commonOK bool) {
	p := &e.p.Sp22
	e.prereq(domain.TierInnovative, clSp22Prereq)
	ok := e.crit[len(e.crit)-1].Status == Pass
	ok = e.sp22Niche() == Pass && ok
	ok = e.sp22RD() == Pass && ok
	ok = e.sp22Revenue() == Pass && ok
	sdIdx := len(e.crit)
	e.crit = append(e.crit, Criterion{}) // sp.score_or_direct, filled after the indicators

	// 专业化 25
	mr := e.spPtsMain()
	gr := e.spPtsGrowth()
	ni := e.spPtsNiche()
	ch := e.spPtsChain()
	// 精细化 25
	dg := e.spPtsDigital()
	ql := e.spPtsQuality()
	nm := e.spPtsNetMargin()
	db := e.spPtsDebt()
	// 特色化 15
	lc := e.spPtsLocal()
	// 创新能力 35
	ip := e.spPtsIP()
	rd := e.spPtsRD()
	st := e.spPtsRDStaff()
	in := e.spPtsInst()

	groups := [4][]indicator{{mr, gr, ni, ch}, {dg, ql, nm, db}, {lc}, {ip, rd, st, in}}
	var total, best float64
	var subs [4]Subscore
	for i, g := range groups {
		s := Subscore{Name: sp22GroupNames[i]}
		for _, x := range g {
			s.Points += x.pts
			s.Max += x.max
			best += x.optimistic()
		}
		total += s.Points
		subs[i] = s
	}
	if !e.quiet() {
		t.Subscores = append([]Subscore(nil), subs[:]...)
	}
	t.Score = optNum(total)
	scoreSt := Fail
	switch {
	case ge(total, p.ScoreMin):
		scoreSt = Pass
	case ge(best, p.ScoreMin):
		scoreSt = Missing
	}
	directSt := e.sp22ScoreOrDirect(sdIdx, total, best, scoreSt, &groups)
	sd := anyOf(scoreSt, directSt)
	t.Eligible = commonOK && ok && sd == Pass
	if t.Eligible {
		mask := 0
		if scoreSt == Pass {
			mask |= 1
		}
		if directSt == Pass {
			mask |= 2
		}
		t.Routes = routeSets[mask]
	}
}

var sp22GroupNames = [4]string{"专业化", "精细化", "特色化", "创新能力"}

// sp.niche (2022) — niche years ≥ 2 (§4).
func (e *ev) sp22Niche() Status {
	e.open("sp.niche", clSp22Niche, RouteRequired)
	e.nicheCheck(e.p.Sp22.NicheMinYears)
	e.close()
	return e.cst
}

// sp.rd (2022) — R&D expense Y−1 ≥ 100 万元 and R&D ratio Y−1 ≥ 3% (§4).
func (e *ev) sp22RD() Status {
	p := &e.p.Sp22
	e.open("sp.rd", clSp22RD, RouteRequired)
	e.ratioCheck("研发费用占营业收入比重", 1, fRDExpense, fRevenue, p.RDRatioMin, false)
	e.sep()
	e.amountCheck("研发费用", 1, fRDExpense, p.RDExpenseMin)
	e.close()
	return e.cst
}

// revenueCheck — revenue Y−1 ≥ min, or (< min and 近2年 equity financing ≥ equityMin). When
// revenue is unknown, enough equity still passes: either disjunct then holds.
func (e *ev) revenueCheck(min, equityMin float64) {
	rev, ok := e.fig(1, fRevenue)
	e.wyear(1)
	e.w("营业收入 ")
	revSt := Missing
	if ok {
		e.wn(rev)
		e.w(" 万元")
		revSt = statusOf(ge(rev, min))
	} else {
		e.w("未知")
	}
	e.w("，需 ≥ ")
	e.wn(min)
	e.w(" 万元")
	revVal := Value{}
	if ok {
		revVal = numV(rev)
	}
	if revSt == Pass {
		e.set(Pass, revVal, numV(min), UnitWan)
		return
	}
	eq, complete := e.sum(fEquity, 2)
	eqSt := sumAtLeast(eq, complete, equityMin)
	e.w("；或近2年新增股权融资 ")
	e.wn(eq)
	e.w(" 万元，需 ≥ ")
	e.wn(equityMin)
	e.w(" 万元")
	e.set(anyOf(revSt, eqSt), revVal, numV(min), UnitWan)
}

// sp.revenue (2022) — revenue Y−1 ≥ 1000 万, or < 1000 万 and 近2年 equity ≥ 2000 万 (§4).
func (e *ev) sp22Revenue() Status {
	p := &e.p.Sp22
	e.open("sp.revenue", clSp22Revenue, RouteRequired)
	e.revenueCheck(p.RevenueMin, p.RevenueEquityMin)
	e.close()
	return e.cst
}

// sp.score_or_direct (2022) — score ≥ 60, or any direct condition: 近三年 provincial award
// ranked top 3 or national ranked top 5; 近2年 average R&D expense ≥ 1000 万; 近2年 equity
// ≥ 6000 万; 近三年 「创客中国」 national top 500 (§4). Returns the direct part's status.
func (e *ev) sp22ScoreOrDirect(idx int, total, best float64, scoreSt Status, groups *[4][]indicator) Status {
	p := &e.p.Sp22
	e.open("sp.score_or_direct", clSp22Score, RouteRequired)
	e.w("评分 ")
	e.wn(total)
	e.w(" 分，需 ≥ ")
	e.wn(p.ScoreMin)
	if scoreSt == Missing {
		e.w("（部分指标缺少数据，补齐后最高 ")
		e.wn(best)
		e.w(" 分）")
		for _, g := range groups {
			e.needIndicators(g...)
		}
	}
	direct := anyOf(e.award(lvProvincial, p.DirectProvincialRankMax), e.award(lvNational, p.DirectNationalRankMax))
	rdSum, rdComplete := e.sum(fRDExpense, 2)
	rdSt := sumAtLeast(rdSum, rdComplete, 2*p.DirectRDAvgMin) // average of 2 years ≥ min
	direct = anyOf(direct, rdSt)
	eq, eqComplete := e.sum(fEquity, 2)
	direct = anyOf(direct, sumAtLeast(eq, eqComplete, p.DirectEquityMin))
	direct = anyOf(direct, e.chuangke(p.DirectChuangkeRankMax))
	switch direct {
	case Pass:
		e.w("；满足直接认定条件")
	default:
		if direct == Missing {
			e.w("；直接认定条件数据不全，已知：近2年研发费用均值 ")
		} else {
			e.w("；直接认定条件：近2年研发费用均值 ")
		}
		e.wn(rdSum / 2)
		e.w(" 万元（需 ≥ ")
		e.wn(p.DirectRDAvgMin)
		e.w("），近2年新增股权融资 ")
		e.wn(eq)
		e.w(" 万元（需 ≥ ")
		e.wn(p.DirectEquityMin)
		e.w("），近三年省级科技奖励前")
		e.wi(p.DirectProvincialRankMax)
		e.w("名/国家级前")
		e.wi(p.DirectNationalRankMax)
		e.w("名、「创客中国」全国")
		e.wi(p.DirectChuangkeRankMax)
		if direct == Missing {
			e.w("强")
		} else {
			e.w("强均未满足")
		}
	}
	e.set(anyOf(scoreSt, direct), numV(total), numV(p.ScoreMin), UnitPoints)
	e.close()
	c := e.crit[len(e.crit)-1]
	e.crit = e.crit[:len(e.crit)-1]
	e.crit[idx] = c
	return direct
}

// sp.pts.main_ratio — main-business ratio (5): ≥80% 5 · 70–80% 3 · 60–70% 1 · <60% 0.
func (e *ev) spPtsMain() indicator {
	e.open("sp.pts.main_ratio", clSp22Pts+"主营业务收入占比", RouteScore)
	r, ok := e.ratio(1, fMainRevenue, fRevenue)
	e.wyear(1)
	return e.bandIndicator("主营业务收入占营业收入比重", r, ok, &e.p.Sp22.PtsMain, true)
}

// sp.pts.growth — 近2年 main-revenue average growth (10): ≥10% 10 · 8–10% 8 · 6–8% 6 · 4–6% 4 ·
// 0–4% 2 · <0 0.
func (e *ev) spPtsGrowth() indicator {
	e.open("sp.pts.growth", clSp22Pts+"近2年主营业务收入平均增长率", RouteScore)
	g, ok := e.avgGrowth2(fMainRevenue)
	return e.bandIndicator("近2年主营业务收入平均增长率", g, ok, &e.p.Sp22.PtsGrowth, true)
}

// sp.pts.niche — 1 point per full 2 niche years, max 5.
func (e *ev) spPtsNiche() indicator {
	p := &e.p.Sp22
	e.open("sp.pts.niche", clSp22Pts+"从事特定细分市场年限", RouteScore)
	yrs, ok := e.nicheYears()
	e.w("从事细分市场 ")
	if !ok {
		e.w("年限未知")
		e.set(Missing, Value{}, numV(p.PtsNichePerYears*p.PtsNicheMax), UnitYears)
		return e.closeIndicator(0, p.PtsNicheMax, true)
	}
	e.wnFloor(yrs)
	e.w(" 年")
	e.set(Pass, numV(math.Round(yrs*1e4)/1e4), numV(p.PtsNichePerYears*p.PtsNicheMax), UnitYears)
	pts := 0.0
	if yrs > 0 && p.PtsNichePerYears > 0 {
		pts = math.Min(math.Floor(yrs/p.PtsNichePerYears+1e-9), p.PtsNicheMax)
	}
	return e.closeIndicator(pts, p.PtsNicheMax, false)
}

// sp.pts.chain — main product's chain role (5): key link 5 · 六基/老字号/key-chain supplier 3 · none 0.
func (e *ev) spPtsChain() indicator {
	p := &e.p.Sp22
	e.open("sp.pts.chain", clSp22Pts+"主导产品在产业链中的作用", RouteScore)
	best := max(p.PtsChainKeyLink, p.PtsChainSupporting, p.PtsChainNone)
	thr := strV(ChainKeyLink)
	switch e.f.ChainRole {
	case ChainKeyLink:
		e.w("主导产品在产业链关键环节补短板、锻长板、填空白")
		e.set(Pass, strV(ChainKeyLink), thr, UnitNone)
		return e.closeIndicator(p.PtsChainKeyLink, best, false)
	case ChainSupporting:
		e.w("主导产品属工业“六基”、中华老字号或为产业链龙头企业配套")
		e.set(Pass, strV(ChainSupporting), thr, UnitNone)
		return e.closeIndicator(p.PtsChainSupporting, best, false)
	case ChainNone:
		e.w("主导产品未在产业链中发挥上述作用")
		e.set(Pass, strV(ChainNone), thr, UnitNone)
		return e.closeIndicator(p.PtsChainNone, best, false)
	}
	e.need("chain_role", "产业链作用")
	e.w("产业链作用未知")
	e.set(Missing, Value{}, thr, UnitNone)
	return e.closeIndicator(0, best, true)
}

// sp.pts.digital — digital level (5): ≥3 5 · 2 3 · 1 0.
func (e *ev) spPtsDigital() indicator {
	e.open("sp.pts.digital", clSp22Pts+"数字化水平", RouteScore)
	x, ok := 0.0, e.f.DigitalLevel != nil
	if ok {
		x = float64(*e.f.DigitalLevel)
	} else {
		e.need("digital_level", "数字化水平等级")
	}
	return e.bandIndicator("数字化水平等级", x, ok, &e.p.Sp22.PtsDigital, false)
}

// sp.pts.quality — 3 points per item, max 5: quality award, ISO 9001, own brand, standards.
func (e *ev) spPtsQuality() indicator {
	p := &e.p.Sp22
	e.open("sp.pts.quality", clSp22Pts+"质量管理水平", RouteScore)
	if e.f.Quality == nil {
		e.need("quality", "质量管理情况")
		e.w("质量管理情况未提供")
		e.set(Missing, Value{}, numV(2), UnitCount)
		return e.closeIndicator(0, p.PtsQualityMax, true)
	}
	n := 0
	for _, q := range qualityValues {
		if contains(e.f.Quality, q) {
			n++
		}
	}
	e.w("质量管理符合 ")
	e.wi(int64(n))
	e.w(" 项")
	e.set(Pass, numV(float64(n)), numV(2), UnitCount)
	return e.closeIndicator(math.Min(float64(n)*p.PtsQualityPerItem, p.PtsQualityMax), p.PtsQualityMax, false)
}

// sp.pts.net_margin — net profit / revenue of Y−1 (10): ≥10% 10 · 8–10% 8 · 6–8% 6 · 4–6% 4 ·
// 2–4% 2 · <2% 0.
func (e *ev) spPtsNetMargin() indicator {
	e.open("sp.pts.net_margin", clSp22Pts+"净利润率", RouteScore)
	r, ok := e.ratio(1, fNetProfit, fRevenue)
	e.wyear(1)
	return e.bandIndicator("净利润率", r, ok, &e.p.Sp22.PtsNetMargin, true)
}

// sp.pts.debt — debt ratio (5): ≤50% 5 · 50–60% 3 · 60–70% 1 · >70% 0.
func (e *ev) spPtsDebt() indicator {
	e.open("sp.pts.debt", clSp22Pts+"资产负债率", RouteScore)
	r, ok := e.ratio(1, fLiabilities, fAssets)
	e.wyear(1)
	return e.bandIndicator("末资产负债率", r, ok, &e.p.Sp22.PtsDebt, true)
}

// sp.pts.local — 特色化 points entered by the district reviewer, 0–15 (Shanghai's indicators
// unconfirmed, 沪经信规范〔2022〕8号).
func (e *ev) spPtsLocal() indicator {
	p := &e.p.Sp22
	e.open("sp.pts.local", "沪经信规范〔2022〕8号 特色化指标（区级评审打分，待确认）；ELIGIBILITY.md §4 score table", RouteScore)
	if e.f.LocalScore == nil {
		e.need("local_score", "特色化指标得分")
		e.w("特色化指标尚未评分")
		e.set(Missing, Value{}, numV(p.PtsLocalMax), UnitPoints)
		return e.closeIndicator(0, p.PtsLocalMax, true)
	}
	x := math.Min(math.Max(*e.f.LocalScore, 0), p.PtsLocalMax)
	e.w("特色化指标评审得分")
	e.set(Pass, numV(*e.f.LocalScore), numV(p.PtsLocalMax), UnitPoints)
	return e.closeIndicator(x, p.PtsLocalMax, false)
}

// sp.pts.ip — IP (10): high-value Ⅰ类 10 · self-developed Ⅰ类 8 · Ⅰ类 6 · Ⅱ类 2 · none 0.
func (e *ev) spPtsIP() indicator {
	e.open("sp.pts.ip", clSp22Pts+"知识产权", RouteScore)
	return e.ipIndicator(e.p.Sp22.PtsIP)
}

// sp.pts.rd — R&D expense of Y−1 (10), the better of the amount bands (≥500/400/300/200/100 万)
// and the ratio bands (≥10/8/6/4/3%). With the amount known but revenue absent, the amount
// band is a lower bound and the indicator is missing unless it already has full points.
func (e *ev) spPtsRD() indicator {
	p := &e.p.Sp22
	e.open("sp.pts.rd", clSp22Pts+"研发费用", RouteScore)
	best := max(p.PtsRDAmount.Max(), p.PtsRDRatio.Max())
	amt, okA := e.fig(1, fRDExpense)
	e.wyear(1)
	e.w("研发费用 ")
	if !okA {
		e.w("未知")
		e.set(Missing, Value{}, numV(p.PtsRDAmount.Top()), UnitWan)
		return e.closeIndicator(0, best, true)
	}
	e.wn(amt)
	e.w(" 万元")
	ptsA, _ := p.PtsRDAmount.Score(amt)
	e.set(Pass, numV(amt), numV(p.PtsRDAmount.Top()), UnitWan)
	rev, okR := e.fig(1, fRevenue)
	if !okR {
		e.w("，占比未知")
		return e.closeIndicator(ptsA, best, ptsA < best)
	}
	r := math.NaN()
	if rev != 0 {
		r = amt / rev
	}
	e.w("，占营业收入比重 ")
	e.wp(r)
	ptsR, _ := p.PtsRDRatio.Score(r)
	e.w("（取总额与占比中较优者）")
	return e.closeIndicator(max(ptsA, ptsR), best, false)
}

// sp.pts.rd_staff — R&D staff / employees of Y−1 (5): ≥20% 5 · 10–20% 3 · 5–10% 1 · <5% 0.
func (e *ev) spPtsRDStaff() indicator {
	e.open("sp.pts.rd_staff", clSp22Pts+"研发人员占比", RouteScore)
	r, ok := e.ratio(1, fRDStaff, fEmployees)
	e.wyear(1)
	return e.bandIndicator("研发人员占全部职工比重", r, ok, &e.p.Sp22.PtsRDStaff, true)
}

// sp.pts.rd_institution — R&D institution (10): national 10 · provincial 8 · municipal 4 ·
// below 2 · none 0.
func (e *ev) spPtsInst() indicator {
	p := &e.p.Sp22
	e.open("sp.pts.rd_institution", clSp22Pts+"研发机构", RouteScore)
	best := 0.0
	for _, x := range p.PtsInst {
		best = max(best, x)
	}
	thr := strV(InstNational)
	for i, n := range instValues {
		if e.f.RDInstitution == n {
			e.w("研发机构级别：")
			e.w(instLabel(n))
			e.set(Pass, strV(n), thr, UnitNone)
			return e.closeIndicator(p.PtsInst[i], best, false)
		}
	}
	e.need("rd_institution", "研发机构级别")
	e.w("研发机构级别未知")
	e.set(Missing, Value{}, thr, UnitNone)
	return e.closeIndicator(0, best, true)
}

func instLabel(n string) string {
	switch n {
	case InstNational:
		return "国家级"
	case InstProvincial:
		return "省级"
	case InstMunicipal:
		return "市级"
	case InstBelowMunicipal:
		return "市级以下"
	}
	return "无"
}

// specialized2026 evaluates 专精特新中小企业 under miit-2026 (§4; single source for the numbers):
// all of prereq, sp.niche, sp.revenue, sp.structure, sp.rd, sp.ip, sp.market, sp.dev_score.
func (e *ev) specialized2026(t *TierResult, commonOK bool) {
	e.prereq(domain.TierInnovative, clSp26Prereq)
	ok := e.crit[len(e.crit)-1].Status == Pass
	ok = e.sp26Niche() == Pass && ok
	ok = e.sp26Revenue() == Pass && ok
	ok = e.sp26Structure() == Pass && ok
	ok = e.sp26RD() == Pass && ok
	ok = e.sp26IP() == Pass && ok
	ok = e.sp26Market() == Pass && ok
	ok = e.sp26DevScore() == Pass && ok
	t.Eligible = commonOK && ok
	if t.Eligible {
		t.Routes = routesStandard
	}
}

// sp.niche (2026) — niche years ≥ 3.
func (e *ev) sp26Niche() Status {
	e.open("sp.niche", clSp26Niche, RouteRequired)
	e.nicheCheck(e.p.Sp26.NicheMinYears)
	e.close()
	return e.cst
}

// sp.revenue (2026) — revenue Y−1 ≥ 1500 万, or < 1500 万 and 近2年 equity ≥ 2000 万.
func (e *ev) sp26Revenue() Status {
	p := &e.p.Sp26
	e.open("sp.revenue", clSp26Revenue, RouteRequired)
	e.revenueCheck(p.RevenueMin, p.RevenueEquityMin)
	e.close()
	return e.cst
}

// sp.structure (2026) — main-business ratio ≥ 80% and debt ratio ≤ 80% (Y−1).
func (e *ev) sp26Structure() Status {
	p := &e.p.Sp26
	e.open("sp.structure", clSp26Structure, RouteRequired)
	e.ratioCheck("主营业务收入占比", 1, fMainRevenue, fRevenue, p.MainRatioMin, false)
	e.sep()
	e.ratioCheck("资产负债率", 1, fLiabilities, fAssets, p.DebtRatioMax, true)
	e.close()
	return e.cst
}

// sp.rd (2026) — in each of Y−2 and Y−1: R&D expense ≥ 100 万 and R&D ratio ≥ 3%.
func (e *ev) sp26RD() Status {
	p := &e.p.Sp26
	e.open("sp.rd", clSp26RD, RouteRequired)
	for back := 2; back >= 1; back-- {
		if back == 1 {
			e.sep()
		}
		e.ratioCheck("研发费用占比", back, fRDExpense, fRevenue, p.RDRatioMin, false)
		e.w("，")
		e.amountCheck("研发费用", back, fRDExpense, p.RDExpenseMin)
	}
	e.close()
	return e.cst
}

// ipInUse tests ip.class1_in_use ≥ min; absent ip or count is missing.
func (e *ev) ipInUse(min int64) (Status, int64) {
	if e.f.IP == nil || e.f.IP.Class1InUse == nil {
		e.need("ip.class1_in_use", "已实施的Ⅰ类知识产权件数")
		return Missing, 0
	}
	n := *e.f.IP.Class1InUse
	return statusOf(n >= min), n
}

// sp.ip (2026) — ≥ 1 Ⅰ类 IP tied to the main product, in use with economic benefit; waived by a
// 近三年 provincial/ministerial-or-higher award ranked top 3 or a provincial-or-higher R&D
// institution.
func (e *ev) sp26IP() Status {
	p := &e.p.Sp26
	e.open("sp.ip", clSp26IP, RouteRequired)
	st, n := e.ipInUse(p.IPInUseMin)
	thr := numV(float64(p.IPInUseMin))
	val := Value{}
	if st != Missing {
		val = numV(float64(n))
		e.w("已实施的Ⅰ类知识产权 ")
		e.wi(n)
		e.w(" 件")
	} else {
		e.w("已实施的Ⅰ类知识产权件数未知")
	}
	e.w("，需 ≥ ")
	e.wi(p.IPInUseMin)
	e.w(" 件")
	if st != Pass {
		waiver := anyOf(e.award(p.IPWaiverAwardLevels, p.IPWaiverAwardRankMax), e.inst(p.IPWaiverInstLevels))
		if waiver == Pass {
			e.w("；因近三年省部级以上奖励排名前")
			e.wi(p.IPWaiverAwardRankMax)
			e.w("或拥有省级以上研发机构，免于此项")
		}
		st = anyOf(st, waiver)
	}
	e.set(st, val, thr, UnitItems)
	e.close()
	return st
}

// sp.market (2026) — main product's market share "较为靠前": a reviewer's attestation.
func (e *ev) sp26Market() Status {
	e.open("sp.market", clSp26Market, RouteRequired)
	v, ok := e.flag(e.f.MarketPositionAttested, "market_position_attested", "市场地位评审确认")
	st := boolStatus(v, ok)
	switch st {
	case Pass:
		e.w("主导产品市场占有率较为靠前（已经评审确认）")
	case Fail:
		e.w("主导产品市场占有率未经评审确认为较为靠前")
	default:
		e.w("市场地位尚未评审")
	}
	val := Value{}
	if ok {
		val = boolV(v)
	}
	e.set(st, val, boolV(true), UnitNone)
	e.close()
	return st
}

// devScoreCheck — 专精特新发展评价得分 for Y ≥ min; on a renewal review, ≥ min in either of the
// last 2 years (Y or Y−1).
func (e *ev) devScoreCheck(min float64) Status {
	thr := numV(min)
	s, ok := e.devScore(e.Y)
	e.w("专精特新发展评价得分（")
	e.wi(int64(e.Y))
	e.w(" 年）")
	if ok {
		e.wn(s)
	} else {
		e.w("未知")
	}
	st := Missing
	val := Value{}
	if ok {
		st = statusOf(ge(s, min))
		val = numV(s)
	}
	if e.renewal && st != Pass {
		s1, ok1 := e.devScore(e.Y - 1)
		e.w("；")
		e.wi(int64(e.Y - 1))
		e.w(" 年")
		if ok1 {
			e.wn(s1)
			st = anyOf(st, statusOf(ge(s1, min)))
			if ge(s1, min) {
				val = numV(s1)
			}
		} else {
			e.w("未知")
			st = anyOf(st, Missing)
		}
		e.w("（复核：近2年任一年达标即可）")
	}
	if st == Missing {
		e.need("dev_score", "专精特新发展评价得分")
	}
	e.w("，需 ≥ ")
	e.wn(min)
	e.set(st, val, thr, UnitPoints)
	return st
}

// sp.dev_score (2026) — dev score for Y ≥ 50 (renewal: either of the last 2 years).
func (e *ev) sp26DevScore() Status {
	e.open("sp.dev_score", clSp26DevScore, RouteRequired)
	e.devScoreCheck(e.p.Sp26.DevScoreMin)
	e.close()
	return e.cst
}
