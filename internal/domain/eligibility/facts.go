// Package eligibility is the tier-eligibility engine of ELIGIBILITY.md: it decodes and validates
// the facts of facts.schema.json, holds the dated parameters of both rule sets (miit-2022 and
// miit-2026) and evaluates every criterion of the three tiers with an explanation.
//
// The package is pure Go: no web, database or template imports.
package eligibility

import "zjtx/internal/domain"

// Facts mirrors facts.schema.json. Optional facts are pointers, empty strings (enums), nil
// slices or the zero Date, so that "absent" differs from zero or false; absent facts make the
// criteria that need them "missing", never "pass".
type Facts struct {
	AsOf                   domain.Date          `json:"as_of"`
	USCC                   string               `json:"uscc"`
	Name                   string               `json:"name,omitempty"`
	RegisteredInShanghai   *bool                `json:"registered_in_shanghai,omitempty"`   // default true
	IndependentLegalPerson *bool                `json:"independent_legal_person,omitempty"` // default true
	IndustryGroup          domain.IndustryGroup `json:"industry_group"`
	CurrentTier            domain.Tier          `json:"current_tier"`
	CurrentTierValidUntil  domain.Date          `json:"current_tier_valid_until,omitzero"`
	Renewal                *bool                `json:"renewal,omitempty"` // default false
	NicheSince             domain.Date          `json:"niche_since,omitzero"`
	Years                  []Year               `json:"years"`
	IP                     *IP                  `json:"ip,omitempty"`
	Awards                 []Award              `json:"awards,omitzero"`  // nil = not reported; [] = none
	Honours                []string             `json:"honours,omitzero"` // nil = not reported; [] = none
	RDInstitution          string               `json:"rd_institution,omitempty"`
	ChuangkeRank           *int64               `json:"chuangke_rank,omitempty"`
	StrategicEmerging      *bool                `json:"strategic_emerging,omitempty"`
	ChainRole              string               `json:"chain_role,omitempty"`
	PriorityField          *bool                `json:"priority_field,omitempty"`
	DigitalLevel           *int64               `json:"digital_level,omitempty"`
	Quality                []string             `json:"quality,omitzero"` // nil = not reported; [] = none
	LocalScore             *float64             `json:"local_score,omitempty"`
	InfoSystemCoreBusiness *bool                `json:"info_system_core_business,omitempty"`
	MgmtCertification      *bool                `json:"mgmt_certification,omitempty"`
	OwnBrand               *bool                `json:"own_brand,omitempty"`
	MarketShareDomestic    *float64             `json:"market_share_domestic,omitempty"`
	MarketShareIntl        *float64             `json:"market_share_international,omitempty"`
	MarketRankDomestic     *int64               `json:"market_rank_domestic,omitempty"`
	MarketPositionAttested *bool                `json:"market_position_attested,omitempty"`
	DevScore               map[string]float64   `json:"dev_score,omitempty"`                  // year ("2026") → score
	AbnormalOperation      *bool                `json:"abnormal_operation,omitempty"`         // default false
	SeriousDishonesty      *bool                `json:"serious_dishonesty,omitempty"`         // default false
	RestrictedIndustry     *bool                `json:"restricted_industry,omitempty"`        // default false
	MajorIncident3Y        *bool                `json:"major_incident_3y,omitempty"`          // default false
	TaxViolation3Y         *bool                `json:"tax_violation_3y,omitempty"`           // default false
	ControlledByLG         *bool                `json:"controlled_by_little_giant,omitempty"` // default false
	GroupSimilarLG         *bool                `json:"group_similar_little_giant,omitempty"` // default false
}

// Year is one fiscal year's figures; amounts in 万元.
type Year struct {
	Year             int      `json:"year"`
	Employees        *int64   `json:"employees,omitempty"`
	RDStaff          *int64   `json:"rd_staff,omitempty"`
	Revenue          *float64 `json:"revenue,omitempty"`
	MainRevenue      *float64 `json:"main_revenue,omitempty"`
	OutputValue      *float64 `json:"output_value,omitempty"`
	RDExpense        *float64 `json:"rd_expense,omitempty"`
	NetProfit        *float64 `json:"net_profit,omitempty"`
	TotalAssets      *float64 `json:"total_assets,omitempty"`
	TotalLiabilities *float64 `json:"total_liabilities,omitempty"`
	EquityFinancing  *float64 `json:"equity_financing,omitempty"`
}

// IP holds counts of valid IP tied to the main product (ELIGIBILITY.md §3 IP classes).
type IP struct {
	Class1              *int64 `json:"class1,omitempty"`
	Class1SelfDeveloped *int64 `json:"class1_self_developed,omitempty"`
	Class1HighValue     *int64 `json:"class1_high_value,omitempty"`
	Class1InUse         *int64 `json:"class1_in_use,omitempty"`
	Class2              *int64 `json:"class2,omitempty"`
}

// Award is a 科技奖励: its level, the enterprise's rank among the awarded units, and its year.
type Award struct {
	Level string `json:"level"`
	Rank  *int64 `json:"rank,omitempty"`
	Year  int    `json:"year"`
}

// Enum values of the schema.
const (
	LevelNational    = "national"
	LevelMinisterial = "ministerial"
	LevelProvincial  = "provincial"

	HonourHighTech           = "high_tech"
	HonourTechInnovationDemo = "tech_innovation_demo"
	HonourIPAdvantage        = "ip_advantage"
	HonourIPDemo             = "ip_demo"
	HonourTechSME            = "tech_sme"
	HonourSingleChampion     = "single_champion"

	InstNone           = "none"
	InstBelowMunicipal = "below_municipal"
	InstMunicipal      = "municipal"
	InstProvincial     = "provincial"
	InstNational       = "national"

	ChainNone       = "none"
	ChainSupporting = "supporting"
	ChainKeyLink    = "key_link"

	QualityAward    = "quality_award"
	QualityISO9001  = "iso9001"
	QualityOwnBrand = "own_brand"
	QualityStandard = "standards"
)

var (
	awardLevels    = []string{LevelNational, LevelMinisterial, LevelProvincial}
	honourValues   = []string{HonourHighTech, HonourTechInnovationDemo, HonourIPAdvantage, HonourIPDemo, HonourTechSME, HonourSingleChampion}
	instValues     = []string{InstNone, InstBelowMunicipal, InstMunicipal, InstProvincial, InstNational}
	chainValues    = []string{ChainNone, ChainSupporting, ChainKeyLink}
	qualityValues  = []string{QualityAward, QualityISO9001, QualityOwnBrand, QualityStandard}
	industryValues = []string{"industrial", "information_transmission", "software_it", "other"}
	tierValues     = []string{"base", "innovative", "specialized", "little_giant"}
)

func ptr[T any](v T) *T { return &v }

// ApplyDefaults fills the schema's defaults (registered_in_shanghai and independent_legal_person
// true; renewal and the adverse flags false) where a fact is absent.
func (f *Facts) ApplyDefaults() {
	setDefault(&f.RegisteredInShanghai, true)
	setDefault(&f.IndependentLegalPerson, true)
	setDefault(&f.Renewal, false)
	setDefault(&f.AbnormalOperation, false)
	setDefault(&f.SeriousDishonesty, false)
	setDefault(&f.RestrictedIndustry, false)
	setDefault(&f.MajorIncident3Y, false)
	setDefault(&f.TaxViolation3Y, false)
	setDefault(&f.ControlledByLG, false)
	setDefault(&f.GroupSimilarLG, false)
}

func setDefault(p **bool, v bool) {
	if *p == nil {
		*p = ptr(v)
	}
}

// boolOr reads a defaulted boolean: nil means the schema default.
func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
