package eligibility

import (
	"fmt"
	"testing"
)

// pointsCase sets one input and expects the indicator's points.
type pointsCase struct {
	name string
	set  func(f *Facts)
	pts  float64
}

func runPoints(t *testing.T, rs, tier, id string, cases []pointsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%s", id, c.name), func(t *testing.T) {
			f := strong(t, rs)
			c.set(&f)
			v := Evaluate(f, nil)
			cr := crit(t, v, tier, id)
			if !cr.Points.Set || cr.Points.V != c.pts {
				t.Errorf("points = %+v, want %v (%s)", cr.Points, c.pts, cr.Message)
			}
			want := Pass
			if c.pts == 0 {
				want = Fail
			}
			wantStatus(t, cr, want)
		})
	}
}

// ratio sets num/den of year Y−1 with den 1000, so pct% is num = pct×10.
func ratio(num, den func(*Year) **float64, pct float64) func(*Facts) {
	return func(f *Facts) {
		y := yr(f, 1)
		*den(y) = f64(1000)
		*num(y) = f64(pct * 10)
	}
}

func rd(y *Year) **float64     { return &y.RDExpense }
func rev(y *Year) **float64    { return &y.Revenue }
func mainR(y *Year) **float64  { return &y.MainRevenue }
func liab(y *Year) **float64   { return &y.TotalLiabilities }
func assets(y *Year) **float64 { return &y.TotalAssets }
func profit(y *Year) **float64 { return &y.NetProfit }

// edges builds cases on both sides of each edge of a ≥ table: at the edge the better band,
// 0.001 percentage points below it the next band.
func edgesGE(set func(float64) func(*Facts), rows [][3]float64) []pointsCase {
	var out []pointsCase
	for _, r := range rows {
		out = append(out,
			pointsCase{fmt.Sprintf("at_%v", r[0]), set(r[0]), r[1]},
			pointsCase{fmt.Sprintf("below_%v", r[0]), set(r[0] - 0.001), r[2]})
	}
	return out
}

// edgesLE is the same for ≤ tables: at the edge the better band, just above it the next.
func edgesLE(set func(float64) func(*Facts), rows [][3]float64) []pointsCase {
	var out []pointsCase
	for _, r := range rows {
		out = append(out,
			pointsCase{fmt.Sprintf("at_%v", r[0]), set(r[0]), r[1]},
			pointsCase{fmt.Sprintf("above_%v", r[0]), set(r[0] + 0.001), r[2]})
	}
	return out
}

// ELIGIBILITY.md §3 scoring table, both rule sets.
func TestInnovativeBands(t *testing.T) {
	for _, rs := range []string{RuleSet2022, RuleSet2026} {
		t.Run(rs, func(t *testing.T) {
			// inn.rd: ≥5%: 20 · 3–5%: 15 · 2–3%: 10 · 1–2%: 5 · <1%: 0
			runPoints(t, rs, "inn", "inn.rd", edgesGE(func(p float64) func(*Facts) { return ratio(rd, rev, p) },
				[][3]float64{{5, 20, 15}, {3, 15, 10}, {2, 10, 5}, {1, 5, 0}}))
			// inn.growth: ≥15%: 20 · 10–15%: 15 · 5–10%: 10 · 0–5%: 5 · <0: 0
			runPoints(t, rs, "inn", "inn.growth", edgesGE(func(p float64) func(*Facts) {
				return func(f *Facts) {
					yr(f, 2).MainRevenue = f64(1000)
					yr(f, 1).MainRevenue = f64(1000 + p*10)
				}
			}, [][3]float64{{15, 20, 15}, {10, 15, 10}, {5, 10, 5}, {0, 5, 0}}))
			// inn.debt: ≤55%: 10 · 55–75%: 5 · >75%: 0
			runPoints(t, rs, "inn", "inn.debt", edgesLE(func(p float64) func(*Facts) { return ratio(liab, assets, p) },
				[][3]float64{{55, 10, 5}, {75, 5, 0}}))
			// inn.main: ≥70%: 20 · 60–70%: 15 · 55–60%: 10 · 50–55%: 5 · <50%: 0
			runPoints(t, rs, "inn", "inn.main", edgesGE(func(p float64) func(*Facts) { return ratio(mainR, rev, p) },
				[][3]float64{{70, 20, 15}, {60, 15, 10}, {55, 10, 5}, {50, 5, 0}}))
			// inn.field: yes 10 · no 5
			runPoints(t, rs, "inn", "inn.field", []pointsCase{
				{"yes", func(f *Facts) { f.StrategicEmerging = bp(true) }, 10},
				{"no", func(f *Facts) { f.StrategicEmerging = bp(false) }, 5},
			})
			// inn.ip: ≥1 Ⅰ类高价值 20 · self-developed Ⅰ类 15 · Ⅰ类 10 · Ⅱ类 5 · none 0
			ipc := func(hv, sd, c1, c2 int64) func(*Facts) {
				return func(f *Facts) {
					f.IP = &IP{Class1HighValue: i64(hv), Class1SelfDeveloped: i64(sd), Class1: i64(c1), Class2: i64(c2)}
				}
			}
			runPoints(t, rs, "inn", "inn.ip", []pointsCase{
				{"high_value", ipc(1, 1, 1, 0), 20},
				{"self_developed", ipc(0, 1, 1, 0), 15},
				{"class1", ipc(0, 0, 1, 5), 10},
				{"class2", ipc(0, 0, 0, 1), 5},
				{"none", ipc(0, 0, 0, 0), 0},
			})
		})
	}
}

// ELIGIBILITY.md §4 miit-2022 score table.
func TestSpecialized2022Bands(t *testing.T) {
	rs := RuleSet2022
	runPoints(t, rs, "sp", "sp.pts.main_ratio", edgesGE(func(p float64) func(*Facts) { return ratio(mainR, rev, p) },
		[][3]float64{{80, 5, 3}, {70, 3, 1}, {60, 1, 0}}))
	// 近2年 average growth: g_{Y−2} = 0 and g_{Y−1} = 2p, so the mean is p.
	runPoints(t, rs, "sp", "sp.pts.growth", edgesGE(func(p float64) func(*Facts) {
		return func(f *Facts) {
			yr(f, 3).MainRevenue = f64(1000)
			yr(f, 2).MainRevenue = f64(1000)
			yr(f, 1).MainRevenue = f64(1000 + 2*p*10)
		}
	}, [][3]float64{{10, 10, 8}, {8, 8, 6}, {6, 6, 4}, {4, 4, 2}, {0, 2, 0}}))
	niche := func(days int) func(*Facts) { return func(f *Facts) { setNicheDays(f, days) } }
	runPoints(t, rs, "sp", "sp.pts.niche", []pointsCase{
		{"1.99y", niche(730), 0}, {"2.00y", niche(731), 1}, {"3.99y", niche(1460), 1},
		{"4y", niche(1461), 2}, {"9.99y", niche(3652), 4}, {"10y", niche(3653), 5}, {"30y", niche(10958), 5},
	})
	chain := func(r string) func(*Facts) { return func(f *Facts) { f.ChainRole = r } }
	runPoints(t, rs, "sp", "sp.pts.chain", []pointsCase{
		{"key_link", chain(ChainKeyLink), 5}, {"supporting", chain(ChainSupporting), 3}, {"none", chain(ChainNone), 0},
	})
	dl := func(n int64) func(*Facts) { return func(f *Facts) { f.DigitalLevel = i64(n) } }
	runPoints(t, rs, "sp", "sp.pts.digital", []pointsCase{
		{"4", dl(4), 5}, {"3", dl(3), 5}, {"2", dl(2), 3}, {"1", dl(1), 0},
	})
	q := func(items ...string) func(*Facts) { return func(f *Facts) { f.Quality = append([]string{}, items...) } }
	runPoints(t, rs, "sp", "sp.pts.quality", []pointsCase{
		{"none", q(), 0}, {"one", q(QualityISO9001), 3}, {"two", q(QualityISO9001, QualityAward), 5},
		{"four", q(QualityAward, QualityISO9001, QualityOwnBrand, QualityStandard), 5},
	})
	runPoints(t, rs, "sp", "sp.pts.net_margin", edgesGE(func(p float64) func(*Facts) { return ratio(profit, rev, p) },
		[][3]float64{{10, 10, 8}, {8, 8, 6}, {6, 6, 4}, {4, 4, 2}, {2, 2, 0}}))
	runPoints(t, rs, "sp", "sp.pts.net_margin", []pointsCase{
		{"loss", func(f *Facts) { yr(f, 1).NetProfit = f64(-100) }, 0},
	})
	runPoints(t, rs, "sp", "sp.pts.debt", edgesLE(func(p float64) func(*Facts) { return ratio(liab, assets, p) },
		[][3]float64{{50, 5, 3}, {60, 3, 1}, {70, 1, 0}}))
	local := func(x float64) func(*Facts) { return func(f *Facts) { f.LocalScore = f64(x) } }
	runPoints(t, rs, "sp", "sp.pts.local", []pointsCase{{"0", local(0), 0}, {"7.5", local(7.5), 7.5}, {"15", local(15), 15}})
	ipc := func(hv, sd, c1, c2 int64) func(*Facts) {
		return func(f *Facts) {
			f.IP = &IP{Class1HighValue: i64(hv), Class1SelfDeveloped: i64(sd), Class1: i64(c1), Class2: i64(c2)}
		}
	}
	runPoints(t, rs, "sp", "sp.pts.ip", []pointsCase{
		{"high_value", ipc(2, 2, 2, 0), 10}, {"self_developed", ipc(0, 1, 1, 0), 8},
		{"class1", ipc(0, 0, 3, 0), 6}, {"class2", ipc(0, 0, 0, 4), 2}, {"none", ipc(0, 0, 0, 0), 0},
	})
	// R&D: the better of amount (万元, revenue 100000 so the ratio stays below 1%) and ratio
	// (amount below 100 万, revenue adjusted).
	amount := func(a float64) func(*Facts) {
		return func(f *Facts) { yr(f, 1).RDExpense = f64(a); yr(f, 1).Revenue = f64(100000) }
	}
	runPoints(t, rs, "sp", "sp.pts.rd", []pointsCase{
		{"amt_500", amount(500), 10}, {"amt_499.99", amount(499.99), 8}, {"amt_400", amount(400), 8},
		{"amt_399.99", amount(399.99), 6}, {"amt_300", amount(300), 6}, {"amt_299.99", amount(299.99), 4},
		{"amt_200", amount(200), 4}, {"amt_199.99", amount(199.99), 2}, {"amt_100", amount(100), 2},
		{"amt_99.99", amount(99.99), 0},
	})
	ratioRD := func(p float64) func(*Facts) {
		return func(f *Facts) { yr(f, 1).RDExpense = f64(50); yr(f, 1).Revenue = f64(5000 / p) }
	}
	runPoints(t, rs, "sp", "sp.pts.rd", []pointsCase{
		{"ratio_10", ratioRD(10), 10}, {"ratio_9.99", ratioRD(9.99), 8}, {"ratio_8", ratioRD(8), 8},
		{"ratio_7.99", ratioRD(7.99), 6}, {"ratio_6", ratioRD(6), 6}, {"ratio_5.99", ratioRD(5.99), 4},
		{"ratio_4", ratioRD(4), 4}, {"ratio_3.99", ratioRD(3.99), 2}, {"ratio_3", ratioRD(3), 2},
		{"ratio_2.99", ratioRD(2.99), 0},
		{"better_of", func(f *Facts) { yr(f, 1).RDExpense = f64(250); yr(f, 1).Revenue = f64(2500) }, 10},
	})
	staff := func(p float64) func(*Facts) {
		return func(f *Facts) { yr(f, 1).Employees = i64(1000); yr(f, 1).RDStaff = i64(int64(p * 10)) }
	}
	runPoints(t, rs, "sp", "sp.pts.rd_staff", []pointsCase{
		{"20", staff(20), 5}, {"19.9", staff(19.9), 3}, {"10", staff(10), 3}, {"9.9", staff(9.9), 1},
		{"5", staff(5), 1}, {"4.9", staff(4.9), 0},
	})
	inst := func(l string) func(*Facts) { return func(f *Facts) { f.RDInstitution = l } }
	runPoints(t, rs, "sp", "sp.pts.rd_institution", []pointsCase{
		{"national", inst(InstNational), 10}, {"provincial", inst(InstProvincial), 8},
		{"municipal", inst(InstMunicipal), 4}, {"below", inst(InstBelowMunicipal), 2}, {"none", inst(InstNone), 0},
	})
}

// The score is the sum of the indicators; missing indicators score 0, are reported missing,
// and the total is still given (ELIGIBILITY.md §0 Points tables).
func TestScoreTotalsAndMissingIndicators(t *testing.T) {
	f := strong(t, RuleSet2022)
	v := Evaluate(f, nil)
	if v.Tiers.Innovative.Score.V != 95 || v.Tiers.Specialized.Score.V != 92 {
		t.Fatalf("scores = %v, %v", v.Tiers.Innovative.Score, v.Tiers.Specialized.Score)
	}
	f.StrategicEmerging = nil
	f.LocalScore = nil
	yr(&f, 1).RDExpense = nil
	v = Evaluate(f, nil)
	for _, c := range []struct{ tier, id string }{{"inn", "inn.field"}, {"inn", "inn.rd"}, {"sp", "sp.pts.local"}, {"sp", "sp.pts.rd"}} {
		cr := crit(t, v, c.tier, c.id)
		wantStatus(t, cr, Missing)
		if cr.Points.V != 0 || !cr.Points.Set {
			t.Errorf("%s: a missing indicator scores 0, got %+v", c.id, cr.Points)
		}
	}
	wantMsg(t, crit(t, v, "inn", "inn.rd"), "rd_expense")
	wantMsg(t, crit(t, v, "inn", "inn.field"), "strategic_emerging")
	// 95 − 10 (field) − 20 (rd) = 65: still ≥ 60 but 创新能力 = 20 → pass.
	if v.Tiers.Innovative.Score.V != 65 {
		t.Errorf("innovative score = %v, want 65", v.Tiers.Innovative.Score.V)
	}
	wantStatus(t, crit(t, v, "inn", "inn.score"), Pass)
	// 92 − 10 (local) − 10 (rd) = 72
	if v.Tiers.Specialized.Score.V != 72 {
		t.Errorf("specialized score = %v, want 72", v.Tiers.Specialized.Score.V)
	}
	// sp.rd needs the R&D expense: missing, and the tier is not eligible.
	wantStatus(t, crit(t, v, "sp", "sp.rd"), Missing)
	if v.Tiers.Specialized.Eligible {
		t.Error("specialized must not be eligible with sp.rd missing")
	}
}

// A failing score with missing indicators that could lift it is "missing"; one that cannot
// reach the threshold even with full points for the missing data is "fail".
func TestScoreMissingVersusFail(t *testing.T) {
	f := loadFixture(t, "inn_ineligible_2022.json")
	v := Evaluate(f, nil)
	wantStatus(t, crit(t, v, "inn", "inn.score"), Fail)
	f.IP = nil
	f.StrategicEmerging = nil
	yr(&f, 1).TotalLiabilities = nil
	v = Evaluate(f, nil)
	// now the best case is 20 (ip) + 0 (rd) + growth + 10 (debt) + 10 (field) + 0 (main) — still < 60
	wantStatus(t, crit(t, v, "inn", "inn.score"), Fail)
	g := strong(t, RuleSet2022)
	for i := range g.Years {
		g.Years[i].MainRevenue = nil
	}
	g.StrategicEmerging = nil
	v = Evaluate(g, nil)
	// 专业化 is 0 with its data missing; the best case would pass → missing
	wantStatus(t, crit(t, v, "inn", "inn.score"), Missing)
	wantStatus(t, crit(t, v, "inn", "inn.main"), Missing)
	if !v.Tiers.Innovative.Eligible { // the direct route (高新技术企业) still passes
		t.Error("innovative should stay eligible by the direct route")
	}
	if r := v.Tiers.Innovative.Routes; len(r) != 1 || r[0] != "direct" {
		t.Errorf("routes = %v", r)
	}
}
