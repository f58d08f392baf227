package eligibility

import (
	"errors"
	"strings"
	"testing"

	"zjtx/internal/domain"
)

const minimalDoc = `{"as_of": "2026-06-30", "uscc": "91310000631696382C", "industry_group": "industrial",
 "current_tier": "base", "years": [{"year": 2025, "revenue": 100}]}`

// with replaces the first occurrence of old in the minimal document.
func with(old, new string) string { return strings.Replace(minimalDoc, old, new, 1) }

func TestDecodeErrorsNameTheField(t *testing.T) {
	cases := []struct{ name, doc, path string }{
		{"unknown field", with(`"current_tier"`, `"bogus": true, "current_tier"`), "bogus"},
		{"unknown year field", with(`"revenue": 100`, `"revenue": 100, "turnover": 1`), "years[0].turnover"},
		{"unknown ip field", with(`"years"`, `"ip": {"class3": 1}, "years"`), "ip.class3"},
		{"wrong type number", with(`"revenue": 100`, `"revenue": "100"`), "years[0].revenue"},
		{"wrong type bool", with(`"years"`, `"renewal": "yes", "years"`), "renewal"},
		{"null is not a value", with(`"years"`, `"own_brand": null, "years"`), "own_brand"},
		{"integer", with(`"revenue": 100`, `"employees": 10.5`), "years[0].employees"},
		{"bad uscc check digit", with(`382C`, `382D`), "uscc"},
		{"uscc pattern", with(`91310000631696382C`, `9131000063169638`), "uscc"},
		{"uscc lower case", with(`91310115`, `91310115`)[:0] + strings.Replace(minimalDoc, "91310000631696382C", "91310115ma1k3btp2b", 1), "uscc"},
		{"bad enum", with(`"industrial"`, `"mining"`), "industry_group"},
		{"bad tier", with(`"base"`, `"giant"`), "current_tier"},
		{"bad honour", with(`"years"`, `"honours": ["high_tech", "famous"], "years"`), "honours[1]"},
		{"bad award level", with(`"years"`, `"awards": [{"level": "city", "year": 2024}], "years"`), "awards[0].level"},
		{"award year required", with(`"years"`, `"awards": [{"level": "national"}], "years"`), "awards[0].year"},
		{"missing required", with(`"as_of": "2026-06-30", `, ``), "as_of"},
		{"missing year", with(`{"year": 2025, `, `{`), "years[0].year"},
		{"minItems", with(`[{"year": 2025, "revenue": 100}]`, `[]`), "years"},
		{"minimum", with(`"revenue": 100`, `"revenue": -1`), "years[0].revenue"},
		{"maximum", with(`"years"`, `"digital_level": 5, "years"`), "digital_level"},
		{"percent maximum", with(`"years"`, `"market_share_domestic": 100.5, "years"`), "market_share_domestic"},
		{"local score maximum", with(`"years"`, `"local_score": 16, "years"`), "local_score"},
		{"date format", with(`"2026-06-30"`, `"2026/06/30"`), "as_of"},
		{"impossible date", with(`"years"`, `"niche_since": "2025-02-30", "years"`), "niche_since"},
		{"dev score value", with(`"years"`, `"dev_score": {"2026": "high"}, "years"`), "dev_score.2026"},
		{"duplicate year", with(`"revenue": 100}`, `"revenue": 100}, {"year": 2025}`), "years[1].year"},
		{"not an object", `42`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeFacts([]byte(c.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FieldError", err)
			}
			if fe.Path != c.path {
				t.Errorf("path %q, want %q (%v)", fe.Path, c.path, err)
			}
			if c.path != "" && !strings.Contains(err.Error(), c.path) {
				t.Errorf("message %q does not name %s", err, c.path)
			}
		})
	}
}

func TestDecodeArrayPaths(t *testing.T) {
	_, err := DecodeFacts([]byte("[" + minimalDoc + "," + with(`"revenue": 100`, `"revenue": true`) + "]"))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Path != "[1].years[0].revenue" {
		t.Fatalf("err = %v", err)
	}
	fs, err := DecodeFacts([]byte("[" + minimalDoc + "," + minimalDoc + "]"))
	if err != nil || len(fs) != 2 {
		t.Fatalf("array: %v %d", err, len(fs))
	}
	if fs, err := DecodeFacts([]byte("[]")); err != nil || len(fs) != 0 {
		t.Errorf("empty array: %v", err)
	}
}

func TestDecodeDefaultsAndAbsence(t *testing.T) {
	fs, err := DecodeFacts([]byte(minimalDoc))
	if err != nil {
		t.Fatal(err)
	}
	f := fs[0]
	if f.RegisteredInShanghai == nil || !*f.RegisteredInShanghai || !*f.IndependentLegalPerson {
		t.Error("registered_in_shanghai and independent_legal_person default to true")
	}
	for _, p := range []*bool{f.Renewal, f.AbnormalOperation, f.SeriousDishonesty, f.RestrictedIndustry,
		f.MajorIncident3Y, f.TaxViolation3Y, f.ControlledByLG, f.GroupSimilarLG} {
		if p == nil || *p {
			t.Error("adverse flags and renewal default to false")
		}
	}
	if f.IP != nil || f.Honours != nil || f.Awards != nil || f.StrategicEmerging != nil || f.Years[0].RDExpense != nil {
		t.Error("absent optional facts must stay absent")
	}
	if f.AsOf != domain.MustDate("2026-06-30") || f.Years[0].Revenue == nil || *f.Years[0].Revenue != 100 {
		t.Errorf("decoded %+v", f)
	}
	fs, err = DecodeFacts([]byte(with(`"years"`, `"honours": [], "registered_in_shanghai": false, "years"`)))
	if err != nil {
		t.Fatal(err)
	}
	if fs[0].Honours == nil || len(fs[0].Honours) != 0 || *fs[0].RegisteredInShanghai {
		t.Error("an empty list is not an absent one; explicit false is kept")
	}
}

// An organisation-code mismatch inside a USCC is only a warning (DOMAIN.md), not an error.
func TestDecodeOrgCodeMismatchAccepted(t *testing.T) {
	first17 := "91310000" + "12345678" + "0" // organisation-code check deliberately wrong
	code := first17 + string(domain.USCCCheckChar(first17))
	chk, err := domain.ParseUSCC(code)
	if err != nil || chk.Warning == "" {
		t.Fatalf("test code should parse with a warning: %v %+v", err, chk)
	}
	if _, err := DecodeFacts([]byte(with("91310000631696382C", code))); err != nil {
		t.Errorf("rejected: %v", err)
	}
}

func TestValidateGoFacts(t *testing.T) {
	f := Facts{AsOf: domain.MustDate("2026-06-30"), USCC: "91310000631696382C", IndustryGroup: domain.GroupOther,
		CurrentTier: domain.TierBase, Years: []Year{{Year: 2025, Employees: i64(20)}}}
	if err := Validate(f); err != nil {
		t.Fatalf("valid facts rejected: %v", err)
	}
	f.Years[0].Revenue = f64(-5)
	var fe *FieldError
	if err := Validate(f); !errors.As(err, &fe) || fe.Path != "years[0].revenue" {
		t.Errorf("err = %v", err)
	}
	f.Years[0].Revenue = nil
	f.ChainRole = "central"
	if err := Validate(f); !errors.As(err, &fe) || fe.Path != "chain_role" {
		t.Errorf("err = %v", err)
	}
	// Go-built facts with nil defaulted flags evaluate as the schema defaults.
	f.ChainRole = ""
	v := Evaluate(f, nil)
	if c, _ := v.Tiers.Innovative.Criterion("common.registered"); c.Status != Pass {
		t.Errorf("nil registered_in_shanghai should read as true: %+v", c)
	}
	if v.Size != "small" {
		t.Errorf("size = %s", v.Size)
	}
}
