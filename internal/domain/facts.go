package domain

import "time"

// EnterpriseFacts are what the eligibility rules read beyond the profile and the
// yearly figures (facts.schema.json). Every field is optional: nil means "not
// reported", which makes the criteria that need it "missing".
type EnterpriseFacts struct {
	EnterpriseID             int64
	RegisteredInShanghai     *bool
	IndependentLegalPerson   *bool
	IPClass1                 *int64
	IPClass1SelfDeveloped    *int64
	IPClass1HighValue        *int64
	IPClass1InUse            *int64
	IPClass2                 *int64
	HonourTechInnovationDemo *bool // 国家级技术创新示范企业
	HonourIPAdvantage        *bool // 知识产权优势企业
	HonourIPDemo             *bool // 知识产权示范企业
	RDInstitution            *string
	ChuangkeRank             *int64
	StrategicEmerging        *bool
	ChainRole                *string
	PriorityField            *bool
	DigitalLevel             *int64
	Quality                  *string // comma-separated facts.schema.json quality items; "" = none
	LocalScore               *float64
	InfoSystemCoreBusiness   *bool
	MgmtCertification        *bool
	OwnBrand                 *bool
	MarketShareDomestic      *float64
	MarketShareInternational *float64
	MarketRankDomestic       *int64
	MarketPositionAttested   *bool
	AbnormalOperation        *bool
	SeriousDishonesty        *bool
	RestrictedIndustry       *bool
	MajorIncident3Y          *bool `gorm:"column:major_incident_3y"`
	TaxViolation3Y           *bool `gorm:"column:tax_violation_3y"`
	ControlledByLittleGiant  *bool
	GroupSimilarLittleGiant  *bool
	AwardsReported           bool // false: awards not reported (criteria "missing"); true: the Awards list is complete
	Version                  int64
	UpdatedAt                time.Time
}

// Award is a 科技奖励 or competition placing on record.
type Award struct {
	ID           int64
	EnterpriseID int64
	Level        string // national, ministerial, provincial
	Rank         *int64
	Year         int
	Name         string
}

// DevScore is a year's 专精特新发展评价得分.
type DevScore struct {
	EnterpriseID int64
	Year         int
	Score        float64
}
