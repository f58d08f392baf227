package benefits

import (
	"fmt"
	"math"
	"math/big"
	"strconv"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
)

// GrantStatus is where a granted benefit stands.
type GrantStatus string

const (
	GrantConfirmed GrantStatus = "confirmed" // 已确认（核定）
	GrantPaid      GrantStatus = "paid"      // 已拨付
)

// Valid reports a known status.
func (g GrantStatus) Valid() bool { return g == GrantConfirmed || g == GrantPaid }

// Label is the status's Chinese name.
func (g GrantStatus) Label() string {
	switch g {
	case GrantConfirmed:
		return "已确认"
	case GrantPaid:
		return "已拨付"
	}
	return string(g)
}

// Grant is a benefit staff recorded as confirmed or paid for an award year.
type Grant struct {
	ID           int64
	EnterpriseID int64
	BenefitID    string
	Year         int // award year
	Status       GrantStatus
	Amount       domain.Money
	On           domain.Date // date confirmed or paid
	Note         string
	RecordedBy   string
	Version      int64
}

// Input is what the benefit rules read about one enterprise.
type Input struct {
	EnterpriseID   int64
	USCC           string
	Name           string
	District       string
	Industry       domain.IndustryGroup
	Size           domain.SizeClass
	Tier           domain.Tier
	TierValidUntil domain.Date // zero: no expiry recorded (taken as valid, as the tier rules do)
	// LittleGiantSince is the earliest certification (or recorded certification) to
	// little_giant in the tier history; zero when none is on record.
	LittleGiantSince domain.Date
	AboveScale       bool
	AboveScaleSince  int
	// SeriousDishonesty: nil means not reported, read as false like the tier rules' schema default.
	SeriousDishonesty *bool
	Years             []domain.YearFigures // oldest first
	Grants            []Grant
}

// Outcome is a benefit's result for an enterprise and award year.
type Outcome uint8

const (
	Matched    Outcome = iota + 1 // every condition holds
	Near                          // a few conditions the enterprise could still meet are unmet
	NotMatched                    //
	Inactive                      // the benefit is not in force on the evaluation date
)

var outcomeNames = [...]string{"", "matched", "near", "not_matched", "inactive"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return ""
}

// Label is the outcome's Chinese name.
func (o Outcome) Label() string {
	switch o {
	case Matched:
		return "符合"
	case Near:
		return "接近符合"
	case NotMatched:
		return "不符合"
	case Inactive:
		return "未在施行期"
	}
	return ""
}

func (o Outcome) MarshalJSON() ([]byte, error) { return []byte(`"` + o.String() + `"`), nil }

// Condition is one explained condition of a benefit: its value, the threshold, and a sentence.
type Condition struct {
	ID        string             `json:"id"`
	Label     string             `json:"label"`
	Status    eligibility.Status `json:"status"`
	Value     string             `json:"value"`
	Threshold string             `json:"threshold"`
	Message   string             `json:"message"`
}

// Result is a benefit matched against one enterprise for one award year.
type Result struct {
	Rule    *Rule
	Year    int
	AsOf    domain.Date
	Outcome Outcome
	// Amount is the capped amount the registry's data fixes (KindAuto), with AmountKnown.
	Amount      domain.Money
	AmountKnown bool
	Conditions  []Condition // only when explained
	Unmet       int         // conditions failed or missing
	Grant       *Grant      // the grant on record for this benefit and year, if any
}

// Gaps are the conditions not met: what is missing for a near match.
func (r *Result) Gaps() []Condition {
	var out []Condition
	for _, c := range r.Conditions {
		if c.Status != eligibility.Pass {
			out = append(out, c)
		}
	}
	return out
}

// EvalDate is the evaluation date of award year y: December 31 of y, or today when y is the
// current year (its last day not reached yet). Titles must be valid on it, and a benefit's
// effective window must contain it.
func EvalDate(y int, today domain.Date) domain.Date {
	d := domain.NewDate(y, 12, 31)
	if !today.IsZero() && today.Before(d) {
		return today
	}
	return d
}

// Match evaluates every benefit for one enterprise and award year, explained, with the
// parameters in force on asOf.
func Match(in *Input, year int, asOf domain.Date, ps *ParamSet) []Result {
	if ps == nil {
		ps = DefaultParameters()
	}
	return ps.At(asOf).Match(in, year, asOf, true, nil)
}

// Match appends the results of every benefit to out. Without explain no condition is kept
// and no message is formatted (the bulk path: lists, totals, `zjtx benefits`).
func (s *Snapshot) Match(in *Input, year int, asOf domain.Date, explain bool, out []Result) []Result {
	for i := range catalogue {
		out = append(out, s.matchIndex(in, i, year, asOf, explain))
	}
	return out
}

// MatchOne evaluates one benefit; ok is false for an unknown id.
func (s *Snapshot) MatchOne(in *Input, id string, year int, asOf domain.Date, explain bool) (Result, bool) {
	i := ruleIndex(id)
	if i < 0 {
		return Result{}, false
	}
	return s.matchIndex(in, i, year, asOf, explain), true
}

type evaluator struct {
	explain     bool
	conds       []Condition
	unmet, hard int
}

// note counts a condition's status; it returns whether the caller should explain it.
func (e *evaluator) note(st eligibility.Status, hard bool) bool {
	if st != eligibility.Pass {
		e.unmet++
		if hard {
			e.hard++
		}
	}
	return e.explain
}

func (e *evaluator) add(c Condition) { e.conds = append(e.conds, c) }

func (s *Snapshot) matchIndex(in *Input, i int, year int, asOf domain.Date, explain bool) Result {
	rule := &catalogue[i]
	res := Result{Rule: rule, Year: year, AsOf: asOf}
	for k := range in.Grants {
		if g := &in.Grants[k]; g.BenefitID == rule.ID && g.Year == year {
			res.Grant = g
		}
	}
	ev := evaluator{explain: explain}
	w := s.windowByIndex[i]
	active := w.Contains(asOf)
	if ev.note(statusOf(active), true) {
		msg := fmt.Sprintf("评估日 %s 在施行期（%s）内", asOf, w)
		if !active {
			msg = fmt.Sprintf("评估日 %s 不在施行期（%s）内", asOf, w)
		}
		ev.add(Condition{ID: "window", Label: "施行期", Status: statusOf(active), Value: asOf.String(), Threshold: w.String(), Message: msg})
	}
	if !active {
		res.Outcome, res.Conditions, res.Unmet = Inactive, ev.conds, ev.unmet
		return res
	}
	switch rule.ID {
	case B02First:
		s.industryCond(&ev, in)
		s.firstAboveScaleCond(&ev, in, year, "first_above_scale", "奖励年度首次纳入规上")
		res.Amount, res.AmountKnown = s.B02FirstCap, true
	case B02Growth:
		s.industryCond(&ev, in)
		s.firstAboveScaleCond(&ev, in, year-1, "above_scale_prev_year", "奖励年度上一年首次纳入规上")
		g := growthOf(in.Years, year)
		st := g.status(s.B02GrowthMinBP)
		if ev.note(st, false) {
			ev.add(g.condition("growth", fmt.Sprintf("%d 年产值增速", year), s.B02GrowthMinBP,
				fmt.Sprintf("≥ %s%%（≥ %s%% 最高 %s 万元，否则最高 %s 万元）", bpText(s.B02GrowthMinBP), bpText(s.B02GrowthHighBP),
					s.B02GrowthCapHigh.FormatWan(), s.B02GrowthCapLow.FormatWan())))
		}
		if st == eligibility.Pass {
			res.Amount, res.AmountKnown = s.B02GrowthCapLow, true
			if g.geBP(s.B02GrowthHighBP) {
				res.Amount = s.B02GrowthCapHigh
			}
		}
	case B03LittleGiant:
		s.titleCond(&ev, in, asOf, true)
		s.littleGiantSinceCond(&ev, in)
		for _, y := range []int{year - 1, year} {
			g := growthOf(in.Years, y)
			st := g.status(s.B03GrowthMinBP)
			if ev.note(st, false) {
				ev.add(g.condition("growth_"+strconv.Itoa(y), fmt.Sprintf("%d 年产值（营收）增速", y), s.B03GrowthMinBP, "≥ "+bpText(s.B03GrowthMinBP)+"%"))
			}
		}
		dishonest := in.SeriousDishonesty != nil && *in.SeriousDishonesty
		if ev.note(statusOf(!dishonest), true) {
			c := Condition{ID: "not_seriously_dishonest", Label: "无严重失信", Status: statusOf(!dishonest), Threshold: "否"}
			switch {
			case dishonest:
				c.Value, c.Message = "是", "企业被列为严重失信主体"
			case in.SeriousDishonesty == nil:
				c.Value, c.Message = "未填报", "未登记严重失信（事实表未填报，按“否”处理，与梯度规则的默认值一致）"
			default:
				c.Value, c.Message = "否", "未被列为严重失信主体"
			}
			ev.add(c)
		}
		// "按规定报送统计报表": the registry holds no reporting flag; being 规上 (in the
		// statistics bureau's 联网直报 of above-scale units) is taken as filing them.
		if ev.note(statusOf(in.AboveScale), false) {
			c := Condition{ID: "files_statistics", Label: "报送统计报表（口径：规上企业）", Status: statusOf(in.AboveScale), Value: yesNo(in.AboveScale), Threshold: "规上"}
			if in.AboveScale {
				c.Message = "规上企业，视为按规定报送统计报表（本系统口径）"
			} else {
				c.Message = "非规上企业：本系统以“规上”认定报送统计报表，须先纳入规上统计"
			}
			ev.add(c)
		}
		res.Amount, res.AmountKnown = s.B03Cap, true
	case B09TechUpgrade, B12Digital, B13CreditInterest, B13Guarantee, B14Water, B19Services:
		s.titleCond(&ev, in, asOf, false)
	case B10Procurement:
		st := eligibility.Fail
		switch {
		case in.Size.IsSME():
			st = eligibility.Pass
		case in.Size == domain.SizeUnknown:
			st = eligibility.Missing
		}
		if ev.note(st, st == eligibility.Fail) {
			c := Condition{ID: "sme", Label: "中小企业", Status: st, Value: sizeLabel(in.Size), Threshold: "中型、小型或微型"}
			switch st {
			case eligibility.Pass:
				c.Message = "按工信部联企业〔2011〕300号划型为" + in.Size.Label()
			case eligibility.Missing:
				c.Message = "缺少上年度从业人员或营业收入，无法划型"
			default:
				c.Message = "划型为大型企业，不属于中小企业"
			}
			ev.add(c)
		}
	}
	if rule.OneOff {
		var prior *Grant
		for k := range in.Grants {
			if g := &in.Grants[k]; g.BenefitID == rule.ID && g.Year != year && g.Status.Valid() {
				prior = g
				break
			}
		}
		if ev.note(statusOf(prior == nil), true) {
			c := Condition{ID: "not_granted_before", Label: "此前未兑现（一次性）", Status: statusOf(prior == nil), Threshold: "未兑现"}
			if prior == nil {
				c.Value, c.Message = "未兑现", "此前未兑现该一次性奖励"
			} else {
				c.Value = fmt.Sprintf("%d 年度%s", prior.Year, prior.Status.Label())
				c.Message = fmt.Sprintf("已于 %d 年度兑现（%s %s 万元），一次性奖励不再重复给予", prior.Year, prior.Status.Label(), prior.Amount.FormatWan())
			}
			ev.add(c)
		}
	}
	res.Conditions, res.Unmet = ev.conds, ev.unmet
	switch {
	case ev.unmet == 0:
		res.Outcome = Matched
	case ev.hard == 0 && ev.unmet <= s.NearMaxUnmet:
		res.Outcome = Near
	default:
		res.Outcome = NotMatched
	}
	if res.Outcome != Matched {
		res.Amount, res.AmountKnown = 0, false
	}
	return res
}

// titleCond: "专精特新" is a title at one of benefit.title_tiers (B03: little_giant) valid on the
// evaluation date (valid_until ≥ asOf; none recorded is taken as valid). Being one rung below,
// or holding an expired title, is something the enterprise can still fix: a soft condition.
func (s *Snapshot) titleCond(ev *evaluator, in *Input, asOf domain.Date, littleGiant bool) {
	rank := in.Tier.Rank()
	held := rank >= 0 && s.titleByTier[rank]
	if littleGiant {
		held = in.Tier == domain.TierLittleGiant
	}
	expired := held && !in.TierValidUntil.IsZero() && in.TierValidUntil.Before(asOf)
	ok := held && !expired
	below := domain.TierSpecialized
	if littleGiant {
		below = domain.TierLittleGiant
	}
	soft := expired || (in.Tier.Next() == below)
	if !ev.note(statusOf(ok), !soft) {
		return
	}
	c := Condition{ID: "title", Status: statusOf(ok), Value: tierLabel(in.Tier)}
	if !in.TierValidUntil.IsZero() && in.Tier.Rank() > 0 {
		c.Value += "（有效期至 " + in.TierValidUntil.String() + "）"
	}
	if littleGiant {
		c.Label, c.Threshold = "有效的“小巨人”称号", "专精特新“小巨人”企业，有效期至 ≥ "+asOf.String()
	} else {
		c.Label, c.Threshold = "有效的专精特新称号", "专精特新中小企业或“小巨人”企业，有效期至 ≥ "+asOf.String()
	}
	switch {
	case ok:
		c.Message = fmt.Sprintf("%s，评估日 %s 称号有效", tierLabel(in.Tier), asOf)
	case expired:
		c.Message = fmt.Sprintf("%s称号已于 %s 到期，须复核通过", tierLabel(in.Tier), in.TierValidUntil)
	default:
		c.Message = fmt.Sprintf("当前为%s，须为%s", tierLabel(in.Tier), map[bool]string{false: "专精特新中小企业或“小巨人”企业", true: "专精特新“小巨人”企业"}[littleGiant])
	}
	ev.add(c)
}

func (s *Snapshot) industryCond(ev *evaluator, in *Input) {
	ok := s.b02Group[in.Industry]
	if !ev.note(statusOf(ok), true) {
		return
	}
	c := Condition{ID: "industry", Label: "行业", Status: statusOf(ok), Value: in.Industry.Label()}
	for i, g := range s.B02Groups {
		if i > 0 {
			c.Threshold += "、"
		}
		c.Threshold += g.Label()
	}
	if ok {
		c.Message = "划型行业为" + in.Industry.Label() + "，属于适用行业"
	} else {
		c.Message = "划型行业为" + in.Industry.Label() + "，不属于适用行业（" + c.Threshold + "）"
	}
	ev.add(c)
}

// firstAboveScaleCond: the enterprise first became 规上 in year want (the profile's 规上 label
// and its first year).
func (s *Snapshot) firstAboveScaleCond(ev *evaluator, in *Input, want int, id, label string) {
	st := eligibility.Fail
	switch {
	case in.AboveScale && in.AboveScaleSince == want:
		st = eligibility.Pass
	case in.AboveScale && in.AboveScaleSince == 0:
		st = eligibility.Missing
	}
	if !ev.note(st, st == eligibility.Fail) {
		return
	}
	c := Condition{ID: id, Label: label, Status: st, Threshold: fmt.Sprintf("%d 年首次规上", want)}
	switch {
	case st == eligibility.Pass:
		c.Value, c.Message = strconv.Itoa(in.AboveScaleSince), fmt.Sprintf("%d 年首次纳入规上", want)
	case st == eligibility.Missing:
		c.Value, c.Message = "规上（首次年份未填）", "已是规上企业，但未填写首次规上年份"
	case !in.AboveScale:
		c.Value, c.Message = "非规上", "不是规上企业"
	default:
		c.Value, c.Message = strconv.Itoa(in.AboveScaleSince), fmt.Sprintf("首次规上年份为 %d 年，不是 %d 年", in.AboveScaleSince, want)
	}
	ev.add(c)
}

// littleGiantSinceCond: certified 小巨人 in benefit.B03-little-giant-growth.certified_by_year or
// earlier, from the tier history. A 小巨人 without a certification on record is missing data.
func (s *Snapshot) littleGiantSinceCond(ev *evaluator, in *Input) {
	st := eligibility.Missing
	if !in.LittleGiantSince.IsZero() {
		st = statusOf(in.LittleGiantSince.Year() <= s.B03CertifiedByYear)
	}
	if !ev.note(st, st == eligibility.Fail) {
		return
	}
	c := Condition{ID: "certified_by", Label: "“小巨人”认定年份", Status: st, Threshold: fmt.Sprintf("%d 年及以前", s.B03CertifiedByYear)}
	switch st {
	case eligibility.Missing:
		c.Value, c.Message = "无记录", "认定记录中没有“小巨人”认定，无法核对认定年份"
	case eligibility.Pass:
		c.Value, c.Message = in.LittleGiantSince.String(), fmt.Sprintf("%s 认定为“小巨人”，不晚于 %d 年", in.LittleGiantSince, s.B03CertifiedByYear)
	default:
		c.Value, c.Message = in.LittleGiantSince.String(), fmt.Sprintf("%s 认定为“小巨人”，晚于 %d 年", in.LittleGiantSince, s.B03CertifiedByYear)
	}
	ev.add(c)
}

// growth is year y over y−1 on output value (产值) when both years have it, else on revenue
// (营收): the measures say 产值(营收), and services report no output value.
type growth struct {
	year       int
	cur, prev  domain.Money
	basis      string
	ok         bool
	missingWhy string
}

func growthOf(years []domain.YearFigures, y int) growth {
	g := growth{year: y}
	var cur, prev *domain.YearFigures
	for i := range years {
		switch years[i].Year {
		case y:
			cur = &years[i]
		case y - 1:
			prev = &years[i]
		}
	}
	if cur == nil || prev == nil {
		g.missingWhy = fmt.Sprintf("缺少 %d 或 %d 年度数据", y-1, y)
		return g
	}
	switch {
	case cur.OutputValue != nil && prev.OutputValue != nil && *prev.OutputValue > 0:
		g.cur, g.prev, g.basis, g.ok = *cur.OutputValue, *prev.OutputValue, "产值", true
	case cur.Revenue != nil && prev.Revenue != nil && *prev.Revenue > 0:
		g.cur, g.prev, g.basis, g.ok = *cur.Revenue, *prev.Revenue, "营收", true
	default:
		g.missingWhy = fmt.Sprintf("缺少 %d、%d 年度产值或营业收入（或上年为零）", y-1, y)
	}
	return g
}

// geBP reports growth ≥ bp basis points, exactly: (cur − prev)·10000 ≥ bp·prev.
func (g growth) geBP(bp int64) bool {
	diff := int64(g.cur - g.prev)
	const lim = 1 << 40 // far above any enterprise's figures in 分; beyond it use big integers
	if diff < lim && diff > -lim && int64(g.prev) < lim && bp < 1<<20 && bp > -(1<<20) {
		return diff*10000 >= bp*int64(g.prev)
	}
	l := new(big.Int).Mul(big.NewInt(diff), big.NewInt(10000))
	r := new(big.Int).Mul(big.NewInt(bp), big.NewInt(int64(g.prev)))
	return l.Cmp(r) >= 0
}

func (g growth) status(minBP int64) eligibility.Status {
	if !g.ok {
		return eligibility.Missing
	}
	return statusOf(g.geBP(minBP))
}

func (g growth) percent() float64 {
	return math.Round(float64(g.cur-g.prev)/float64(g.prev)*100*100) / 100
}

func (g growth) condition(id, label string, minBP int64, threshold string) Condition {
	c := Condition{ID: id, Label: label, Threshold: threshold, Status: g.status(minBP)}
	if !g.ok {
		c.Value, c.Message = "缺数据", g.missingWhy
		return c
	}
	c.Value = strconv.FormatFloat(g.percent(), 'f', -1, 64) + "%"
	c.Message = fmt.Sprintf("%d 年%s %s 万元，%d 年 %s 万元，增速 %s", g.year, g.basis, g.cur.FormatWan(), g.year-1, g.prev.FormatWan(), c.Value)
	if c.Status == eligibility.Pass {
		c.Message += "，达到 " + bpText(minBP) + "%"
	} else {
		c.Message += "，未达到 " + bpText(minBP) + "%"
	}
	return c
}

func statusOf(ok bool) eligibility.Status {
	if ok {
		return eligibility.Pass
	}
	return eligibility.Fail
}

func bpText(bp int64) string { return strconv.FormatFloat(float64(bp)/100, 'f', -1, 64) }

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func tierLabel(t domain.Tier) string {
	if t == "" {
		return domain.TierBase.Label()
	}
	return t.Label()
}

func sizeLabel(s domain.SizeClass) string {
	if s == domain.SizeUnknown {
		return "未划型"
	}
	return s.Label()
}
