package eligibility

import (
	"bytes"
	"math"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"zjtx/internal/domain"
)

// Evaluate judges facts against all three tiers with the parameters in force on f.AsOf (a nil
// set means DefaultParameters). The rule set itself is a dated parameter.
func Evaluate(f Facts, ps *ParameterSet) Verdict {
	if ps == nil {
		ps = DefaultParameters()
	}
	return ps.At(f.AsOf).Evaluate(&f)
}

// yf names a per-year figure.
type yf uint8

const (
	fEmployees yf = iota
	fRDStaff
	fRevenue
	fMainRevenue
	fRDExpense
	fNetProfit
	fAssets
	fLiabilities
	fEquity
)

var yfName = [...]string{"employees", "rd_staff", "revenue", "main_revenue", "rd_expense", "net_profit",
	"total_assets", "total_liabilities", "equity_financing"}

var yfLabel = [...]string{"从业人员", "研发人员", "营业收入", "主营业务收入", "研发费用", "净利润",
	"资产总额", "负债总额", "新增股权融资"}

func (y *Year) get(k yf) (float64, bool) {
	if y == nil {
		return 0, false
	}
	var p *float64
	switch k {
	case fEmployees:
		if y.Employees == nil {
			return 0, false
		}
		return float64(*y.Employees), true
	case fRDStaff:
		if y.RDStaff == nil {
			return 0, false
		}
		return float64(*y.RDStaff), true
	case fRevenue:
		p = y.Revenue
	case fMainRevenue:
		p = y.MainRevenue
	case fRDExpense:
		p = y.RDExpense
	case fNetProfit:
		p = y.NetProfit
	case fAssets:
		p = y.TotalAssets
	case fLiabilities:
		p = y.TotalLiabilities
	case fEquity:
		p = y.EquityFinancing
	}
	if p == nil {
		return 0, false
	}
	return *p, true
}

// tol absorbs binary floating-point noise so that a value exactly on a band edge, computed from
// decimal amounts, lands in the better band (ELIGIBILITY.md §0 Boundaries).
func tol(x, t float64) float64 { return 1e-12 * max(math.Abs(x), math.Abs(t)) }

func ge(x, t float64) bool { return x >= t-tol(x, t) }
func le(x, t float64) bool { return x <= t+tol(x, t) }

// ev is one evaluation: the facts, the parameters and the criteria built so far. Messages are
// written into one buffer and turned into strings once at the end, so an evaluation makes a
// handful of allocations.
type ev struct {
	f       *Facts
	p       *Snapshot
	Y       int
	y       [4]*Year // y[k] is the fiscal year Y−k
	renewal bool
	size    domain.SizeClass

	// Messages are written into pooled fixed arrays (bytes only: no GC write barriers, no
	// zeroing per call); over takes over if a verdict's messages ever outgrow them. sc is nil
	// when no messages are wanted (Decide).
	sc   *msgScratch
	n    int
	over []byte
	nm   int // bytes of sc.miss used by the criterion under construction
	crit []Criterion

	// the criterion under construction
	cur    Criterion
	start  int
	nMiss  int
	cst    Status
	picked bool
}

type msgScratch struct {
	arr  [12 << 10]byte
	miss [1 << 10]byte
}

var scratchPool = sync.Pool{New: func() any { return new(msgScratch) }}

// Evaluate judges facts with this snapshot's parameters, whatever f.AsOf is (to replay a past
// verdict with the parameters of its date, or to try corrected values).
func (s *Snapshot) Evaluate(f *Facts) Verdict {
	sc := scratchPool.Get().(*msgScratch)
	v := s.run(f, sc, make([]Criterion, 0, maxCriteria))
	scratchPool.Put(sc)
	return v
}

// run evaluates every tier; with sc nil no messages are written.
func (s *Snapshot) run(f *Facts, sc *msgScratch, crit []Criterion) Verdict {
	e := ev{f: f, p: s, Y: f.AsOf.Year(), renewal: boolOr(f.Renewal, false), sc: sc, crit: crit}
	for i := range f.Years {
		if d := e.Y - f.Years[i].Year; d >= 1 && d <= 3 {
			e.y[d] = &f.Years[i]
		}
	}
	if y1 := e.y[1]; y1 != nil {
		e.size = domain.ClassifySize(f.IndustryGroup, y1.Employees, y1.Revenue)
	}
	v := Verdict{AsOf: f.AsOf, RuleSet: s.RuleSet, Size: string(e.size), USCC: f.USCC, Name: f.Name,
		CurrentTier: f.CurrentTier, Renewal: e.renewal, ParamsVersion: s.version}
	if e.size == domain.SizeUnknown {
		v.Size = "unknown"
	}
	if next := f.CurrentTier.Next(); next != "" {
		v.NextTier = tierPtr(next)
	}

	common := e.common()
	var spans [3][2]int
	spans[0][0] = 0
	e.innovative(&v.Tiers.Innovative, common)
	spans[0][1] = len(e.crit)

	spans[1][0] = len(e.crit)
	e.crit = append(e.crit, e.crit[:5]...)
	if s.RuleSet == RuleSet2022 {
		e.specialized2022(&v.Tiers.Specialized, common)
	} else {
		e.specialized2026(&v.Tiers.Specialized, common)
	}
	spans[1][1] = len(e.crit)

	spans[2][0] = len(e.crit)
	e.crit = append(e.crit, e.crit[:5]...)
	if s.RuleSet == RuleSet2022 {
		e.littleGiant2022(&v.Tiers.LittleGiant, common)
	} else {
		e.littleGiant2026(&v.Tiers.LittleGiant, common)
	}
	spans[2][1] = len(e.crit)

	if sc != nil {
		var msgs string
		if e.over != nil {
			// over is never written again, so the messages can share its bytes (as strings.Builder does).
			msgs = unsafe.String(unsafe.SliceData(e.over), len(e.over))
		} else {
			msgs = string(sc.arr[:e.n])
		}
		for i := range e.crit {
			c := &e.crit[i]
			c.Message = msgs[c.msgStart:c.msgEnd]
		}
	}
	v.Tiers.Innovative.Criteria = e.crit[spans[0][0]:spans[0][1]:spans[0][1]]
	v.Tiers.Specialized.Criteria = e.crit[spans[1][0]:spans[1][1]:spans[1][1]]
	v.Tiers.LittleGiant.Criteria = e.crit[spans[2][0]:spans[2][1]:spans[2][1]]
	return v
}

var tierVals = [...]domain.Tier{domain.TierBase, domain.TierInnovative, domain.TierSpecialized, domain.TierLittleGiant}

// tierPtr returns a shared pointer for a known tier, so a verdict need not allocate one.
func tierPtr(t domain.Tier) *domain.Tier {
	if r := t.Rank(); r >= 0 {
		return &tierVals[r]
	}
	return nil
}

// maxCriteria is the most criteria a verdict has (miit-2022: 13 + 23 + 13).
const maxCriteria = 50

// ---- criterion construction ----

// open starts a criterion. Conditions are then folded in with and/or; close finishes it.
func (e *ev) open(id, clause string, route Route) {
	e.cur = Criterion{ID: id, Clause: clause, Route: route}
	e.start = e.len()
	e.nm = 0
	e.nMiss = 0
	e.cst = Pass
	e.picked = false
}

// and folds in a condition that must hold. The criterion reports the value and threshold of
// the first condition that does not pass (the one to fix first), else of the first condition.
func (e *ev) and(st Status, val, thr Value, unit Unit) {
	e.cst = allOf(e.cst, st)
	e.pick(st, val, thr, unit)
}

func (e *ev) pick(st Status, val, thr Value, unit Unit) {
	if !e.picked && (st != Pass || (e.cur.Value.IsNull() && e.cur.Threshold.IsNull())) {
		e.cur.Value, e.cur.Threshold, e.cur.Unit = val, thr, unit
		e.picked = st != Pass
	}
}

// set overrides the status (for any-of criteria) and the reported value.
func (e *ev) set(st Status, val, thr Value, unit Unit) {
	e.cst = st
	e.cur.Value, e.cur.Threshold, e.cur.Unit = val, thr, unit
	e.picked = true
}

// close appends the missing-field list (unless the criterion passed) and stores the criterion.
func (e *ev) close() {
	if e.cst != Pass && e.nMiss > 0 {
		if e.len() > e.start {
			e.w("；")
		}
		e.w("缺少数据：")
		e.wb(e.sc.miss[:e.nm])
	}
	e.cur.Status = e.cst
	e.cur.msgStart, e.cur.msgEnd = int32(e.start), int32(e.len())
	e.crit = append(e.crit, e.cur)
}

// need records a missing fact of the current criterion (once, however many parts need it).
func (e *ev) need(field, label string) {
	if e.sc == nil {
		return
	}
	var tmp [160]byte
	item := append(append(append(append(tmp[:0], label...), "（"...), field...), "）"...)
	e.addMissing(item)
}

// needYear records a missing per-year figure, e.g. "2025 年营业收入（years[2025].revenue）".
func (e *ev) needYear(back int, k yf) {
	if e.sc == nil {
		return
	}
	var tmp [160]byte
	yr := strconv.AppendInt(tmp[:0], int64(e.Y-back), 10)
	item := append(yr, " 年"...)
	item = append(item, yfLabel[k]...)
	item = append(item, "（years["...)
	item = strconv.AppendInt(item, int64(e.Y-back), 10)
	item = append(item, "]."...)
	item = append(item, yfName[k]...)
	item = append(item, "）"...)
	e.addMissing(item)
}

func (e *ev) addMissing(item []byte) {
	if bytes.Contains(e.sc.miss[:e.nm], item) {
		return
	}
	if e.nMiss > 0 {
		e.mw("、")
	}
	e.nMiss++
	e.mb(item)
}

// mw appends to the missing-field list; a list longer than the array is cut (it is only text).
func (e *ev) mw(s string) {
	if e.nm+len(s) <= len(e.sc.miss) {
		e.nm += copy(e.sc.miss[e.nm:], s)
	}
}

func (e *ev) mb(b []byte) {
	if e.nm+len(b) <= len(e.sc.miss) {
		e.nm += copy(e.sc.miss[e.nm:], b)
	}
}

// quiet reports that no messages are being written.
func (e *ev) quiet() bool { return e.sc == nil }

func (e *ev) len() int {
	if e.over != nil {
		return len(e.over)
	}
	return e.n
}

func (e *ev) w(s string) {
	if e.sc == nil {
		return
	}
	if e.over == nil && e.n+len(s) <= len(e.sc.arr) {
		e.n += copy(e.sc.arr[e.n:], s)
		return
	}
	e.spill()
	e.over = append(e.over, s...)
}

func (e *ev) wb(b []byte) {
	if e.sc == nil {
		return
	}
	if e.over == nil && e.n+len(b) <= len(e.sc.arr) {
		e.n += copy(e.sc.arr[e.n:], b)
		return
	}
	e.spill()
	e.over = append(e.over, b...)
}

// spill moves the messages to the heap the first time they outgrow the array.
func (e *ev) spill() {
	if e.over == nil {
		e.over = append(make([]byte, 0, 2*len(e.sc.arr)), e.sc.arr[:e.n]...)
	}
}

// wn writes a number rounded to 2 decimals.
func (e *ev) wn(x float64) {
	if e.sc == nil {
		return
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		e.w("无法计算")
		return
	}
	var tmp [32]byte
	e.wb(appendDec2(tmp[:0], math.Round(x*100)))
}

// wnFloor writes a number truncated to 2 decimals, so 9.9986 years does not read as 10.
func (e *ev) wnFloor(x float64) {
	if e.sc == nil {
		return
	}
	var tmp [32]byte
	e.wb(appendDec2(tmp[:0], math.Floor(x*100)))
}

// wp writes a ratio as a percentage.
func (e *ev) wp(r float64) {
	if e.sc == nil {
		return
	}
	if math.IsNaN(r) || math.IsInf(r, 0) {
		e.w("无法计算（分母为 0）")
		return
	}
	var tmp [32]byte
	e.wb(appendDec2(tmp[:0], math.Round(r*10000)))
	e.w("%")
}

// appendDec2 writes hundredths (an integral float) as a decimal with trailing zeros dropped:
// 1234 → "12.34", 1230 → "12.3", 1200 → "12". Integer formatting is much cheaper than
// strconv's shortest float formatting, which matters at 200k verdicts a second.
func appendDec2(b []byte, hundredths float64) []byte {
	if math.Abs(hundredths) >= 1e17 {
		return strconv.AppendFloat(b, hundredths/100, 'f', -1, 64)
	}
	h := int64(hundredths)
	if h < 0 {
		b = append(b, '-')
		h = -h
	}
	b = strconv.AppendInt(b, h/100, 10)
	if f := h % 100; f != 0 {
		b = append(b, '.', byte('0'+f/10))
		if f%10 != 0 {
			b = append(b, byte('0'+f%10))
		}
	}
	return b
}

func (e *ev) wi(n int64) {
	if e.sc == nil {
		return
	}
	var tmp [24]byte
	e.wb(strconv.AppendInt(tmp[:0], n, 10))
}

func (e *ev) wyear(back int) {
	e.wi(int64(e.Y - back))
	e.w(" 年")
}

// ---- facts access ----

// fig reads a per-year figure, recording it as missing when absent.
func (e *ev) fig(back int, k yf) (float64, bool) {
	v, ok := e.y[back].get(k)
	if !ok {
		e.needYear(back, k)
	}
	return v, ok
}

// ratio is num/den of year Y−back; NaN when den is 0 (undefined, never meets a threshold).
func (e *ev) ratio(back int, num, den yf) (float64, bool) {
	n, ok1 := e.fig(back, num)
	d, ok2 := e.fig(back, den)
	if !ok1 || !ok2 {
		return 0, false
	}
	if d == 0 {
		return math.NaN(), true
	}
	return n / d, true
}

// growth is (x_{Y−back} − x_{Y−back−1}) / x_{Y−back−1}.
func (e *ev) growth(back int, k yf) (float64, bool) {
	cur, ok1 := e.fig(back, k)
	prev, ok2 := e.fig(back+1, k)
	if !ok1 || !ok2 {
		return 0, false
	}
	if prev == 0 {
		return math.NaN(), true
	}
	return (cur - prev) / prev, true
}

// avgGrowth2 is the 2022 近2年平均增长率: the mean of g_{Y−1} and g_{Y−2}.
func (e *ev) avgGrowth2(k yf) (float64, bool) {
	g1, ok1 := e.growth(1, k)
	g2, ok2 := e.growth(2, k)
	if !ok1 || !ok2 {
		return 0, false
	}
	return (g1 + g2) / 2, true
}

// sum adds a figure over years Y−from..Y−1; complete is false when some year is absent (the
// known part is still summed: amounts are non-negative, so it is a lower bound).
func (e *ev) sum(k yf, from int) (s float64, complete bool) {
	complete = true
	for b := from; b >= 1; b-- {
		v, ok := e.fig(b, k)
		if !ok {
			complete = false
			continue
		}
		s += v
	}
	return s, complete
}

// sumAtLeast tests a non-negative sum against a minimum: a known part already at the minimum
// passes even if a year is missing.
func sumAtLeast(s float64, complete bool, min float64) Status {
	switch {
	case ge(s, min):
		return Pass
	case !complete:
		return Missing
	}
	return Fail
}

// nicheYears is (Dec 31 of Y−1 − niche_since) in days / 365.25 (ELIGIBILITY.md §1).
func (e *ev) nicheYears() (float64, bool) {
	if e.f.NicheSince.IsZero() {
		e.need("niche_since", "进入细分市场日期")
		return 0, false
	}
	end := domain.NewDate(e.Y-1, time.December, 31)
	return float64(e.f.NicheSince.DaysUntil(end)) / 365.25, true
}

// award looks for a 近三年 award (Y−RecentYears ≤ year ≤ Y) at one of the levels and, when
// maxRank > 0, ranked within maxRank. An award without a rank leaves a ranked test open.
// Awards not reported at all (nil) are missing; an empty list means none.
func (e *ev) award(levels []string, maxRank int64) Status {
	if e.f.Awards == nil {
		e.need("awards", "科技奖励")
		return Missing
	}
	st := Fail
	for i := range e.f.Awards {
		a := &e.f.Awards[i]
		if a.Year < e.Y-e.p.RecentYears || a.Year > e.Y || !contains(levels, a.Level) {
			continue
		}
		if maxRank <= 0 {
			return Pass
		}
		if a.Rank == nil {
			st = Missing
			continue
		}
		if *a.Rank <= maxRank {
			return Pass
		}
	}
	if st == Missing {
		e.need("awards[].rank", "获奖排名")
	}
	return st
}

// honour tests the honours valid on as_of against a list; nil honours are missing.
func (e *ev) honour(list []string) (Status, string) {
	if e.f.Honours == nil {
		e.need("honours", "荣誉资质")
		return Missing, ""
	}
	for _, h := range e.f.Honours {
		if contains(list, h) {
			return Pass, h
		}
	}
	return Fail, ""
}

// chuangke: a 「创客中国」 rank within maxRank. The schema has no way to say "not ranked" other
// than leaving chuangke_rank out, so absence reads as not ranked (fail), not as missing.
func (e *ev) chuangke(maxRank int64) Status {
	return statusOf(e.f.ChuangkeRank != nil && *e.f.ChuangkeRank <= maxRank)
}

// inst tests rd_institution against the qualifying levels.
func (e *ev) inst(levels []string) Status {
	if e.f.RDInstitution == "" {
		e.need("rd_institution", "研发机构级别")
		return Missing
	}
	return statusOf(contains(levels, e.f.RDInstitution))
}

// flag reads an optional boolean fact, recording it as missing when absent.
func (e *ev) flag(p *bool, field, label string) (bool, bool) {
	if p == nil {
		e.need(field, label)
		return false, false
	}
	return *p, true
}

func boolStatus(v, ok bool) Status {
	if !ok {
		return Missing
	}
	return statusOf(v)
}

// devScore reads dev_score for a year without allocating.
func (e *ev) devScore(year int) (float64, bool) {
	if e.f.DevScore == nil {
		return 0, false
	}
	var b [8]byte
	k := strconv.AppendInt(b[:0], int64(year), 10)
	v, ok := e.f.DevScore[string(k)]
	return v, ok
}

// ---- common conditions (ELIGIBILITY.md §2), every tier ----

const (
	clRegistered = "工信部企业〔2022〕63号 附件1–3 基本条件（在中华人民共和国境内工商注册登记、具有独立法人资格）；ELIGIBILITY.md §2 common.registered"
	clSME        = "《中小企业划型标准规定》（工信部联企业〔2011〕300号）；ELIGIBILITY.md §2 common.sme"
	clCredit     = "工信部企业〔2022〕63号 基本条件（未被列入经营异常名录或严重失信主体名单）；ELIGIBILITY.md §2 common.credit"
	clIndustry   = "工信部企业〔2022〕63号 基本条件（提供的产品或服务不属于国家禁止、限制或淘汰类）；ELIGIBILITY.md §2 common.industry"
	clIncidents  = "工信部企业〔2022〕63号 基本条件（近三年未发生重大安全、质量、环境污染事故及偷漏税等违法违规行为）；ELIGIBILITY.md §2 common.incidents"
)

// common evaluates the five common.* criteria and reports whether all pass.
func (e *ev) common() bool {
	e.commonRegistered()
	e.commonSME()
	e.commonCredit()
	e.commonIndustry()
	e.commonIncidents()
	for i := 0; i < 5; i++ {
		if e.crit[i].Status != Pass {
			return false
		}
	}
	return true
}

// common.registered — registered in Shanghai with independent legal personality (§2).
func (e *ev) commonRegistered() {
	e.open("common.registered", clRegistered, RouteCommon)
	sh := boolOr(e.f.RegisteredInShanghai, true)
	legal := boolOr(e.f.IndependentLegalPerson, true)
	e.and(statusOf(sh && legal), boolV(sh && legal), boolV(true), UnitNone)
	switch {
	case sh && legal:
		e.w("在上海注册登记，具有独立法人资格")
	case !sh && !legal:
		e.w("未在上海注册登记，且不具有独立法人资格")
	case !sh:
		e.w("未在上海注册登记（需在本市注册登记）")
	default:
		e.w("不具有独立法人资格")
	}
	e.close()
}

// common.sme — micro, small or medium by 工信部联企业〔2011〕300号 on Y−1 figures; a large
// enterprise is never eligible (§2).
func (e *ev) commonSME() {
	e.open("common.sme", clSME, RouteCommon)
	thr := strV("micro|small|medium")
	switch {
	case e.size == domain.SizeUnknown:
		if e.y[1] == nil {
			e.needYear(1, fEmployees)
			if e.f.IndustryGroup != domain.GroupOther {
				e.needYear(1, fRevenue)
			}
		} else {
			e.fig(1, fEmployees)
			if e.f.IndustryGroup != domain.GroupOther {
				e.fig(1, fRevenue)
			}
		}
		e.and(Missing, Value{}, thr, UnitNone)
		e.w("无法划型（需上年度从业人员")
		if e.f.IndustryGroup != domain.GroupOther {
			e.w("和营业收入")
		}
		e.w("）")
	case e.size.IsSME():
		e.and(Pass, strV(string(e.size)), thr, UnitNone)
		e.w("按 ")
		e.wyear(1)
		e.w("数据划型为")
		e.w(e.size.Label())
		e.w("企业")
	default:
		e.and(Fail, strV(string(e.size)), thr, UnitNone)
		e.w("按 ")
		e.wyear(1)
		e.w("数据划型为大型企业，不属于中小企业，不能参评")
	}
	e.close()
}

// common.credit — not on 经营异常名录 nor 严重失信主体名单 (§2).
func (e *ev) commonCredit() {
	e.open("common.credit", clCredit, RouteCommon)
	abn := boolOr(e.f.AbnormalOperation, false)
	dis := boolOr(e.f.SeriousDishonesty, false)
	e.and(statusOf(!abn && !dis), boolV(!abn && !dis), boolV(true), UnitNone)
	switch {
	case !abn && !dis:
		e.w("未列入经营异常名录和严重失信主体名单")
	case abn && dis:
		e.w("已列入经营异常名录和严重失信主体名单")
	case abn:
		e.w("已列入经营异常名录")
	default:
		e.w("已列入严重失信主体名单")
	}
	e.close()
}

// common.industry — products/services not in a 禁止/限制/淘汰类 list (§2).
func (e *ev) commonIndustry() {
	e.open("common.industry", clIndustry, RouteCommon)
	r := boolOr(e.f.RestrictedIndustry, false)
	e.and(statusOf(!r), boolV(!r), boolV(true), UnitNone)
	if r {
		e.w("产品或服务属于禁止、限制或淘汰类")
	} else {
		e.w("产品或服务不属于禁止、限制或淘汰类")
	}
	e.close()
}

// common.incidents — no major safety/quality/environment incident and no tax evasion in the
// last 3 years (§2).
func (e *ev) commonIncidents() {
	e.open("common.incidents", clIncidents, RouteCommon)
	inc := boolOr(e.f.MajorIncident3Y, false)
	tax := boolOr(e.f.TaxViolation3Y, false)
	e.and(statusOf(!inc && !tax), boolV(!inc && !tax), boolV(true), UnitNone)
	switch {
	case !inc && !tax:
		e.w("近三年未发生重大安全、质量、环境污染事故，无偷漏税行为")
	case inc && tax:
		e.w("近三年发生重大安全/质量/环境污染事故，且有偷漏税行为")
	case inc:
		e.w("近三年发生重大安全（含网络、数据安全）、质量或环境污染事故")
	default:
		e.w("近三年有偷漏税行为")
	}
	e.close()
}

// prereq — the tier below held and valid on as_of; a higher tier, valid, also satisfies it
// (§0 One step at a time). A title whose valid_until is before as_of is not valid; when
// valid_until is absent the title is taken as valid and the message says so.
func (e *ev) prereq(need domain.Tier, clause string) {
	e.open("prereq", clause, RouteRequired)
	held := e.f.CurrentTier
	thr := strV(string(need))
	e.w("当前梯度：")
	e.w(held.LabelOn(e.f.AsOf))
	switch {
	case held.Rank() < need.Rank():
		e.and(Fail, strV(string(held)), thr, UnitNone)
		e.w("；需持有有效的")
		e.w(need.LabelOn(e.f.AsOf))
		e.w("称号")
	case e.f.CurrentTierValidUntil.IsZero():
		e.and(Pass, strV(string(held)), thr, UnitNone)
		e.w("（未提供有效期 current_tier_valid_until，按有效处理）")
	case e.f.CurrentTierValidUntil.Before(e.f.AsOf):
		e.and(Fail, strV(string(held)), thr, UnitNone)
		e.w("，称号已于 ")
		if !e.quiet() {
			e.w(e.f.CurrentTierValidUntil.String())
		}
		e.w(" 到期，不再有效")
	default:
		e.and(Pass, strV(string(held)), thr, UnitNone)
		e.w("，有效期至 ")
		if !e.quiet() {
			e.w(e.f.CurrentTierValidUntil.String())
		}
	}
	e.close()
}

// minYearsCheck folds a niche-years minimum into the current criterion.
func (e *ev) nicheCheck(min float64) {
	yrs, ok := e.nicheYears()
	e.w("从事细分市场 ")
	if ok {
		e.wnFloor(yrs)
		e.w(" 年")
		e.and(statusOf(ge(yrs, min)), numV(math.Round(yrs*1e4)/1e4), numV(min), UnitYears)
	} else {
		e.w("年限未知")
		e.and(Missing, Value{}, numV(min), UnitYears)
	}
	e.w("，需 ≥ ")
	e.wn(min)
	e.w(" 年")
}

// ratioCheck folds "ratio of year Y−back ≥ min" (or ≤ max when atMost) into the criterion.
func (e *ev) ratioCheck(label string, back int, num, den yf, bound float64, atMost bool) {
	r, ok := e.ratio(back, num, den)
	e.wyear(back)
	e.w(label)
	e.w(" ")
	st := Missing
	if ok {
		e.wp(r)
		if atMost {
			st = statusOf(le(r, bound))
		} else {
			st = statusOf(ge(r, bound))
		}
		e.and(st, pctV(r), pctV(bound), UnitPercent)
	} else {
		e.w("未知")
		e.and(Missing, Value{}, pctV(bound), UnitPercent)
	}
	if atMost {
		e.w("，需 ≤ ")
	} else {
		e.w("，需 ≥ ")
	}
	e.wp(bound)
}

// amountCheck folds "figure of year Y−back ≥ min" into the criterion.
func (e *ev) amountCheck(label string, back int, k yf, min float64) {
	v, ok := e.fig(back, k)
	e.wyear(back)
	e.w(label)
	e.w(" ")
	if ok {
		e.wn(v)
		e.w(" 万元")
		e.and(statusOf(ge(v, min)), numV(v), numV(min), UnitWan)
	} else {
		e.w("未知")
		e.and(Missing, Value{}, numV(min), UnitWan)
	}
	e.w("，需 ≥ ")
	e.wn(min)
	e.w(" 万元")
}

// sep writes a separator between parts of a message.
func (e *ev) sep() { e.w("；") }

var (
	routesStandard = []string{"standard"}
	routeNames     = [...]string{"score", "direct", "tech_sme"}
	routeSets      [8][]string
)

func init() {
	for m := 1; m < 8; m++ {
		for i, n := range routeNames {
			if m&(1<<i) != 0 {
				routeSets[m] = append(routeSets[m], n)
			}
		}
	}
}
