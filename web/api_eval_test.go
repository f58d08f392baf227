package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

const apiFacts = `{
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

// postJSON sends body to the API as a script would from a logged-in browser session,
// with the session's CSRF token in X-CSRF-Token when withToken.
func (c *client) postJSON(path, body string, withToken bool) response {
	c.a.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if withToken {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	return c.do(req)
}

type apiErr struct {
	Error struct{ Code, Message, Field string }
}

func decodeJSON(t *testing.T, r response, v any) {
	t.Helper()
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want JSON; body %s", ct, truncate(r.Body.String(), 400))
	}
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, truncate(r.Body.String(), 400))
	}
}

type verdictJSON struct {
	AsOf     string `json:"as_of"`
	RuleSet  string `json:"rule_set"`
	NextTier string `json:"next_tier"`
	Tiers    map[string]struct {
		Eligible bool `json:"eligible"`
		Criteria []struct {
			ID        string `json:"id"`
			Status    string `json:"status"`
			Threshold any    `json:"threshold"`
		} `json:"criteria"`
	} `json:"tiers"`
}

func TestAPIEval(t *testing.T) {
	a := newTestApp(t)
	own := a.seed("91310115MA1K3BTP2B", "企业账号的企业", "310115")
	ent := a.as(a.user("qiye", domain.RoleEnterprise, "", &own.ID))

	// Any logged-in role may evaluate; an object gets an object back, like `zjtx eval`.
	r := ent.postJSON("/api/v1/eval", apiFacts, true)
	wantStatus(t, r, http.StatusOK)
	var v verdictJSON
	decodeJSON(t, r, &v)
	if v.AsOf != "2026-06-30" || v.RuleSet != "miit-2026" || v.NextTier != "innovative" || len(v.Tiers["innovative"].Criteria) == 0 {
		t.Errorf("verdict = %+v", v)
	}

	// An array gets an array, in order.
	r = a.postJSON("/api/v1/eval", "["+apiFacts+","+strings.Replace(apiFacts, "2026-06-30", "2025-06-30", 1)+"]", true)
	wantStatus(t, r, http.StatusOK)
	var vs []verdictJSON
	decodeJSON(t, r, &vs)
	if len(vs) != 2 || vs[0].RuleSet != "miit-2026" || vs[1].RuleSet != "miit-2022" {
		t.Errorf("array verdicts = %+v", vs)
	}

	// Malformed facts: 400 naming the field.
	for _, tc := range []struct{ body, field string }{
		{strings.Replace(apiFacts, `"revenue": 3000`, `"revenue": "3000"`, 1), "years[0].revenue"},
		{strings.Replace(apiFacts, `"current_tier": "base"`, `"current_tier": "giant"`, 1), "current_tier"},
		{"[" + apiFacts + `, {"as_of": "2026-01-01"}]`, "[1].uscc"},
		{`{"as_of": `, ""},
		{``, ""},
	} {
		r := a.postJSON("/api/v1/eval", tc.body, true)
		wantStatus(t, r, http.StatusBadRequest)
		var e apiErr
		decodeJSON(t, r, &e)
		if e.Error.Code != "invalid_facts" || e.Error.Field != tc.field || e.Error.Message == "" {
			t.Errorf("body %.40q: error = %+v, want invalid_facts at %q", tc.body, e.Error, tc.field)
		}
	}

	// More than 1 MB: 413, as JSON.
	big := `{"name": "` + strings.Repeat("x", 1<<20) + `"}`
	r = a.postJSON("/api/v1/eval", big, true)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	var e apiErr
	decodeJSON(t, r, &e)
	if e.Error.Code != "too_large" {
		t.Errorf("413 body = %+v", e)
	}
}

func TestAPIEvalUsesParameterOverrides(t *testing.T) {
	a := newTestApp(t)
	threshold := func() any {
		r := a.postJSON("/api/v1/eval", apiFacts, true)
		wantStatus(t, r, http.StatusOK)
		var v verdictJSON
		decodeJSON(t, r, &v)
		for _, c := range v.Tiers["innovative"].Criteria {
			if c.ID == "inn.score" {
				return c.Threshold
			}
		}
		t.Fatal("no inn.score criterion")
		return nil
	}
	if got := threshold(); got != 60.0 {
		t.Fatalf("default inn.score threshold = %v", got)
	}
	o := store.ParameterOverride{Key: "inn.score.total_min", EffectiveFrom: domain.MustDate("2026-05-01"), Value: "65", Reason: "测试"}
	if err := store.NewDecisions(a.db).AddOverride(context.Background(), store.System, &o); err != nil {
		t.Fatal(err)
	}
	if got := threshold(); got != 65.0 {
		t.Errorf("inn.score threshold after the override = %v, want 65", got)
	}
}

// The API is for logged-in sessions; a session's POST needs its CSRF token in X-CSRF-Token,
// and every refusal is JSON, never a redirect to the login page.
func TestAPIEvalAuthAndCSRF(t *testing.T) {
	a := newTestApp(t)
	r := a.postJSON("/api/v1/eval", apiFacts, false)
	wantStatus(t, r, http.StatusForbidden)
	var e apiErr
	decodeJSON(t, r, &e)
	if e.Error.Message == "" {
		t.Errorf("403 body = %s", r.Body.String())
	}
	wrong := *a.client
	wrong.csrf = "not-the-token"
	wantStatus(t, wrong.postJSON("/api/v1/eval", apiFacts, true), http.StatusForbidden)
	wantStatus(t, a.postJSON("/api/v1/eval", apiFacts, true), http.StatusOK)

	anon := a.anon()
	for _, withToken := range []bool{false, true} {
		anon.csrf = "guess"
		r := anon.postJSON("/api/v1/eval", apiFacts, withToken)
		if r.Code != http.StatusUnauthorized && r.Code != http.StatusForbidden {
			t.Errorf("anonymous POST: %d, want 401/403", r.Code)
		}
		if loc := r.Header().Get("Location"); loc != "" {
			t.Errorf("anonymous POST redirected to %s", loc)
		}
		decodeJSON(t, r, &e)
	}
	// GET is not a route of the API: JSON 405 / 404, not an HTML page.
	r = a.get("/api/v1/eval")
	if r.Code != http.StatusMethodNotAllowed && r.Code != http.StatusNotFound {
		t.Errorf("GET /api/v1/eval: %d", r.Code)
	}
	decodeJSON(t, r, &e)
}
