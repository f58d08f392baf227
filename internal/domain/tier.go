package domain

// Tier is a rung on the gradient-cultivation ladder (DOMAIN.md §The ladder).
type Tier string

const (
	TierBase        Tier = "base"
	TierInnovative  Tier = "innovative"
	TierSpecialized Tier = "specialized"
	TierLittleGiant Tier = "little_giant"
)

// Tiers lists the ladder bottom to top.
var Tiers = []Tier{TierBase, TierInnovative, TierSpecialized, TierLittleGiant}

// Rank is the tier's position on the ladder (base = 0); -1 for an unknown tier.
func (t Tier) Rank() int {
	for i, x := range Tiers {
		if x == t {
			return i
		}
	}
	return -1
}

// Valid reports whether t is one of the four rungs.
func (t Tier) Valid() bool { return t.Rank() >= 0 }

// Next is the rung above t, or "" at the top.
func (t Tier) Next() Tier {
	r := t.Rank()
	if r < 0 || r+1 >= len(Tiers) {
		return ""
	}
	return Tiers[r+1]
}

// Label is the tier's Chinese name. From 2026-04-01 the innovative rung is
// called 科技和创新型中小企业 (miit-2026); LabelOn picks the name for a date.
func (t Tier) Label() string {
	switch t {
	case TierBase:
		return "小微企业"
	case TierInnovative:
		return "创新型中小企业"
	case TierSpecialized:
		return "专精特新中小企业"
	case TierLittleGiant:
		return "专精特新“小巨人”企业"
	}
	return string(t)
}

// ShortLabel is a compact name for badges and table cells.
func (t Tier) ShortLabel() string {
	switch t {
	case TierBase:
		return "小微"
	case TierInnovative:
		return "创新型"
	case TierSpecialized:
		return "专精特新"
	case TierLittleGiant:
		return "小巨人"
	}
	return string(t)
}

// LabelOn names the tier as the rule set in force on d does.
func (t Tier) LabelOn(d Date) string {
	if t == TierInnovative && !d.Before(MIIT2026Start) {
		return "科技和创新型中小企业"
	}
	return t.Label()
}

// MIIT2026Start is the day the revised MIIT measures take effect (ELIGIBILITY.md §0).
var MIIT2026Start = MustDate("2026-04-01")

// TitleValidityYears is how long a title is valid from its certification date (§6).
const TitleValidityYears = 3
