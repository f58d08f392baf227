package store

import (
	"strconv"

	"zjtx/internal/domain"
)

// EnterpriseSnapshot is the profile as the audit log shows it, keyed by field label.
func EnterpriseSnapshot(e domain.Enterprise) map[string]string {
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	m := map[string]string{
		"统一社会信用代码": string(e.USCC), "企业名称": e.Name, "所在区": domain.DistrictName(e.DistrictCode),
		"注册地址": e.Address, "成立日期": e.FoundedOn.String(), "划型行业": e.IndustryGroup.ShortLabel(),
		"国民经济行业代码": e.IndustryCode, "主导产品": e.MainProduct, "细分市场": e.NicheMarket,
		"进入细分市场日期": e.NicheSince.String(), "联系人": e.ContactPerson, "联系电话": e.ContactPhone,
		"规上": yes(e.AboveScale), "高新技术企业": yes(e.HighTech), "科技型中小企业": yes(e.TechSME),
		"瞪羚": yes(e.Gazelle), "独角兽": yes(e.Unicorn), "单项冠军": yes(e.SingleChampion), "上市": yes(e.Listed),
		"上市板块": e.ListedBoard,
	}
	if e.AboveScaleSince != 0 {
		m["首次规上年份"] = strconv.Itoa(e.AboveScaleSince)
	}
	return m
}

// YearSnapshot is one year's figures as the audit log shows them (万元, people).
func YearSnapshot(y domain.YearFigures) map[string]string {
	m := map[string]string{"年度": strconv.Itoa(y.Year)}
	for _, f := range domain.YearFields {
		if f.Money {
			if v := *y.MoneyField(f.Key); v != nil {
				m[f.Label] = v.FormatWan()
			}
		} else if v := *y.CountField(f.Key); v != nil {
			m[f.Label] = strconv.FormatInt(*v, 10)
		}
	}
	return m
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
