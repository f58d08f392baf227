package demo

import (
	"math"

	"zjtx/internal/domain"
)

// profile is an enterprise's economics: the latest revenue and the ratios its years vary around.
type profile struct {
	revenue            float64 // Y−1, 万元
	growthLo, growthHi float64 // yearly revenue growth
	lastGrowthLo       float64 // floor for growth into Y−1 (innovative score route needs ≥10%)
	mainRatio          float64
	rdRatio, rdMin     float64
	rdFloor            float64 // 万元 of R&D a year, whatever the ratio
	margin             float64
	debt, debtMax      float64
	turnover           float64 // assets per unit of revenue
	perCapita          float64 // revenue per employee, 万元
	empCap             int64
	rdStaffShare       float64
	missing            float64 // chance that any one figure is left blank
	equityRate         float64 // chance of new equity financing in a year
}

// sizeCap keeps an enterprise just under its group's SME ceiling on head count.
var sizeCap = map[domain.IndustryGroup]int64{
	domain.GroupIndustrial: 950, domain.GroupInfoTransmit: 1900, domain.GroupSoftwareIT: 290, domain.GroupOther: 290,
}

// profile draws economics that fit the rung: a qualifying enterprise gets figures that pass
// its rung's thresholds (ELIGIBILITY.md §3–5, both rule sets), others are drawn more freely.
func (g *gen) profile(group domain.IndustryGroup, tier domain.Tier, qualifies bool) profile {
	p := profile{
		growthLo: -0.10, growthHi: 0.40, lastGrowthLo: -0.10,
		mainRatio: g.uniform(0.55, 1), rdRatio: g.uniform(0.005, 0.06), rdMin: 0.005,
		margin: clamp(0.04+0.08*g.r.NormFloat64(), -0.3, 0.25), debt: g.uniform(0.2, 0.9), debtMax: 0.9,
		turnover: g.uniform(0.6, 1.8), empCap: sizeCap[group], rdStaffShare: g.uniform(0.05, 0.4),
		missing: 0.015, equityRate: 0.04,
	}
	switch group {
	case domain.GroupIndustrial, domain.GroupInfoTransmit:
		p.perCapita = g.uniform(50, 150)
	case domain.GroupSoftwareIT:
		p.perCapita = g.uniform(35, 90)
	default:
		p.perCapita = g.uniform(25, 70)
	}
	switch tier {
	case domain.TierBase:
		p.revenue = g.lognormal(600, 1.1, 20, 60000)
		if g.chance(0.1) {
			p.rdRatio = g.uniform(0.06, 0.12)
		}
		if g.chance(0.01) {
			p.empCap = 1 << 20 // a few have outgrown the SME ceiling
		}
		return p
	case domain.TierInnovative:
		p.revenue = g.lognormal(2000, 0.9, 100, 60000)
	case domain.TierSpecialized:
		p.revenue = g.lognormal(7000, 0.8, 300, 60000)
	case domain.TierLittleGiant:
		p.revenue = g.lognormal(25000, 0.6, 3000, 90000)
	}
	p.missing, p.equityRate = 0.004, 0.15
	p.rdRatio = g.uniform(0.01, 0.06)
	if !qualifies {
		return p
	}
	p.missing = 0.002
	p.margin = clamp(0.09+0.05*g.r.NormFloat64(), -0.05, 0.3)
	p.rdStaffShare = g.uniform(0.12, 0.5)
	switch tier {
	case domain.TierInnovative:
		p.rdRatio, p.rdMin = g.uniform(0.052, 0.11), 0.052
		p.lastGrowthLo, p.growthLo = 0.12, -0.05
		p.mainRatio = g.uniform(0.72, 1)
		p.debt, p.debtMax = g.uniform(0.2, 0.53), 0.55
	case domain.TierSpecialized:
		p.revenue = max(p.revenue, g.uniform(2000, 3000))
		p.rdRatio, p.rdMin, p.rdFloor = g.uniform(0.035, 0.10), 0.032, 115
		p.growthLo, p.lastGrowthLo = 0.02, 0.02
		p.mainRatio = g.uniform(0.82, 1)
		p.debt, p.debtMax = g.uniform(0.2, 0.68), 0.70
	case domain.TierLittleGiant:
		p.revenue = max(p.revenue, g.uniform(10500, 13000)) // ≥ 1 亿 keeps the 2022 R&D bar at 3%
		p.rdRatio, p.rdMin, p.rdFloor = g.uniform(0.04, 0.10), 0.032, 650
		p.growthLo, p.growthHi, p.lastGrowthLo = 0.06, 0.30, 0.06
		p.mainRatio = g.uniform(0.92, 1)
		p.debt, p.debtMax = g.uniform(0.2, 0.66), 0.68
	}
	return p
}

// years builds the last three or four fiscal years before today's, oldest first, none before
// the founding year. Revenue is walked back from Y−1 by yearly growth; the other figures
// follow from it through the profile's ratios, each jittered a little per year.
func (g *gen) years(pos int64, group domain.IndustryGroup, founded domain.Date, tier domain.Tier, qualifies bool) []domain.YearFigures {
	p := g.profile(group, tier, qualifies)
	last := g.today.Year() - 1
	n := 3
	if g.chance(0.35) {
		n = 4
	}
	n = max(1, min(n, last-founded.Year()+1))

	rev := make([]float64, n) // rev[0] is Y−1
	rev[0] = p.revenue
	for i := 1; i < n; i++ {
		lo := p.growthLo
		if i == 1 {
			lo = max(lo, p.lastGrowthLo)
		}
		rev[i] = rev[i-1] / (1 + g.uniform(lo, p.growthHi))
	}
	emp0 := max(3, min(p.empCap, int64(math.Round(p.revenue/p.perCapita))))

	out := make([]domain.YearFigures, n)
	for i := range n {
		r := rev[n-1-i]
		y := domain.YearFigures{EnterpriseID: pos, Year: last - (n - 1 - i), Version: 1}
		// One backing array per year instead of one allocation per figure.
		amounts := make([]domain.Money, 8)
		counts := make([]int64, 2)
		money := func(k int, wan float64) *domain.Money {
			if g.chance(p.missing) {
				return nil
			}
			amounts[k] = yuan(wan)
			return &amounts[k]
		}
		count := func(k int, v int64) *int64 {
			if g.chance(p.missing) {
				return nil
			}
			counts[k] = v
			return &counts[k]
		}
		emp := int64(math.Round(float64(emp0) * math.Pow(r/p.revenue, 0.6) * g.uniform(0.95, 1.05)))
		emp = max(2, min(p.empCap, emp))
		y.Employees = count(0, emp)
		y.RDStaff = count(1, min(emp, int64(math.Round(float64(emp)*clamp(p.rdStaffShare*g.uniform(0.9, 1.1), 0, 1)))))
		y.Revenue = money(0, r)
		y.MainRevenue = money(1, r*clamp(p.mainRatio+g.uniform(-0.01, 0.01), 0.55, 1))
		if group == domain.GroupIndustrial {
			y.OutputValue = money(2, r*g.uniform(0.9, 1.12))
		}
		rd := r * clamp(p.rdRatio*g.uniform(0.9, 1.1), p.rdMin, 0.12)
		y.RDExpense = money(3, min(max(rd, p.rdFloor), r*0.12))
		y.NetProfit = money(4, r*(p.margin+g.uniform(-0.02, 0.02)))
		assets := r * p.turnover * g.uniform(0.95, 1.05)
		y.TotalAssets = money(5, assets)
		y.TotalLiabilities = money(6, assets*clamp(p.debt+g.uniform(-0.03, 0.03), 0.2, p.debtMax))
		y.EquityFinancing = g.equity(p, amounts)
		out[i] = y
	}
	return out
}

// equity is new equity financing: usually not reported, sometimes reported as zero,
// occasionally a round.
func (g *gen) equity(p profile, amounts []domain.Money) *domain.Money {
	switch x := g.r.Float64(); {
	case x < p.equityRate:
		amounts[7] = yuan(g.lognormal(1500, 1, 100, 50000))
	case x < p.equityRate+0.08:
		amounts[7] = 0
	default:
		return nil
	}
	return &amounts[7]
}

// yuan converts 万元 to Money rounded to whole 元, as statements report them.
func yuan(wan float64) domain.Money { return domain.Money(math.Round(wan*10000)) * 100 }

// lognormal draws around median with spread sigma, clamped to [lo, hi].
func (g *gen) lognormal(median, sigma, lo, hi float64) float64 {
	return clamp(median*math.Exp(sigma*g.r.NormFloat64()), lo, hi)
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }
