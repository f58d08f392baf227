package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Service: 一企一专员, visits and demands (DOMAIN.md §Service, measures 十八–二十).

// NeedsSpecialist reports whether an enterprise at tier must have a 服务专员.
func NeedsSpecialist(t Tier) bool { return t.Rank() >= TierSpecialized.Rank() }

// VisitKind is how a visit took place.
type VisitKind string

const (
	VisitOnSite     VisitKind = "onsite"      // 上门走访
	VisitPhone      VisitKind = "phone"       // 电话
	VisitOnline     VisitKind = "online"      // 线上
	VisitServiceDay VisitKind = "service_day" // 专属服务日
	VisitEvent      VisitKind = "event"       // 活动
)

// VisitKinds lists the kinds in form order.
var VisitKinds = []VisitKind{VisitOnSite, VisitPhone, VisitOnline, VisitServiceDay, VisitEvent}

func (k VisitKind) Valid() bool {
	for _, x := range VisitKinds {
		if x == k {
			return true
		}
	}
	return false
}

func (k VisitKind) Label() string {
	switch k {
	case VisitOnSite:
		return "上门走访"
	case VisitPhone:
		return "电话"
	case VisitOnline:
		return "线上"
	case VisitServiceDay:
		return "专属服务日"
	case VisitEvent:
		return "活动"
	}
	return string(k)
}

// DemandCategory is what an enterprise asks for help with.
type DemandCategory string

const (
	DemandFinance  DemandCategory = "finance"  // 融资
	DemandLand     DemandCategory = "land"     // 用地/空间
	DemandTalent   DemandCategory = "talent"   // 人才
	DemandPolicy   DemandCategory = "policy"   // 政策兑现
	DemandMarket   DemandCategory = "market"   // 市场/采购
	DemandTech     DemandCategory = "tech"     // 技术/知识产权
	DemandListing  DemandCategory = "listing"  // 上市
	DemandEnergy   DemandCategory = "energy"   // 能源/水电
	DemandOverseas DemandCategory = "overseas" // 出海
	DemandOther    DemandCategory = "other"    // 其他
)

// CategoryRule is a category's default routing and handling time.
type CategoryRule struct {
	Category    DemandCategory
	Label       string
	Department  string // default department a demand is routed to
	WorkingDays int    // default time to close, in working days (Sat/Sun skipped)
}

// DemandCategories is the per-category defaults table, shown to users as is.
var DemandCategories = []CategoryRule{
	{DemandFinance, "融资", "市地方金融管理局", 15},
	{DemandLand, "用地/空间", "市规划资源局", 30},
	{DemandTalent, "人才", "市人力资源社会保障局", 15},
	{DemandPolicy, "政策兑现", "市经济信息化委", 10},
	{DemandMarket, "市场/采购", "市商务委", 20},
	{DemandTech, "技术/知识产权", "市科委（市知识产权局）", 20},
	{DemandListing, "上市", "市地方金融管理局", 30},
	{DemandEnergy, "能源/水电", "市经济信息化委（能源处）", 10},
	{DemandOverseas, "出海", "市商务委", 20},
	{DemandOther, "其他", "市经济信息化委", 15},
}

// Rule returns the category's defaults; ok is false for an unknown category.
func (c DemandCategory) Rule() (CategoryRule, bool) {
	for _, r := range DemandCategories {
		if r.Category == c {
			return r, true
		}
	}
	return CategoryRule{}, false
}

func (c DemandCategory) Valid() bool { _, ok := c.Rule(); return ok }

func (c DemandCategory) Label() string {
	if r, ok := c.Rule(); ok {
		return r.Label
	}
	return string(c)
}

// Departments lists the distinct default departments, for routing pickers.
func Departments() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range DemandCategories {
		if !seen[r.Department] {
			seen[r.Department] = true
			out = append(out, r.Department)
		}
	}
	return append(out, "区经济主管部门", "区人力资源社会保障局", "区规划资源局", "区金融办")
}

// IsWorkingDay: Monday to Friday (statutory holidays are not modelled).
func IsWorkingDay(d Date) bool {
	wd := d.Time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays is the date n working days after d (d itself not counted).
func AddWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts working days after from up to and including to (0 when to ≤ from).
func WorkingDaysBetween(from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// DefaultDue is a demand's due date from the day it was raised and its category.
func DefaultDue(raised Date, c DemandCategory) Date {
	r, ok := c.Rule()
	if !ok {
		r, _ = DemandOther.Rule()
	}
	return AddWorkingDays(raised, r.WorkingDays)
}

// DemandStatus is where a demand stands.
type DemandStatus string

const (
	DemandPending    DemandStatus = "pending"     // 待受理
	DemandInProgress DemandStatus = "in_progress" // 办理中
	DemandClosed     DemandStatus = "closed"      // 已办结
	DemandReturned   DemandStatus = "returned"    // 退回
)

// DemandStatuses lists statuses in flow order.
var DemandStatuses = []DemandStatus{DemandPending, DemandInProgress, DemandClosed, DemandReturned}

// OpenDemandStatuses are the statuses a demand is still being worked in.
var OpenDemandStatuses = []DemandStatus{DemandPending, DemandInProgress}

func (s DemandStatus) Valid() bool {
	for _, x := range DemandStatuses {
		if x == s {
			return true
		}
	}
	return false
}

func (s DemandStatus) Label() string {
	switch s {
	case DemandPending:
		return "待受理"
	case DemandInProgress:
		return "办理中"
	case DemandClosed:
		return "已办结"
	case DemandReturned:
		return "退回"
	}
	return string(s)
}

// Open reports whether the demand still runs against its due date.
func (s DemandStatus) Open() bool { return s == DemandPending || s == DemandInProgress }

// demandFlow lists the allowed moves. A returned demand may be resubmitted; a closed one is final.
var demandFlow = map[DemandStatus][]DemandStatus{
	DemandPending:    {DemandInProgress, DemandReturned},
	DemandInProgress: {DemandClosed, DemandReturned},
	DemandReturned:   {DemandPending},
}

// Next lists the statuses a demand may move to from s.
func (s DemandStatus) Next() []DemandStatus { return demandFlow[s] }

// CanMove reports whether from → to is an allowed transition.
func CanMove(from, to DemandStatus) bool {
	for _, x := range demandFlow[from] {
		if x == to {
			return true
		}
	}
	return false
}

// Satisfaction is the enterprise's verdict on a closed demand.
type Satisfaction string

const (
	Satisfied       Satisfaction = "satisfied"    // 满意
	FairlySatisfied Satisfaction = "fair"         // 基本满意
	Dissatisfied    Satisfaction = "dissatisfied" // 不满意
)

// Satisfactions lists the choices.
var Satisfactions = []Satisfaction{Satisfied, FairlySatisfied, Dissatisfied}

func (s Satisfaction) Valid() bool {
	for _, x := range Satisfactions {
		if x == s {
			return true
		}
	}
	return false
}

func (s Satisfaction) Label() string {
	switch s {
	case Satisfied:
		return "满意"
	case FairlySatisfied:
		return "基本满意"
	case Dissatisfied:
		return "不满意"
	}
	return ""
}

// Transition is a requested status change with what it needs.
type Transition struct {
	To           DemandStatus
	Resolution   string // closing: what was done
	Reason       string // returning: why
	Satisfaction Satisfaction
}

// CheckTransition validates a move from the current status; messages are keyed by form field.
func CheckTransition(from DemandStatus, t *Transition) FieldErrors {
	fe := FieldErrors{}
	t.Resolution, t.Reason = strings.TrimSpace(t.Resolution), strings.TrimSpace(t.Reason)
	if !t.To.Valid() {
		fe.Add("to", "请选择新的状态")
		return fe
	}
	if !CanMove(from, t.To) {
		fe.Add("to", "诉求状态不能从“"+from.Label()+"”改为“"+t.To.Label()+"”")
		return fe
	}
	switch t.To {
	case DemandClosed:
		if t.Resolution == "" {
			fe.Add("resolution", "办结须填写办理结果")
		} else if utf8.RuneCountInString(t.Resolution) > 1000 {
			fe.Add("resolution", "办理结果不超过1000字")
		}
		if !t.Satisfaction.Valid() {
			fe.Add("satisfaction", "请选择企业满意度")
		}
	case DemandReturned:
		if t.Reason == "" {
			fe.Add("reason", "退回须填写原因")
		} else if utf8.RuneCountInString(t.Reason) > 500 {
			fe.Add("reason", "退回原因不超过500字")
		}
	}
	return fe
}

// Overdue reports whether an open demand is past its due date on today.
func Overdue(status DemandStatus, due, today Date) bool {
	return status.Open() && !due.IsZero() && due.Before(today)
}

// QuarterStart is the first day of d's calendar quarter.
func QuarterStart(d Date) Date {
	m := (int(d.Time().Month())-1)/3*3 + 1
	return NewDate(d.Year(), time.Month(m), 1)
}

// QuarterEnd is the last day of d's calendar quarter.
func QuarterEnd(d Date) Date {
	s := QuarterStart(d)
	return NewDate(s.Year(), s.Time().Month()+3, 1).AddDays(-1)
}

// QuarterLabel names d's quarter as the visit list's filter spells it: "2026Q2".
func QuarterLabel(d Date) string {
	return fmt.Sprintf("%dQ%d", d.Year(), (int(d.Time().Month())-1)/3+1)
}

// ParseQuarter reads a QuarterLabel ("2026Q2", case-insensitive) as its first day.
func ParseQuarter(s string) (Date, bool) {
	y, q, found := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "Q")
	year, yerr := strconv.Atoi(y)
	n, qerr := strconv.Atoi(q)
	if !found || yerr != nil || qerr != nil || year < 2000 || year > 2100 || n < 1 || n > 4 {
		return Date{}, false
	}
	return NewDate(year, time.Month(3*n-2), 1), true
}

// DefaultStaleDays is the "not visited in N days" threshold.
const DefaultStaleDays = 90

// Assignment binds an enterprise to a 服务专员 from AssignedAt until EndedAt.
type Assignment struct {
	ID           int64
	EnterpriseID int64
	SpecialistID int64
	AssignedAt   time.Time
	EndedAt      *time.Time
	Reason       string
	AssignedBy   string
}

// Visit is one 走访.
type Visit struct {
	ID           int64
	EnterpriseID int64
	SpecialistID *int64
	VisitedOn    Date
	Kind         VisitKind
	Participants string
	Summary      string
	ServiceDayID *int64
	RecordedBy   string
	CreatedAt    time.Time
}

// Demand is one 诉求 raised by an enterprise.
type Demand struct {
	ID           int64
	EnterpriseID int64
	VisitID      *int64
	DistrictCode string // the enterprise's, copied so the board filters without a join
	SpecialistID *int64 // the specialist who recorded it
	Category     DemandCategory
	Description  string
	Department   string
	RaisedOn     Date
	DueOn        Date
	Status       DemandStatus
	IsOpen       bool // Status.Open(), stored for the board's index
	Resolution   string
	ReturnReason string
	Satisfaction Satisfaction
	ClosedOn     Date
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ServiceDay is a 专精特新专属服务日 event.
type ServiceDay struct {
	ID           int64
	HeldOn       Date
	DistrictCode string // "" for a city-wide day
	Place        string
	Theme        string
	CreatedBy    string
	CreatedAt    time.Time
}

// Validate checks a visit's own fields (the enterprise is checked against the user's scope elsewhere).
func (v *Visit) Validate(today Date) FieldErrors {
	fe := FieldErrors{}
	v.Participants, v.Summary = strings.TrimSpace(v.Participants), strings.TrimSpace(v.Summary)
	switch {
	case v.VisitedOn.IsZero():
		fe.Add("visited_on", "请填写走访日期")
	case v.VisitedOn.After(today):
		fe.Add("visited_on", "走访日期不能晚于今天")
	case v.VisitedOn.Before(today.AddYears(-1)):
		fe.Add("visited_on", "只能补录一年内的走访")
	}
	if !v.Kind.Valid() {
		fe.Add("kind", "请选择走访方式")
	}
	if utf8.RuneCountInString(v.Participants) > 200 {
		fe.Add("participants", "参加人员不超过200字")
	}
	switch n := utf8.RuneCountInString(v.Summary); {
	case n == 0:
		fe.Add("summary", "请填写走访情况")
	case n > 2000:
		fe.Add("summary", "走访情况不超过2000字")
	}
	return fe
}

// ValidateNew checks a new demand's fields; prefix names its form row (e.g. "demand_1_").
func (d *Demand) ValidateNew(prefix string) FieldErrors {
	fe := FieldErrors{}
	d.Description, d.Department = strings.TrimSpace(d.Description), strings.TrimSpace(d.Department)
	if !d.Category.Valid() {
		fe.Add(prefix+"category", "请选择诉求类别")
	}
	switch n := utf8.RuneCountInString(d.Description); {
	case n == 0:
		fe.Add(prefix+"description", "请填写诉求内容")
	case n > 1000:
		fe.Add(prefix+"description", "诉求内容不超过1000字")
	}
	if utf8.RuneCountInString(d.Department) > 60 {
		fe.Add(prefix+"department", "承办部门不超过60字")
	}
	if !d.DueOn.IsZero() && d.DueOn.Before(d.RaisedOn) {
		fe.Add(prefix+"due_on", "办理期限不能早于提出日期")
	}
	return fe
}

// FillDefaults routes a new demand to its category's department and due date where none was given.
func (d *Demand) FillDefaults() {
	r, _ := d.Category.Rule()
	if d.Department == "" {
		d.Department = r.Department
	}
	if d.DueOn.IsZero() {
		d.DueOn = DefaultDue(d.RaisedOn, d.Category)
	}
	if d.Status == "" {
		d.Status = DemandPending
	}
}
