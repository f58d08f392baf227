package eligibility

import (
	"sync"

	"zjtx/internal/domain"
)

// critPool holds scratch criteria for Decide: no Decision refers to them after it returns.
var critPool = sync.Pool{New: func() any { return new([maxCriteria]Criterion) }}

// Decision is the unexplained outcome of an evaluation: per tier, eligibility, the passing
// routes, the points total, and how many criteria failed or are missing. It is what bulk
// work (dashboards, batch re-evaluation of the registry, benefit matching) needs, computed
// by the same criterion code as Evaluate without writing messages or keeping criteria.
type Decision struct {
	AsOf          domain.Date
	RuleSet       string
	Size          domain.SizeClass
	NextTier      domain.Tier // "" at the top rung
	ParamsVersion string
	Innovative    TierDecision
	Specialized   TierDecision
	LittleGiant   TierDecision
}

// TierDecision is one tier of a Decision.
type TierDecision struct {
	Eligible      bool
	Routes        []string // shared, read-only
	Score         OptNum
	Failed, Unmet int // criteria with status fail / missing
}

// Decide evaluates f like Evaluate, without explanations; it does not allocate.
func Decide(f *Facts, ps *ParameterSet) Decision {
	if ps == nil {
		ps = DefaultParameters()
	}
	return ps.At(f.AsOf).Decide(f)
}

// Decide evaluates f with this snapshot's parameters, without explanations.
func (s *Snapshot) Decide(f *Facts) Decision {
	buf := critPool.Get().(*[maxCriteria]Criterion)
	defer critPool.Put(buf)
	v := s.run(f, nil, buf[:0])
	d := Decision{AsOf: v.AsOf, RuleSet: v.RuleSet, ParamsVersion: v.ParamsVersion,
		Innovative: tierDecision(&v.Tiers.Innovative), Specialized: tierDecision(&v.Tiers.Specialized),
		LittleGiant: tierDecision(&v.Tiers.LittleGiant)}
	if v.Size != "unknown" {
		d.Size = domain.SizeClass(v.Size)
	}
	if v.NextTier != nil {
		d.NextTier = *v.NextTier
	}
	return d
}

func tierDecision(t *TierResult) TierDecision {
	d := TierDecision{Eligible: t.Eligible, Routes: t.Routes, Score: t.Score}
	for i := range t.Criteria {
		switch t.Criteria[i].Status {
		case Fail:
			d.Failed++
		case Missing:
			d.Unmet++
		}
	}
	return d
}
