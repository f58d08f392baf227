package domain

// IndustryGroup is the size-classification group of 《中小企业划型标准规定》 (DOMAIN.md §SME size).
type IndustryGroup string

const (
	GroupIndustrial   IndustryGroup = "industrial"
	GroupInfoTransmit IndustryGroup = "information_transmission"
	GroupSoftwareIT   IndustryGroup = "software_it"
	GroupOther        IndustryGroup = "other"
)

// IndustryGroups lists the groups in display order.
var IndustryGroups = []IndustryGroup{GroupIndustrial, GroupInfoTransmit, GroupSoftwareIT, GroupOther}

func (g IndustryGroup) Valid() bool {
	for _, x := range IndustryGroups {
		if x == g {
			return true
		}
	}
	return false
}

func (g IndustryGroup) Label() string {
	switch g {
	case GroupIndustrial:
		return "工业（采矿、制造、电力热力燃气及水）"
	case GroupInfoTransmit:
		return "信息传输（电信、互联网和相关服务）"
	case GroupSoftwareIT:
		return "软件和信息技术服务业"
	case GroupOther:
		return "其他行业"
	}
	return string(g)
}

// ShortLabel is a compact name for tables and filters.
func (g IndustryGroup) ShortLabel() string {
	switch g {
	case GroupIndustrial:
		return "工业"
	case GroupInfoTransmit:
		return "信息传输"
	case GroupSoftwareIT:
		return "软件和信息技术"
	case GroupOther:
		return "其他"
	}
	return string(g)
}

// SizeClass is the SME size class; SizeUnknown when the inputs are missing.
type SizeClass string

const (
	SizeUnknown SizeClass = ""
	SizeMicro   SizeClass = "micro"
	SizeSmall   SizeClass = "small"
	SizeMedium  SizeClass = "medium"
	SizeLarge   SizeClass = "large"
)

// SizeClasses lists the known classes, smallest first.
var SizeClasses = []SizeClass{SizeMicro, SizeSmall, SizeMedium, SizeLarge}

func (s SizeClass) Label() string {
	switch s {
	case SizeMicro:
		return "微型"
	case SizeSmall:
		return "小型"
	case SizeMedium:
		return "中型"
	case SizeLarge:
		return "大型"
	}
	return "未知"
}

// IsSME reports whether the class is micro, small or medium.
func (s SizeClass) IsSME() bool { return s == SizeMicro || s == SizeSmall || s == SizeMedium }

// sizeBounds holds one group's row of the 工信部联企业〔2011〕300号 table; amounts 万元.
type sizeBounds struct {
	ceilEmp, ceilRev   float64 // SME when employees < ceilEmp or revenue < ceilRev
	medEmp, medRev     float64
	smallEmp, smallRev float64
	usesRevenue        bool
}

var sizeTable = map[IndustryGroup]sizeBounds{
	GroupIndustrial:   {1000, 40000, 300, 2000, 20, 300, true},
	GroupInfoTransmit: {2000, 100000, 100, 1000, 10, 100, true},
	GroupSoftwareIT:   {300, 10000, 100, 1000, 10, 50, true},
	GroupOther:        {300, 0, 100, 0, 10, 0, false},
}

// ClassifySize applies DOMAIN.md §SME size to the employees and revenue (万元) of year Y−1.
// nil inputs that the group needs give SizeUnknown.
func ClassifySize(g IndustryGroup, employees *int64, revenueWan *float64) SizeClass {
	b, ok := sizeTable[g]
	if !ok || employees == nil || (b.usesRevenue && revenueWan == nil) {
		return SizeUnknown
	}
	e := float64(*employees)
	if !b.usesRevenue {
		switch {
		case e >= b.ceilEmp:
			return SizeLarge
		case e >= b.medEmp:
			return SizeMedium
		case e >= b.smallEmp:
			return SizeSmall
		}
		return SizeMicro
	}
	r := *revenueWan
	switch {
	case !(e < b.ceilEmp || r < b.ceilRev):
		return SizeLarge
	case e >= b.medEmp && r >= b.medRev:
		return SizeMedium
	case e >= b.smallEmp && r >= b.smallRev:
		return SizeSmall
	}
	return SizeMicro
}
