package eligibility

import (
	"math"

	"zjtx/internal/domain"
)

// Clauses of the little-giant tier (ELIGIBILITY.md §5).
const (
	lg22 = "工信部企业〔2022〕63号 附件3《专精特新“小巨人”企业认定标准》"
	lg26 = "《优质中小企业梯度培育管理办法》（2026年4月1日起施行）专精特新“小巨人”企业认定标准（单一来源）"

	clLg22Prereq     = lg22 + " 须为有效期内的专精特新中小企业；ELIGIBILITY.md §5 prereq"
	clLg22Zhuan      = lg22 + " 专业化指标；ELIGIBILITY.md §5 lg.zhuan"
	clLg22Jing       = lg22 + " 精细化指标；ELIGIBILITY.md §5 lg.jing"
	clLg22Te         = lg22 + " 特色化指标；ELIGIBILITY.md §5 lg.te"
	clLg22Xin        = lg22 + " 创新能力指标；ELIGIBILITY.md §5 lg.xin"
	clLg22Lian       = lg22 + " 产业链配套指标；ELIGIBILITY.md §5 lg.lian"
	clLg22Pin        = lg22 + " 主导产品所属领域指标；ELIGIBILITY.md §5 lg.pin"
	clLgExclusions22 = lg22 + " 不属于制造业单项冠军，且不被已认定“小巨人”企业控股或同集团同类产品；ELIGIBILITY.md §5 lg.exclusions"

	clLg26Prereq     = lg26 + " 须为有效期内的专精特新中小企业；ELIGIBILITY.md §5 prereq"
	clLg26Niche      = lg26 + " 从事特定细分市场3年以上；ELIGIBILITY.md §5 lg.niche"
	clLg26Scale      = lg26 + " 营业收入、主营业务占比、复合增长率、资产负债率；ELIGIBILITY.md §5 lg.scale"
	clLg26RD         = lg26 + " 近2年研发费用总额及每年占比；ELIGIBILITY.md §5 lg.rd"
	clLg26IP         = lg26 + " 与主导产品相关、已实施、非受让的Ⅰ类知识产权；ELIGIBILITY.md §5 lg.ip"
	clLg26Market     = lg26 + " 细分市场占有率或排名；ELIGIBILITY.md §5 lg.market"
	clLg26Field      = lg26 + " 主导产品属工业“六基”领域或处于产业链关键环节；ELIGIBILITY.md §5 lg.field"
	clLg26DevScore   = lg26 + " 专精特新发展评价得分≥60分；ELIGIBILITY.md §5 lg.dev_score"
	clLgExclusions26 = lg26 + " 排除情形同2022年标准；ELIGIBILITY.md §5 lg.exclusions"
)

// littleGiant2022 evaluates 专精特新"小巨人" under miit-2022 (§5): prereq and all six groups,
// plus the exclusions.
func (e *ev) littleGiant2022(t *TierResult, commonOK bool) {
	e.prereq(domain.TierSpecialized, clLg22Prereq)
	ok := e.crit[len(e.crit)-1].Status == Pass
	ok = e.lgZhuan() == Pass && ok
	ok = e.lgJing() == Pass && ok
	ok = e.lgTe() == Pass && ok
	ok = e.lgXin() == Pass && ok
	ok = e.lgLian() == Pass && ok
	ok = e.lgPin() == Pass && ok
	ok = e.lgExclusions(clLgExclusions22) == Pass && ok
	t.Eligible = commonOK && ok
	if t.Eligible {
		t.Routes = routesStandard
	}
}

// lg.zhuan 专 — niche years ≥ 3; main-business ratio ≥ 70%; 近2年 main-revenue average growth
// ≥ 5% (not assessed on a renewal review).
func (e *ev) lgZhuan() Status {
	p := &e.p.Lg22
	e.open("lg.zhuan", clLg22Zhuan, RouteRequired)
	e.nicheCheck(p.ZhuanNicheMinYears)
	e.sep()
	e.ratioCheck("主营业务收入占比", 1, fMainRevenue, fRevenue, p.ZhuanMainRatioMin, false)
	e.sep()
	if e.renewal {
		e.w("复核：不评估近2年主营业务收入平均增长率")
	} else {
		g, ok := e.avgGrowth2(fMainRevenue)
		e.w("近2年主营业务收入平均增长率 ")
		if ok {
			e.wp(g)
			e.and(statusOf(ge(g, p.ZhuanGrowthMin)), pctV(g), pctV(p.ZhuanGrowthMin), UnitPercent)
		} else {
			e.w("未知")
			e.and(Missing, Value{}, pctV(p.ZhuanGrowthMin), UnitPercent)
		}
		e.w("，需 ≥ ")
		e.wp(p.ZhuanGrowthMin)
	}
	e.close()
	return e.cst
}

// flagCheck folds a required boolean fact into the current criterion.
func (e *ev) flagCheck(p *bool, field, label, yes, no string) {
	v, ok := e.flag(p, field, label)
	switch {
	case !ok:
		e.w(label)
		e.w("未知")
		e.and(Missing, Value{}, boolV(true), UnitNone)
	case v:
		e.w(yes)
		e.and(Pass, boolV(true), boolV(true), UnitNone)
	default:
		e.w(no)
		e.and(Fail, boolV(false), boolV(true), UnitNone)
	}
}

// lg.jing 精 — a core business on an information system; a management-system or developed-
// market product certification; debt ratio ≤ 70%.
func (e *ev) lgJing() Status {
	e.open("lg.jing", clLg22Jing, RouteRequired)
	e.flagCheck(e.f.InfoSystemCoreBusiness, "info_system_core_business", "核心业务采用信息系统支撑情况",
		"至少1项核心业务采用信息系统支撑", "无核心业务采用信息系统支撑")
	e.sep()
	e.flagCheck(e.f.MgmtCertification, "mgmt_certification", "管理体系或发达国家产品认证情况",
		"取得相关管理体系认证或发达国家和地区产品认证", "未取得相关管理体系认证或发达国家和地区产品认证")
	e.sep()
	e.ratioCheck("末资产负债率", 1, fLiabilities, fAssets, e.p.Lg22.JingDebtRatioMax, true)
	e.close()
	return e.cst
}

// ownBrand reads own_brand, falling back to "own_brand" in the quality list (the same fact).
func (e *ev) ownBrand() *bool {
	if e.f.OwnBrand != nil || e.f.Quality == nil {
		return e.f.OwnBrand
	}
	if contains(e.f.Quality, QualityOwnBrand) {
		return &trueVal
	}
	return nil
}

var trueVal = true

// lg.te 特 — domestic niche market share ≥ 10%; owns its brand.
func (e *ev) lgTe() Status {
	min := e.p.Lg22.TeMarketShareMin
	e.open("lg.te", clLg22Te, RouteRequired)
	e.w("国内细分市场占有率 ")
	if s := e.f.MarketShareDomestic; s != nil {
		e.wn(*s)
		e.w("%")
		e.and(statusOf(ge(*s, min)), numV(*s), numV(min), UnitPercent)
	} else {
		e.need("market_share_domestic", "国内细分市场占有率")
		e.w("未知")
		e.and(Missing, Value{}, numV(min), UnitPercent)
	}
	e.w("，需 ≥ ")
	e.wn(min)
	e.w("%")
	e.sep()
	e.flagCheck(e.ownBrand(), "own_brand", "自主品牌情况", "拥有自主品牌", "无自主品牌")
	e.close()
	return e.cst
}

// lg.xin 新 — general route, all of: (a) R&D ratio in each of Y−2, Y−1 ≥ 3% when revenue Y−1 ≥ 1 亿,
// ≥ 6% when 5000 万–1 亿, and below 5000 万: 近2年 equity ≥ 8000 万, 近2年 R&D ≥ 3000 万 and R&D
// staff share ≥ 50%; (b) an own or joint R&D institution (any recognised level); (c) ≥ 2 Ⅰ类 IP
// tied to the main product, in use. Or the direct route: 近三年 national award ranked top 3, or
// 「创客中国」 national top 50.
func (e *ev) lgXin() Status {
	p := &e.p.Lg22
	e.open("lg.xin", clLg22Xin, RouteRequired)
	// (a)
	rev, ok := e.fig(1, fRevenue)
	switch {
	case !ok:
		e.w("营业收入未知，无法确定研发投入要求")
		e.and(Missing, Value{}, Value{}, UnitNone)
	case ge(rev, p.XinRevenueMid):
		min := p.XinRDRatioMid
		if ge(rev, p.XinRevenueLarge) {
			min = p.XinRDRatioLarge
		}
		e.wyear(1)
		e.w("营业收入 ")
		e.wn(rev)
		e.w(" 万元：")
		e.ratioCheck("研发费用占比", 2, fRDExpense, fRevenue, min, false)
		e.w("，")
		e.ratioCheck("研发费用占比", 1, fRDExpense, fRevenue, min, false)
	default:
		e.wyear(1)
		e.w("营业收入 ")
		e.wn(rev)
		e.w(" 万元（< ")
		e.wn(p.XinRevenueMid)
		e.w(" 万元）：近2年新增股权融资 ")
		eq, c1 := e.sum(fEquity, 2)
		e.wn(eq)
		e.w(" 万元，需 ≥ ")
		e.wn(p.XinSmallEquityMin)
		e.and(sumAtLeast(eq, c1, p.XinSmallEquityMin), numV(eq), numV(p.XinSmallEquityMin), UnitWan)
		rd, c2 := e.sum(fRDExpense, 2)
		e.w("；近2年研发费用 ")
		e.wn(rd)
		e.w(" 万元，需 ≥ ")
		e.wn(p.XinSmallRDTotalMin)
		e.and(sumAtLeast(rd, c2, p.XinSmallRDTotalMin), numV(rd), numV(p.XinSmallRDTotalMin), UnitWan)
		e.w("；")
		e.ratioCheck("研发人员占比", 1, fRDStaff, fEmployees, p.XinSmallStaff, false)
	}
	// (b)
	e.sep()
	switch e.f.RDInstitution {
	case "":
		e.need("rd_institution", "研发机构级别")
		e.w("研发机构情况未知")
		e.and(Missing, Value{}, boolV(true), UnitNone)
	case InstNone:
		e.w("未建立研发机构")
		e.and(Fail, boolV(false), boolV(true), UnitNone)
	default:
		e.w("已建立研发机构（")
		e.w(instLabel(e.f.RDInstitution))
		e.w("）")
		e.and(Pass, boolV(true), boolV(true), UnitNone)
	}
	// (c)
	e.sep()
	ipSt, n := e.ipInUse(p.XinIPInUseMin)
	e.w("已实施的Ⅰ类知识产权 ")
	if ipSt == Missing {
		e.w("件数未知")
		e.and(Missing, Value{}, numV(float64(p.XinIPInUseMin)), UnitItems)
	} else {
		e.wi(n)
		e.w(" 件")
		e.and(ipSt, numV(float64(n)), numV(float64(p.XinIPInUseMin)), UnitItems)
	}
	e.w("，需 ≥ ")
	e.wi(p.XinIPInUseMin)
	e.w(" 件")
	if e.cst != Pass {
		direct := anyOf(e.award(lvNational, p.XinDirectAwardRankMax), e.chuangke(p.XinDirectChuangkeRankMax))
		if direct == Pass {
			e.w("；满足直接条件（近三年国家级科技奖励前")
			e.wi(p.XinDirectAwardRankMax)
			e.w("名或「创客中国」全国")
			e.wi(p.XinDirectChuangkeRankMax)
			e.w("强）")
		}
		e.cst = anyOf(e.cst, direct)
	}
	e.close()
	return e.cst
}

// lg.lian 链 — at a key industry-chain link: 补短板/锻长板/填空白.
func (e *ev) lgLian() Status {
	e.open("lg.lian", clLg22Lian, RouteRequired)
	switch e.f.ChainRole {
	case "":
		e.need("chain_role", "产业链作用")
		e.w("产业链作用未知")
		e.and(Missing, Value{}, strV(ChainKeyLink), UnitNone)
	case ChainKeyLink:
		e.w("位于产业链关键环节，补短板、锻长板、填空白")
		e.and(Pass, strV(ChainKeyLink), strV(ChainKeyLink), UnitNone)
	default:
		e.w("未证明位于产业链关键环节补短板、锻长板、填空白")
		e.and(Fail, strV(e.f.ChainRole), strV(ChainKeyLink), UnitNone)
	}
	e.close()
	return e.cst
}

// lg.pin 品 — main product in a priority field (核心基础零部件、元器件、关键软件、先进基础工艺、关键基础材料、
// 产业技术基础; 制造强国 ten key sectors; 网络强国 key fields).
func (e *ev) lgPin() Status {
	e.open("lg.pin", clLg22Pin, RouteRequired)
	e.flagCheck(e.f.PriorityField, "priority_field", "主导产品所属领域", "主导产品属于重点领域", "主导产品不属于重点领域")
	e.close()
	return e.cst
}

// lg.exclusions — not a 制造业单项冠军; not > 50% controlled by, nor in one group with a similar-
// product, existing 小巨人. The two control flags default to false in the schema; in the same
// spirit an absent honours list is read as "not a 单项冠军" rather than as missing.
func (e *ev) lgExclusions(clause string) Status {
	e.open("lg.exclusions", clause, RouteRequired)
	champ := contains(e.f.Honours, HonourSingleChampion)
	ctrl := boolOr(e.f.ControlledByLG, false)
	grp := boolOr(e.f.GroupSimilarLG, false)
	ok := !champ && !ctrl && !grp
	e.and(statusOf(ok), boolV(ok), boolV(true), UnitNone)
	if ok {
		e.w("不属于制造业单项冠军，未被已认定“小巨人”企业控股，也不与其同属一个集团生产同类产品")
	} else {
		first := true
		part := func(s string) {
			if !first {
				e.w("；")
			}
			first = false
			e.w(s)
		}
		if champ {
			part("已是制造业单项冠军")
		}
		if ctrl {
			part("被已认定“小巨人”企业控股超过50%")
		}
		if grp {
			part("与已认定“小巨人”企业同属一个集团且产品同类")
		}
	}
	e.close()
	return e.cst
}

// littleGiant2026 evaluates 专精特新"小巨人" under miit-2026 (§5; single source for the numbers).
func (e *ev) littleGiant2026(t *TierResult, commonOK bool) {
	e.prereq(domain.TierSpecialized, clLg26Prereq)
	ok := e.crit[len(e.crit)-1].Status == Pass
	ok = e.lg26Niche() == Pass && ok
	ok = e.lg26Scale() == Pass && ok
	ok = e.lg26RD() == Pass && ok
	ok = e.lg26IP() == Pass && ok
	ok = e.lg26Market() == Pass && ok
	ok = e.lg26Field() == Pass && ok
	ok = e.lg26DevScore() == Pass && ok
	ok = e.lgExclusions(clLgExclusions26) == Pass && ok
	t.Eligible = commonOK && ok
	if t.Eligible {
		t.Routes = routesStandard
	}
}

// lg.niche (2026) — niche years ≥ 3.
func (e *ev) lg26Niche() Status {
	e.open("lg.niche", clLg26Niche, RouteRequired)
	e.nicheCheck(e.p.Lg26.NicheMinYears)
	e.close()
	return e.cst
}

// lg.scale (2026) — revenue Y−1 ≥ 5000 万; main-business ratio ≥ 90%; 近两年 revenue compound
// growth sqrt(rev_{Y−1}/rev_{Y−3}) − 1 ≥ 5% (not assessed on renewal); debt ratio ≤ 75%.
func (e *ev) lg26Scale() Status {
	p := &e.p.Lg26
	e.open("lg.scale", clLg26Scale, RouteRequired)
	e.amountCheck("营业收入", 1, fRevenue, p.ScaleRevenueMin)
	e.sep()
	e.ratioCheck("主营业务收入占比", 1, fMainRevenue, fRevenue, p.ScaleMainRatioMin, false)
	e.sep()
	if e.renewal {
		e.w("复核：不评估近两年营业收入复合增长率")
	} else {
		r1, ok1 := e.fig(1, fRevenue)
		r3, ok3 := e.fig(3, fRevenue)
		e.w("近两年营业收入复合增长率 ")
		switch {
		case !ok1 || !ok3:
			e.w("未知")
			e.and(Missing, Value{}, pctV(p.ScaleCAGRMin), UnitPercent)
		case r3 == 0:
			e.w("无法计算（")
			e.wyear(3)
			e.w("营业收入为 0）")
			e.and(Fail, Value{}, pctV(p.ScaleCAGRMin), UnitPercent)
		default:
			// Compare rev_{Y−1}/rev_{Y−3} with (1+min)² rather than the rounded square root.
			q := r1 / r3
			cagr := math.Sqrt(q) - 1
			e.wp(cagr)
			e.and(statusOf(ge(q, (1+p.ScaleCAGRMin)*(1+p.ScaleCAGRMin))), pctV(cagr), pctV(p.ScaleCAGRMin), UnitPercent)
		}
		e.w("，需 ≥ ")
		e.wp(p.ScaleCAGRMin)
	}
	e.sep()
	e.ratioCheck("资产负债率", 1, fLiabilities, fAssets, p.ScaleDebtRatioMax, true)
	e.close()
	return e.cst
}

// lg.rd (2026) — 近2年 R&D total ≥ 1200 万, and R&D ratio ≥ 3% in each of Y−2 and Y−1.
func (e *ev) lg26RD() Status {
	p := &e.p.Lg26
	e.open("lg.rd", clLg26RD, RouteRequired)
	rd, complete := e.sum(fRDExpense, 2)
	e.w("近2年研发费用 ")
	e.wn(rd)
	e.w(" 万元，需 ≥ ")
	e.wn(p.RDTotalMin)
	e.w(" 万元")
	e.and(sumAtLeast(rd, complete, p.RDTotalMin), numV(rd), numV(p.RDTotalMin), UnitWan)
	e.sep()
	e.ratioCheck("研发费用占比", 2, fRDExpense, fRevenue, p.RDRatioMin, false)
	e.w("，")
	e.ratioCheck("研发费用占比", 1, fRDExpense, fRevenue, p.RDRatioMin, false)
	e.close()
	return e.cst
}

// lg.ip (2026) — ≥ 4 Ⅰ类 IP tied to the main product, in use, not transferred in
// (ip.class1_in_use); waived by a 近三年 national award ranked top 3.
func (e *ev) lg26IP() Status {
	p := &e.p.Lg26
	e.open("lg.ip", clLg26IP, RouteRequired)
	st, n := e.ipInUse(p.IPInUseMin)
	val := Value{}
	e.w("已实施、非受让的Ⅰ类知识产权 ")
	if st == Missing {
		e.w("件数未知")
	} else {
		val = numV(float64(n))
		e.wi(n)
		e.w(" 件")
	}
	e.w("，需 ≥ ")
	e.wi(p.IPInUseMin)
	e.w(" 件")
	if st != Pass {
		w := e.award(lvNational, p.IPWaiverAwardRankMax)
		if w == Pass {
			e.w("；因近三年国家级奖励排名前")
			e.wi(p.IPWaiverAwardRankMax)
			e.w("，免于此项")
		}
		st = anyOf(st, w)
	}
	e.set(st, val, numV(float64(p.IPInUseMin)), UnitItems)
	e.close()
	return st
}

// lg.market (2026) — domestic or international niche share ≥ 10%, or domestic rank ≤ 3. The
// schema cannot say "not ranked" except by leaving market_rank_domestic out, so its absence
// does not leave the criterion open; absent shares do.
func (e *ev) lg26Market() Status {
	p := &e.p.Lg26
	e.open("lg.market", clLg26Market, RouteRequired)
	thr := numV(p.MarketShareMin)
	st := Fail
	val := Value{}
	e.w("国内细分市场占有率 ")
	if s := e.f.MarketShareDomestic; s != nil {
		e.wn(*s)
		e.w("%")
		st = anyOf(st, statusOf(ge(*s, p.MarketShareMin)))
		val = numV(*s)
	} else {
		e.need("market_share_domestic", "国内细分市场占有率")
		e.w("未知")
		st = anyOf(st, Missing)
	}
	e.w("，国际细分市场占有率 ")
	if s := e.f.MarketShareIntl; s != nil {
		e.wn(*s)
		e.w("%")
		if ge(*s, p.MarketShareMin) {
			val = numV(*s)
		}
		st = anyOf(st, statusOf(ge(*s, p.MarketShareMin)))
	} else {
		e.need("market_share_international", "国际细分市场占有率")
		e.w("未知")
		st = anyOf(st, Missing)
	}
	e.w("，需任一 ≥ ")
	e.wn(p.MarketShareMin)
	e.w("%；或国内排名前 ")
	e.wi(p.MarketRankMax)
	if r := e.f.MarketRankDomestic; r != nil {
		e.w("（当前第 ")
		e.wi(*r)
		e.w(" 名）")
		st = anyOf(st, statusOf(*r <= p.MarketRankMax))
	}
	e.set(st, val, thr, UnitPercent)
	e.close()
	return st
}

// lg.field (2026) — main product in the 六基 / priority fields (priority_field) or at a key chain
// link (chain_role key_link).
func (e *ev) lg26Field() Status {
	e.open("lg.field", clLg26Field, RouteRequired)
	st := Fail
	switch {
	case e.f.PriorityField == nil:
		e.need("priority_field", "主导产品是否属于重点领域")
		st = Missing
	case *e.f.PriorityField:
		st = Pass
	}
	switch e.f.ChainRole {
	case ChainKeyLink:
		st = Pass
	case "":
		if st != Pass {
			e.need("chain_role", "产业链作用")
			st = anyOf(st, Missing)
		}
	}
	switch st {
	case Pass:
		e.w("主导产品属于工业“六基”等重点领域或处于产业链关键环节")
	case Fail:
		e.w("主导产品既不属于工业“六基”等重点领域，也未处于产业链关键环节")
	default:
		e.w("主导产品领域或产业链作用未知")
	}
	e.set(st, boolV(st == Pass), boolV(true), UnitNone)
	if st == Missing {
		e.cur.Value = Value{}
	}
	e.close()
	return st
}

// lg.dev_score (2026) — dev score for Y ≥ 60 (renewal: either of the last 2 years).
func (e *ev) lg26DevScore() Status {
	e.open("lg.dev_score", clLg26DevScore, RouteRequired)
	e.devScoreCheck(e.p.Lg26.DevScoreMin)
	e.close()
	return e.cst
}
