package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestListingStageOrder(t *testing.T) {
	want := "candidate pool restructured tutoring filed review registered listed"
	var got []string
	for _, s := range ListingStages {
		got = append(got, string(s))
	}
	if strings.Join(got, " ") != want {
		t.Fatalf("stages = %v", got)
	}
	if StageCandidate.Next() != StagePool || StageRegistered.Next() != StageListed || StageListed.Next() != "" || StageWithdrawn.Next() != "" {
		t.Error("Next")
	}
	for s, in := range map[ListingStage]bool{StageCandidate: false, StagePool: true, StageRegistered: true, StageListed: false, StageWithdrawn: false} {
		if s.InPool() != in {
			t.Errorf("%s.InPool() = %v", s, !in)
		}
	}
	if !StageWithdrawn.Valid() || ListingStage("x").Valid() || ListingStage("").Valid() {
		t.Error("Valid")
	}
}

func TestCheckMove(t *testing.T) {
	cases := []struct {
		name     string
		from, to ListingStage
		reason   string
		kind     ListingEventKind
		field    string // the refused field; "" when allowed
	}{
		{"enter as candidate", "", StageCandidate, "", MoveEnter, ""},
		{"enter straight into pool", "", StagePool, "", MoveEnter, ""},
		{"enter further along needs a reason", "", StageTutoring, "", "", "reason"},
		{"enter further along with a reason", "", StageTutoring, "迁入本市，已在辅导期", MoveEnter, ""},
		{"forward one", StageCandidate, StagePool, "", MoveForward, ""},
		{"forward one, each stage", StageReview, StageRegistered, "", MoveForward, ""},
		{"forward to listed", StageRegistered, StageListed, "", MoveForward, ""},
		{"forward one with a reason is still forward", StagePool, StageRestructured, "完成", MoveForward, ""},
		{"skip without a reason", StagePool, StageTutoring, "", "", "reason"},
		{"skip with blank reason", StagePool, StageTutoring, "   ", "", "reason"},
		{"skip with a reason", StagePool, StageTutoring, "股改与辅导同步完成", MoveSkip, ""},
		{"back without a reason", StageFiled, StageTutoring, "", "", "reason"},
		{"back with a reason", StageFiled, StageTutoring, "撤回申报后重新辅导", MoveBack, ""},
		{"listed back to candidate for another board", StageListed, StageCandidate, "新三板挂牌后启动北交所上市", MoveBack, ""},
		{"same stage", StagePool, StagePool, "x", "", "to_stage"},
		{"unknown stage", StagePool, "ipo", "", "", "to_stage"},
		{"empty target", StagePool, "", "", "", "to_stage"},
		{"withdraw needs a reason", StageFiled, StageWithdrawn, "", "", "reason"},
		{"withdraw with a reason", StageFiled, StageWithdrawn, "主动撤回申报材料", MoveWithdraw, ""},
		{"withdraw from candidate", StageCandidate, StageWithdrawn, "企业无上市意愿", MoveWithdraw, ""},
		{"withdraw when not in pipeline", "", StageWithdrawn, "x", "", "to_stage"},
		{"withdraw after listing", StageListed, StageWithdrawn, "x", "", "to_stage"},
		{"withdraw twice", StageWithdrawn, StageWithdrawn, "x", "", "to_stage"},
		{"re-enter as candidate", StageWithdrawn, StageCandidate, "", MoveReenter, ""},
		{"re-enter into pool", StageWithdrawn, StagePool, "", MoveReenter, ""},
		{"re-enter further along needs a reason", StageWithdrawn, StageFiled, "", "", "reason"},
		{"re-enter further along with a reason", StageWithdrawn, StageFiled, "重新申报获受理", MoveReenter, ""},
		{"overlong reason", StagePool, StageTutoring, strings.Repeat("因", MaxReasonRunes+1), "", "reason"},
		{"longest reason", StagePool, StageTutoring, strings.Repeat("因", MaxReasonRunes), MoveSkip, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind, err := CheckMove(c.from, c.to, c.reason)
			if c.field == "" {
				if err != nil || kind != c.kind {
					t.Fatalf("CheckMove(%q→%q) = %q, %v; want %q", c.from, c.to, kind, err, c.kind)
				}
				return
			}
			var me *MoveError
			if !errors.As(err, &me) || me.Field != c.field || me.Message == "" {
				t.Fatalf("CheckMove(%q→%q) = %q, %v; want a refusal on %s", c.from, c.to, kind, err, c.field)
			}
		})
	}
}

func TestPoolEntryValidate(t *testing.T) {
	on := MustDate("2026-06-30")
	cases := []struct {
		name  string
		p     PoolEntry
		field string
	}{
		{"limited with plan", PoolEntry{AuditedYears: 2, CompanyForm: FormLimited, RestructureBy: MustDate("2027-06-30")}, ""},
		{"limited without plan", PoolEntry{AuditedYears: 2, CompanyForm: FormLimited}, "restructure_by"},
		{"limited, plan in the past", PoolEntry{CompanyForm: FormLimited, RestructureBy: MustDate("2026-06-29")}, "restructure_by"},
		{"joint stock needs no plan", PoolEntry{AuditedYears: 3, CompanyForm: FormJointStock}, ""},
		{"no form", PoolEntry{AuditedYears: 3}, "company_form"},
		{"negative years", PoolEntry{AuditedYears: -1, CompanyForm: FormJointStock}, "audited_years"},
		{"too many years", PoolEntry{AuditedYears: MaxAuditedYears + 1, CompanyForm: FormJointStock}, "audited_years"},
	}
	for _, c := range cases {
		fe := c.p.Validate(on)
		if c.field == "" && len(fe) > 0 || c.field != "" && fe[c.field] == "" {
			t.Errorf("%s: %v", c.name, fe)
		}
	}
}

func TestPoolFlag(t *testing.T) {
	today := MustDate("2026-06-30")
	entered := MustDate("2025-01-10")
	p := func(stage ListingStage, form CompanyForm, by Date, entered Date) ListingPipeline {
		return ListingPipeline{Stage: stage, PoolEntry: PoolEntry{PoolEnteredOn: entered, CompanyForm: form, RestructureBy: by}}
	}
	cases := []struct {
		name string
		p    ListingPipeline
		flag bool
	}{
		{"plan within 2 years", p(StagePool, FormLimited, MustDate("2026-12-31"), entered), false},
		{"plan exactly 2 years after entry", p(StagePool, FormLimited, MustDate("2027-01-10"), entered), false},
		{"plan a day past 2 years", p(StagePool, FormLimited, MustDate("2027-01-11"), entered), true},
		{"no plan", p(StagePool, FormLimited, Date{}, entered), true},
		{"entered 2 years ago today", p(StagePool, FormLimited, MustDate("2026-06-30"), MustDate("2024-06-30")), false},
		{"entered 2 years and a day ago", p(StagePool, FormLimited, MustDate("2026-01-01"), MustDate("2024-06-29")), true},
		{"joint stock", p(StagePool, FormJointStock, Date{}, entered), false},
		{"already restructured", p(StageRestructured, FormLimited, Date{}, entered), false},
	}
	for _, c := range cases {
		if got := PoolFlag(c.p, today); (got != "") != c.flag {
			t.Errorf("%s: flag %q, want flagged=%v", c.name, got, c.flag)
		}
	}
}

func wanP(w float64) *Money { m := Money(w * FenPerWan); return &m }
func cnt(n int64) *int64    { return &n }

// starYears builds three consecutive years 2023–2025 with the given revenue and R&D (万元).
func starYears(rev [3]float64, rd [3]float64) []YearFigures {
	var ys []YearFigures
	for i := range 3 {
		ys = append(ys, YearFigures{Year: 2023 + i, Revenue: wanP(rev[i]), RDExpense: wanP(rd[i]), Employees: cnt(100), RDStaff: cnt(10)})
	}
	return ys
}

func check(h BoardHint, key string) HintCheck {
	for _, c := range h.Checks {
		if c.Key == key {
			return c
		}
	}
	return HintCheck{}
}

func TestSTARHintRD(t *testing.T) {
	cases := []struct {
		name string
		ys   []YearFigures
		want HintStatus
	}{
		// 3 years of revenue 10000 万: 5% is 1500 万 in total.
		{"share exactly 5%", starYears([3]float64{10000, 10000, 10000}, [3]float64{500, 500, 500}), HintMet},
		{"share just under 5%", starYears([3]float64{10000, 10000, 10000}, [3]float64{500, 500, 499.99}), HintUnmet},
		// Large revenue: 8000 万 in total passes whatever the share.
		{"amount exactly 8000 万", starYears([3]float64{100000, 100000, 100000}, [3]float64{3000, 3000, 2000}), HintMet},
		{"amount just under 8000 万", starYears([3]float64{100000, 100000, 100000}, [3]float64{3000, 3000, 1999.99}), HintUnmet},
		{"two years only", starYears([3]float64{1, 1, 1}, [3]float64{1, 1, 1})[1:], HintMissing},
		{"a gap year", append(starYears([3]float64{1, 1, 1}, [3]float64{1, 1, 1})[:2], YearFigures{Year: 2026, Revenue: wanP(1), RDExpense: wanP(1)}), HintMissing},
		{"rd missing", func() []YearFigures {
			ys := starYears([3]float64{1, 1, 1}, [3]float64{1, 1, 1})
			ys[0].RDExpense = nil
			return ys
		}(), HintMissing},
	}
	for _, c := range cases {
		if got := check(STARHint(c.ys, nil), "rd"); got.Status != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Status, got.Value, c.want)
		}
	}
}

func TestSTARHintRDStaff(t *testing.T) {
	for _, c := range []struct {
		rd, emp int64
		want    HintStatus
	}{{10, 100, HintMet}, {9, 100, HintUnmet}, {100, 999, HintMet}, {99, 1000, HintUnmet}, {1, 0, HintMissing}} {
		ys := []YearFigures{{Year: 2024, RDStaff: cnt(0), Employees: cnt(1)}, {Year: 2025, RDStaff: cnt(c.rd), Employees: cnt(c.emp)}}
		if got := check(STARHint(ys, nil), "rd_staff"); got.Status != c.want {
			t.Errorf("%d/%d: %s, want %s (latest year counts)", c.rd, c.emp, got.Status, c.want)
		}
	}
	if got := check(STARHint(nil, nil), "rd_staff"); got.Status != HintMissing {
		t.Errorf("no years: %s", got.Status)
	}
}

func TestSTARHintPatents(t *testing.T) {
	for _, c := range []struct {
		n    *int64
		want HintStatus
	}{{cnt(7), HintMet}, {cnt(6), HintUnmet}, {cnt(30), HintMet}, {nil, HintMissing}} {
		got := check(STARHint(nil, &EnterpriseFacts{IPClass1: c.n}), "patents")
		if got.Status != c.want {
			t.Errorf("%v: %s, want %s", c.n, got.Status, c.want)
		}
		if !strings.Contains(got.Reference, "ip_class1") {
			t.Error("the stand-in for invention patents is not named")
		}
	}
	if got := check(STARHint(nil, nil), "patents"); got.Status != HintMissing {
		t.Errorf("no facts: %s", got.Status)
	}
}

func TestSTARHintRevenue(t *testing.T) {
	cases := []struct {
		name string
		rev  [3]float64
		want HintStatus
	}{
		{"CAGR exactly 25%", [3]float64{10000, 12500, 15625}, HintMet},
		{"CAGR just under 25%", [3]float64{10000, 12500, 15624.99}, HintUnmet},
		{"latest revenue exactly 3 亿", [3]float64{30000, 30000, 30000}, HintMet},
		{"latest revenue just under 3 亿, flat", [3]float64{29999.99, 29999.99, 29999.99}, HintUnmet},
		{"first year zero, small", [3]float64{0, 100, 200}, HintMissing},
	}
	for _, c := range cases {
		got := check(STARHint(starYears(c.rev, [3]float64{0, 0, 0}), nil), "revenue")
		if got.Status != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Status, got.Value, c.want)
		}
	}
	// The 3 亿 branch needs only the latest year.
	one := []YearFigures{{Year: 2025, Revenue: wanP(30000)}}
	if got := check(STARHint(one, nil), "revenue"); got.Status != HintMet {
		t.Errorf("one year of 3 亿: %s", got.Status)
	}
	if cagr, ok := RevenueCAGR(starYears([3]float64{10000, 12500, 15625}, [3]float64{})); !ok || cagr < 0.2499999 || cagr > 0.2500001 {
		t.Errorf("RevenueCAGR = %v, %v", cagr, ok)
	}
}

func TestSTARHintCombined(t *testing.T) {
	ys := starYears([3]float64{10000, 12500, 15625}, [3]float64{500, 625, 800})
	f := &EnterpriseFacts{IPClass1: cnt(8)}
	if h := STARHint(ys, f); h.Status != HintMet {
		t.Fatalf("all met: %s %+v", h.Status, h.Checks)
	}
	if h := STARHint(ys, &EnterpriseFacts{}); h.Status != HintMissing {
		t.Errorf("patents missing: %s", h.Status)
	}
	ys[2].RDStaff = cnt(1)
	if h := STARHint(ys, &EnterpriseFacts{}); h.Status != HintUnmet {
		t.Errorf("one unmet beats missing: %s", h.Status)
	}
}

func TestBSEHint(t *testing.T) {
	today := MustDate("2026-06-30")
	market := func(id int64, on string, b ListingBoard) ListingEvent {
		return ListingEvent{ID: id, Kind: MoveMarket, OnDate: MustDate(on), Board: b}
	}
	cases := []struct {
		name   string
		events []ListingEvent
		want   HintStatus
	}{
		{"never quoted", nil, HintUnmet},
		{"exactly 12 months", []ListingEvent{market(1, "2025-06-30", BoardNEEQInnovation)}, HintMet},
		{"a day short of 12 months", []ListingEvent{market(1, "2025-07-01", BoardNEEQInnovation)}, HintUnmet},
		{"basic tier only", []ListingEvent{market(1, "2020-01-01", BoardNEEQBasic)}, HintUnmet},
		{"basic then innovation recently", []ListingEvent{market(1, "2020-01-01", BoardNEEQBasic), market(2, "2026-01-01", BoardNEEQInnovation)}, HintUnmet},
		{"innovation, out, back in: the spell restarts", []ListingEvent{market(3, "2026-02-01", BoardNEEQInnovation), market(1, "2020-01-01", BoardNEEQInnovation), market(2, "2025-12-01", "")}, HintUnmet},
		{"stage moves do not break the spell", []ListingEvent{market(1, "2024-05-01", BoardNEEQInnovation), {ID: 2, Kind: MoveBack, ToStage: StageCandidate, OnDate: MustDate("2025-01-01")}}, HintMet},
		{"moved on to 北交所", []ListingEvent{market(1, "2023-01-01", BoardNEEQInnovation), market(2, "2026-01-01", BoardBSE)}, HintUnmet},
	}
	for _, c := range cases {
		if got := BSEHint(c.events, today); got.Status != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Status, got.Checks[0].Value, c.want)
		}
	}
}

func TestMonthsBetween(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"2025-01-31", "2025-02-28", 0}, {"2025-01-31", "2025-03-01", 1}, {"2025-06-30", "2026-06-30", 12}, {"2025-07-01", "2026-06-30", 11}, {"2026-07-01", "2026-06-30", 0}} {
		if got := MonthsBetween(MustDate(c.a), MustDate(c.b)); got != c.want {
			t.Errorf("MonthsBetween(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestComputeFunnel(t *testing.T) {
	asOf := MustDate("2026-06-30")
	mv := func(to ListingStage, on string) ListingEvent {
		return ListingEvent{Kind: MoveForward, ToStage: to, OnDate: MustDate(on)}
	}
	in := []FunnelInput{
		// candidate 10 days, pool 20 days, then restructured up to asOf (2026-03-01 → 121 days).
		{Stage: StageRestructured, Events: []ListingEvent{mv(StageCandidate, "2026-01-01"), mv(StagePool, "2026-01-11"), mv(StageRestructured, "2026-01-31"),
			{Kind: MoveMarket, Board: BoardNEEQBasic, OnDate: MustDate("2026-02-01")}}},
		// entered straight into pool 2026-06-20 (10 days so far).
		{Stage: StagePool, Events: []ListingEvent{mv(StagePool, "2026-06-20")}},
		// candidate 30 days, then withdrawn.
		{Stage: StageWithdrawn, Events: []ListingEvent{mv(StageCandidate, "2026-01-01"), mv(StageWithdrawn, "2026-01-31")}},
		// skipped from candidate to tutoring after 40 days.
		{Stage: StageTutoring, Events: []ListingEvent{mv(StageCandidate, "2026-01-01"), mv(StageTutoring, "2026-02-10")}},
	}
	f := ComputeFunnel(in, asOf)
	if f.InPipeline != 4 || f.Withdrawn != 1 || f.PoolCount != 3 || f.PoolTarget != 1000 {
		t.Fatalf("totals: %+v", f)
	}
	get := func(s ListingStage) FunnelStage { return f.Stages[s.Rank()] }
	if c := get(StageCandidate); c.Count != 0 || c.Reached != 4 || c.Spells != 3 || c.MedianDays != 30 {
		t.Errorf("candidate: %+v", c)
	}
	if p := get(StagePool); p.Count != 1 || p.Reached != 3 || p.Spells != 2 || p.MedianDays != 15 {
		t.Errorf("pool: %+v", p)
	}
	if r := get(StageRestructured); r.Count != 1 || r.Reached != 2 || r.MedianDays != 150 {
		t.Errorf("restructured: %+v", r)
	}
	if c := get(StageCandidate); !c.ToNext.OK || c.ToNext.Value != 0.75 {
		t.Errorf("candidate → pool conversion: %+v", c.ToNext)
	}
	if l := get(StageListed); l.Reached != 0 || l.ToNext.OK {
		t.Errorf("listed: %+v", l)
	}
	if got := ComputeFunnel(nil, asOf); got.InPipeline != 0 || got.Stages[0].ToNext.OK {
		t.Errorf("empty funnel: %+v", got)
	}
}
