package eligibility

import (
	"encoding/json"
	"strings"
	"testing"

	"zjtx/internal/domain"
)

func TestDefaultParameters(t *testing.T) {
	ps := DefaultParameters()
	if ps.At(domain.MustDate("2026-03-31")).RuleSet != RuleSet2022 || ps.At(domain.MustDate("2026-04-01")).RuleSet != RuleSet2026 {
		t.Error("rule set switch is not at 2026-04-01")
	}
	if ps.At(domain.MustDate("1950-01-01")).RuleSet != RuleSet2022 {
		t.Error("early dates use miit-2022")
	}
	list := ps.List()
	keys := map[string]Param{}
	for _, p := range list {
		keys[p.Key] = p
		if p.Description == "" || p.Clause == "" || len(p.Values) == 0 {
			t.Errorf("%s: description, clause and values are required", p.Key)
		}
	}
	for _, k := range []string{"ruleset", "inn.rd.bands", "sp2026.niche.min_years", "lg2022.zhuan.main_ratio_min",
		"sp2022.pts.rd.amount_bands", "lg2026.dev_score.min"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("parameter %s missing", k)
		}
	}
	if !keys["sp2026.niche.min_years"].SingleSource || !keys["lg2026.scale.cagr_min"].SingleSource {
		t.Error("miit-2026 numbers are marked single source")
	}
	if !keys["sp2022.pts.local.max"].Unconfirmed {
		t.Error("Shanghai's 特色化 indicators are marked unconfirmed")
	}
	if keys["sp2022.rd.ratio_min"].SingleSource {
		t.Error("miit-2022 numbers are not single source")
	}
	s := ps.At(domain.MustDate("2026-06-30"))
	if s.Sp26.NicheMinYears != 3 || s.Lg26.ScaleCAGRMin != 0.05 || s.Inn.RD.Edges[0] != 0.05 {
		t.Errorf("compiled values: %+v", s.Sp26)
	}
}

func TestOverridesAreDated(t *testing.T) {
	ps := DefaultParameters()
	ovs, err := LoadOverrides([]byte(`[
		{"key": "sp2026.niche.min_years", "effective_from": "2026-07-01", "value": 2},
		{"key": "inn.rd.bands", "effective_from": "2026-07-01", "value": {"ge": [[6, 20], [3, 15], [2, 10], [1, 5]], "else": 0}}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	ps2, err := ps.WithOverrides(ovs)
	if err != nil {
		t.Fatal(err)
	}
	before, after := domain.MustDate("2026-06-30"), domain.MustDate("2026-07-01")
	if ps2.At(before).Sp26.NicheMinYears != 3 || ps2.At(after).Sp26.NicheMinYears != 2 {
		t.Error("an override applies from its date only")
	}
	if ps2.Version(before) != ps.Version(before) {
		t.Error("values before the override keep their version")
	}
	if ps2.Version(after) == ps.Version(after) {
		t.Error("the override changes the version in force")
	}
	if ps.At(after).Sp26.NicheMinYears != 3 {
		t.Error("overrides must not change the default set")
	}
	// Replay: the same facts at the two dates.
	f := strong(t, RuleSet2026)
	setNicheDays(&f, 900) // 2.46 years
	f.AsOf = before
	wantStatus(t, crit(t, Evaluate(f, ps2), "sp", "sp.niche"), Fail)
	f.AsOf = after
	wantStatus(t, crit(t, Evaluate(f, ps2), "sp", "sp.niche"), Pass)

	p, _ := ps2.Lookup("sp2026.niche.min_years")
	if len(p.Values) != 2 || p.Values[1].Source != "override" || p.Values[0].Source != "default" {
		t.Errorf("values = %+v", p.Values)
	}

	for _, bad := range []string{
		`[{"key": "no.such.key", "effective_from": "2026-01-01", "value": 1}]`,
		`[{"key": "inn.rd.bands", "effective_from": "2026-01-01", "value": 5}]`,
		`[{"key": "sp2026.niche.min_years", "effective_from": "2026-01-01", "value": "three"}]`,
		`[{"key": "inn.debt.bands", "effective_from": "2026-01-01", "value": {"le": [[75, 5], [55, 10]]}}]`,
	} {
		ovs, err := LoadOverrides([]byte(bad))
		if err == nil {
			_, err = ps.WithOverrides(ovs)
		}
		if err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestRuleSetOverride(t *testing.T) {
	ps, err := DefaultParameters().WithOverrides([]Override{{Key: "ruleset", EffectiveFrom: domain.MustDate("2026-05-01"),
		Value: json.RawMessage(`"miit-2022"`)}})
	if err != nil {
		t.Fatal(err)
	}
	if ps.At(domain.MustDate("2026-04-15")).RuleSet != RuleSet2026 || ps.At(domain.MustDate("2026-05-01")).RuleSet != RuleSet2022 {
		t.Error("rule-set choice is dated data")
	}
}

func TestVerdictJSONShape(t *testing.T) {
	v := Evaluate(strong(t, RuleSet2026), nil)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"as_of", "rule_set", "size", "tiers", "next_tier"} {
		if _, ok := m[k]; !ok {
			t.Errorf("verdict lacks %s", k)
		}
	}
	tiers := m["tiers"].(map[string]any)
	inn := tiers["innovative"].(map[string]any)
	sp := tiers["specialized"].(map[string]any)
	if _, ok := inn["score"]; !ok {
		t.Error("innovative has a score")
	}
	if _, ok := sp["score"]; ok {
		t.Error("miit-2026 specialized has no points total")
	}
	c := inn["criteria"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "status", "value", "threshold", "clause", "message"} {
		if _, ok := c[k]; !ok {
			t.Errorf("criterion lacks %s", k)
		}
	}
	if m["next_tier"] != "little_giant" || m["as_of"] != "2026-06-30" {
		t.Errorf("next_tier %v as_of %v", m["next_tier"], m["as_of"])
	}
	// round trip
	var back Verdict
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Tiers.Innovative.Score != v.Tiers.Innovative.Score || back.Tiers.Innovative.Criteria[6].Value != v.Tiers.Innovative.Criteria[6].Value {
		t.Error("verdict JSON does not round-trip")
	}
	if !strings.Contains(string(b), `"status":"pass"`) {
		t.Error("statuses are pass/fail/missing strings")
	}
}
