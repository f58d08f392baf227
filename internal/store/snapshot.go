package store

import (
	"strconv"

	"zjtx/internal/domain"
)

// EnterpriseSnapshot is the profile as the audit log shows it, keyed by field label.
func EnterpriseSnapshot(e domain.Enterprise) Snapshot {
	var s Snapshot
	for _, f := range [][2]string{
		{"统一社会信用代码", string(e.USCC)}, {"企业名称", e.Name}, {"所在区", domain.DistrictName(e.DistrictCode)},
		{"注册地址", e.Address}, {"成立日期", e.FoundedOn.String()}, {"划型行业", e.IndustryGroup.ShortLabel()},
		{"国民经济行业代码", e.IndustryCode}, {"主导产品", e.MainProduct}, {"细分市场", e.NicheMarket},
		{"进入细分市场日期", e.NicheSince.String()}, {"联系人", e.ContactPerson}, {"联系电话", e.ContactPhone},
		{"规上", yesNo(e.AboveScale)}, {"首次规上年份", yearOrEmpty(e.AboveScaleSince)},
		{"高新技术企业", yesNo(e.HighTech)}, {"科技型中小企业", yesNo(e.TechSME)}, {"瞪羚", yesNo(e.Gazelle)},
		{"独角兽", yesNo(e.Unicorn)}, {"单项冠军", yesNo(e.SingleChampion)}, {"上市", yesNo(e.Listed)},
		{"上市板块", e.ListedBoard},
	} {
		s.add(f[0], f[1])
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func yearOrEmpty(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// YearSnapshot is one year's figures as the audit log shows them (万元, people).
func YearSnapshot(y domain.YearFigures) Snapshot {
	s := Snapshot{{"年度", strconv.Itoa(y.Year)}}
	for _, f := range domain.YearFields {
		v := ""
		if f.Money {
			if m := *y.MoneyField(f.Key); m != nil {
				v = m.FormatWan()
			}
		} else if c := *y.CountField(f.Key); c != nil {
			v = strconv.FormatInt(*c, 10)
		}
		s.add(f.Label, v)
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
