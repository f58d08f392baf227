package domain

import (
	"strings"
	"testing"
)

func TestDemandTransitions(t *testing.T) {
	all := append([]DemandStatus{}, DemandStatuses...)
	allowed := map[[2]DemandStatus]bool{
		{DemandPending, DemandInProgress}: true, {DemandPending, DemandReturned}: true,
		{DemandInProgress, DemandClosed}: true, {DemandInProgress, DemandReturned}: true,
		{DemandReturned, DemandPending}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := CanMove(from, to); got != allowed[[2]DemandStatus{from, to}] {
				t.Errorf("CanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
	tests := []struct {
		name   string
		from   DemandStatus
		tr     Transition
		fields []string
	}{
		{"accept", DemandPending, Transition{To: DemandInProgress}, nil},
		{"close without resolution", DemandInProgress, Transition{To: DemandClosed, Satisfaction: Satisfied}, []string{"resolution"}},
		{"close with blank resolution", DemandInProgress, Transition{To: DemandClosed, Resolution: "  ", Satisfaction: Satisfied}, []string{"resolution"}},
		{"close without satisfaction", DemandInProgress, Transition{To: DemandClosed, Resolution: "已协调贷款"}, []string{"satisfaction"}},
		{"close", DemandInProgress, Transition{To: DemandClosed, Resolution: "已协调贷款", Satisfaction: FairlySatisfied}, nil},
		{"close from pending", DemandPending, Transition{To: DemandClosed, Resolution: "x", Satisfaction: Satisfied}, []string{"to"}},
		{"return without reason", DemandPending, Transition{To: DemandReturned}, []string{"reason"}},
		{"return", DemandInProgress, Transition{To: DemandReturned, Reason: "不属于受理范围"}, nil},
		{"reopen closed", DemandClosed, Transition{To: DemandInProgress}, []string{"to"}},
		{"resubmit returned", DemandReturned, Transition{To: DemandPending}, nil},
		{"unknown status", DemandPending, Transition{To: "done"}, []string{"to"}},
		{"same status", DemandInProgress, Transition{To: DemandInProgress}, []string{"to"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fe := CheckTransition(tc.from, &tc.tr)
			if len(fe) != len(tc.fields) {
				t.Fatalf("errors %v, want fields %v", fe, tc.fields)
			}
			for _, f := range tc.fields {
				if fe[f] == "" {
					t.Errorf("no message for %s: %v", f, fe)
				}
			}
		})
	}
}

func TestWorkingDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-06-29", 1, "2026-06-30"},  // Mon → Tue
		{"2026-07-03", 1, "2026-07-06"},  // Fri → Mon
		{"2026-07-04", 1, "2026-07-06"},  // Sat → Mon
		{"2026-06-29", 5, "2026-07-06"},  // a full week
		{"2026-06-30", 15, "2026-07-21"}, // three weeks
		{"2026-06-30", 0, "2026-06-30"},
	}
	for _, tc := range tests {
		if got := AddWorkingDays(MustDate(tc.from), tc.n); got.String() != tc.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
		if tc.n > 0 {
			if got := WorkingDaysBetween(MustDate(tc.from), MustDate(tc.want)); got != tc.n {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.from, tc.want, got, tc.n)
			}
		}
	}
	if got := DefaultDue(MustDate("2026-06-30"), DemandFinance); got.String() != "2026-07-21" {
		t.Errorf("finance due = %s", got)
	}
	if got := DefaultDue(MustDate("2026-06-30"), DemandPolicy); got.String() != "2026-07-14" {
		t.Errorf("policy due = %s", got)
	}
	for _, r := range DemandCategories {
		if r.WorkingDays <= 0 || r.Department == "" || r.Label == "" {
			t.Errorf("incomplete rule %+v", r)
		}
	}
	if len(DemandCategories) != 10 {
		t.Errorf("%d categories, want the 10 of DOMAIN.md", len(DemandCategories))
	}
}

func TestOverdueAndQuarter(t *testing.T) {
	today := MustDate("2026-06-30")
	if !Overdue(DemandInProgress, MustDate("2026-06-29"), today) || Overdue(DemandClosed, MustDate("2026-06-29"), today) ||
		Overdue(DemandPending, today, today) {
		t.Error("overdue wrong")
	}
	if QuarterStart(today).String() != "2026-04-01" || QuarterStart(MustDate("2026-01-01")).String() != "2026-01-01" ||
		QuarterStart(MustDate("2026-12-31")).String() != "2026-10-01" {
		t.Error("quarter start wrong")
	}
	if !NeedsSpecialist(TierSpecialized) || !NeedsSpecialist(TierLittleGiant) || NeedsSpecialist(TierInnovative) {
		t.Error("NeedsSpecialist wrong")
	}
}

func TestQuarters(t *testing.T) {
	for _, c := range []struct{ day, start, end, label string }{
		{"2026-01-01", "2026-01-01", "2026-03-31", "2026Q1"},
		{"2026-05-17", "2026-04-01", "2026-06-30", "2026Q2"},
		{"2024-08-31", "2024-07-01", "2024-09-30", "2024Q3"},
		{"2026-12-31", "2026-10-01", "2026-12-31", "2026Q4"},
	} {
		d := MustDate(c.day)
		if s, e, l := QuarterStart(d), QuarterEnd(d), QuarterLabel(d); s.String() != c.start || e.String() != c.end || l != c.label {
			t.Errorf("%s: %s..%s %s, want %s..%s %s", c.day, s, e, l, c.start, c.end, c.label)
		}
		if from, ok := ParseQuarter(strings.ToLower(c.label)); !ok || from.String() != c.start {
			t.Errorf("ParseQuarter(%q) = %s, %v", c.label, from, ok)
		}
	}
	for _, bad := range []string{"", "2026", "2026Q5", "2026Q0", "Q2", "1999Q1", "2026-Q2x"} {
		if _, ok := ParseQuarter(bad); ok {
			t.Errorf("ParseQuarter(%q) accepted", bad)
		}
	}
}
