package tiers

import (
	"context"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
)

// Candidate is an enterprise whose facts meet its next rung on the day evaluated.
type Candidate struct {
	Enterprise domain.Enterprise
	Next       domain.Tier
	Score      eligibility.OptNum
}

// candidateBatch is how many enterprises are loaded and evaluated at a time.
const candidateBatch = 2000

// Candidates evaluates every enterprise in scope (and district, if given) for its next rung —
// only those whose next rung is `to`, if given — and returns those that qualify, up to limit,
// with how many were evaluated. It uses the message-free Decide, so a district of tens of
// thousands takes well under a second.
func (s *Service) Candidates(ctx context.Context, sc domain.Scope, district string, to domain.Tier, asOf domain.Date, limit int) ([]Candidate, int, bool, error) {
	ps, err := s.Parameters(ctx)
	if err != nil {
		return nil, 0, false, err
	}
	snap := ps.At(asOf)
	var from []domain.Tier
	if to.Valid() && to != domain.TierBase {
		from = []domain.Tier{domain.Tiers[to.Rank()-1]}
	} else {
		from = []domain.Tier{domain.TierBase, domain.TierInnovative, domain.TierSpecialized}
	}
	ents := store.NewEnterprises(s.db)
	facts := store.NewFacts(s.db)
	var out []Candidate
	evaluated, truncated := 0, false
	var after int64
	for {
		batch, err := ents.RuleInputsWhere(ctx, sc, district, from, after, candidateBatch)
		if err != nil || len(batch) == 0 {
			return out, evaluated, truncated, err
		}
		after = batch[len(batch)-1].ID
		ids := make([]int64, len(batch))
		for i, e := range batch {
			ids[i] = e.ID
		}
		years, err := ents.YearsFor(ctx, ids)
		if err != nil {
			return nil, 0, false, err
		}
		sheets, err := facts.FactSheets(ctx, ids)
		if err != nil {
			return nil, 0, false, err
		}
		for _, e := range batch {
			r := Record{Enterprise: e, Years: years[e.ID]}
			if fs := sheets[e.ID]; fs != nil {
				r.Facts, r.Awards, r.DevScores = fs.Facts, fs.Awards, fs.DevScores
			}
			f := BuildFacts(r, asOf, false)
			d := snap.Decide(&f)
			evaluated++
			next := e.Tier.Next()
			td := decisionTier(&d, next)
			// A barred enterprise may show here; Promote refuses it with the reason.
			if td == nil || !td.Eligible {
				continue
			}
			if len(out) >= limit {
				truncated = true
				continue
			}
			out = append(out, Candidate{Enterprise: e, Next: next, Score: td.Score})
		}
	}
}

func decisionTier(d *eligibility.Decision, t domain.Tier) *eligibility.TierDecision {
	switch t {
	case domain.TierInnovative:
		return &d.Innovative
	case domain.TierSpecialized:
		return &d.Specialized
	case domain.TierLittleGiant:
		return &d.LittleGiant
	}
	return nil
}
