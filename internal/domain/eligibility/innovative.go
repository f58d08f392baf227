package eligibility

import "math"

// Clauses of the innovative tier (ELIGIBILITY.md §3; 工信部企业〔2022〕63号 附件1, kept by miit-2026
// for 科技和创新型中小企业).
const (
	clInnScore  = "工信部企业〔2022〕63号 附件1《创新型中小企业评价标准》评价得分（总分≥60分，创新能力≥20分、成长性≥15分、专业化≥15分）；ELIGIBILITY.md §3 inn.score"
	clInnDirect = "工信部企业〔2022〕63号 附件1《创新型中小企业评价标准》直接认定条件；ELIGIBILITY.md §3 inn.direct"
	clInnTech   = "《优质中小企业梯度培育管理办法》（2026年4月1日起施行）科技和创新型中小企业：有效期内的科技型中小企业；ELIGIBILITY.md §3 inn.tech_sme"
	clInnIP     = "工信部企业〔2022〕63号 附件1 创新能力指标·与企业主导产品相关的有效知识产权数量（20分）；ELIGIBILITY.md §3 inn.ip"
	clInnRD     = "工信部企业〔2022〕63号 附件1 创新能力指标·上年度研发费用总额占营业收入总额比重（20分）；ELIGIBILITY.md §3 inn.rd"
	clInnGrowth = "工信部企业〔2022〕63号 附件1 成长性指标·上年度主营业务收入增长率（20分）；ELIGIBILITY.md §3 inn.growth"
	clInnDebt   = "工信部企业〔2022〕63号 附件1 成长性指标·上年度资产负债率（10分）；ELIGIBILITY.md §3 inn.debt"
	clInnField  = "工信部企业〔2022〕63号 附件1 专业化指标·主导产品所属领域（《战略性新兴产业分类》，10分）；ELIGIBILITY.md §3 inn.field"
	clInnMain   = "工信部企业〔2022〕63号 附件1 专业化指标·上年度主营业务收入总额占营业收入总额比重（20分）；ELIGIBILITY.md §3 inn.main"
)

// indicator is a points-table result: its points, the best it could score, and whether it was
// missing (scored 0 or a lower bound, and reported missing).
type indicator struct {
	pts, max float64
	missing  bool
	id       string
}

// optimistic is the points the indicator could reach if its missing data were the best.
func (i indicator) optimistic() float64 {
	if i.missing {
		return i.max
	}
	return i.pts
}

// closeIndicator finishes a points indicator: pass when it scores, fail at 0 points, missing
// when its input is absent (ELIGIBILITY.md §0 Points tables).
func (e *ev) closeIndicator(pts, maxPts float64, missing bool) indicator {
	e.cur.Points, e.cur.MaxPoints = optNum(pts), optNum(maxPts)
	switch {
	case missing:
		e.cst = Missing
	case pts > 0:
		e.cst = Pass
	default:
		e.cst = Fail
	}
	e.w("，得 ")
	e.wn(pts)
	e.w(" 分（满分 ")
	e.wn(maxPts)
	e.w(" 分）")
	id := e.cur.ID
	e.close()
	return indicator{pts, maxPts, missing, id}
}

// needIndicators names the indicators whose data is missing, for a score test's message.
func (e *ev) needIndicators(inds ...indicator) {
	for _, x := range inds {
		if x.missing {
			e.need(x.id, "评分指标")
		}
	}
}

// bandIndicator scores a measured value on a points table. pct marks a ratio shown as %.
func (e *ev) bandIndicator(label string, x float64, ok bool, b *Bands, pct bool) indicator {
	e.w(label)
	e.w(" ")
	unit := UnitNone
	if pct {
		unit = UnitPercent
	}
	top := numV(b.Top())
	if pct {
		top = pctV(b.Top())
	}
	if !ok {
		e.w("未知")
		e.set(Missing, Value{}, top, unit)
		return e.closeIndicator(0, b.Max(), true)
	}
	if pct {
		e.wp(x)
		e.set(Pass, pctV(x), top, unit)
	} else {
		e.wn(x)
		e.set(Pass, numV(x), top, unit)
	}
	pts, _ := b.Score(x)
	return e.closeIndicator(pts, b.Max(), false)
}

// ipIndicator scores the best IP class held (inn.ip, sp.pts.ip). Classes are tried best first;
// an absent count above the class found leaves the indicator missing (scored at the lower bound).
func (e *ev) ipIndicator(p IPPoints) indicator {
	ip := e.f.IP
	if ip == nil {
		e.need("ip", "知识产权")
		e.w("知识产权数据未提供")
		e.set(Missing, Value{}, numV(1), UnitItems)
		return e.closeIndicator(0, p.max(), true)
	}
	classes := [...]struct {
		n     *int64
		pts   float64
		field string
		label string
	}{
		{ip.Class1HighValue, p.HighValue, "ip.class1_high_value", "Ⅰ类高价值知识产权"},
		{ip.Class1SelfDeveloped, p.SelfDeveloped, "ip.class1_self_developed", "自主研发Ⅰ类知识产权"},
		{ip.Class1, p.Class1, "ip.class1", "Ⅰ类知识产权"},
		{ip.Class2, p.Class2, "ip.class2", "Ⅱ类知识产权"},
	}
	missing := false
	for _, c := range classes {
		if c.n == nil {
			missing = true
			e.need(c.field, c.label+"件数")
			continue
		}
		if *c.n >= 1 {
			e.w(c.label)
			e.w(" ")
			e.wi(*c.n)
			e.w(" 件")
			e.set(Pass, numV(float64(*c.n)), numV(1), UnitItems)
			return e.closeIndicator(c.pts, p.max(), missing)
		}
	}
	e.w("无与主导产品相关的有效知识产权")
	e.set(Fail, numV(0), numV(1), UnitItems)
	return e.closeIndicator(p.None, p.max(), missing)
}

// innovative evaluates 创新型（科技和创新型）中小企业 (ELIGIBILITY.md §3): common conditions and
// either the score route or a direct route (plus, under miit-2026, a valid 科技型中小企业).
func (e *ev) innovative(t *TierResult, commonOK bool) {
	p := &e.p.Inn
	scoreIdx := len(e.crit)
	e.crit = append(e.crit, Criterion{}) // inn.score, filled once the indicators are known

	ip := e.innIP()
	rd := e.innRD()
	gr := e.innGrowth()
	debt := e.innDebt()
	field := e.innField()
	main := e.innMain()

	innov, growth, spec := ip.pts+rd.pts, gr.pts+debt.pts, field.pts+main.pts
	total := innov + growth + spec
	t.Score = optNum(total)
	if !e.quiet() {
		t.Subscores = []Subscore{
			{Name: "创新能力", Points: innov, Max: ip.max + rd.max, Min: p.InnovationMin},
			{Name: "成长性", Points: growth, Max: gr.max + debt.max, Min: p.GrowthMin},
			{Name: "专业化", Points: spec, Max: field.max + main.max, Min: p.SpecializationMin},
		}
	}
	scoreSt := e.innScore(scoreIdx, [3]float64{innov, growth, spec},
		[3]float64{ip.optimistic() + rd.optimistic(), gr.optimistic() + debt.optimistic(), field.optimistic() + main.optimistic()},
		[6]indicator{ip, rd, gr, debt, field, main})

	directSt := e.innDirect()
	mask := 0
	if scoreSt == Pass {
		mask |= 1
	}
	if directSt == Pass {
		mask |= 2
	}
	if e.p.RuleSet == RuleSet2026 && e.innTechSME() == Pass {
		mask |= 4
	}
	t.Eligible = commonOK && mask != 0
	if t.Eligible {
		t.Routes = routeSets[mask]
	}
}

// inn.score — total ≥ 60 and 创新能力 ≥ 20, 成长性 ≥ 15, 专业化 ≥ 15 (§3 score route). With
// missing indicators the score is a lower bound: it is "missing" when the best case for the
// missing data would pass, "fail" when even that would not.
func (e *ev) innScore(idx int, g, best [3]float64, inds [6]indicator) Status {
	p := &e.p.Inn
	meets := func(g [3]float64) bool {
		return ge(g[0]+g[1]+g[2], p.ScoreMin) && ge(g[0], p.InnovationMin) && ge(g[1], p.GrowthMin) && ge(g[2], p.SpecializationMin)
	}
	e.open("inn.score", clInnScore, RouteScore)
	total := g[0] + g[1] + g[2]
	st := Fail
	switch {
	case meets(g):
		st = Pass
	case meets(best):
		st = Missing
	}
	e.set(st, numV(total), numV(p.ScoreMin), UnitPoints)
	e.w("评分 ")
	e.wn(total)
	e.w(" 分（创新能力 ")
	e.wn(g[0])
	e.w("、成长性 ")
	e.wn(g[1])
	e.w("、专业化 ")
	e.wn(g[2])
	e.w("），需总分 ≥ ")
	e.wn(p.ScoreMin)
	e.w(" 且创新能力 ≥ ")
	e.wn(p.InnovationMin)
	e.w("、成长性 ≥ ")
	e.wn(p.GrowthMin)
	e.w("、专业化 ≥ ")
	e.wn(p.SpecializationMin)
	if best != g {
		e.w("；部分指标缺少数据按 0 分计，补齐后最高可得 ")
		e.wn(best[0] + best[1] + best[2])
		e.w(" 分")
		e.needIndicators(inds[:]...)
	}
	e.close()
	c := e.crit[len(e.crit)-1]
	e.crit = e.crit[:len(e.crit)-1]
	e.crit[idx] = c
	return st
}

// inn.ip — IP tied to the main product (20): high-value Ⅰ类 20 · self-developed Ⅰ类 15 · Ⅰ类 10 ·
// Ⅱ类 5 · none 0 (§3).
func (e *ev) innIP() indicator {
	e.open("inn.ip", clInnIP, RouteScore)
	return e.ipIndicator(e.p.Inn.IP)
}

// inn.rd — R&D expense / revenue of Y−1 (20): ≥5% 20 · 3–5% 15 · 2–3% 10 · 1–2% 5 · <1% 0 (§3).
func (e *ev) innRD() indicator {
	e.open("inn.rd", clInnRD, RouteScore)
	r, ok := e.ratio(1, fRDExpense, fRevenue)
	e.wyear(1)
	return e.bandIndicator("研发费用占营业收入比重", r, ok, &e.p.Inn.RD, true)
}

// inn.growth — main-revenue growth g_{Y−1} (20): ≥15% 20 · 10–15% 15 · 5–10% 10 · 0–5% 5 · <0 0 (§3).
func (e *ev) innGrowth() indicator {
	e.open("inn.growth", clInnGrowth, RouteScore)
	g, ok := e.growth(1, fMainRevenue)
	e.wyear(1)
	return e.bandIndicator("主营业务收入增长率", g, ok, &e.p.Inn.Growth, true)
}

// inn.debt — debt ratio at the end of Y−1 (10): ≤55% 10 · 55–75% 5 · >75% 0 (§3).
func (e *ev) innDebt() indicator {
	e.open("inn.debt", clInnDebt, RouteScore)
	r, ok := e.ratio(1, fLiabilities, fAssets)
	e.wyear(1)
	return e.bandIndicator("末资产负债率", r, ok, &e.p.Inn.Debt, true)
}

// inn.field — main product in 《战略性新兴产业分类》 (10): yes 10 · no 5 (§3).
func (e *ev) innField() indicator {
	p := &e.p.Inn
	e.open("inn.field", clInnField, RouteScore)
	best := math.Max(p.FieldYes, p.FieldNo)
	v, ok := e.flag(e.f.StrategicEmerging, "strategic_emerging", "主导产品是否属于战略性新兴产业")
	switch {
	case !ok:
		e.w("主导产品所属领域未知")
		e.set(Missing, Value{}, boolV(true), UnitNone)
		return e.closeIndicator(0, best, true)
	case v:
		e.w("主导产品属于《战略性新兴产业分类》")
		e.set(Pass, boolV(true), boolV(true), UnitNone)
		return e.closeIndicator(p.FieldYes, best, false)
	}
	e.w("主导产品不属于《战略性新兴产业分类》")
	e.set(Pass, boolV(false), boolV(true), UnitNone)
	return e.closeIndicator(p.FieldNo, best, false)
}

// inn.main — main-business ratio of Y−1 (20): ≥70% 20 · 60–70% 15 · 55–60% 10 · 50–55% 5 · <50% 0 (§3).
func (e *ev) innMain() indicator {
	e.open("inn.main", clInnMain, RouteScore)
	r, ok := e.ratio(1, fMainRevenue, fRevenue)
	e.wyear(1)
	return e.bandIndicator("主营业务收入占营业收入比重", r, ok, &e.p.Inn.Main, true)
}

// inn.direct — any one of: a national or provincial 科技奖励 in 近三年; a valid 高新技术企业 /
// 国家级技术创新示范企业 / 知识产权优势企业 / 知识产权示范企业; a provincial/ministerial-or-higher R&D
// institution; 近三年 equity financing ≥ 500 万元 (§3 direct route). Ministerial awards are not in
// the spec's list ("national or provincial"); the level list is a parameter.
func (e *ev) innDirect() Status {
	p := &e.p.Inn
	e.open("inn.direct", clInnDirect, RouteDirect)
	thr := strV("任一直接认定条件")
	aw := e.award(p.DirectAwardLevels, 0)
	if aw == Pass {
		e.w("近三年获得国家级或省级科技奖励，满足直接认定条件")
		e.set(Pass, strV("award"), thr, UnitNone)
		e.close()
		return Pass
	}
	hs, h := e.honour(p.DirectHonours)
	if hs == Pass {
		e.w("持有有效的")
		e.w(honourLabel(h))
		e.w("，满足直接认定条件")
		e.set(Pass, honourValue(h), thr, UnitNone)
		e.close()
		return Pass
	}
	is := e.inst(p.DirectInstLevels)
	if is == Pass {
		e.w("拥有省部级以上研发机构，满足直接认定条件")
		e.set(Pass, strV("rd_institution"), thr, UnitNone)
		e.close()
		return Pass
	}
	eq, complete := e.sum(fEquity, p.DirectEquityYears)
	es := sumAtLeast(eq, complete, p.DirectEquityMin)
	if es == Pass {
		e.w("近三年新增股权融资 ")
		e.wn(eq)
		e.w(" 万元，满足直接认定条件（≥ ")
		e.wn(p.DirectEquityMin)
		e.w(" 万元）")
		e.set(Pass, strV("equity"), thr, UnitNone)
		e.close()
		return Pass
	}
	st := anyOf(anyOf(aw, hs), anyOf(is, es))
	e.set(st, Value{}, thr, UnitNone)
	if st == Missing {
		e.w("直接认定条件尚无法判断（数据不全）：近三年新增股权融资已知 ")
	} else {
		e.w("未满足直接认定条件：近三年国家级/省级科技奖励、高新技术企业等荣誉、省部级以上研发机构均无；近三年新增股权融资 ")
	}
	e.wn(eq)
	e.w(" 万元，需 ≥ ")
	e.wn(p.DirectEquityMin)
	e.w(" 万元")
	e.close()
	return st
}

// inn.tech_sme — miit-2026 only: a valid 科技型中小企业 registration also qualifies (§3).
func (e *ev) innTechSME() Status {
	e.open("inn.tech_sme", clInnTech, RouteTechSME)
	st, _ := e.honour(techSMEList)
	e.set(st, boolV(st == Pass), boolV(true), UnitNone)
	switch st {
	case Pass:
		e.w("持有有效的科技型中小企业入库登记，满足认定条件")
	case Fail:
		e.w("未持有有效的科技型中小企业入库登记")
	default:
		e.w("科技型中小企业登记情况未知")
	}
	e.close()
	return st
}

var techSMEList = []string{HonourTechSME}

// honourValue is the reported value of a direct route met by an honour, without concatenating.
func honourValue(h string) Value {
	switch h {
	case HonourHighTech:
		return strV("honour:high_tech")
	case HonourTechInnovationDemo:
		return strV("honour:tech_innovation_demo")
	case HonourIPAdvantage:
		return strV("honour:ip_advantage")
	case HonourIPDemo:
		return strV("honour:ip_demo")
	}
	return strV("honour:" + h)
}

func honourLabel(h string) string {
	switch h {
	case HonourHighTech:
		return "高新技术企业"
	case HonourTechInnovationDemo:
		return "国家级技术创新示范企业"
	case HonourIPAdvantage:
		return "知识产权优势企业"
	case HonourIPDemo:
		return "知识产权示范企业"
	case HonourTechSME:
		return "科技型中小企业"
	case HonourSingleChampion:
		return "制造业单项冠军"
	}
	return h
}
