package domain

import (
	"strings"
	"testing"
)

func TestRequestTransitions(t *testing.T) {
	for _, c := range []struct {
		from, to RequestStatus
		ok       bool
	}{
		{RequestDraft, RequestSubmitted, true}, {RequestDraft, RequestDraft, true}, {RequestReturned, RequestSubmitted, true},
		{RequestReturned, RequestDraft, true}, {RequestSubmitted, RequestApproved, true}, {RequestSubmitted, RequestPartial, true},
		{RequestSubmitted, RequestReturned, true}, {RequestSubmitted, RequestDraft, false}, {RequestApproved, RequestSubmitted, false},
		{RequestPartial, RequestDraft, false}, {RequestDraft, RequestApproved, false}, {RequestReturned, RequestApproved, false},
	} {
		if got := CanMoveRequest(c.from, c.to); got != c.ok {
			t.Errorf("%s → %s = %v, want %v", c.from, c.to, got, c.ok)
		}
	}
}

func TestFieldPolicy(t *testing.T) {
	p := DefaultFieldPolicy()
	for key, want := range map[string]bool{"contact_phone": true, "contact_person": true, "address": true, "name": false, "year.revenue": false, "main_product": false} {
		if p.Direct(key) != want {
			t.Errorf("default Direct(%s) = %v", key, !want)
		}
	}
	// A stored policy cannot make an eligibility field direct.
	p["niche_since"], p["year.revenue"], p["main_product"] = true, true, true
	if p.Direct("niche_since") || p.Direct("year.revenue") || !p.Direct("main_product") {
		t.Error("only direct-capable fields may be direct")
	}
}

func TestAnnualDeadline(t *testing.T) {
	for _, c := range []struct {
		cycle  int
		want   string
		single bool
	}{{2023, "2023-04-30", false}, {2025, "2025-04-30", false}, {2026, "2026-05-31", true}, {2027, "2027-05-31", true}} {
		d, rule := AnnualDeadlineFor(c.cycle)
		if d.String() != c.want || rule.SingleSource != c.single {
			t.Errorf("cycle %d: %s single=%v, want %s %v", c.cycle, d, rule.SingleSource, c.want, c.single)
		}
	}
	has := func(yes bool) func(int) bool { return func(int) bool { return yes } }
	a := AnnualUpdateStatus(TierSpecialized, has(false), MustDate("2026-05-31"))
	if !a.Owed || a.Year != 2025 || a.Overdue || a.Done {
		t.Errorf("on the deadline: %+v", a)
	}
	a = AnnualUpdateStatus(TierSpecialized, has(false), MustDate("2026-06-01"))
	if !a.Overdue || !strings.Contains(a.Text(), "逾期") {
		t.Errorf("after the deadline: %+v %s", a, a.Text())
	}
	if a := AnnualUpdateStatus(TierSpecialized, has(true), MustDate("2026-06-01")); a.Overdue || !a.Done {
		t.Errorf("done: %+v", a)
	}
	if a := AnnualUpdateStatus(TierBase, has(false), MustDate("2026-06-01")); a.Owed || a.Overdue {
		t.Errorf("base owes nothing: %+v", a)
	}
}

func TestDiffAndApply(t *testing.T) {
	rev, emp := Wan(1200), int64(80)
	base := Enterprise{Name: "甲", ContactPhone: "021-1"}
	prop := base
	prop.Name, prop.AboveScale = "乙", true
	y := YearFigures{Year: 2025, Revenue: &rev, Employees: &emp}
	items := DiffRequest(base, prop, []string{"name", "above_scale", "contact_phone"}, nil, &y)
	var got []string
	for _, it := range items {
		got = append(got, it.Field+"="+DisplayValue(it.Field, it.NewValue))
	}
	want := "name=乙 above_scale=是 year.employees=80 year.revenue=1200 万元"
	if strings.Join(got, " ") != want {
		t.Fatalf("diff = %v, want %s", got, want)
	}
	e, ny := base, YearFigures{Year: 2025}
	for _, it := range items {
		if err := ApplyItem(&e, &ny, it); err != nil {
			t.Fatal(err)
		}
	}
	if e.Name != "乙" || !e.AboveScale || *ny.Revenue != rev || *ny.Employees != 80 {
		t.Errorf("applied: %+v %+v", e, ny)
	}
	// A year on record: only changed figures, and a cleared one becomes nil.
	y2 := y
	y2.Employees = nil
	items = DiffRequest(base, base, nil, &y, &y2)
	if len(items) != 1 || items[0].Field != "year.employees" || items[0].NewValue != nil || *items[0].BaseValue != "80" {
		t.Errorf("correction diff = %+v", items)
	}
}

func TestCheckEvidence(t *testing.T) {
	pdf := []byte("%PDF-1.7\n...")
	png := []byte("\x89PNG\r\n\x1a\nxxxx")
	for _, c := range []struct {
		name string
		data []byte
		ok   bool
		msg  string
	}{
		{"证明.pdf", pdf, true, ""}, {"a.PNG", png, true, ""}, {"b.jpg", []byte("\xff\xd8\xff\xe0xx"), true, ""},
		{"fake.pdf", png, false, "不符"}, {"x.exe", []byte("MZ..."), false, "只接受"}, {"x.pdf", append([]byte("%PDF-"), make([]byte, MaxEvidenceBytes)...), false, "过大"},
		{"empty.pdf", nil, false, "选择"},
	} {
		ct, msg := CheckEvidence(c.name, c.data)
		if (msg == "") != c.ok || !strings.Contains(msg, c.msg) || c.ok && ct == "" {
			t.Errorf("%s: %q %q", c.name, ct, msg)
		}
	}
}
