package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"zjtx/internal/domain"
)

// gen holds the random stream and everything that must stay unique across a data set.
type gen struct {
	r     *rand.Rand
	today domain.Date
	data  Data

	names    map[string]struct{}
	codes    map[string]struct{}
	certSeq  map[string]int // certificate prefix+year → last number issued
	batches  map[domain.Tier][]batch
	district picker
	group    picker
	board    picker
}

func newGen(r *rand.Rand, today domain.Date, n int) *gen {
	n = max(n, 0)
	g := &gen{
		r: r, today: today,
		names:   make(map[string]struct{}, n),
		codes:   make(map[string]struct{}, n),
		certSeq: map[string]int{},
		board:   newPicker(boardShare),
		batches: map[domain.Tier][]batch{},
	}
	for _, t := range domain.Tiers[1:] {
		g.batches[t] = batches(t, today)
	}
	g.data.Enterprises = make([]domain.Enterprise, 0, n)
	g.data.Years = make([]domain.YearFigures, 0, n*7/2)
	g.data.Events = make([]domain.TierEvent, 0, n/2)
	dw := make([]int, len(domain.Districts))
	for i, d := range domain.Districts {
		dw[i] = districtShare[d.Code]
	}
	g.district = newPicker(dw)
	gw := make([]int, len(groupShare))
	for i, s := range groupShare {
		gw[i] = s.weight
	}
	g.group = newPicker(gw)
	return g
}

// enterprise generates one enterprise with its years and tier history and appends them.
func (g *gen) enterprise() {
	pos := int64(len(g.data.Enterprises) + 1)
	tier := g.tier()
	// Most enterprises on a rung meet its thresholds; some were certified under looser rules
	// or have slipped since, so the eligibility engine has something to say about them.
	qualifies := tier != domain.TierBase && g.chance(0.85)

	e := domain.Enterprise{Tier: tier, Version: 1}
	d := domain.Districts[g.district.pick(g.r)]
	e.DistrictCode = d.Code
	e.IndustryGroup = groupShare[g.group.pick(g.r)].group
	ind := pickOne(g.r, industries[e.IndustryGroup])
	e.IndustryCode = ind.code
	k := g.r.IntN(len(ind.products))
	e.MainProduct, e.NicheMarket = ind.products[k], ind.niches[k]

	events := g.tierHistory(pos, tier)
	earliest := g.today
	if len(events) == 0 {
		e.Tier, tier, qualifies = domain.TierBase, domain.TierBase, false
	} else {
		earliest = events[0].EffectiveOn
		e.TierValidUntil = events[len(events)-1].ValidUntil
	}
	e.FoundedOn = g.founded(earliest)
	e.NicheSince = g.nicheSince(e.FoundedOn, qualifies)

	years := g.years(pos, e.IndustryGroup, e.FoundedOn, tier, qualifies)
	e.Size = domain.LatestSize(e.IndustryGroup, years)
	g.labels(&e, years)

	e.Name = g.name(ind, e.Listed)
	e.USCC = g.uscc(d.Code, e.FoundedOn)
	e.Address = d.Name + pickOne(g.r, roads[d.Code]) + strconv.Itoa(1+g.r.IntN(2000)) + "号" + g.room()
	e.ContactPerson = string(pickOne(g.r, surnames)) + pickOne(g.r, givenNames)
	e.ContactPhone = pickOne(g.r, mobilePrefixes) + g.digits(8)

	g.data.Enterprises = append(g.data.Enterprises, e)
	g.data.Years = append(g.data.Years, years...)
	g.data.Events = append(g.data.Events, events...)
}

// tier draws the rung: ~70% base, ~18% innovative, ~10% specialized, ~2% little giant.
func (g *gen) tier() domain.Tier {
	switch x := g.r.Float64(); {
	case x < 0.02:
		return domain.TierLittleGiant
	case x < 0.12:
		return domain.TierSpecialized
	case x < 0.30:
		return domain.TierInnovative
	}
	return domain.TierBase
}

// founded picks a founding date in 1995–2023, skewed towards recent years as registrations
// are, and at least two years before the first certification.
func (g *gen) founded(firstCert domain.Date) domain.Date {
	lo := domain.NewDate(1995, time.January, 1)
	hi := minDate(domain.NewDate(2023, time.December, 31), firstCert.AddYears(-2))
	hi = minDate(hi, domain.NewDate(g.today.Year()-3, time.December, 31))
	span := lo.DaysUntil(hi)
	if span <= 0 {
		return lo
	}
	return lo.AddDays(int(float64(span) * math.Sqrt(g.r.Float64())))
}

// nicheSince is when the enterprise entered its niche: soon after founding, and for an
// enterprise that meets its rung's rules at least three full years before Y−1 ends.
func (g *gen) nicheSince(founded domain.Date, qualifies bool) domain.Date {
	hi := g.today.AddDays(-30)
	if qualifies {
		hi = domain.NewDate(g.today.Year()-1, time.December, 31).AddYears(-3).AddDays(-60)
	}
	hi = minDate(hi, founded.AddYears(6))
	if !hi.After(founded) {
		return founded
	}
	return g.between(founded, hi)
}

// name builds 上海 + brand + industry word + company form, lengthening the brand when taken.
func (g *gen) name(ind industry, listed bool) string {
	form := "有限公司"
	if listed || g.chance(0.15) {
		form = "股份有限公司"
	}
	word := pickOne(g.r, ind.words)
	for attempt := 0; ; attempt++ {
		brand := g.brand()
		if attempt >= 3 {
			brand += g.brand() // four-character brands are as common and far from exhausted
		}
		if strings.HasSuffix(brand, string([]rune(word)[:1])) {
			continue // "瀚微微电子" stutters
		}
		n := "上海" + brand + word + form
		if _, taken := g.names[n]; !taken {
			g.names[n] = struct{}{}
			return n
		}
	}
}

func (g *gen) brand() string {
	for {
		a, b := pickOne(g.r, brandFirst), pickOne(g.r, brandSecond)
		if s := string([]rune{a, b}); a != b && !famousBrands[s] {
			return s
		}
	}
}

// usccAlphabet is GB 32100's character set; org-code bodies draw from it too, so every
// generated code also passes the USCC character check.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// uscc builds 9 (market regulation) 1 (company) + district + organisation code + check.
// Companies registered since 2016 carry the MA-series codes, older ones numeric codes.
// About 1% carry an old organisation code whose own check digit is wrong, as real ones do.
func (g *gen) uscc(district string, founded domain.Date) domain.USCC {
	var b strings.Builder
	for {
		b.Reset()
		b.WriteString("91")
		b.WriteString(district)
		var body string
		if founded.Year() >= 2016 {
			body = "MA1" + g.chars(usccAlphabet, 5)
		} else {
			body = g.digits(8)
		}
		b.WriteString(body)
		check := domain.OrgCodeCheckChar(body)
		if founded.Year() < 2016 && g.chance(0.01) {
			right := check
			for check == right {
				check = '0' + byte(g.r.IntN(10))
			}
		}
		b.WriteByte(check)
		first17 := b.String()
		code := first17 + string(domain.USCCCheckChar(first17))
		if _, taken := g.codes[code]; !taken {
			g.codes[code] = struct{}{}
			return domain.USCC(code)
		}
	}
}

// room adds a building or room number to some addresses.
func (g *gen) room() string {
	switch x := g.r.Float64(); {
	case x < 0.3:
		return strconv.Itoa(1+g.r.IntN(12)) + "幢"
	case x < 0.55:
		return strconv.Itoa(1+g.r.IntN(9)) + "号楼" + strconv.Itoa(1+g.r.IntN(12)) + "0" + strconv.Itoa(1+g.r.IntN(9)) + "室"
	}
	return ""
}

// labels sets the designations, at rates that rise with the rung.
func (g *gen) labels(e *domain.Enterprise, years []domain.YearFigures) {
	rank := e.Tier.Rank()
	rate := func(byRank ...float64) bool { return g.chance(byRank[rank]) }
	e.HighTech = rate(0.12, 0.5, 0.8, 0.95)
	e.TechSME = rate(0.1, 0.45, 0.5, 0.3)
	e.Gazelle = rate(0.02, 0.08, 0.15, 0.25)
	e.Unicorn = rate(0, 0, 0.003, 0.02)
	// 小巨人 excludes 单项冠军 (ELIGIBILITY.md §5), and champions are manufacturers.
	e.SingleChampion = e.IndustryGroup == domain.GroupIndustrial && rate(0.001, 0.002, 0.01, 0)
	if e.Listed = rate(0.002, 0.005, 0.04, 0.15); e.Listed {
		e.ListedBoard = domain.Boards[g.board.pick(g.r)]
	}
	if since := aboveScaleSince(e.IndustryGroup, years); since > 0 && g.chance(0.95) {
		e.AboveScale = true
		if since == years[0].Year { // already 规上 before the figures on record start
			since = max(e.FoundedOn.Year(), since-g.r.IntN(5))
		}
		e.AboveScaleSince = since
	}
}

// aboveScaleSince is the first year of a run of 规上 years ending in the latest year
// (2000 万 of main revenue for industry, of revenue for the information services; 1000 万
// for other services), or 0 when the latest year is not 规上.
func aboveScaleSince(group domain.IndustryGroup, years []domain.YearFigures) int {
	since := 0
	for i := len(years) - 1; i >= 0; i-- {
		y := years[i]
		amount, bar := y.Revenue, domain.Wan(2000)
		switch group {
		case domain.GroupIndustrial:
			amount = y.MainRevenue
		case domain.GroupOther:
			bar = domain.Wan(1000)
		}
		if amount == nil || *amount < bar {
			break
		}
		since = y.Year
	}
	return since
}

// Random helpers.

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between picks a day in [lo, hi].
func (g *gen) between(lo, hi domain.Date) domain.Date {
	n := lo.DaysUntil(hi)
	if n <= 0 {
		return lo
	}
	return lo.AddDays(g.r.IntN(n + 1))
}

// uniform is a float in [lo, hi).
func (g *gen) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

func (g *gen) digits(n int) string { return g.chars("0123456789", n) }

func (g *gen) chars(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func pickOne[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// picker draws an index with probability proportional to its weight.
type picker struct{ cum []int }

func newPicker(weights []int) picker {
	p := picker{cum: make([]int, len(weights))}
	sum := 0
	for i, w := range weights {
		sum += w
		p.cum[i] = sum
	}
	return p
}

func (p picker) pick(r *rand.Rand) int {
	x := r.IntN(p.cum[len(p.cum)-1])
	for i, c := range p.cum {
		if x < c {
			return i
		}
	}
	return len(p.cum) - 1
}

func minDate(a, b domain.Date) domain.Date {
	if b.Before(a) {
		return b
	}
	return a
}
