package benefits

import "zjtx/internal/domain"

// Need says which enterprises some of the given benefits could match (or nearly match) in
// award year y, so whole-registry reads skip the rest: first 规上 in y or y−1 (B02), a tier
// one rung below a title or above (title benefits), an SME size (B10). It is deliberately
// wider than the rules; the rules decide.
type Need struct {
	AboveScaleSince []int
	Tiers           []domain.Tier
	SME             bool
}

// NeedFor computes the prefilter for the benefits ids (all when empty) in award year y.
func (s *Snapshot) NeedFor(ids []string, y int) Need {
	var n Need
	want := func(id string) bool {
		if len(ids) == 0 {
			return true
		}
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	tiers := map[domain.Tier]bool{}
	if want(B02First) {
		n.AboveScaleSince = append(n.AboveScaleSince, y)
	}
	if want(B02Growth) {
		n.AboveScaleSince = append(n.AboveScaleSince, y-1)
	}
	if want(B03LittleGiant) {
		tiers[domain.TierLittleGiant], tiers[domain.TierSpecialized] = true, true
	}
	for _, id := range []string{B09TechUpgrade, B12Digital, B13CreditInterest, B13Guarantee, B14Water, B19Services} {
		if want(id) {
			for _, t := range s.TitleTiers {
				tiers[t] = true
				if t.Rank() > 0 {
					tiers[domain.Tiers[t.Rank()-1]] = true // one rung below: a near match
				}
			}
		}
	}
	for _, t := range domain.Tiers {
		if tiers[t] {
			n.Tiers = append(n.Tiers, t)
		}
	}
	n.SME = want(B10Procurement)
	return n
}

// NeedsYears reports whether the rules read the input's yearly figures in award year y:
// growth for B02-growth (first 规上 in y−1) and B03 (小巨人).
func NeedsYears(in *Input, y int) bool {
	return (in.AboveScale && in.AboveScaleSince == y-1) || in.Tier == domain.TierLittleGiant
}
