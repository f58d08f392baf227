// Package tiers runs the tier lifecycle: it turns registry records into eligibility facts,
// evaluates them, and records promotions, recommendations, reviews, revocations and expiries
// with immutable decision records.
package tiers

import (
	"strconv"
	"strings"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
)

// Record is everything the registry holds that the rules read.
type Record struct {
	Enterprise domain.Enterprise
	Years      []domain.YearFigures
	Facts      domain.EnterpriseFacts
	Awards     []domain.Award
	DevScores  []domain.DevScore
}

// BuildFacts assembles the facts document (facts.schema.json) of a record as of a date.
// Facts the registry never recorded stay absent, so the criteria that need them are "missing".
func BuildFacts(r Record, asOf domain.Date, renewal bool) eligibility.Facts {
	e, x := r.Enterprise, r.Facts
	f := eligibility.Facts{
		AsOf: asOf, USCC: string(e.USCC), Name: e.Name, IndustryGroup: e.IndustryGroup,
		CurrentTier: e.Tier, CurrentTierValidUntil: e.TierValidUntil, NicheSince: e.NicheSince,
		Renewal: &renewal, Years: make([]eligibility.Year, 0, len(r.Years)),
		RegisteredInShanghai: x.RegisteredInShanghai, IndependentLegalPerson: x.IndependentLegalPerson,
		ChuangkeRank: x.ChuangkeRank, StrategicEmerging: x.StrategicEmerging, PriorityField: x.PriorityField,
		DigitalLevel: x.DigitalLevel, LocalScore: x.LocalScore, InfoSystemCoreBusiness: x.InfoSystemCoreBusiness,
		MgmtCertification: x.MgmtCertification, OwnBrand: x.OwnBrand, MarketShareDomestic: x.MarketShareDomestic,
		MarketShareIntl: x.MarketShareInternational, MarketRankDomestic: x.MarketRankDomestic,
		MarketPositionAttested: x.MarketPositionAttested, AbnormalOperation: x.AbnormalOperation,
		SeriousDishonesty: x.SeriousDishonesty, RestrictedIndustry: x.RestrictedIndustry,
		MajorIncident3Y: x.MajorIncident3Y, TaxViolation3Y: x.TaxViolation3Y,
		ControlledByLG: x.ControlledByLittleGiant, GroupSimilarLG: x.GroupSimilarLittleGiant,
	}
	if e.Tier == domain.TierBase {
		f.CurrentTierValidUntil = domain.Date{}
	}
	if f.CurrentTier == "" {
		f.CurrentTier = domain.TierBase
	}
	for _, y := range r.Years {
		f.Years = append(f.Years, eligibility.Year{
			Year: y.Year, Employees: y.Employees, RDStaff: y.RDStaff,
			Revenue: wan(y.Revenue), MainRevenue: wan(y.MainRevenue), OutputValue: wan(y.OutputValue),
			RDExpense: wan(y.RDExpense), NetProfit: wan(y.NetProfit), TotalAssets: wan(y.TotalAssets),
			TotalLiabilities: wan(y.TotalLiabilities), EquityFinancing: wan(y.EquityFinancing),
		})
	}
	if x.IPClass1 != nil || x.IPClass1SelfDeveloped != nil || x.IPClass1HighValue != nil || x.IPClass1InUse != nil || x.IPClass2 != nil {
		f.IP = &eligibility.IP{Class1: x.IPClass1, Class1SelfDeveloped: x.IPClass1SelfDeveloped,
			Class1HighValue: x.IPClass1HighValue, Class1InUse: x.IPClass1InUse, Class2: x.IPClass2}
	}
	if x.AwardsReported || len(r.Awards) > 0 {
		f.Awards = make([]eligibility.Award, 0, len(r.Awards))
		for _, a := range r.Awards {
			f.Awards = append(f.Awards, eligibility.Award{Level: a.Level, Rank: a.Rank, Year: a.Year})
		}
	}
	// Labels are always known (a missing label means "does not hold it"), so honours are always reported.
	f.Honours = []string{}
	for _, h := range []struct {
		on   bool
		name string
	}{
		{e.HighTech, eligibility.HonourHighTech}, {e.TechSME, eligibility.HonourTechSME},
		{e.SingleChampion, eligibility.HonourSingleChampion}, {isTrue(x.HonourTechInnovationDemo), eligibility.HonourTechInnovationDemo},
		{isTrue(x.HonourIPAdvantage), eligibility.HonourIPAdvantage}, {isTrue(x.HonourIPDemo), eligibility.HonourIPDemo},
	} {
		if h.on {
			f.Honours = append(f.Honours, h.name)
		}
	}
	if x.RDInstitution != nil {
		f.RDInstitution = *x.RDInstitution
	}
	if x.ChainRole != nil {
		f.ChainRole = *x.ChainRole
	}
	if x.Quality != nil {
		f.Quality = []string{}
		for _, q := range strings.Split(*x.Quality, ",") {
			if q = strings.TrimSpace(q); q != "" {
				f.Quality = append(f.Quality, q)
			}
		}
	}
	if len(r.DevScores) > 0 {
		f.DevScore = make(map[string]float64, len(r.DevScores))
		for _, d := range r.DevScores {
			f.DevScore[strconv.Itoa(d.Year)] = d.Score
		}
	}
	return f
}

func wan(m *domain.Money) *float64 {
	if m == nil {
		return nil
	}
	w := m.Wan()
	return &w
}

func isTrue(p *bool) bool { return p != nil && *p }
