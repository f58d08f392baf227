package benefits

import (
	"math/rand/v2"
	"testing"

	"zjtx/internal/domain"
)

// syntheticInputs builds n enterprises with a registry-like mix: most base or innovative, a
// tenth 专精特新, a few 小巨人, some 规上 with three years of figures.
func syntheticInputs(n int) []Input {
	r := rand.New(rand.NewPCG(1, 2))
	groups := domain.IndustryGroups
	sizes := domain.SizeClasses
	out := make([]Input, n)
	for i := range out {
		in := Input{EnterpriseID: int64(i + 1), Industry: groups[r.IntN(len(groups))], Size: sizes[r.IntN(len(sizes))], Tier: domain.TierBase}
		switch x := r.IntN(100); {
		case x < 2:
			in.Tier, in.TierValidUntil, in.LittleGiantSince = domain.TierLittleGiant, domain.NewDate(2026+r.IntN(3), 7, 1), domain.NewDate(2019+r.IntN(7), 7, 1)
		case x < 12:
			in.Tier, in.TierValidUntil = domain.TierSpecialized, domain.NewDate(2025+r.IntN(4), 5, 1)
		case x < 40:
			in.Tier, in.TierValidUntil = domain.TierInnovative, domain.NewDate(2025+r.IntN(4), 5, 1)
		}
		if r.IntN(3) == 0 {
			in.AboveScale, in.AboveScaleSince = true, 2018+r.IntN(9)
		}
		base := domain.Money(r.Int64N(50000)+1000) * domain.FenPerWan
		for y := 2023; y <= 2025; y++ {
			v := base
			in.Years = append(in.Years, domain.YearFigures{Year: y, OutputValue: &v, Revenue: &v})
			base = base * domain.Money(100+r.IntN(40)) / 100
		}
		if r.IntN(50) == 0 {
			in.Grants = []Grant{{BenefitID: B02First, Year: 2024, Status: GrantPaid, Amount: domain.Wan(50)}}
		}
		out[i] = in
	}
	return out
}

// BenchmarkMatchAll200k matches every benefit for 200,000 enterprises (the bulk path used by
// lists and `zjtx benefits`); the budget is 5 s.
func BenchmarkMatchAll200k(b *testing.B) {
	ins := syntheticInputs(200_000)
	asOf := EvalDate(2025, domain.Date{})
	s := DefaultParameters().At(asOf)
	buf := make([]Result, 0, len(catalogue))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		matched := 0
		for i := range ins {
			buf = s.Match(&ins[i], 2025, asOf, false, buf[:0])
			for j := range buf {
				if buf[j].Outcome == Matched {
					matched++
				}
			}
		}
		if matched == 0 {
			b.Fatal("nothing matched")
		}
	}
}

// BenchmarkMatchExplained is one enterprise with every condition explained (the enterprise page).
func BenchmarkMatchExplained(b *testing.B) {
	in := littleGiant()
	asOf := EvalDate(2025, domain.Date{})
	s := DefaultParameters().At(asOf)
	for b.Loop() {
		_ = s.Match(&in, 2025, asOf, true, nil)
	}
}

func TestMatchAll200kUnderBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	res := testing.Benchmark(BenchmarkMatchAll200k)
	if per := res.NsPerOp(); per > 5e9 {
		t.Fatalf("matching 200k enterprises took %.2fs, budget 5s", float64(per)/1e9)
	}
}
