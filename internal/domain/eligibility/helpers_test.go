package eligibility

import (
	"strings"
	"testing"
	"time"

	"zjtx/internal/domain"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }
func bp(v bool) *bool        { return &v }

// yr returns the fiscal year Y−back of f (creating it if absent).
func yr(f *Facts, back int) *Year {
	y := f.AsOf.Year() - back
	for i := range f.Years {
		if f.Years[i].Year == y {
			return &f.Years[i]
		}
	}
	f.Years = append(f.Years, Year{Year: y})
	return &f.Years[len(f.Years)-1]
}

// clone deep-copies the parts of Facts the tests modify.
func clone(f Facts) Facts {
	g := f
	g.Years = make([]Year, len(f.Years))
	for i, y := range f.Years {
		c := y
		for _, p := range []**float64{&c.Revenue, &c.MainRevenue, &c.OutputValue, &c.RDExpense, &c.NetProfit,
			&c.TotalAssets, &c.TotalLiabilities, &c.EquityFinancing} {
			if *p != nil {
				*p = f64(**p)
			}
		}
		for _, p := range []**int64{&c.Employees, &c.RDStaff} {
			if *p != nil {
				*p = i64(**p)
			}
		}
		g.Years[i] = c
	}
	if f.IP != nil {
		ip := *f.IP
		g.IP = &ip
	}
	g.Awards = append([]Award(nil), f.Awards...)
	if f.Awards != nil && g.Awards == nil {
		g.Awards = []Award{}
	}
	g.Honours = append([]string(nil), f.Honours...)
	if f.Honours != nil && g.Honours == nil {
		g.Honours = []string{}
	}
	g.Quality = append([]string(nil), f.Quality...)
	if f.Quality != nil && g.Quality == nil {
		g.Quality = []string{}
	}
	if f.DevScore != nil {
		g.DevScore = map[string]float64{}
		for k, v := range f.DevScore {
			g.DevScore[k] = v
		}
	}
	return g
}

func strong(t testing.TB, rs string) Facts {
	if rs == RuleSet2022 {
		return clone(loadFixture(t, "strong_2022.json"))
	}
	return clone(loadFixture(t, "strong_2026.json"))
}

func tierOf(v *Verdict, tier string) *TierResult {
	switch tier {
	case "inn":
		return &v.Tiers.Innovative
	case "sp":
		return &v.Tiers.Specialized
	case "lg":
		return &v.Tiers.LittleGiant
	}
	panic(tier)
}

func crit(t testing.TB, v Verdict, tier, id string) Criterion {
	t.Helper()
	c, ok := tierOf(&v, tier).Criterion(id)
	if !ok {
		t.Fatalf("%s: criterion %s not reported", tier, id)
	}
	return c
}

// setNicheYears puts niche_since so that (Dec 31 of Y−1 − niche_since) is the given days.
func setNicheDays(f *Facts, days int) {
	end := domain.NewDate(f.AsOf.Year()-1, time.December, 31)
	f.NicheSince = end.AddDays(-days)
}

func wantStatus(t testing.TB, c Criterion, want Status) {
	t.Helper()
	if c.Status != want {
		t.Errorf("%s: status %s, want %s (%s)", c.ID, c.Status, want, c.Message)
	}
	if c.Message == "" || c.Clause == "" {
		t.Errorf("%s: message and clause must be set", c.ID)
	}
}

func wantMsg(t testing.TB, c Criterion, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(c.Message, p) {
			t.Errorf("%s: message %q lacks %q", c.ID, c.Message, p)
		}
	}
}
