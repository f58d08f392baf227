package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
	"zjtx/internal/tiers"
)

// selected returns the value of the selected option of a select (the first option when none is).
func selected(r response, name string) string {
	sel := r.doc.Find(`select[name="` + name + `"]`)
	opt := sel.Find("option[selected]")
	if opt.Length() == 0 {
		opt = sel.Find("option").First()
	}
	v, _ := opt.Attr("value")
	return v
}

func validFacts() url.Values {
	return url.Values{
		"version":                  {"0"},
		"registered_in_shanghai":   {"yes"},
		"abnormal_operation":       {"no"},
		"ip_class1":                {"3"},
		"ip_class1_in_use":         {"２"}, // full-width digits are accepted
		"rd_institution":           {"provincial"},
		"chain_role":               {"key_link"},
		"digital_level":            {"3"},
		"local_score":              {"12.5"},
		"market_share_domestic":    {"12%"},
		"market_rank_domestic":     {"2"},
		"market_position_attested": {"yes"},
		"quality_reported":         {"on"},
		"quality":                  {"iso9001", "own_brand"},
		"award_0_level":            {"provincial"}, "award_0_rank": {"1"}, "award_0_year": {"2025"}, "award_0_name": {"上海市科技进步奖"},
		"award_1_level": {""}, "award_1_rank": {""}, "award_1_year": {""}, "award_1_name": {""},
		"dev_0_year": {"2026"}, "dev_0_score": {"61.5"},
		"dev_1_year": {"2025"}, "dev_1_score": {""},
	}
}

func TestFactSheetForm(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "事实表企业", "310115")
	path := fmt.Sprintf("/enterprises/%d/facts", e.ID)

	r := a.get(path)
	wantStatus(t, r, http.StatusOK)
	if inputValue(r, "version") != "0" || selected(r, "strategic_emerging") != "" || r.doc.Find(`[data-testid="facts-never-saved"]`).Length() != 1 {
		t.Errorf("a fresh sheet should show every fact as 未填报 with version 0")
	}
	body := r.Body.String()
	for _, want := range []string{"未填报", "sp.ip / lg.ip / lg.xin", "已填报质量信息", "已填报科技奖励（无则勾选且不填行）", "sp.dev_score / lg.dev_score"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if n := r.doc.Find(`[data-testid="award-row"]`).Length(); n < 3 {
		t.Errorf("%d award rows, want at least 3 to fill in", n)
	}
	for i, y := range []string{"2026", "2025", "2024"} {
		if got := inputValue(r, fmt.Sprintf("dev_%d_year", i)); got != y {
			t.Errorf("dev score row %d year = %q, want %s", i, got, y)
		}
	}

	r = a.post(path, validFacts())
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != fmt.Sprintf("/enterprises/%d", e.ID) {
		t.Errorf("redirect to %s", loc)
	}
	sheet, err := store.NewFacts(a.db).Get(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	x := sheet.Facts
	switch {
	case x.RegisteredInShanghai == nil || !*x.RegisteredInShanghai,
		x.AbnormalOperation == nil || *x.AbnormalOperation,
		x.StrategicEmerging != nil, // 未填报 stays nil, not false
		x.IPClass1 == nil || *x.IPClass1 != 3, x.IPClass1InUse == nil || *x.IPClass1InUse != 2, x.IPClass2 != nil,
		x.RDInstitution == nil || *x.RDInstitution != "provincial", x.ChainRole == nil || *x.ChainRole != "key_link",
		x.DigitalLevel == nil || *x.DigitalLevel != 3, x.LocalScore == nil || *x.LocalScore != 12.5,
		x.MarketShareDomestic == nil || *x.MarketShareDomestic != 12, x.MarketShareInternational != nil,
		x.Quality == nil || *x.Quality != "iso9001,own_brand", !x.AwardsReported, x.Version != 1:
		t.Errorf("stored facts = %+v", x)
	}
	if len(sheet.Awards) != 1 || sheet.Awards[0].Level != "provincial" || sheet.Awards[0].Rank == nil || *sheet.Awards[0].Rank != 1 ||
		sheet.Awards[0].Year != 2025 || sheet.Awards[0].Name != "上海市科技进步奖" {
		t.Errorf("awards = %+v", sheet.Awards)
	}
	if len(sheet.DevScores) != 1 || sheet.DevScores[0].Year != 2026 || sheet.DevScores[0].Score != 61.5 {
		t.Errorf("dev scores = %+v (a year without a score is not recorded)", sheet.DevScores)
	}
	audit := a.get(fmt.Sprintf("/admin/audit?enterprise=%d", e.ID)).Body.String()
	if !strings.Contains(audit, "修改资格评估资料") {
		t.Error("the save is not in the audit log")
	}

	// The form shows what is stored, with blank rows to add more.
	r = a.get(path)
	wantStatus(t, r, http.StatusOK)
	if inputValue(r, "version") != "1" || selected(r, "registered_in_shanghai") != "yes" || selected(r, "abnormal_operation") != "no" ||
		selected(r, "strategic_emerging") != "" || inputValue(r, "ip_class1_in_use") != "2" || selected(r, "digital_level") != "3" ||
		selected(r, "award_0_level") != "provincial" || inputValue(r, "award_0_name") != "上海市科技进步奖" || inputValue(r, "dev_0_score") != "61.5" {
		t.Errorf("edit form does not show the stored sheet")
	}
	if r.doc.Find(`input[name="quality"][value="iso9001"][checked]`).Length() != 1 || r.doc.Find(`input[name="quality_reported"][checked]`).Length() != 1 {
		t.Error("quality not shown as reported")
	}
	if r.doc.Find(`[data-testid="award-row"]`).Length() != 3 {
		t.Errorf("award rows = %d, want the stored one and two blank", r.doc.Find(`[data-testid="award-row"]`).Length())
	}

	// "Not reported" must reach the rules as missing; "no" as an answer.
	assess := func() eligibility.Criterion {
		t.Helper()
		as, err := tiers.New(a.db).Assess(context.Background(), all, e.ID, domain.MustDate("2026-06-30"), false)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := as.Verdict.Tiers.Innovative.Criterion("inn.field")
		if !ok {
			t.Fatal("no inn.field criterion")
		}
		return c
	}
	if c := assess(); c.Status != eligibility.Missing {
		t.Errorf("strategic_emerging 未填报: inn.field = %v, want missing", c.Status)
	}
	form := validFacts()
	form.Set("version", "1")
	form.Set("strategic_emerging", "no")
	form.Del("quality_reported")
	form.Del("quality")
	form.Set("awards_reported", "on")
	form.Set("award_0_level", "")
	form.Set("award_0_rank", "")
	form.Set("award_0_year", "")
	form.Set("award_0_name", "")
	wantStatus(t, a.post(path, form), http.StatusSeeOther)
	if c := assess(); c.Status == eligibility.Missing {
		t.Errorf("strategic_emerging 否: inn.field still missing")
	}
	sheet, _ = store.NewFacts(a.db).Get(context.Background(), e.ID)
	if sheet.Facts.Quality != nil || !sheet.Facts.AwardsReported || len(sheet.Awards) != 0 {
		t.Errorf("quality unticked should be unreported, awards flag with no rows should be 'none': %+v %+v", sheet.Facts, sheet.Awards)
	}
}

func TestFactSheetValidation(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "事实表企业", "310115")
	path := fmt.Sprintf("/enterprises/%d/facts", e.ID)
	form := validFacts()
	bad := map[string]string{
		"registered_in_shanghai":     "maybe",
		"ip_class1":                  "-1",
		"ip_class2":                  "1.5",
		"chuangke_rank":              "0",
		"digital_level":              "5",
		"local_score":                "16",
		"market_share_domestic":      "101",
		"market_share_international": "abc",
		"rd_institution":             "galactic",
		"award_0_year":               "1800",
		"award_0_rank":               "0",
		"award_1_year":               "2025", // a row with a year but no level
		"dev_0_score":                "120",
		"dev_1_year":                 "2026",
		"dev_1_score":                "55",
	}
	for k, v := range bad {
		form.Set(k, v)
	}
	r := a.post(path, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for field, want := range map[string]string{
		"registered_in_shanghai":     "请选择",
		"ip_class1":                  "不小于 0 的整数",
		"ip_class2":                  "整数",
		"chuangke_rank":              "不小于 1",
		"digital_level":              "1–4 级",
		"local_score":                "0–15 分",
		"market_share_domestic":      "0–100",
		"market_share_international": "0–100",
		"rd_institution":             "请从列表中选择",
		"award_0_year":               "年份应在",
		"award_0_rank":               "不小于 1",
		"award_1_level":              "请选择奖励级别",
		"dev_0_score":                "0–100 分",
		"dev_1_year":                 "重复",
	} {
		if got := fieldError(r, field); !strings.Contains(got, want) {
			t.Errorf("%s: error %q, want it to say %q", field, got, want)
		}
	}
	if inputValue(r, "ip_class1") != "-1" || inputValue(r, "local_score") != "16" || inputValue(r, "award_0_year") != "1800" || selected(r, "digital_level") != "5" {
		t.Error("the form should keep what was typed")
	}
	if r.doc.Find(`[data-testid="error-summary"]`).Length() != 1 {
		t.Error("no error summary")
	}
	if sheet, _ := store.NewFacts(a.db).Get(context.Background(), e.ID); sheet.Facts.EnterpriseID != 0 {
		t.Error("an invalid form was saved")
	}

	form = validFacts()
	form.Del("version")
	r = a.post(path, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "version") == "" {
		t.Error("a form without its version should be refused")
	}
}

func TestFactSheetStaleSave(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "事实表企业", "310115")
	path := fmt.Sprintf("/enterprises/%d/facts", e.ID)
	wantStatus(t, a.post(path, validFacts()), http.StatusSeeOther) // version 0 → 1
	// A second editor still holding the never-saved form (version 0):
	form := validFacts()
	form.Set("ip_class1", "9")
	r := a.post(path, form)
	wantStatus(t, r, http.StatusConflict)
	if !strings.Contains(fieldError(r, "version"), "已被他人修改") || inputValue(r, "ip_class1") != "9" {
		t.Errorf("409 should explain and keep the typed values: %q", fieldError(r, "version"))
	}
	sheet, _ := store.NewFacts(a.db).Get(context.Background(), e.ID)
	if *sheet.Facts.IPClass1 != 3 || sheet.Facts.Version != 1 {
		t.Errorf("a stale save changed the sheet: %+v", sheet.Facts)
	}
}

func TestFactSheetScope(t *testing.T) {
	w := newWorld(t)
	own, other := fmt.Sprintf("/enterprises/%d/facts", w.own.ID), fmt.Sprintf("/enterprises/%d/facts", w.other.ID)
	d := w.clients[domain.RoleDistrict]
	wantStatus(t, d.get(own), http.StatusOK)
	wantStatus(t, d.get(other), http.StatusNotFound)
	wantStatus(t, d.post(other, validFacts()), http.StatusNotFound)
	for _, role := range []domain.Role{domain.RoleSpecialist, domain.RoleEnterprise} {
		wantStatus(t, w.clients[role].get(own), http.StatusForbidden)
		wantStatus(t, w.clients[role].post(own, validFacts()), http.StatusForbidden)
	}
	if sheet, _ := store.NewFacts(w.db).Get(context.Background(), w.other.ID); sheet.Facts.EnterpriseID != 0 {
		t.Error("an out-of-scope POST saved facts")
	}
}
