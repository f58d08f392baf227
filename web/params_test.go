package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/tiers"
)

func TestParametersPage(t *testing.T) {
	a := newTestApp(t)
	r := a.get("/admin/parameters")
	wantStatus(t, r, http.StatusOK)
	total := len(eligibility.DefaultParameters().List())
	if n := r.doc.Find(`[data-testid="param-row"]`).Length(); n != total || total < 50 {
		t.Errorf("%d parameter rows, want all %d", n, total)
	}
	row := func(r response, key string) string {
		return r.doc.Find(`[data-testid="param-row"][data-key="` + key + `"]`).Text()
	}
	if got := row(r, "sp2026.niche.min_years"); !strings.Contains(got, "单一来源") || !strings.Contains(got, "2026-04-01") || !strings.Contains(got, "细分市场年限") {
		t.Errorf("sp2026.niche.min_years row = %q, want the 单一来源 mark, its date and description", got)
	}
	if got := row(r, "sp2022.pts.local.max"); !strings.Contains(got, "未经确认") || !strings.Contains(got, "沪经信规范") {
		t.Errorf("sp2022.pts.local.max row = %q, want the 未经确认 mark and its clause", got)
	}
	if got := row(r, "inn.score.total_min"); strings.Contains(got, "单一来源") || strings.Contains(got, "未经确认") || !strings.Contains(got, "现行") {
		t.Errorf("inn.score.total_min row = %q", got)
	}
	if !strings.Contains(r.doc.Find(`[data-testid="params-notice"]`).Text(), "params_version") {
		t.Error("the page should say that past decisions keep their parameter version")
	}

	r = a.get("/admin/parameters?prefix=sp2026.")
	wantStatus(t, r, http.StatusOK)
	r.doc.Find(`[data-testid="param-row"]`).Each(func(_ int, s *goquery.Selection) {
		if k, _ := s.Attr("data-key"); !strings.HasPrefix(k, "sp2026.") {
			t.Errorf("prefix sp2026. shows %s", k)
		}
	})
	if r.doc.Find(`[data-testid="param-row"]`).Length() == 0 {
		t.Error("prefix sp2026. shows nothing")
	}
	// Asking for one key offers its current value in the form.
	r = a.get("/admin/parameters?prefix=inn.score.total_min")
	if selected(r, "key") != "inn.score.total_min" || strings.TrimSpace(r.doc.Find(`textarea[name="value"]`).Text()) != "60" {
		t.Errorf("form for one key: key %q value %q", selected(r, "key"), r.doc.Find(`textarea[name="value"]`).Text())
	}
}

func TestParameterOverrideValidation(t *testing.T) {
	a := newTestApp(t)
	r := a.post("/admin/parameters", url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, f := range []string{"key", "effective_from", "value", "reason"} {
		if fieldError(r, f) == "" {
			t.Errorf("empty form: no error at %s", f)
		}
	}
	for _, tc := range []struct{ key, date, value, field, want string }{
		{"no.such.key", "2026-07-01", "3", "key", "没有这个参数"},
		{"inn.score.total_min", "2026-13-01", "3", "effective_from", ""},
		{"inn.score.total_min", "2026-07-01", "sixty", "value", "不是合法的 JSON"},
		{"inn.score.total_min", "2026-07-01", "[60]", "value", "number"},
		{"inn.rd.bands", "2026-07-01", `{"ge": [[3, 15], [5, 20]], "else": 0}`, "value", "从优到劣"},
		{"inn.field.points", "2026-07-01", `{"yes": 10}`, "value", "缺少 no"},
		{"ruleset", "2026-07-01", `miit-2030`, "value", "JSON"},
	} {
		form := url.Values{"key": {tc.key}, "effective_from": {tc.date}, "value": {tc.value}, "reason": {"测试"}}
		r := a.post("/admin/parameters", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := fieldError(r, tc.field); got == "" || !strings.Contains(got, tc.want) {
			t.Errorf("%s = %s: error at %s = %q, want %q", tc.key, tc.value, tc.field, got, tc.want)
		}
		if got := r.doc.Find(`textarea[name="value"]`).Text(); got != tc.value {
			t.Errorf("typed value not kept: %q", got)
		}
	}
	if ovs, _ := tiersOverrides(a); len(ovs) != 0 {
		t.Errorf("invalid overrides were stored: %+v", ovs)
	}
}

func tiersOverrides(a *testApp) ([]eligibility.Param, error) {
	ps, err := tiers.New(a.db).Parameters(context.Background())
	if err != nil {
		return nil, err
	}
	var out []eligibility.Param
	for _, p := range ps.List() {
		for _, v := range p.Values {
			if v.Source == "override" {
				out = append(out, p)
			}
		}
	}
	return out, nil
}

func TestParameterOverrideTakesEffectFromItsDate(t *testing.T) {
	a := newTestApp(t)
	svc := tiers.New(a.db)
	before, _ := svc.Parameters(context.Background())
	oldVersion := before.Version(domain.MustDate("2026-04-15"))

	r := a.post("/admin/parameters", url.Values{"key": {"inn.score.total_min"}, "effective_from": {"2026-05-01"},
		"value": {" 65 "}, "reason": {"依据市经信委2026年第X号通知"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = a.get(r.Header().Get("Location"))
	wantStatus(t, r, http.StatusOK)
	if flash := r.doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "自 2026-05-01 起") {
		t.Errorf("flash = %q", flash)
	}
	row := r.doc.Find(`[data-testid="param-row"][data-key="inn.score.total_min"]`).Text()
	if !strings.Contains(row, "2026-05-01") || !strings.Contains(row, "65") || !strings.Contains(row, "管理员覆盖") {
		t.Errorf("row after the override = %q", row)
	}
	if got := r.doc.Find(`[data-testid="override-row"]`).Text(); !strings.Contains(got, "市经信委") || !strings.Contains(got, "admin") {
		t.Errorf("override log = %q", got)
	}
	if !strings.Contains(a.get("/admin/audit").Body.String(), "修改规则参数 inn.score.total_min") {
		t.Error("override not audited")
	}

	after, err := svc.Parameters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after.Version(domain.MustDate("2026-04-15")) != oldVersion {
		t.Error("an override from 2026-05-01 changed the parameters in force on 2026-04-15")
	}
	if after.Version(domain.MustDate("2026-06-30")) == before.Version(domain.MustDate("2026-06-30")) {
		t.Error("the override did not change the parameters in force on 2026-06-30")
	}
	if got := after.At(domain.MustDate("2026-06-30")).Inn.ScoreMin; got != 65 {
		t.Errorf("inn score minimum from 2026-05-01 = %v", got)
	}
	if got := after.At(domain.MustDate("2026-04-30")).Inn.ScoreMin; got != 60 {
		t.Errorf("inn score minimum before 2026-05-01 = %v", got)
	}
}
