package domain

import "time"

// DecisionKind is what a tier decision decided.
type DecisionKind string

const (
	DecisionPromotion      DecisionKind = "promotion"      // 认定 by the city
	DecisionRecommendation DecisionKind = "recommendation" // 区级初审推荐, or the city's recommendation to MIIT
	DecisionMIITResult     DecisionKind = "miit_result"    // 工信部认定结果 (小巨人)
	DecisionRenewal        DecisionKind = "renewal"        // 复核
	DecisionRevocation     DecisionKind = "revocation"     // 撤销
	DecisionExpiry         DecisionKind = "expiry"         // 到期未复核
)

func (k DecisionKind) Label() string {
	switch k {
	case DecisionPromotion:
		return "认定"
	case DecisionRecommendation:
		return "推荐"
	case DecisionMIITResult:
		return "工信部认定结果"
	case DecisionRenewal:
		return "复核"
	case DecisionRevocation:
		return "撤销"
	case DecisionExpiry:
		return "到期失效"
	}
	return string(k)
}

// Outcome is how a decision came out.
type Outcome string

const (
	OutcomeGranted     Outcome = "granted"
	OutcomeRefused     Outcome = "refused"
	OutcomeRecommended Outcome = "recommended"
	OutcomeNotGranted  Outcome = "not_granted"
	OutcomeRenewed     Outcome = "renewed"
	OutcomeRevoked     Outcome = "revoked"
	OutcomeExpired     Outcome = "expired"
)

func (o Outcome) Label() string {
	switch o {
	case OutcomeGranted:
		return "通过认定"
	case OutcomeRefused:
		return "不符合条件，已拒绝"
	case OutcomeRecommended:
		return "已推荐"
	case OutcomeNotGranted:
		return "未获认定"
	case OutcomeRenewed:
		return "复核通过"
	case OutcomeRevoked:
		return "已撤销"
	case OutcomeExpired:
		return "已失效"
	}
	return string(o)
}

// Decision is an immutable record of one tier decision, with the facts and the full
// verdict as they were evaluated (JSON), so it can be read and replayed later.
type Decision struct {
	ID            int64
	EnterpriseID  int64
	Kind          DecisionKind
	Outcome       Outcome
	FromTier      Tier
	ToTier        Tier
	AsOf          Date
	RuleSet       string
	ParamsVersion string
	Facts         string
	Verdict       string
	CertificateNo string
	Batch         string
	CertifiedOn   Date
	ValidUntil    Date
	Reason        string
	Evidence      string
	DecidedBy     string
	DeciderID     *int64
	ApplicationID *int64
	CreatedAt     time.Time
}

// ApplicationStatus is where a two-step promotion stands.
type ApplicationStatus string

const (
	AppDistrictRecommended ApplicationStatus = "district_recommended" // 区级初审通过，待市级认定
	AppMIITPending         ApplicationStatus = "miit_pending"         // 市级已推荐，待工信部认定
	AppGranted             ApplicationStatus = "granted"
	AppRefused             ApplicationStatus = "refused"
	AppRejected            ApplicationStatus = "rejected" // returned by the city with a reason
	AppNotGranted          ApplicationStatus = "not_granted"
)

func (s ApplicationStatus) Label() string {
	switch s {
	case AppDistrictRecommended:
		return "区级已推荐，待市级认定"
	case AppMIITPending:
		return "已推荐工信部，待认定结果"
	case AppGranted:
		return "已认定"
	case AppRefused:
		return "复评不符合条件"
	case AppRejected:
		return "市级退回"
	case AppNotGranted:
		return "工信部未认定"
	}
	return string(s)
}

// Open reports whether the application still awaits a decision.
func (s ApplicationStatus) Open() bool { return s == AppDistrictRecommended || s == AppMIITPending }

// Application is a promotion in progress across two deciders.
type Application struct {
	ID           int64
	EnterpriseID int64
	ToTier       Tier
	Status       ApplicationStatus
	OpenedBy     string
	Note         string
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// RevocationReason is one of the grounds of ELIGIBILITY.md §6.
type RevocationReason string

const (
	RevokeIncident   RevocationReason = "major_incident"
	RevokeDishonesty RevocationReason = "serious_dishonesty"
	RevokeTax        RevocationReason = "tax_evasion"
	RevokeFalsified  RevocationReason = "falsified_data"
)

// RevocationReasons lists the grounds in display order.
var RevocationReasons = []RevocationReason{RevokeIncident, RevokeDishonesty, RevokeTax, RevokeFalsified}

func (r RevocationReason) Label() string {
	switch r {
	case RevokeIncident:
		return "发生重大安全（含网络、数据安全）、质量、环境污染事故"
	case RevokeDishonesty:
		return "被列入严重失信主体名单"
	case RevokeTax:
		return "偷税漏税"
	case RevokeFalsified:
		return "提供虚假材料、弄虚作假（三年内不得再次申请）"
	}
	return string(r)
}

func (r RevocationReason) Valid() bool {
	for _, x := range RevocationReasons {
		if x == r {
			return true
		}
	}
	return false
}

// FalsifiedBarYears is how long falsified data bars re-application (§6).
const FalsifiedBarYears = 3
