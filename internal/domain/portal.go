package domain

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// RequestStatus is where an enterprise's update request (变更申请) stands.
type RequestStatus string

const (
	RequestDraft     RequestStatus = "draft"     // 草稿: the enterprise may edit and submit
	RequestSubmitted RequestStatus = "submitted" // 待审核
	RequestApproved  RequestStatus = "approved"  // 已通过: every proposed field applied
	RequestPartial   RequestStatus = "partial"   // 部分通过: some fields applied, the rest not
	RequestReturned  RequestStatus = "returned"  // 已退回: with a reason; the enterprise may edit and resubmit
)

// RequestStatuses lists the statuses in workflow order.
var RequestStatuses = []RequestStatus{RequestDraft, RequestSubmitted, RequestApproved, RequestPartial, RequestReturned}

func (s RequestStatus) Valid() bool {
	for _, x := range RequestStatuses {
		if x == s {
			return true
		}
	}
	return false
}

func (s RequestStatus) Label() string {
	switch s {
	case RequestDraft:
		return "草稿"
	case RequestSubmitted:
		return "待审核"
	case RequestApproved:
		return "已通过"
	case RequestPartial:
		return "部分通过"
	case RequestReturned:
		return "已退回"
	}
	return string(s)
}

// Editable reports whether the enterprise may still change the request.
func (s RequestStatus) Editable() bool { return s == RequestDraft || s == RequestReturned }

// Final reports whether the review is over and the request is kept as a record.
func (s RequestStatus) Final() bool { return s == RequestApproved || s == RequestPartial }

// CanMoveRequest reports whether a request may go from one status to another.
func CanMoveRequest(from, to RequestStatus) bool {
	switch to {
	case RequestDraft:
		return from == RequestDraft || from == RequestReturned
	case RequestSubmitted:
		return from.Editable()
	case RequestApproved, RequestPartial, RequestReturned:
		return from == RequestSubmitted
	}
	return false
}

// Item outcomes set by the review.
const (
	OutcomeItemApproved = "approved"
	OutcomeItemRejected = "rejected"
	OutcomeItemConflict = "conflict" // the registry value changed after the request was made
)

// ItemOutcomeLabel is how a field's outcome reads.
func ItemOutcomeLabel(o string) string {
	switch o {
	case OutcomeItemApproved:
		return "已采纳"
	case OutcomeItemRejected:
		return "未采纳"
	case OutcomeItemConflict:
		return "冲突未采纳"
	}
	return ""
}

// UpdateRequest is an enterprise's proposed change to its own registry data. It changes
// nothing until staff approve it; then only the approved fields are applied.
type UpdateRequest struct {
	ID           int64
	EnterpriseID int64
	Status       RequestStatus
	Year         *int // the year of figures proposed; nil when only the profile changes
	Note         string
	CreatedBy    *int64
	CreatedName  string
	SubmittedAt  *time.Time
	ReviewerID   *int64
	ReviewerName string
	ReviewedAt   *time.Time
	Reason       string // why it was returned, or the reviewer's note on a partial approval
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time

	Items []RequestItem `gorm:"-"`
	Files []RequestFile `gorm:"-"`
}

// RequestItem is one proposed field: the value the enterprise saw (Base) and the one it
// proposes (New), in the canonical text of ProfileValue/YearValue; nil is "not reported".
type RequestItem struct {
	ID        int64
	RequestID int64
	Field     string
	BaseValue *string
	NewValue  *string
	Outcome   string
	Current   *string `gorm:"column:current_value"` // the registry value at review time, kept for a conflict
}

// RequestFile is an evidence file attached to a request, proving one field.
type RequestFile struct {
	ID          int64
	RequestID   int64
	Field       string
	Filename    string
	ContentType string
	Size        int64
	SHA256      string `gorm:"column:sha256"`
	Data        []byte
	UploadedBy  string
	CreatedAt   time.Time
}

// PortalField is a field an enterprise may propose a change to.
type PortalField struct {
	Key   string // profile form name, or "year." + figure key
	Label string
	// DirectCapable fields feed neither the eligibility rules nor statistics, so an
	// administrator may let enterprises change them without review.
	DirectCapable bool
}

// YearKeyPrefix marks a figure of the request's year.
const YearKeyPrefix = "year."

// ProfileFields are the profile fields of the portal, in form order. The USCC is the
// registry's key and is not changed through the portal.
var ProfileFields = []PortalField{
	{"name", "企业名称", false}, {"district", "所在区", false}, {"address", "注册地址", true},
	{"founded_on", "成立日期", false}, {"industry_group", "划型行业", false}, {"industry_code", "国民经济行业代码", false},
	{"main_product", "主导产品", true}, {"niche_market", "细分市场", true}, {"niche_since", "进入细分市场日期", false},
	{"contact_person", "联系人", true}, {"contact_phone", "联系电话", true},
	{"above_scale", "规上企业", false}, {"above_scale_since", "首次规上年份", false}, {"high_tech", "高新技术企业", false},
	{"tech_sme", "科技型中小企业", false}, {"gazelle", "瞪羚企业", false}, {"unicorn", "独角兽企业", false},
	{"single_champion", "制造业单项冠军", false}, {"listed", "上市企业", false}, {"listed_board", "上市板块", false},
}

// DefaultDirectFields are the fields enterprises change without review until an
// administrator says otherwise (contact person, phone, address).
var DefaultDirectFields = []string{"address", "contact_person", "contact_phone"}

// LookupPortalField finds a profile field or a "year." figure.
func LookupPortalField(key string) (PortalField, bool) {
	if k, ok := strings.CutPrefix(key, YearKeyPrefix); ok {
		for _, f := range YearFields {
			if f.Key == k {
				return PortalField{Key: key, Label: f.Label}, true
			}
		}
		return PortalField{}, false
	}
	for _, f := range ProfileFields {
		if f.Key == key {
			return f, true
		}
	}
	return PortalField{}, false
}

// FieldPolicy says which fields an enterprise changes directly; all others need review.
type FieldPolicy map[string]bool

// Direct reports whether key may be changed without review. Only DirectCapable fields
// ever are, whatever the stored policy says.
func (p FieldPolicy) Direct(key string) bool {
	f, ok := LookupPortalField(key)
	return ok && f.DirectCapable && p[key]
}

// DirectLabel names a field's policy in Chinese, as the policy page and the audit log show it.
func DirectLabel(direct bool) string {
	if direct {
		return "企业直接修改"
	}
	return "须审核"
}

// DefaultFieldPolicy is the policy before an administrator changes it.
func DefaultFieldPolicy() FieldPolicy {
	p := FieldPolicy{}
	for _, k := range DefaultDirectFields {
		p[k] = true
	}
	return p
}

func boolText(b bool) string { return strconv.FormatBool(b) }

// ProfileValue is a profile field in canonical text (dates YYYY-MM-DD, booleans true/false).
func ProfileValue(e Enterprise, key string) string {
	switch key {
	case "name":
		return e.Name
	case "district":
		return e.DistrictCode
	case "address":
		return e.Address
	case "founded_on":
		return e.FoundedOn.String()
	case "industry_group":
		return string(e.IndustryGroup)
	case "industry_code":
		return e.IndustryCode
	case "main_product":
		return e.MainProduct
	case "niche_market":
		return e.NicheMarket
	case "niche_since":
		return e.NicheSince.String()
	case "contact_person":
		return e.ContactPerson
	case "contact_phone":
		return e.ContactPhone
	case "above_scale":
		return boolText(e.AboveScale)
	case "above_scale_since":
		if e.AboveScaleSince == 0 {
			return ""
		}
		return strconv.Itoa(e.AboveScaleSince)
	case "high_tech":
		return boolText(e.HighTech)
	case "tech_sme":
		return boolText(e.TechSME)
	case "gazelle":
		return boolText(e.Gazelle)
	case "unicorn":
		return boolText(e.Unicorn)
	case "single_champion":
		return boolText(e.SingleChampion)
	case "listed":
		return boolText(e.Listed)
	case "listed_board":
		return e.ListedBoard
	}
	return ""
}

// SetProfileValue writes a canonical value onto e.
func SetProfileValue(e *Enterprise, key, v string) error {
	var err error
	date := func() Date {
		if v == "" {
			return Date{}
		}
		var d Date
		d, err = ParseDate(v)
		return d
	}
	flag := func() bool {
		var b bool
		b, err = strconv.ParseBool(v)
		return b
	}
	switch key {
	case "name":
		e.Name = v
	case "district":
		e.DistrictCode = v
	case "address":
		e.Address = v
	case "founded_on":
		e.FoundedOn = date()
	case "industry_group":
		e.IndustryGroup = IndustryGroup(v)
	case "industry_code":
		e.IndustryCode = v
	case "main_product":
		e.MainProduct = v
	case "niche_market":
		e.NicheMarket = v
	case "niche_since":
		e.NicheSince = date()
	case "contact_person":
		e.ContactPerson = v
	case "contact_phone":
		e.ContactPhone = v
	case "above_scale":
		e.AboveScale = flag()
	case "above_scale_since":
		e.AboveScaleSince = 0
		if v != "" {
			e.AboveScaleSince, err = strconv.Atoi(v)
		}
	case "high_tech":
		e.HighTech = flag()
	case "tech_sme":
		e.TechSME = flag()
	case "gazelle":
		e.Gazelle = flag()
	case "unicorn":
		e.Unicorn = flag()
	case "single_champion":
		e.SingleChampion = flag()
	case "listed":
		e.Listed = flag()
	case "listed_board":
		e.ListedBoard = v
	default:
		return fmt.Errorf("unknown profile field %q", key)
	}
	if err != nil {
		return fmt.Errorf("profile field %s: %w", key, err)
	}
	return nil
}

// YearValue is a figure in canonical text: 分 for amounts, people for head counts; nil when not reported.
func YearValue(y YearFigures, key string) *string {
	for _, f := range YearFields {
		if f.Key != key {
			continue
		}
		if f.Money {
			if m := *y.MoneyField(key); m != nil {
				s := strconv.FormatInt(int64(*m), 10)
				return &s
			}
		} else if c := *y.CountField(key); c != nil {
			s := strconv.FormatInt(*c, 10)
			return &s
		}
	}
	return nil
}

// SetYearValue writes a canonical figure onto y.
func SetYearValue(y *YearFigures, key string, v *string) error {
	var n *int64
	if v != nil {
		x, err := strconv.ParseInt(*v, 10, 64)
		if err != nil {
			return fmt.Errorf("figure %s: %w", key, err)
		}
		n = &x
	}
	if mp := y.MoneyField(key); mp != nil {
		if n == nil {
			*mp = nil
		} else {
			m := Money(*n)
			*mp = &m
		}
		return nil
	}
	if cp := y.CountField(key); cp != nil {
		*cp = n
		return nil
	}
	return fmt.Errorf("unknown figure %q", key)
}

// CurrentValue is the registry's value of an item's field: the profile from e, a figure
// from y (nil y: the year is not on record, every figure unreported).
func CurrentValue(e Enterprise, y *YearFigures, key string) *string {
	if k, ok := strings.CutPrefix(key, YearKeyPrefix); ok {
		if y == nil {
			return nil
		}
		return YearValue(*y, k)
	}
	s := ProfileValue(e, key)
	return &s
}

// ApplyItem writes an item's proposed value onto e or y.
func ApplyItem(e *Enterprise, y *YearFigures, it RequestItem) error {
	if k, ok := strings.CutPrefix(it.Field, YearKeyPrefix); ok {
		return SetYearValue(y, k, it.NewValue)
	}
	v := ""
	if it.NewValue != nil {
		v = *it.NewValue
	}
	return SetProfileValue(e, it.Field, v)
}

// SameValue compares two canonical values, nil equal only to nil.
func SameValue(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// DiffRequest lists the changed fields between the registry's data (base profile, base year
// or nil when the year is not on record) and the proposal, for the given profile keys and
// (when proposedYear is not nil) every figure.
func DiffRequest(base Enterprise, proposed Enterprise, profileKeys []string, baseYear, proposedYear *YearFigures) []RequestItem {
	var items []RequestItem
	for _, k := range profileKeys {
		b, n := ProfileValue(base, k), ProfileValue(proposed, k)
		if b != n {
			items = append(items, RequestItem{Field: k, BaseValue: &b, NewValue: &n})
		}
	}
	if proposedYear != nil {
		for _, f := range YearFields {
			var b *string
			if baseYear != nil {
				b = YearValue(*baseYear, f.Key)
			}
			n := YearValue(*proposedYear, f.Key)
			if baseYear == nil && n == nil {
				continue
			}
			if !SameValue(b, n) {
				items = append(items, RequestItem{Field: YearKeyPrefix + f.Key, BaseValue: b, NewValue: n})
			}
		}
	}
	return items
}

// DisplayValue renders a canonical value for people: 万元 amounts, 是/否, district names.
func DisplayValue(key string, v *string) string {
	if v == nil {
		return "未填报"
	}
	s := *v
	if k, ok := strings.CutPrefix(key, YearKeyPrefix); ok {
		for _, f := range YearFields {
			if f.Key == k && f.Money {
				if n, err := strconv.ParseInt(s, 10, 64); err == nil {
					return Money(n).FormatWan() + " 万元"
				}
			}
		}
		return s
	}
	switch key {
	case "district":
		if n := DistrictName(s); n != "" {
			return n
		}
	case "industry_group":
		return IndustryGroup(s).ShortLabel()
	case "above_scale", "high_tech", "tech_sme", "gazelle", "unicorn", "single_champion", "listed":
		if s == "true" {
			return "是"
		}
		return "否"
	}
	if s == "" {
		return "（空）"
	}
	return s
}

// Evidence files: PDF, JPEG or PNG, checked by their content, and at most MaxEvidenceBytes.
// The global request body limit is 4 MB, so the file limit stays below it and an oversized
// file gets this message rather than a bare 413.
const MaxEvidenceBytes = 3 << 20

// CheckEvidence returns the file's content type, or a user-facing reason to refuse it:
// the name's extension must match what the bytes are.
func CheckEvidence(name string, data []byte) (string, string) {
	if len(data) == 0 {
		return "", "请选择要上传的文件"
	}
	if len(data) > MaxEvidenceBytes {
		return "", fmt.Sprintf("文件过大（%.1f MB），单个文件不超过 %d MB", float64(len(data))/(1<<20), MaxEvidenceBytes>>20)
	}
	var kind string
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		kind = "application/pdf"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		kind = "image/png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		kind = "image/jpeg"
	default:
		return "", "只接受 PDF、JPG、PNG 文件（按文件内容识别）"
	}
	want := map[string]string{".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
	if w, ok := want[strings.ToLower(filepath.Ext(name))]; !ok || w != kind {
		return "", "文件扩展名与文件内容不符（内容为 " + kindName(kind) + "），请检查后重新上传"
	}
	return kind, ""
}

func kindName(ct string) string {
	switch ct {
	case "application/pdf":
		return "PDF"
	case "image/png":
		return "PNG"
	}
	return "JPG"
}

// AnnualDeadline is one dated rule for the annual data update (ELIGIBILITY.md §6).
type AnnualDeadline struct {
	From         int // first cycle year it applies to
	Month        time.Month
	Day          int
	RuleSet      string
	SingleSource bool // 单一来源: the spec marks the value as resting on one source
}

// AnnualDeadlines: "Annual data must be updated by Apr 30 (2022) / May 31 (2026, single
// source); a missed update blocks renewal" (ELIGIBILITY.md §6). Cycle Y owes the figures of
// Y−1 by the date of cycle Y.
var AnnualDeadlines = []AnnualDeadline{
	{From: 2022, Month: time.April, Day: 30, RuleSet: "miit-2022"},
	{From: 2026, Month: time.May, Day: 31, RuleSet: "miit-2026", SingleSource: true},
}

// AnnualDeadlineFor is the rule in force for cycle year y (the earliest for years before 2022).
func AnnualDeadlineFor(y int) (Date, AnnualDeadline) {
	d := AnnualDeadlines[0]
	for _, x := range AnnualDeadlines {
		if x.From <= y {
			d = x
		}
	}
	return NewDate(y, d.Month, d.Day), d
}

// AnnualUpdate is an enterprise's annual update for the cycle of a date.
type AnnualUpdate struct {
	Owed         bool // the tier owes annual figures (innovative and above)
	Year         int  // the fiscal year owed (Y−1)
	Deadline     Date
	SingleSource bool
	Done         bool // the registry holds approved figures for Year
	Overdue      bool // owed, not done, and the deadline has passed: blocks renewal
}

// AnnualUpdateStatus says what the enterprise owes on today, given whether the
// registry holds figures for the year owed.
func AnnualUpdateStatus(t Tier, hasYear func(year int) bool, today Date) AnnualUpdate {
	cycle := today.Year()
	deadline, rule := AnnualDeadlineFor(cycle)
	a := AnnualUpdate{Owed: t.Rank() >= TierInnovative.Rank(), Year: cycle - 1, Deadline: deadline, SingleSource: rule.SingleSource}
	a.Done = hasYear(a.Year)
	a.Overdue = a.Owed && !a.Done && today.After(deadline)
	return a
}

// Text is the status in plain Chinese.
func (a AnnualUpdate) Text() string {
	switch {
	case !a.Owed:
		return "当前层级无需年度报送"
	case a.Done:
		return fmt.Sprintf("%d 年度数据已报送", a.Year)
	case a.Overdue:
		return fmt.Sprintf("%d 年度数据逾期未报（截止 %s），将影响称号复核", a.Year, a.Deadline)
	}
	return fmt.Sprintf("%d 年度数据待报送，截止 %s", a.Year, a.Deadline)
}
