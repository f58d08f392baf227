package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Enterprise is one registered enterprise's profile, keyed by its USCC.
type Enterprise struct {
	ID            int64
	USCC          USCC
	Name          string
	DistrictCode  string
	Address       string
	FoundedOn     Date
	IndustryGroup IndustryGroup
	IndustryCode  string // GB/T 4754 class, e.g. C3562
	MainProduct   string
	NicheMarket   string // 细分市场
	NicheSince    Date
	ContactPerson string
	ContactPhone  string

	Labels

	// Tier and its validity are read-only on the profile; promotions change them.
	Tier           Tier
	TierValidUntil Date
	// BarredUntil bars applications after a revocation for falsified data (§6).
	BarredUntil Date

	// Size is computed from the latest year on save, so lists can filter by it cheaply.
	Size SizeClass

	Version   int64 // optimistic lock: bumped on every update
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Labels are designations an enterprise may carry besides its rung (DOMAIN.md §The ladder).
type Labels struct {
	AboveScale      bool // 规上
	AboveScaleSince int  // year it first became 规上; 0 when unknown
	HighTech        bool // 高新技术企业
	TechSME         bool // 科技型中小企业
	Gazelle         bool // 瞪羚
	Unicorn         bool // 独角兽
	SingleChampion  bool // 制造业单项冠军
	Listed          bool // 上市
	ListedBoard     string
}

// Label identifies one boolean label, for filters and badges.
type Label string

const (
	LabelAboveScale     Label = "above_scale"
	LabelHighTech       Label = "high_tech"
	LabelTechSME        Label = "tech_sme"
	LabelGazelle        Label = "gazelle"
	LabelUnicorn        Label = "unicorn"
	LabelSingleChampion Label = "single_champion"
	LabelListed         Label = "listed"
)

// AllLabels lists labels in display order.
var AllLabels = []Label{LabelAboveScale, LabelHighTech, LabelTechSME, LabelGazelle, LabelUnicorn, LabelSingleChampion, LabelListed}

func (l Label) Valid() bool {
	for _, x := range AllLabels {
		if x == l {
			return true
		}
	}
	return false
}

func (l Label) Text() string {
	switch l {
	case LabelAboveScale:
		return "规上"
	case LabelHighTech:
		return "高新技术企业"
	case LabelTechSME:
		return "科技型中小企业"
	case LabelGazelle:
		return "瞪羚"
	case LabelUnicorn:
		return "独角兽"
	case LabelSingleChampion:
		return "单项冠军"
	case LabelListed:
		return "上市"
	}
	return string(l)
}

// Has reports whether the labels include l.
func (ls Labels) Has(l Label) bool {
	switch l {
	case LabelAboveScale:
		return ls.AboveScale
	case LabelHighTech:
		return ls.HighTech
	case LabelTechSME:
		return ls.TechSME
	case LabelGazelle:
		return ls.Gazelle
	case LabelUnicorn:
		return ls.Unicorn
	case LabelSingleChampion:
		return ls.SingleChampion
	case LabelListed:
		return ls.Listed
	}
	return false
}

// Boards lists the listing boards of DOMAIN.md §Listing pipeline.
var Boards = []string{"主板（上交所）", "主板（深交所）", "科创板", "创业板", "北交所", "新三板基础层", "新三板创新层", "上海股权托管交易中心专精特新专板", "港交所", "境外"}

// FieldErrors maps a form field name to a user-facing message.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (fe FieldErrors) Add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// Validate checks the profile's rules that need no database; today bounds the founding date.
func (e *Enterprise) Validate(today Date) FieldErrors {
	fe := FieldErrors{}
	e.Name = strings.TrimSpace(e.Name)
	switch n := utf8.RuneCountInString(e.Name); {
	case n == 0:
		fe.Add("name", "请填写企业名称")
	case n > 100:
		fe.Add("name", "企业名称不超过100个字")
	}
	if !IsDistrict(e.DistrictCode) {
		fe.Add("district", "请选择上海市16个区之一")
	}
	if !e.IndustryGroup.Valid() {
		fe.Add("industry_group", "请选择划型行业")
	}
	if e.IndustryCode != "" && !validIndustryCode(e.IndustryCode) {
		fe.Add("industry_code", "国民经济行业代码应为门类字母加2–4位数字，如 C3562")
	}
	if !e.FoundedOn.IsZero() && e.FoundedOn.After(today) {
		fe.Add("founded_on", "成立日期不能晚于今天")
	}
	if !e.NicheSince.IsZero() {
		if e.NicheSince.After(today) {
			fe.Add("niche_since", "进入细分市场日期不能晚于今天")
		} else if !e.FoundedOn.IsZero() && e.NicheSince.Before(e.FoundedOn) {
			fe.Add("niche_since", "进入细分市场日期不能早于成立日期")
		}
	}
	if e.ContactPhone != "" && !validPhone(e.ContactPhone) {
		fe.Add("contact_phone", "联系电话格式不正确（手机号或带区号的座机）")
	}
	if e.AboveScale && e.AboveScaleSince != 0 && (e.AboveScaleSince < 1950 || e.AboveScaleSince > today.Year()) {
		fe.Add("above_scale_since", "首次规上年份不合理")
	}
	if !e.AboveScale {
		e.AboveScaleSince = 0
	}
	if !e.Listed {
		e.ListedBoard = ""
	} else if e.ListedBoard != "" && !validBoard(e.ListedBoard) {
		fe.Add("listed_board", "请选择上市板块")
	}
	for field, v := range map[string]string{"address": e.Address, "main_product": e.MainProduct, "niche_market": e.NicheMarket, "contact_person": e.ContactPerson} {
		if utf8.RuneCountInString(v) > 200 {
			fe.Add(field, "内容过长（不超过200字）")
		}
	}
	return fe
}

func validBoard(b string) bool {
	for _, x := range Boards {
		if x == b {
			return true
		}
	}
	return false
}

// validIndustryCode accepts a GB/T 4754 code: a section letter A–T followed by 2–4 digits.
func validIndustryCode(s string) bool {
	if len(s) < 3 || len(s) > 5 || s[0] < 'A' || s[0] > 'T' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validPhone accepts a mainland mobile number or a landline with optional area code and extension.
func validPhone(s string) bool {
	digits := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '-' || c == ' ' || c == '+' || c == '(' || c == ')':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 16
}
