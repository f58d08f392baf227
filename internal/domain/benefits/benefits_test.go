package benefits

import (
	"encoding/json"
	"fmt"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
)

func d(s string) domain.Date { return domain.MustDate(s) }

func wan(s string) *domain.Money {
	m, err := domain.ParseWan(s)
	if err != nil {
		panic(err)
	}
	return &m
}

func yr(y int, output, revenue string) domain.YearFigures {
	f := domain.YearFigures{Year: y}
	if output != "" {
		f.OutputValue = wan(output)
	}
	if revenue != "" {
		f.Revenue = wan(revenue)
	}
	return f
}

// specialized is a valid 专精特新 industrial enterprise, 规上 since 2024, SME.
func specialized() Input {
	return Input{EnterpriseID: 1, Industry: domain.GroupIndustrial, Size: domain.SizeSmall, Tier: domain.TierSpecialized,
		TierValidUntil: d("2027-06-30"), AboveScale: true, AboveScaleSince: 2024}
}

func littleGiant() Input {
	in := specialized()
	in.Tier, in.TierValidUntil, in.LittleGiantSince = domain.TierLittleGiant, d("2026-07-01"), d("2023-07-01")
	in.Years = []domain.YearFigures{yr(2023, "10000", ""), yr(2024, "12000", ""), yr(2025, "14400", "")}
	return in
}

func one(t *testing.T, in Input, id string, year int) Result {
	t.Helper()
	asOf := EvalDate(year, domain.Date{})
	r, ok := DefaultParameters().At(asOf).MatchOne(&in, id, year, asOf, true)
	if !ok {
		t.Fatalf("unknown benefit %s", id)
	}
	return r
}

func cond(r Result, id string) (Condition, bool) {
	for _, c := range r.Conditions {
		if c.ID == id {
			return c, true
		}
	}
	return Condition{}, false
}

func TestDefaultParametersCompile(t *testing.T) {
	ps := DefaultParameters()
	for _, p := range ps.List() {
		if p.Description == "" || p.Clause == "" {
			t.Errorf("%s: description and clause required", p.Key)
		}
	}
	p, ok := ps.Lookup("benefit.B02.industry_groups")
	if !ok || !p.Unconfirmed {
		t.Errorf("B02 industry groups must be marked unconfirmed: %+v", p)
	}
	for _, r := range Rules() {
		if _, ok := ps.Lookup("benefit." + r.ID + ".effective_from"); !ok {
			t.Errorf("%s has no effective window", r.ID)
		}
	}
}

func TestB02FirstAboveScale(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Input)
		want  Outcome
		wantC string
	}{
		{"first 规上 in Y", func(in *Input) { in.AboveScaleSince = 2025 }, Matched, ""},
		{"first 规上 in Y−1", func(in *Input) { in.AboveScaleSince = 2024 }, NotMatched, "first_above_scale"},
		{"first 规上 in Y+1", func(in *Input) { in.AboveScaleSince = 2026 }, NotMatched, "first_above_scale"},
		{"not 规上", func(in *Input) { in.AboveScale, in.AboveScaleSince = false, 0 }, NotMatched, "first_above_scale"},
		{"规上, year unknown", func(in *Input) { in.AboveScaleSince = 0 }, Near, "first_above_scale"},
		{"software_it (unconfirmed, default included)", func(in *Input) { in.AboveScaleSince, in.Industry = 2025, domain.GroupSoftwareIT }, Matched, ""},
		{"information_transmission", func(in *Input) { in.AboveScaleSince, in.Industry = 2025, domain.GroupInfoTransmit }, Matched, ""},
		{"other services", func(in *Input) { in.AboveScaleSince, in.Industry = 2025, domain.GroupOther }, NotMatched, "industry"},
		{"no title needed", func(in *Input) { in.AboveScaleSince, in.Tier, in.TierValidUntil = 2025, domain.TierBase, domain.Date{} }, Matched, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := specialized()
			c.edit(&in)
			r := one(t, in, B02First, 2025)
			if r.Outcome != c.want {
				t.Fatalf("outcome %s, want %s: %+v", r.Outcome, c.want, r.Conditions)
			}
			if c.want == Matched && (!r.AmountKnown || r.Amount != domain.Wan(50)) {
				t.Errorf("amount %v known %v, want 50 万", r.Amount.FormatWan(), r.AmountKnown)
			}
			if c.wantC != "" {
				if x, ok := cond(r, c.wantC); !ok || x.Status == eligibility.Pass {
					t.Errorf("condition %s should be unmet: %+v", c.wantC, r.Conditions)
				}
			}
		})
	}
}

func TestB02Growth(t *testing.T) {
	cases := []struct {
		name     string
		y24, y25 domain.YearFigures
		since    int
		want     Outcome
		amount   int64
	}{
		{"9.99% below", yr(2024, "10000", ""), yr(2025, "10999", ""), 2024, Near, 0},
		{"10% exactly", yr(2024, "10000", ""), yr(2025, "11000", ""), 2024, Matched, 20},
		{"29.99%", yr(2024, "10000", ""), yr(2025, "12999", ""), 2024, Matched, 20},
		{"30% exactly", yr(2024, "10000", ""), yr(2025, "13000", ""), 2024, Matched, 40},
		{"60%", yr(2024, "10000", ""), yr(2025, "16000", ""), 2024, Matched, 40},
		{"decline", yr(2024, "10000", ""), yr(2025, "9000", ""), 2024, Near, 0},
		{"revenue when no output value", yr(2024, "", "3000"), yr(2025, "", "3300"), 2024, Matched, 20},
		{"output value preferred over revenue", yr(2024, "10000", "3000"), yr(2025, "10500", "6000"), 2024, Near, 0},
		{"missing Y figures", yr(2024, "10000", ""), yr(2023, "9000", ""), 2024, Near, 0},
		{"first 规上 in Y (not Y−1)", yr(2024, "10000", ""), yr(2025, "13000", ""), 2025, NotMatched, 0},
		{"first 规上 in Y−2", yr(2024, "10000", ""), yr(2025, "13000", ""), 2023, NotMatched, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := specialized()
			in.AboveScaleSince = c.since
			in.Years = []domain.YearFigures{c.y24, c.y25}
			if c.y25.Year < c.y24.Year {
				in.Years = []domain.YearFigures{c.y25, c.y24}
			}
			r := one(t, in, B02Growth, 2025)
			if r.Outcome != c.want {
				t.Fatalf("outcome %s, want %s: %+v", r.Outcome, c.want, r.Conditions)
			}
			if got := r.Amount; got != domain.Wan(c.amount) {
				t.Errorf("amount %s, want %d", got.FormatWan(), c.amount)
			}
		})
	}
}

func TestB03LittleGiantGrowth(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		name string
		edit func(*Input)
		want Outcome
		gap  string
	}{
		{"20% and 20%", func(in *Input) {}, Matched, ""},
		{"19.99% in Y", func(in *Input) { in.Years[2] = yr(2025, "14399.99", "") }, Near, "growth_2025"},
		{"19.99% in Y−1", func(in *Input) {
			in.Years[1] = yr(2024, "11999", "")
			in.Years[2] = yr(2025, "14398.8", "")
		}, Near, "growth_2024"},
		{"both below", func(in *Input) { in.Years[2] = yr(2025, "11000", ""); in.Years[1] = yr(2024, "10000", "") }, NotMatched, ""},
		{"revenue when no output value", func(in *Input) {
			in.Years = []domain.YearFigures{yr(2023, "", "5000"), yr(2024, "", "6000"), yr(2025, "", "7200")}
		}, Matched, ""},
		{"certified 2023-12-31", func(in *Input) { in.LittleGiantSince = d("2023-12-31") }, Matched, ""},
		{"certified 2024-01-01", func(in *Input) { in.LittleGiantSince = d("2024-01-01") }, NotMatched, "certified_by"},
		{"certification not on record", func(in *Input) { in.LittleGiantSince = domain.Date{} }, Near, "certified_by"},
		{"title valid on 2025-12-31", func(in *Input) { in.TierValidUntil = d("2025-12-31") }, Matched, ""},
		{"title expired 2025-12-30", func(in *Input) { in.TierValidUntil = d("2025-12-30") }, Near, "title"},
		{"specialized, not 小巨人", func(in *Input) { in.Tier = domain.TierSpecialized }, Near, "title"},
		{"innovative", func(in *Input) { in.Tier = domain.TierInnovative }, NotMatched, "title"},
		{"seriously dishonest", func(in *Input) { in.SeriousDishonesty = &yes }, NotMatched, "not_seriously_dishonest"},
		{"reported honest", func(in *Input) { in.SeriousDishonesty = &no }, Matched, ""},
		{"not 规上: no statistical reports", func(in *Input) { in.AboveScale, in.AboveScaleSince = false, 0 }, Near, "files_statistics"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := littleGiant()
			c.edit(&in)
			r := one(t, in, B03LittleGiant, 2025)
			if r.Outcome != c.want {
				t.Fatalf("outcome %s, want %s: %+v", r.Outcome, c.want, r.Conditions)
			}
			if c.want == Matched && r.Amount != domain.Wan(50) {
				t.Errorf("amount %s", r.Amount.FormatWan())
			}
			if c.gap != "" {
				if x, ok := cond(r, c.gap); !ok || x.Status == eligibility.Pass {
					t.Errorf("condition %s should be unmet: %+v", c.gap, r.Conditions)
				}
			}
		})
	}
}

func TestTitleBenefits(t *testing.T) {
	for _, id := range []string{B09TechUpgrade, B12Digital, B13CreditInterest, B13Guarantee, B19Services} {
		cases := []struct {
			name  string
			tier  domain.Tier
			valid string
			want  Outcome
		}{
			{"specialized valid", domain.TierSpecialized, "2025-12-31", Matched},
			{"little giant valid", domain.TierLittleGiant, "2026-03-01", Matched},
			{"no expiry recorded", domain.TierSpecialized, "", Matched},
			{"expired the day before", domain.TierSpecialized, "2025-12-30", Near},
			{"innovative", domain.TierInnovative, "2027-01-01", Near},
			{"base", domain.TierBase, "", NotMatched},
		}
		for _, c := range cases {
			t.Run(id+"/"+c.name, func(t *testing.T) {
				in := specialized()
				in.Tier, in.TierValidUntil = c.tier, domain.Date{}
				if c.valid != "" {
					in.TierValidUntil = d(c.valid)
				}
				r := one(t, in, id, 2025)
				if r.Outcome != c.want {
					t.Fatalf("outcome %s, want %s: %+v", r.Outcome, c.want, r.Conditions)
				}
				if r.AmountKnown {
					t.Errorf("a calculator benefit has no registry amount")
				}
			})
		}
	}
}

func TestDateWindows(t *testing.T) {
	ps := DefaultParameters()
	in := specialized()
	in.TierValidUntil = domain.Date{}
	cases := []struct {
		id   string
		asOf string
		want Outcome
	}{
		{B14Water, "2025-12-31", Matched},
		{B14Water, "2025-01-01", Matched},
		{B14Water, "2024-12-31", Inactive},
		{B14Water, "2026-01-01", Inactive},
		{B14Water, "2026-12-31", Inactive},
		{B10Procurement, "2025-04-03", Matched},
		{B10Procurement, "2025-04-02", Inactive},
		{B10Procurement, "2026-12-31", Matched},
		{B10Procurement, "2027-01-01", Inactive},
		{B12Digital, "2025-04-02", Inactive},
		{B12Digital, "2025-04-03", Matched},
		{B12Digital, "2030-06-01", Matched},
	}
	for _, c := range cases {
		t.Run(c.id+"@"+c.asOf, func(t *testing.T) {
			asOf := d(c.asOf)
			r, _ := ps.At(asOf).MatchOne(&in, c.id, asOf.Year(), asOf, true)
			if r.Outcome != c.want {
				t.Fatalf("outcome %s, want %s: %+v", r.Outcome, c.want, r.Conditions)
			}
		})
	}
	// Award years: B14 only for 2025, B10 up to 2026.
	for y, want := range map[int][2]Outcome{2024: {Inactive, Inactive}, 2025: {Matched, Matched}, 2026: {Inactive, Matched}, 2027: {Inactive, Inactive}} {
		asOf := EvalDate(y, d("2030-01-01"))
		rs := ps.At(asOf).Match(&in, y, asOf, false, nil)
		got := [2]Outcome{rs[ruleIndex(B14Water)].Outcome, rs[ruleIndex(B10Procurement)].Outcome}
		if got != want {
			t.Errorf("award year %d: B14, B10 = %v, want %v", y, got, want)
		}
	}
}

func TestB10SME(t *testing.T) {
	for _, c := range []struct {
		size domain.SizeClass
		want Outcome
	}{{domain.SizeMicro, Matched}, {domain.SizeMedium, Matched}, {domain.SizeLarge, NotMatched}, {domain.SizeUnknown, Near}} {
		in := specialized()
		in.Size, in.Tier = c.size, domain.TierBase
		if r := one(t, in, B10Procurement, 2025); r.Outcome != c.want {
			t.Errorf("%q: %s, want %s", c.size, r.Outcome, c.want)
		}
	}
}

func TestOneOffNotMatchedTwice(t *testing.T) {
	in := specialized()
	in.AboveScaleSince = 2025
	in.Grants = []Grant{{BenefitID: B02First, Year: 2025, Status: GrantPaid, Amount: domain.Wan(50)}}
	r := one(t, in, B02First, 2025)
	if r.Outcome != Matched || r.Grant == nil || r.Grant.Status != GrantPaid {
		t.Fatalf("the year it was granted stays matched with its grant: %+v", r)
	}
	// Granted for 2025: not offered again for 2026, even if the data said so.
	in.AboveScaleSince = 2026
	r = one(t, in, B02First, 2026)
	if r.Outcome != NotMatched {
		t.Fatalf("one-off offered again: %s %+v", r.Outcome, r.Conditions)
	}
	if c, _ := cond(r, "not_granted_before"); c.Status != eligibility.Fail {
		t.Errorf("reason should name the earlier grant: %+v", c)
	}
	// B03 granted (confirmed) in 2025 is not matched for 2026.
	lg := littleGiant()
	lg.TierValidUntil = d("2027-07-01")
	lg.Years = append(lg.Years, yr(2026, "17280", ""))
	if r := one(t, lg, B03LittleGiant, 2026); r.Outcome != Matched {
		t.Fatalf("baseline: %s %+v", r.Outcome, r.Conditions)
	}
	lg.Grants = []Grant{{BenefitID: B03LittleGiant, Year: 2025, Status: GrantConfirmed, Amount: domain.Wan(50)}}
	if r := one(t, lg, B03LittleGiant, 2026); r.Outcome != NotMatched {
		t.Fatalf("B03 offered twice: %s", r.Outcome)
	}
	// Not one-off: B12 granted last year is matched again.
	s := specialized()
	s.Grants = []Grant{{BenefitID: B12Digital, Year: 2025, Status: GrantPaid, Amount: domain.Wan(3)}}
	if r := one(t, s, B12Digital, 2026); r.Outcome != Matched {
		t.Fatalf("B12 is not one-off: %s", r.Outcome)
	}
}

func TestCalculators(t *testing.T) {
	s := DefaultParameters().At(d("2025-12-31"))
	cases := []struct {
		in      CalcInput
		support string
		capped  bool
		determ  bool
	}{
		{CalcInput{BenefitID: B09TechUpgrade, Amount: *wan("50000"), Special: true}, "5000", false, true},
		{CalcInput{BenefitID: B09TechUpgrade, Amount: *wan("100000"), Special: true}, "10000", false, true},
		{CalcInput{BenefitID: B09TechUpgrade, Amount: *wan("100000.01"), Special: true}, "10000", true, true},
		{CalcInput{BenefitID: B09TechUpgrade, Amount: *wan("300000"), Special: true}, "10000", true, true},
		{CalcInput{BenefitID: B09TechUpgrade, Amount: *wan("300000")}, "0", false, false},
		{CalcInput{BenefitID: B12Digital, Amount: *wan("100")}, "30", false, true},
		{CalcInput{BenefitID: B12Digital, Amount: *wan("0.000033")}, "0.000009", false, true},
		{CalcInput{BenefitID: B19Services, Amount: *wan("333.333333")}, "99.999999", false, true},
		{CalcInput{BenefitID: B13CreditInterest, Amount: *wan("12.5")}, "3.75", false, true},
		{CalcInput{BenefitID: B13Guarantee, Amount: *wan("3000")}, "3000", false, true},
		{CalcInput{BenefitID: B13Guarantee, Amount: *wan("3000.01")}, "3000", true, true},
		{CalcInput{BenefitID: B13Guarantee, Amount: *wan("2000"), Existing: *wan("1500")}, "1500", true, true},
		{CalcInput{BenefitID: B13Guarantee, Amount: *wan("500"), Existing: *wan("3500")}, "0", true, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%s", c.in.BenefitID, c.in.Amount.FormatWan()), func(t *testing.T) {
			r, fe := s.Calculate(c.in)
			if len(fe) > 0 {
				t.Fatal(fe)
			}
			if r.Support.FormatWan() != c.support || r.Capped != c.capped || r.Determined != c.determ {
				t.Errorf("support %s capped %v determined %v, want %s %v %v (%v)", r.Support.FormatWan(), r.Capped, r.Determined, c.support, c.capped, c.determ, r.Steps)
			}
		})
	}
	if _, fe := s.Calculate(CalcInput{BenefitID: B12Digital}); fe["amount"] == "" {
		t.Error("zero contract accepted")
	}
	if _, fe := s.Calculate(CalcInput{BenefitID: B02First, Amount: 1}); fe["benefit"] == "" {
		t.Error("B02 has no calculator")
	}
}

func TestOverrides(t *testing.T) {
	ps, err := DefaultParameters().WithOverrides([]Override{
		{Key: "benefit.B02.industry_groups", EffectiveFrom: d("2026-01-01"), Value: json.RawMessage(`["industrial"]`)},
		{Key: "benefit.B14-water.effective_to", EffectiveFrom: d("2025-01-01"), Value: json.RawMessage(`"2026-12-31"`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	in := specialized()
	in.Industry, in.AboveScaleSince = domain.GroupSoftwareIT, 2025
	if r := Match(&in, 2025, d("2025-12-31"), ps)[ruleIndex(B02First)]; r.Outcome != Matched {
		t.Errorf("2025 keeps the old value: %s", r.Outcome)
	}
	in.AboveScaleSince = 2026
	if r := Match(&in, 2026, d("2026-12-31"), ps)[ruleIndex(B02First)]; r.Outcome != NotMatched {
		t.Errorf("2026 takes the override: %s", r.Outcome)
	}
	if r := Match(&in, 2026, d("2026-12-31"), ps)[ruleIndex(B14Water)]; r.Outcome != Matched {
		t.Errorf("extended window: %s", r.Outcome)
	}
	for _, bad := range []Override{
		{Key: "benefit.nope", EffectiveFrom: d("2026-01-01"), Value: json.RawMessage(`1`)},
		{Key: "benefit.B12-digital.rate", EffectiveFrom: d("2026-01-01"), Value: json.RawMessage(`"x"`)},
		{Key: "benefit.B12-digital.rate", EffectiveFrom: d("2026-01-01"), Value: json.RawMessage(`-1`)},
		{Key: "benefit.B02.industry_groups", EffectiveFrom: d("2026-01-01"), Value: json.RawMessage(`["mining"]`)},
		{Key: "benefit.B14-water.effective_to", EffectiveFrom: d("2026-01-01"), Value: json.RawMessage(`"2024-01-01"`)},
	} {
		if _, err := DefaultParameters().WithOverrides([]Override{bad}); err == nil {
			t.Errorf("override %s %s accepted", bad.Key, bad.Value)
		}
	}
}

func TestExplanations(t *testing.T) {
	in := littleGiant()
	r := one(t, in, B03LittleGiant, 2025)
	for _, c := range r.Conditions {
		if c.Message == "" || c.Label == "" {
			t.Errorf("condition %s not explained", c.ID)
		}
	}
	c, _ := cond(r, "growth_2025")
	if c.Value != "20%" || c.Message != "2025 年产值 14400 万元，2024 年 12000 万元，增速 20%，达到 20%" {
		t.Errorf("growth explanation: %+v", c)
	}
	// The bulk path keeps no conditions but the same outcome and amount.
	asOf := EvalDate(2025, domain.Date{})
	fast, _ := DefaultParameters().At(asOf).MatchOne(&in, B03LittleGiant, 2025, asOf, false)
	if fast.Outcome != r.Outcome || fast.Amount != r.Amount || fast.Conditions != nil {
		t.Errorf("fast path differs: %+v", fast)
	}
}

func TestEvalDate(t *testing.T) {
	if got := EvalDate(2025, d("2026-11-28")); got != d("2025-12-31") {
		t.Error(got)
	}
	if got := EvalDate(2026, d("2026-11-28")); got != d("2026-11-28") {
		t.Error(got)
	}
}
