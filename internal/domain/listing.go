package domain

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// ListingStage is where an enterprise stands on the way to listing (DOMAIN.md §Listing pipeline).
type ListingStage string

const (
	StageCandidate    ListingStage = "candidate"    // 潜在
	StagePool         ListingStage = "pool"         // 入改制上市培育库
	StageRestructured ListingStage = "restructured" // 完成股改
	StageTutoring     ListingStage = "tutoring"     // 辅导备案
	StageFiled        ListingStage = "filed"        // 申报受理
	StageReview       ListingStage = "review"       // 审核问询
	StageRegistered   ListingStage = "registered"   // 注册生效
	StageListed       ListingStage = "listed"       // 发行上市
	StageWithdrawn    ListingStage = "withdrawn"    // 撤回/终止, outside the ordered stages
)

// ListingStages are the ordered stages; StageWithdrawn is not among them.
var ListingStages = []ListingStage{StageCandidate, StagePool, StageRestructured, StageTutoring, StageFiled, StageReview, StageRegistered, StageListed}

// Rank is the stage's position in ListingStages; -1 for withdrawn or unknown.
func (s ListingStage) Rank() int {
	for i, x := range ListingStages {
		if x == s {
			return i
		}
	}
	return -1
}

// Valid reports whether s is an ordered stage or withdrawn.
func (s ListingStage) Valid() bool { return s.Rank() >= 0 || s == StageWithdrawn }

// Next is the stage after s, or "" after listed (and for withdrawn).
func (s ListingStage) Next() ListingStage {
	r := s.Rank()
	if r < 0 || r+1 >= len(ListingStages) {
		return ""
	}
	return ListingStages[r+1]
}

// InPool reports whether the stage counts towards the 改制上市培育库 (entered, not yet listed).
func (s ListingStage) InPool() bool {
	r := s.Rank()
	return r >= StagePool.Rank() && r < StageListed.Rank()
}

func (s ListingStage) Label() string {
	switch s {
	case StageCandidate:
		return "潜在企业"
	case StagePool:
		return "入库培育"
	case StageRestructured:
		return "完成股改"
	case StageTutoring:
		return "辅导备案"
	case StageFiled:
		return "申报受理"
	case StageReview:
		return "审核问询"
	case StageRegistered:
		return "注册生效"
	case StageListed:
		return "发行上市"
	case StageWithdrawn:
		return "撤回/终止"
	case "":
		return "未纳入"
	}
	return string(s)
}

// ListingBoard is a target market (DOMAIN.md §Listing pipeline).
type ListingBoard string

const (
	BoardMainSSE        ListingBoard = "main_sse"
	BoardMainSZSE       ListingBoard = "main_szse"
	BoardSTAR           ListingBoard = "star"       // 科创板
	BoardChiNext        ListingBoard = "chinext"    // 创业板
	BoardBSE            ListingBoard = "bse"        // 北交所
	BoardNEEQBasic      ListingBoard = "neeq_basic" // 新三板基础层
	BoardNEEQInnovation ListingBoard = "neeq_innovation"
	BoardSHSEZJTX       ListingBoard = "shsee_zjtx" // 上海股权托管交易中心专精特新专板
	BoardHKEX           ListingBoard = "hkex"
	BoardOverseas       ListingBoard = "overseas"
)

// ListingBoards lists the boards in display order.
var ListingBoards = []ListingBoard{BoardMainSSE, BoardMainSZSE, BoardSTAR, BoardChiNext, BoardBSE, BoardNEEQBasic, BoardNEEQInnovation, BoardSHSEZJTX, BoardHKEX, BoardOverseas}

func (b ListingBoard) Valid() bool {
	for _, x := range ListingBoards {
		if x == b {
			return true
		}
	}
	return false
}

func (b ListingBoard) Label() string {
	switch b {
	case BoardMainSSE:
		return "主板（上交所）"
	case BoardMainSZSE:
		return "主板（深交所）"
	case BoardSTAR:
		return "科创板"
	case BoardChiNext:
		return "创业板"
	case BoardBSE:
		return "北交所"
	case BoardNEEQBasic:
		return "新三板基础层"
	case BoardNEEQInnovation:
		return "新三板创新层"
	case BoardSHSEZJTX:
		return "上海股权托管交易中心专精特新专板"
	case BoardHKEX:
		return "港交所"
	case BoardOverseas:
		return "境外"
	case "":
		return "未定"
	}
	return string(b)
}

// CompanyForm is the enterprise's legal form, which decides whether 股改 is still ahead.
type CompanyForm string

const (
	FormLimited    CompanyForm = "limited"     // 有限责任公司
	FormJointStock CompanyForm = "joint_stock" // 股份有限公司
)

func (f CompanyForm) Label() string {
	switch f {
	case FormLimited:
		return "有限责任公司"
	case FormJointStock:
		return "股份有限公司"
	}
	return "未填"
}

// ListingPipeline is an enterprise's place in the listing pipeline.
type ListingPipeline struct {
	EnterpriseID    int64 `gorm:"primaryKey"`
	Stage           ListingStage
	StageSince      Date
	TargetBoard     ListingBoard
	MarketBoard     ListingBoard // where its shares trade now ("" = nowhere), kept as market events
	Sponsor         string       // 保荐机构
	LawFirm         string
	Auditor         string
	PlannedFilingOn Date
	Notes           string
	PoolEntry
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PoolEntry is the checklist recorded when an enterprise enters the pool (入库).
type PoolEntry struct {
	PoolEnteredOn    Date
	AuditedYears     int         // years of audited accounts
	CompanyForm      CompanyForm // 有限公司 must plan its 股改
	RestructureBy    Date        // planned completion of 股改 (有限公司)
	CleanRecord      bool        // 近三年无重大违法违规
	ControllerStable bool        // 实际控制人稳定
}

// PoolRestructureYears is how soon after entry an 有限公司 in the pool should complete its
// 股改 (issue #7: "a restructuring plan within 2 years for an 有限公司").
const PoolRestructureYears = 2

// MaxAuditedYears bounds the checklist's years of audited accounts against typos.
const MaxAuditedYears = 30

// Validate checks the checklist as entered on entry day on.
func (p *PoolEntry) Validate(on Date) FieldErrors {
	fe := FieldErrors{}
	if p.AuditedYears < 0 || p.AuditedYears > MaxAuditedYears {
		fe.Add("audited_years", fmt.Sprintf("经审计年数应在0–%d之间", MaxAuditedYears))
	}
	switch p.CompanyForm {
	case FormLimited:
		if p.RestructureBy.IsZero() {
			fe.Add("restructure_by", "有限责任公司入库须填写股改计划完成日期")
		} else if p.RestructureBy.Before(on) {
			fe.Add("restructure_by", "股改计划完成日期不能早于入库日期")
		}
	case FormJointStock:
		p.RestructureBy = Date{}
	default:
		fe.Add("company_form", "请选择公司形式")
	}
	return fe
}

// PoolFlag says why an 有限公司 in the pool has no credible 股改 plan; "" when none.
// Only enterprises still at the pool stage are flagged: 股改 is the next stage.
func PoolFlag(p ListingPipeline, today Date) string {
	if p.Stage != StagePool || p.CompanyForm != FormLimited || p.PoolEnteredOn.IsZero() {
		return ""
	}
	deadline := p.PoolEnteredOn.AddYears(PoolRestructureYears)
	switch {
	case p.RestructureBy.IsZero():
		return "有限公司入库但无股改计划"
	case today.After(deadline):
		return fmt.Sprintf("入库已满%d年仍未完成股改", PoolRestructureYears)
	case p.RestructureBy.After(deadline):
		return fmt.Sprintf("股改计划晚于入库后%d年", PoolRestructureYears)
	}
	return ""
}

// ListingEventKind says what a history entry records.
type ListingEventKind string

const (
	MoveEnter    ListingEventKind = "enter"    // 纳入 the pipeline
	MoveForward  ListingEventKind = "forward"  // the next stage
	MoveSkip     ListingEventKind = "skip"     // past one or more stages, with a reason
	MoveBack     ListingEventKind = "back"     // to an earlier stage, with a reason
	MoveWithdraw ListingEventKind = "withdraw" // 撤回/终止, with a reason
	MoveReenter  ListingEventKind = "reenter"  // back in after a withdrawal
	MoveMarket   ListingEventKind = "market"   // the board its shares trade on changed
)

func (k ListingEventKind) Label() string {
	switch k {
	case MoveEnter:
		return "纳入培育"
	case MoveForward:
		return "推进"
	case MoveSkip:
		return "跨阶段推进"
	case MoveBack:
		return "回退"
	case MoveWithdraw:
		return "撤回/终止"
	case MoveReenter:
		return "重新纳入"
	case MoveMarket:
		return "挂牌/上市板块变更"
	}
	return string(k)
}

// ListingEvent is one dated entry of the pipeline history.
type ListingEvent struct {
	ID           int64
	EnterpriseID int64
	Kind         ListingEventKind
	FromStage    ListingStage
	ToStage      ListingStage
	Board        ListingBoard // market events: the new market board; moves: the target board then
	OnDate       Date
	Reason       string
	MovedBy      string
	MoverID      *int64
	CreatedAt    time.Time
}

// MoveError is a refused stage move; Field names the form field at fault.
type MoveError struct {
	Field   string // to_stage or reason
	Message string
}

func (e *MoveError) Error() string { return e.Message }

// MaxReasonRunes bounds a move's reason.
const MaxReasonRunes = 500

// CheckMove decides whether an enterprise at from ("" = not in the pipeline) may move to
// to, and what kind of move it is. Moves go forward one stage at a time; skipping ahead
// or going back needs a reason, and so does a withdrawal. A withdrawn or new enterprise
// (re-)enters at candidate or pool; entering further along is a skip and needs a reason.
func CheckMove(from, to ListingStage, reason string) (ListingEventKind, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxReasonRunes {
		return "", &MoveError{"reason", fmt.Sprintf("理由不超过%d字", MaxReasonRunes)}
	}
	needReason := func(kind ListingEventKind, msg string) (ListingEventKind, error) {
		if reason == "" {
			return "", &MoveError{"reason", msg}
		}
		return kind, nil
	}
	if !to.Valid() {
		return "", &MoveError{"to_stage", "请选择目标阶段"}
	}
	if to == from {
		return "", &MoveError{"to_stage", "企业已处于“" + to.Label() + "”阶段"}
	}
	switch {
	case to == StageWithdrawn:
		switch from {
		case "":
			return "", &MoveError{"to_stage", "企业尚未纳入上市培育，无需撤回"}
		case StageListed:
			return "", &MoveError{"to_stage", "企业已发行上市，不能撤回"}
		}
		return needReason(MoveWithdraw, "撤回/终止须填写理由")
	case from == "" || from == StageWithdrawn:
		kind := MoveEnter
		if from == StageWithdrawn {
			kind = MoveReenter
		}
		if to.Rank() <= StagePool.Rank() {
			return kind, nil
		}
		if _, err := needReason(kind, "直接纳入“"+to.Label()+"”阶段（跳过潜在、入库）须填写理由"); err != nil {
			return "", err
		}
		return kind, nil
	case to.Rank() == from.Rank()+1:
		return MoveForward, nil
	case to.Rank() > from.Rank():
		return needReason(MoveSkip, "跨阶段推进（"+from.Label()+" → "+to.Label()+"）须填写理由；逐级推进只能进入“"+from.Next().Label()+"”")
	default:
		return needReason(MoveBack, "回退到“"+to.Label()+"”须填写理由")
	}
}

// --- Board hints -----------------------------------------------------------------

// Published thresholds the board hints compare stored figures with. They are guidance
// (DOMAIN.md §Listing pipeline, "Board hints shown on the enterprise"), not decisions.
const (
	// STARRDShareMin: 科创属性 — R&D ≥ 5% of revenue, summed over the latest 3 years.
	STARRDShareMin = 0.05
	// STARRDAmount3YMin: or R&D ≥ 8000 万元 summed over the latest 3 years.
	STARRDAmount3YMin = Money(8000 * FenPerWan)
	// STARRDStaffShareMin: R&D staff ≥ 10% of employees (latest year).
	STARRDStaffShareMin = 0.10
	// STARInventionPatentsMin: ≥ 7 invention patents. The registry keeps no separate
	// invention-patent count; enterprise_facts.ip_class1 (I类知识产权) stands in for it.
	STARInventionPatentsMin = 7
	// STARRevenueCAGRMin: revenue CAGR over the latest 3 years ≥ 25% …
	STARRevenueCAGRMin = 0.25
	// STARRevenueMin: … or latest revenue ≥ 3 亿元.
	STARRevenueMin = Money(30000 * FenPerWan)
	// STARYears is the span the R&D and growth tests look at.
	STARYears = 3
	// BSEInnovationMonths: 北交所 needs 12 consecutive months on 新三板创新层.
	BSEInnovationMonths = 12
)

// HintStatus is how one published threshold compares with the stored figures.
type HintStatus string

const (
	HintMet     HintStatus = "met"
	HintUnmet   HintStatus = "unmet"
	HintMissing HintStatus = "missing" // the figures needed are not on record
)

func (s HintStatus) Label() string {
	switch s {
	case HintMet:
		return "达到"
	case HintUnmet:
		return "未达到"
	}
	return "数据不足"
}

// HintCheck is one threshold with the value found.
type HintCheck struct {
	Key       string
	Label     string // the threshold as published
	Status    HintStatus
	Value     string // what the stored figures give, for display
	Reference string // where the threshold comes from, and any stand-in used
}

// BoardHint is one board's thresholds against the enterprise's figures.
type BoardHint struct {
	Board  ListingBoard
	Status HintStatus // met when every check is met; unmet when any is; else missing
	Checks []HintCheck
}

// BoardHints compares the stored figures with the published thresholds of 科创板 and 北交所.
// years may be in any order; facts may be nil; events is the pipeline history (any order).
func BoardHints(years []YearFigures, facts *EnterpriseFacts, events []ListingEvent, today Date) []BoardHint {
	return []BoardHint{STARHint(years, facts), BSEHint(events, today)}
}

// STARHint checks the 科创属性 thresholds.
func STARHint(years []YearFigures, facts *EnterpriseFacts) BoardHint {
	ys := latestConsecutive(years, STARYears)
	h := BoardHint{Board: BoardSTAR}
	h.Checks = append(h.Checks, starRD(ys), starRDStaff(years), starPatents(facts), starRevenue(ys, years))
	h.Status = combine(h.Checks)
	return h
}

func combine(cs []HintCheck) HintStatus {
	st := HintMet
	for _, c := range cs {
		switch c.Status {
		case HintUnmet:
			return HintUnmet
		case HintMissing:
			st = HintMissing
		}
	}
	return st
}

// latestConsecutive returns the latest n calendar years on record, oldest first, when
// all n consecutive years are there; otherwise nil.
func latestConsecutive(years []YearFigures, n int) []YearFigures {
	if len(years) < n {
		return nil
	}
	ys := append([]YearFigures(nil), years...)
	sort.Slice(ys, func(i, j int) bool { return ys[i].Year < ys[j].Year })
	ys = ys[len(ys)-n:]
	for i := 1; i < n; i++ {
		if ys[i].Year != ys[i-1].Year+1 {
			return nil
		}
	}
	return ys
}

func latestYear(years []YearFigures) *YearFigures {
	var l *YearFigures
	for i := range years {
		if l == nil || years[i].Year > l.Year {
			l = &years[i]
		}
	}
	return l
}

func starRD(ys []YearFigures) HintCheck {
	c := HintCheck{Key: "rd", Label: "最近3年研发投入占营业收入 ≥ 5%，或累计 ≥ 8000 万元", Status: HintMissing,
		Reference: "DOMAIN.md §Listing pipeline（科创属性）"}
	if ys == nil {
		c.Value = "需连续3个年度数据"
		return c
	}
	var rd, rev Money
	for _, y := range ys {
		if y.RDExpense == nil || y.Revenue == nil {
			c.Value = fmt.Sprintf("%d 年研发费用或营业收入未填", y.Year)
			return c
		}
		rd += *y.RDExpense
		rev += *y.Revenue
	}
	share := 0.0
	if rev > 0 {
		share = float64(rd) / float64(rev)
	}
	c.Value = fmt.Sprintf("%d–%d 年累计研发 %s 万元，占营收 %.2f%%", ys[0].Year, ys[len(ys)-1].Year, rd.FormatWan(), share*100)
	c.Status = HintUnmet
	if rd >= STARRDAmount3YMin || (rev > 0 && share >= STARRDShareMin) {
		c.Status = HintMet
	}
	return c
}

func starRDStaff(years []YearFigures) HintCheck {
	c := HintCheck{Key: "rd_staff", Label: "研发人员占从业人员 ≥ 10%", Status: HintMissing, Reference: "DOMAIN.md §Listing pipeline（科创属性）"}
	y := latestYear(years)
	if y == nil || y.RDStaff == nil || y.Employees == nil || *y.Employees == 0 {
		c.Value = "最近年度研发人员或从业人员未填"
		return c
	}
	share := float64(*y.RDStaff) / float64(*y.Employees)
	c.Value = fmt.Sprintf("%d 年 %d / %d 人，%.1f%%", y.Year, *y.RDStaff, *y.Employees, share*100)
	c.Status = HintUnmet
	if share >= STARRDStaffShareMin {
		c.Status = HintMet
	}
	return c
}

func starPatents(f *EnterpriseFacts) HintCheck {
	c := HintCheck{Key: "patents", Label: "发明专利 ≥ 7 项", Status: HintMissing,
		Reference: "DOMAIN.md §Listing pipeline（科创属性）；以 I类知识产权数（enterprise_facts.ip_class1）代替发明专利数"}
	if f == nil || f.IPClass1 == nil {
		c.Value = "I类知识产权数未填"
		return c
	}
	c.Value = fmt.Sprintf("I类知识产权 %d 项", *f.IPClass1)
	c.Status = HintUnmet
	if *f.IPClass1 >= STARInventionPatentsMin {
		c.Status = HintMet
	}
	return c
}

func starRevenue(ys, all []YearFigures) HintCheck {
	c := HintCheck{Key: "revenue", Label: "最近3年营业收入复合增长率 ≥ 25%，或最近一年营业收入 ≥ 3 亿元", Status: HintMissing,
		Reference: "DOMAIN.md §Listing pipeline（科创属性）"}
	if y := latestYear(all); y != nil && y.Revenue != nil && *y.Revenue >= STARRevenueMin {
		c.Status, c.Value = HintMet, fmt.Sprintf("%d 年营业收入 %s 万元", y.Year, y.Revenue.FormatWan())
		return c
	}
	cagr, ok := RevenueCAGR(ys)
	if !ok {
		c.Value = "需连续3个年度营业收入（首年大于0）"
		if y := latestYear(all); y != nil && y.Revenue != nil {
			c.Value = fmt.Sprintf("%d 年营业收入 %s 万元；", y.Year, y.Revenue.FormatWan()) + c.Value
		}
		return c
	}
	c.Value = fmt.Sprintf("%d–%d 年复合增长率 %.1f%%", ys[0].Year, ys[len(ys)-1].Year, cagr*100)
	c.Status = HintUnmet
	// Compare on the growth factor, exactly: (last/first) ≥ (1+25%)² avoids a rounding miss at the edge.
	first, last := float64(*ys[0].Revenue), float64(*ys[len(ys)-1].Revenue)
	if last >= first*math.Pow(1+STARRevenueCAGRMin, float64(len(ys)-1)) {
		c.Status = HintMet
	}
	return c
}

// RevenueCAGR is the compound annual growth of revenue from the first to the last of ys
// (consecutive years, oldest first): (last/first)^(1/(n−1)) − 1.
func RevenueCAGR(ys []YearFigures) (float64, bool) {
	if len(ys) < 2 || ys[0].Revenue == nil || ys[len(ys)-1].Revenue == nil || *ys[0].Revenue <= 0 || *ys[len(ys)-1].Revenue < 0 {
		return 0, false
	}
	r := float64(*ys[len(ys)-1].Revenue) / float64(*ys[0].Revenue)
	return math.Pow(r, 1/float64(len(ys)-1)) - 1, true
}

// BSEHint checks 12 consecutive months on 新三板创新层, from the market events of the
// pipeline history: the current spell starts at the latest change of market board.
func BSEHint(events []ListingEvent, today Date) BoardHint {
	c := HintCheck{Key: "neeq_innovation", Label: "在新三板创新层连续挂牌满 12 个月", Status: HintUnmet,
		Reference: "DOMAIN.md §Listing pipeline；按上市培育记录中的挂牌板块变更计算"}
	since, on := InnovationSince(events)
	switch {
	case !on:
		c.Value = "目前未在新三板创新层挂牌"
	default:
		months := MonthsBetween(since, today)
		c.Value = fmt.Sprintf("自 %s 起在创新层，已满 %d 个月", since, months)
		if months >= BSEInnovationMonths {
			c.Status = HintMet
		}
	}
	return BoardHint{Board: BoardBSE, Status: c.Status, Checks: []HintCheck{c}}
}

// InnovationSince returns the date the current spell on 新三板创新层 began, and whether
// the enterprise is on it now, from market events in any order.
func InnovationSince(events []ListingEvent) (Date, bool) {
	ms := make([]ListingEvent, 0, len(events))
	for _, ev := range events {
		if ev.Kind == MoveMarket {
			ms = append(ms, ev)
		}
	}
	sort.SliceStable(ms, func(i, j int) bool {
		if !ms[i].OnDate.Time().Equal(ms[j].OnDate.Time()) {
			return ms[i].OnDate.Before(ms[j].OnDate)
		}
		return ms[i].ID < ms[j].ID
	})
	if len(ms) == 0 || ms[len(ms)-1].Board != BoardNEEQInnovation {
		return Date{}, false
	}
	return ms[len(ms)-1].OnDate, true
}

// MonthsBetween counts whole months from a to b (0 when b is before a): 2025-01-31 to
// 2025-02-28 is 0 months, to 2025-03-01 is 1.
func MonthsBetween(a, b Date) int {
	if b.Before(a) {
		return 0
	}
	m := (b.Year()-a.Year())*12 + int(b.t.Month()) - int(a.t.Month())
	if b.t.Day() < a.t.Day() {
		m--
	}
	return max(m, 0)
}

// --- Funnel ----------------------------------------------------------------------

// ListingPoolTarget is the city's target for the 改制上市培育库 (DOMAIN.md §The ladder:
// "≥1,000 enterprises in the 改制上市培育库"; measures 五).
const ListingPoolTarget = 1000

// Funnel is the pipeline in numbers, for the board and the dashboard.
type Funnel struct {
	AsOf       Date
	Stages     []FunnelStage // one per ListingStages, in order
	Withdrawn  int           // currently withdrawn
	InPipeline int           // every enterprise with a pipeline row, withdrawn included
	PoolCount  int           // currently at pool … registered (ListingStage.InPool)
	PoolTarget int
}

// FunnelStage is one stage's numbers.
type FunnelStage struct {
	Stage      ListingStage
	Count      int   // enterprises there now
	Reached    int   // enterprises that ever reached this stage or a later one
	MedianDays int   // median days spent in the stage, over every spell (ongoing ones up to AsOf)
	Spells     int   // how many spells the median is over; 0 means no median
	ToNext     Ratio // Reached of the next stage / Reached of this one
}

// PoolShare is the pool count against the target.
func (f Funnel) PoolShare() float64 {
	if f.PoolTarget == 0 {
		return 0
	}
	return float64(f.PoolCount) / float64(f.PoolTarget)
}

// FunnelInput is one enterprise's current stage and its history of moves.
type FunnelInput struct {
	Stage  ListingStage
	Events []ListingEvent // oldest first; market events are ignored
}

// ComputeFunnel counts stages, spells and conversions from each enterprise's history.
// A spell in a stage runs from the move into it to the next move (or asOf).
func ComputeFunnel(in []FunnelInput, asOf Date) Funnel {
	f := Funnel{AsOf: asOf, PoolTarget: ListingPoolTarget, Stages: make([]FunnelStage, len(ListingStages))}
	days := make([][]int, len(ListingStages))
	for i, s := range ListingStages {
		f.Stages[i].Stage = s
	}
	for _, e := range in {
		f.InPipeline++
		if r := e.Stage.Rank(); r >= 0 {
			f.Stages[r].Count++
		} else if e.Stage == StageWithdrawn {
			f.Withdrawn++
		}
		if e.Stage.InPool() {
			f.PoolCount++
		}
		maxRank := -1
		var cur ListingStage
		var since Date
		for _, ev := range e.Events {
			if ev.Kind == MoveMarket {
				continue
			}
			if r := cur.Rank(); r >= 0 && !since.IsZero() {
				days[r] = append(days[r], max(since.DaysUntil(ev.OnDate), 0))
			}
			cur, since = ev.ToStage, ev.OnDate
			maxRank = max(maxRank, cur.Rank())
		}
		if r := cur.Rank(); r >= 0 && !since.IsZero() {
			days[r] = append(days[r], max(since.DaysUntil(asOf), 0))
		}
		for r := 0; r <= maxRank; r++ {
			f.Stages[r].Reached++
		}
	}
	for i := range f.Stages {
		st := &f.Stages[i]
		if n := len(days[i]); n > 0 {
			sort.Ints(days[i])
			st.Spells = n
			if n%2 == 1 {
				st.MedianDays = days[i][n/2]
			} else {
				st.MedianDays = (days[i][n/2-1] + days[i][n/2]) / 2
			}
		}
		if i+1 < len(f.Stages) && st.Reached > 0 {
			st.ToNext = Ratio{float64(f.Stages[i+1].Reached) / float64(st.Reached), true}
		}
	}
	return f
}

// --- Roadshows and trainings ---------------------------------------------------------

// ActivityKind is a 一月一链 roadshow or a 浦江之光 training.
type ActivityKind string

const (
	ActivityRoadshow ActivityKind = "roadshow"
	ActivityTraining ActivityKind = "training"
)

var ActivityKinds = []ActivityKind{ActivityRoadshow, ActivityTraining}

func (k ActivityKind) Valid() bool { return k == ActivityRoadshow || k == ActivityTraining }

func (k ActivityKind) Label() string {
	switch k {
	case ActivityRoadshow:
		return "“一月一链”投融资路演"
	case ActivityTraining:
		return "“浦江之光”改制上市培训"
	}
	return string(k)
}

// ListingActivity is a dated roadshow or training.
type ListingActivity struct {
	ID        int64
	Kind      ActivityKind
	Title     string
	HeldOn    Date
	Chain     string // the 产业链 of a 一月一链 roadshow
	Venue     string
	Investors string // investors met, one per line
	Notes     string
	CreatedBy string
	CreatedAt time.Time
}

// InvestorList splits Investors into names.
func (a ListingActivity) InvestorList() []string {
	var out []string
	for _, s := range strings.FieldsFunc(a.Investors, func(r rune) bool { return r == '\n' || r == '，' || r == ',' || r == '、' || r == ';' || r == '；' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks an activity; today bounds nothing (future events may be planned).
func (a *ListingActivity) Validate() FieldErrors {
	fe := FieldErrors{}
	a.Title = strings.TrimSpace(a.Title)
	if !a.Kind.Valid() {
		fe.Add("kind", "请选择活动类型")
	}
	switch n := utf8.RuneCountInString(a.Title); {
	case n == 0:
		fe.Add("title", "请填写活动名称")
	case n > 100:
		fe.Add("title", "活动名称不超过100字")
	}
	if a.HeldOn.IsZero() {
		fe.Add("held_on", "请填写活动日期")
	}
	for field, v := range map[string]string{"chain": a.Chain, "venue": a.Venue} {
		if utf8.RuneCountInString(v) > 100 {
			fe.Add(field, "不超过100字")
		}
	}
	for field, v := range map[string]string{"investors": a.Investors, "notes": a.Notes} {
		if utf8.RuneCountInString(v) > 2000 {
			fe.Add(field, "不超过2000字")
		}
	}
	return fe
}

// ValidateDetails checks the pipeline's free-text facts.
func (p *ListingPipeline) ValidateDetails() FieldErrors {
	fe := FieldErrors{}
	if p.TargetBoard != "" && !p.TargetBoard.Valid() {
		fe.Add("target_board", "请选择目标板块")
	}
	if p.MarketBoard != "" && !p.MarketBoard.Valid() {
		fe.Add("market_board", "请选择挂牌/上市板块")
	}
	for field, v := range map[string]string{"sponsor": p.Sponsor, "law_firm": p.LawFirm, "auditor": p.Auditor} {
		if utf8.RuneCountInString(v) > 100 {
			fe.Add(field, "不超过100字")
		}
	}
	if utf8.RuneCountInString(p.Notes) > 2000 {
		fe.Add("notes", "备注不超过2000字")
	}
	return fe
}
