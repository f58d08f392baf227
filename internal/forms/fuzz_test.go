package forms

import (
	"net/url"
	"testing"

	"zjtx/internal/domain"
)

var fuzzToday = domain.MustDate("2026-06-15")

// FuzzEnterpriseForm: any submitted profile either re-renders with messages or yields an
// enterprise that is valid; it never panics.
func FuzzEnterpriseForm(f *testing.F) {
	f.Add("uscc=91310000631696382C&name=上海某某科技有限公司&district=310115&industry_group=industrial&founded_on=2015-03-01", "310115", "2015-03-01")
	f.Add("uscc=91310115MA1K3BTP2B&name=x&district=310101&industry_group=industrial&above_scale=on&above_scale_since=2020&version=3", "310101", "2026-02-30")
	f.Add("uscc=%27+OR+1%3D1+--&name=%3Cscript%3E&version=99999999999999999999", "0000", "0000-01-01")
	f.Add("uscc=\xff\xfe&name=\xc3\x28&contact_phone=-1", "", "9999-12-31")
	f.Fuzz(func(t *testing.T, raw, district, date string) {
		v, _ := url.ParseQuery(raw)
		if v == nil {
			v = url.Values{}
		}
		if district != "" {
			v.Set("district", district)
		}
		if date != "" {
			v.Set("niche_since", date)
		}
		form := EnterpriseFromValues(v)
		var e domain.Enterprise
		ok := form.Apply(&e, fuzzToday)
		if ok != (len(form.Errors) == 0) {
			t.Fatalf("ok=%v with errors %v", ok, form.Errors)
		}
		for field, msg := range form.Errors {
			if field == "" || len(msg) == 0 {
				t.Fatalf("empty error entry %q: %v", field, msg)
			}
		}
		if !ok {
			return
		}
		if _, err := domain.ParseUSCC(string(e.USCC)); err != nil {
			t.Fatalf("accepted invalid USCC %q", e.USCC)
		}
		if fe := e.Validate(fuzzToday); len(fe) > 0 {
			t.Fatalf("accepted enterprise fails Validate: %v", fe)
		}
		// Editing what was stored and saving it again changes nothing.
		again := EnterpriseFromDomain(e)
		var e2 domain.Enterprise
		if !again.Apply(&e2, fuzzToday) {
			t.Fatalf("stored enterprise does not re-validate: %v", again.Errors)
		}
	})
}

// FuzzYearForm: any submitted figures form either re-renders with messages or yields figures
// that round-trip through the edit form unchanged.
func FuzzYearForm(f *testing.F) {
	f.Add("year=2025&employees=120&rd_staff=15&revenue=12345.67&rd_expense=800&net_profit=-50.5&version=1", "12345.67")
	f.Add("year=2025&revenue=1e309&employees=99999999999999999999", "-1")
	f.Add("year=0000&revenue=1%2C234.5&employees=%EF%BC%91%EF%BC%92", "１２３")
	f.Add("year=%27+OR+1%3D1+--&revenue=%25_%5C", "\xff")
	f.Fuzz(func(t *testing.T, raw, revenue string) {
		v, _ := url.ParseQuery(raw)
		if v == nil {
			v = url.Values{}
		}
		if revenue != "" {
			v.Set("revenue", revenue)
		}
		form := YearFromValues(v)
		var y domain.YearFigures
		ok := form.Apply(&y, fuzzToday)
		if ok != (len(form.Errors) == 0) {
			t.Fatalf("ok=%v with errors %v", ok, form.Errors)
		}
		if !ok {
			return
		}
		if fe := y.Validate(fuzzToday); len(fe) > 0 {
			t.Fatalf("accepted figures fail Validate: %v", fe)
		}
		again := YearFromDomain(y)
		var y2 domain.YearFigures
		if !again.Apply(&y2, fuzzToday) {
			t.Fatalf("stored figures do not re-validate: %v", again.Errors)
		}
		if y2 != y {
			for _, fld := range domain.YearFields {
				if fld.Money {
					a, b := *y.MoneyField(fld.Key), *y2.MoneyField(fld.Key)
					if (a == nil) != (b == nil) || (a != nil && *a != *b) {
						t.Fatalf("%s changed on the edit round trip: %v → %v", fld.Key, a, b)
					}
				} else {
					a, b := *y.CountField(fld.Key), *y2.CountField(fld.Key)
					if (a == nil) != (b == nil) || (a != nil && *a != *b) {
						t.Fatalf("%s changed on the edit round trip: %v → %v", fld.Key, a, b)
					}
				}
			}
		}
	})
}

// FuzzFactsForm: the fact-sheet form never panics and reports errors by field.
func FuzzFactsForm(f *testing.F) {
	f.Add("version=1&ip_class1=3&digital_level=2&local_score=7.5&market_share_domestic=12&award_0_level=national&award_0_year=2024&dev_0_year=2025&dev_0_score=88")
	f.Add("digital_level=99999999999999999999&local_score=1e309&market_share_domestic=-1&award_0_year=0000")
	f.Add("registered_in_shanghai=maybe&rd_institution=%3Cscript%3E&quality=iso9001&quality=%27+OR+1%3D1&dev_0_score=NaN")
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw)
		if v == nil {
			v = url.Values{}
		}
		form := FactsFromValues(v)
		var x domain.EnterpriseFacts
		_, _, ok := form.Apply(&x, fuzzToday)
		if ok != (len(form.Errors) == 0) {
			t.Fatalf("ok=%v with errors %v", ok, form.Errors)
		}
	})
}
