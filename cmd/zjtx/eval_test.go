package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const evalFacts = `{
  "as_of": "2026-06-30", "uscc": "91310000631696382C", "industry_group": "industrial",
  "current_tier": "base", "niche_since": "2018-03-01",
  "years": [
    {"year": 2024, "employees": 60, "revenue": 3000, "main_revenue": 2700, "rd_expense": 120,
     "total_assets": 4000, "total_liabilities": 1800},
    {"year": 2025, "employees": 64, "revenue": 3500, "main_revenue": 3200, "rd_expense": 180,
     "total_assets": 4200, "total_liabilities": 1900}
  ],
  "ip": {"class1": 2, "class1_self_developed": 2, "class1_high_value": 0, "class2": 1},
  "strategic_emerging": true
}`

func runEvalCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"eval"}, args...), env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" },
	})
	return out.String(), err
}

func TestEvalObject(t *testing.T) {
	out, err := runEvalCmd(t, evalFacts)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		AsOf     string `json:"as_of"`
		RuleSet  string `json:"rule_set"`
		Size     string `json:"size"`
		NextTier string `json:"next_tier"`
		Tiers    map[string]struct {
			Eligible bool     `json:"eligible"`
			Routes   []string `json:"routes"`
			Score    *float64 `json:"score"`
			Criteria []struct {
				ID, Status, Clause, Message string
			} `json:"criteria"`
		} `json:"tiers"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("output is not a verdict object: %v\n%s", err, out)
	}
	if v.AsOf != "2026-06-30" || v.RuleSet != "miit-2026" || v.Size != "small" || v.NextTier != "innovative" {
		t.Errorf("header = %+v", v)
	}
	inn := v.Tiers["innovative"]
	// ip 15 + rd 180/3500=5.14% 20; growth 3200/2700=18.5% 20 + debt 45% 10; field 10 + main 91% 20.
	if !inn.Eligible || inn.Score == nil || *inn.Score != 95 || len(inn.Routes) != 1 || inn.Routes[0] != "score" {
		t.Errorf("innovative = %+v", inn)
	}
	if v.Tiers["specialized"].Eligible || v.Tiers["little_giant"].Eligible {
		t.Error("a base enterprise cannot skip a rung")
	}
	if !strings.Contains(out, "\n  \"") {
		t.Error("output should be indented")
	}
}

func TestEvalArray(t *testing.T) {
	out, err := runEvalCmd(t, "["+evalFacts+","+strings.Replace(evalFacts, "2026-06-30", "2026-03-31", 1)+"]")
	if err != nil {
		t.Fatal(err)
	}
	var vs []struct {
		RuleSet string `json:"rule_set"`
	}
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("output is not an array: %v", err)
	}
	if len(vs) != 2 || vs[0].RuleSet != "miit-2026" || vs[1].RuleSet != "miit-2022" {
		t.Errorf("rule sets = %+v", vs)
	}
}

func TestEvalMalformed(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"unknown field", `{"bogus": 1,` + evalFacts[1:], "bogus"},
		{"wrong type", strings.Replace(evalFacts, `"revenue": 3000`, `"revenue": "3000"`, 1), "years[0].revenue"},
		{"bad check digit", strings.Replace(evalFacts, "91310000631696382C", "91310000631696382D", 1), "uscc"},
		{"bad enum", strings.Replace(evalFacts, `"industrial"`, `"mining"`, 1), "industry_group"},
		{"array element", "[" + evalFacts + `,{"as_of": "2026-01-01"}]`, "[1].uscc"},
		{"not json", "{", "JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := runEvalCmd(t, c.in)
			if err == nil {
				t.Fatalf("no error; output %s", out)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not name %q", err, c.want)
			}
			if out != "" {
				t.Errorf("wrote output on error: %s", out)
			}
		})
	}
}

func TestEvalParamsOverride(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ov.json")
	// Raise the innovative total to 96 from 2026-06-01: the same facts no longer pass by score.
	ov := `[{"key": "inn.score.total_min", "effective_from": "2026-06-01", "value": 96}]`
	if err := os.WriteFile(p, []byte(ov), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runEvalCmd(t, evalFacts, "--params", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"eligible": false`) || strings.Contains(out, `"routes": [`) {
		t.Errorf("override not applied:\n%.400s", out)
	}
	if _, err := runEvalCmd(t, evalFacts, "--params", filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing params file should be an error")
	}
}
