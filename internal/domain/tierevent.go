package domain

import "time"

// TierEventKind says how a tier change came about.
type TierEventKind string

const (
	EventCertified TierEventKind = "certified" // 认定 (promotion)
	EventRenewed   TierEventKind = "renewed"   // 复核通过
	EventExpired   TierEventKind = "expired"   // 到期未复核
	EventRevoked   TierEventKind = "revoked"   // 撤销
	EventRecorded  TierEventKind = "recorded"  // 历史认定补录 (imported or entered after the fact)
)

func (k TierEventKind) Label() string {
	switch k {
	case EventCertified:
		return "认定"
	case EventRenewed:
		return "复核通过"
	case EventExpired:
		return "到期失效"
	case EventRevoked:
		return "撤销"
	case EventRecorded:
		return "补录"
	}
	return string(k)
}

// TierEvent is one entry of an enterprise's tier history, with its certificate.
type TierEvent struct {
	ID            int64
	EnterpriseID  int64
	Kind          TierEventKind
	FromTier      Tier
	ToTier        Tier
	EffectiveOn   Date
	ValidUntil    Date
	CertificateNo string
	Batch         string
	Reason        string
	DecidedBy     string
	CreatedAt     time.Time
}
