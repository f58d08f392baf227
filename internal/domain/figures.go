package domain

import "math"

// YearFigures are one fiscal year's figures (facts.schema.json `years` items).
// Every field is optional: an absent figure makes the criteria that need it "missing".
type YearFigures struct {
	ID               int64
	EnterpriseID     int64
	Year             int
	Employees        *int64
	RDStaff          *int64
	Revenue          *Money // 营业收入
	MainRevenue      *Money // 主营业务收入
	OutputValue      *Money // 产值
	RDExpense        *Money
	NetProfit        *Money // may be negative
	TotalAssets      *Money // year-end
	TotalLiabilities *Money // year-end
	EquityFinancing  *Money
	Version          int64
}

// YearField describes one figure for forms, tables and imports.
type YearField struct {
	Key      string // form and JSON name, as in facts.schema.json
	Label    string
	Money    bool // 万元 amount; otherwise a head count
	Negative bool // may be below zero
}

// YearFields lists the figures in facts.schema.json order.
var YearFields = []YearField{
	{Key: "employees", Label: "从业人员（人）"},
	{Key: "rd_staff", Label: "研发人员（人）"},
	{Key: "revenue", Label: "营业收入", Money: true},
	{Key: "main_revenue", Label: "主营业务收入", Money: true},
	{Key: "output_value", Label: "工业总产值", Money: true},
	{Key: "rd_expense", Label: "研发费用", Money: true},
	{Key: "net_profit", Label: "净利润", Money: true, Negative: true},
	{Key: "total_assets", Label: "资产总额（年末）", Money: true},
	{Key: "total_liabilities", Label: "负债总额（年末）", Money: true},
	{Key: "equity_financing", Label: "新增股权融资", Money: true},
}

// MoneyField returns a pointer to the money figure named key, for generic forms.
func (y *YearFigures) MoneyField(key string) **Money {
	switch key {
	case "revenue":
		return &y.Revenue
	case "main_revenue":
		return &y.MainRevenue
	case "output_value":
		return &y.OutputValue
	case "rd_expense":
		return &y.RDExpense
	case "net_profit":
		return &y.NetProfit
	case "total_assets":
		return &y.TotalAssets
	case "total_liabilities":
		return &y.TotalLiabilities
	case "equity_financing":
		return &y.EquityFinancing
	}
	return nil
}

// CountField returns a pointer to the head-count figure named key.
func (y *YearFigures) CountField(key string) **int64 {
	switch key {
	case "employees":
		return &y.Employees
	case "rd_staff":
		return &y.RDStaff
	}
	return nil
}

// Validate checks consistency within one year.
func (y *YearFigures) Validate(today Date) FieldErrors {
	fe := FieldErrors{}
	if y.Year < 1980 || y.Year > today.Year() {
		fe.Add("year", "年度应在1980年至今年之间")
	}
	for _, f := range YearFields {
		if f.Money {
			if m := *y.MoneyField(f.Key); m != nil && *m < 0 && !f.Negative {
				fe.Add(f.Key, f.Label+"不能为负数")
			}
		} else if c := *y.CountField(f.Key); c != nil && *c < 0 {
			fe.Add(f.Key, f.Label+"不能为负数")
		}
	}
	if y.RDStaff != nil && y.Employees != nil && *y.RDStaff > *y.Employees {
		fe.Add("rd_staff", "研发人员不能多于从业人员")
	}
	if y.MainRevenue != nil && y.Revenue != nil && *y.MainRevenue > *y.Revenue {
		fe.Add("main_revenue", "主营业务收入不能大于营业收入")
	}
	if y.TotalLiabilities != nil && y.TotalAssets != nil && *y.TotalAssets == 0 && *y.TotalLiabilities > 0 {
		fe.Add("total_assets", "有负债时资产总额不能为0")
	}
	return fe
}

// Ratio is a computed share; OK is false when an input is missing or the base is zero.
type Ratio struct {
	Value float64
	OK    bool
}

func ratio(num, den *Money) Ratio {
	if num == nil || den == nil || *den == 0 {
		return Ratio{}
	}
	return Ratio{float64(*num) / float64(*den), true}
}

// RDRatio is rd_expense / revenue.
func (y *YearFigures) RDRatio() Ratio { return ratio(y.RDExpense, y.Revenue) }

// DebtRatio is total_liabilities / total_assets.
func (y *YearFigures) DebtRatio() Ratio { return ratio(y.TotalLiabilities, y.TotalAssets) }

// MainRatio is main_revenue / revenue.
func (y *YearFigures) MainRatio() Ratio { return ratio(y.MainRevenue, y.Revenue) }

// NetMargin is net_profit / revenue.
func (y *YearFigures) NetMargin() Ratio { return ratio(y.NetProfit, y.Revenue) }

// Growth is (cur − prev) / prev for two amounts.
func Growth(cur, prev *Money) Ratio {
	if cur == nil || prev == nil || *prev == 0 {
		return Ratio{}
	}
	return Ratio{float64(*cur-*prev) / math.Abs(float64(*prev)), true}
}

// Size classifies the enterprise by this year's employees and revenue.
func (y *YearFigures) Size(g IndustryGroup) SizeClass {
	var rev *float64
	if y.Revenue != nil {
		w := y.Revenue.Wan()
		rev = &w
	}
	return ClassifySize(g, y.Employees, rev)
}

// LatestSize classifies by the most recent year on record (years in any order).
func LatestSize(g IndustryGroup, years []YearFigures) SizeClass {
	var latest *YearFigures
	for i := range years {
		if latest == nil || years[i].Year > latest.Year {
			latest = &years[i]
		}
	}
	if latest == nil {
		return SizeUnknown
	}
	return latest.Size(g)
}
