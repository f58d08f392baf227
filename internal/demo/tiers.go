package demo

import (
	"fmt"
	"slices"
	"time"

	"zjtx/internal/domain"
)

// batch is one announcement of newly certified enterprises: everyone in it shares the date.
type batch struct {
	on   domain.Date
	name string
}

// batches lists a tier's certification batches, oldest first, up to today. The city certifies
// its two rungs twice a year; MIIT names 小巨人 once a year since 2019.
func batches(tier domain.Tier, today domain.Date) []batch {
	var bs []batch
	for y := today.Year() - 12; y <= today.Year(); y++ {
		if tier == domain.TierLittleGiant {
			if y >= 2019 {
				bs = append(bs, batch{domain.NewDate(y, time.July, 1+y%20), fmt.Sprintf("第%s批", chineseNumber(y-2018))})
			}
			continue
		}
		off := 0 // the two rungs are announced a few days apart
		if tier == domain.TierSpecialized {
			off = 7
		}
		bs = append(bs,
			batch{domain.NewDate(y, time.May, 8+y%12+off), fmt.Sprintf("%d年第一批", y)},
			batch{domain.NewDate(y, time.November, 3+y%15+off), fmt.Sprintf("%d年第二批", y)})
	}
	for len(bs) > 0 && bs[len(bs)-1].on.After(today) {
		bs = bs[:len(bs)-1]
	}
	return bs
}

func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// certPrefix and issuer per rung.
var (
	certPrefix = map[domain.Tier]string{domain.TierInnovative: "沪创新", domain.TierSpecialized: "沪专精", domain.TierLittleGiant: "工信小巨人"}
	issuer     = map[domain.Tier]string{domain.TierInnovative: "市经济信息化委", domain.TierSpecialized: "市经济信息化委", domain.TierLittleGiant: "工业和信息化部"}
)

// pickBatch draws one of tier's batches dated in [lo, hi].
func (g *gen) pickBatch(tier domain.Tier, lo, hi domain.Date) (batch, bool) {
	var in []batch
	for _, b := range g.batches[tier] {
		if !b.on.Before(lo) && !b.on.After(hi) {
			in = append(in, b)
		}
	}
	if len(in) == 0 {
		return batch{}, false
	}
	return pickOne(g.r, in), true
}

// tierHistory builds the certifications that led to tier, one rung at a time, oldest first.
// The top title is mostly valid on today; ~8% expire within six months and ~2% have just
// lapsed while their review is pending.
func (g *gen) tierHistory(pos int64, tier domain.Tier) []domain.TierEvent {
	rank := tier.Rank()
	if rank <= 0 {
		return nil
	}
	// Window for the start of the current three-year term.
	lastYear := g.today.AddYears(-domain.TitleValidityYears)
	lo, hi := lastYear.AddDays(181), g.today
	switch x := g.r.Float64(); {
	case x < 0.02:
		lo, hi = lastYear.AddDays(-90), lastYear.AddDays(-1)
	case x < 0.10:
		lo, hi = lastYear, lastYear.AddDays(180)
	}
	events := make([]domain.TierEvent, 0, rank+1)
	top, ok := g.pickBatch(tier, lo, hi)
	if !ok {
		if top, ok = g.pickBatch(tier, lastYear, g.today); !ok {
			return nil // no batch in the last three years (a reference date before the programme)
		}
	}
	// Some titles are in their second term: certified three years earlier, then renewed.
	renewal := false
	if g.chance(0.2) {
		if first, ok := g.pickBatch(tier, lo.AddYears(-domain.TitleValidityYears), hi.AddYears(-domain.TitleValidityYears)); ok {
			renewal = true
			events = append(events, g.event(pos, domain.EventCertified, tier.Rank()-1, first.on, first))
			top = batch{on: first.on.AddYears(domain.TitleValidityYears), name: first.name}
		}
	}
	if renewal {
		ev := g.event(pos, domain.EventRenewed, rank, top.on, top)
		ev.Batch = ""
		ev.Reason = "复核通过"
		events = append(events, ev)
	} else {
		events = append(events, g.event(pos, domain.EventCertified, rank-1, top.on, top))
	}
	// Lower rungs came a year or two before the one above them; found top-down, stored oldest first.
	next := events[0].EffectiveOn
	lower := make([]domain.TierEvent, 0, rank)
	for r := rank - 1; r >= 1; r-- {
		t := domain.Tiers[r]
		b, ok := g.pickBatch(t, next.AddDays(-760), next.AddDays(-300))
		if !ok {
			b, ok = g.pickBatch(t, next.AddYears(-3), next.AddDays(-1))
		}
		if !ok {
			break
		}
		lower = append(lower, g.event(pos, domain.EventCertified, r-1, b.on, b))
		next = b.on
	}
	slices.Reverse(lower)
	return append(lower, events...)
}

// event is a certification to the rung above fromRank (a renewal: of fromRank), valid three years.
func (g *gen) event(pos int64, kind domain.TierEventKind, fromRank int, on domain.Date, b batch) domain.TierEvent {
	from := domain.Tiers[fromRank]
	to := from // a renewal keeps the rung
	if kind != domain.EventRenewed {
		to = domain.Tiers[fromRank+1]
	}
	key := fmt.Sprintf("%s%d", certPrefix[to], on.Year())
	g.certSeq[key]++
	return domain.TierEvent{
		EnterpriseID:  pos,
		Kind:          kind,
		FromTier:      from,
		ToTier:        to,
		EffectiveOn:   on,
		ValidUntil:    on.AddYears(domain.TitleValidityYears),
		CertificateNo: fmt.Sprintf("%s-%05d", key, g.certSeq[key]),
		Batch:         b.name,
		DecidedBy:     issuer[to],
	}
}
