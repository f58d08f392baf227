package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"zjtx/internal/domain"
)

// TestVisitListAndExport: the visit list and its exports under each role's row scope.
func TestVisitListAndExport(t *testing.T) {
	a := newDashboardApp(t)
	pd := a.as(a.user("pd", domain.RoleDistrict, "310115", nil))
	const inPudong = "visits.enterprise_id IN (SELECT id FROM enterprises WHERE district_code = '310115')"

	// a district officer sees only their district, whatever ?district= says
	r := pd.get("/service/visits?district=310104&from=2000-01-01")
	wantStatus(t, r, http.StatusOK)
	want := dbCount(t, a.db, "SELECT COUNT(*) FROM visits WHERE "+inPudong)
	if got := number(t, r.doc.Find(`[data-testid="total"]`).Text()); got != want || want == 0 {
		t.Errorf("district officer: %d visits listed, %d in the district", got, want)
	}
	r.doc.Find(`[data-testid="row-district"]`).Each(func(_ int, s *goquery.Selection) {
		if s.Text() != "浦东新区" {
			t.Errorf("district officer sees a visit in %s", s.Text())
		}
	})
	if n := r.doc.Find(`[data-testid="visit-row"]`).Length(); n != 50 {
		t.Errorf("first page has %d rows", n)
	}
	if !strings.Contains(r.Body.String(), "2026-") {
		t.Error("no YYYY-MM-DD date on the list")
	}

	// no dates: this quarter
	r = a.get("/service/visits")
	wantStatus(t, r, http.StatusOK)
	want = dbCount(t, a.db, "SELECT COUNT(*) FROM visits WHERE visited_on >= '2026-04-01' AND visited_on <= '2026-06-30'")
	if got := number(t, r.doc.Find(`[data-testid="total"]`).Text()); got != want || inputValue(r, "from") != "2026-04-01" {
		t.Errorf("default: %d listed from %q, %d this quarter", got, inputValue(r, "from"), want)
	}

	// quarter and kind filters, city-wide
	r = a.get("/service/visits?quarter=2026Q2&kind=phone")
	wantStatus(t, r, http.StatusOK)
	want = dbCount(t, a.db, "SELECT COUNT(*) FROM visits WHERE kind = 'phone' AND visited_on >= '2026-04-01' AND visited_on <= '2026-06-30'")
	if got := number(t, r.doc.Find(`[data-testid="total"]`).Text()); got != want || want == 0 {
		t.Errorf("2026Q2 phone visits: %d listed, %d direct", got, want)
	}
	// a malformed date is dropped with a note, not an error
	r = a.get("/service/visits?from=2026-13-01")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.doc.Find(".field-error").Text(), "2026-13-01") {
		t.Error("no note for the malformed date")
	}

	// CSV export: BOM, Chinese header, one line per visit in scope
	res := pd.get("/service/visits/export.csv?district=310104&from=2000-01-01")
	wantStatus(t, res, http.StatusOK)
	body := strings.TrimPrefix(res.Body.String(), "\uFEFF")
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0][:3], ",") != "编号,走访日期,统一社会信用代码" {
		t.Errorf("CSV header %v", recs[0])
	}
	all := dbCount(t, a.db, "SELECT COUNT(*) FROM visits WHERE "+inPudong)
	if int64(len(recs)-1) != all {
		t.Errorf("CSV has %d visits, district %d", len(recs)-1, all)
	}
	for _, rec := range recs[1:] {
		if rec[4] != "浦东新区" {
			t.Fatalf("CSV row outside the district: %v", rec)
		}
	}

	// .xlsx: the same rows under the same filter
	res = pd.get("/service/visits/export.xlsx?quarter=2026Q2")
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header().Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Errorf("content type %s", ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	want = dbCount(t, a.db, "SELECT COUNT(*) FROM visits WHERE "+inPudong+" AND visited_on >= '2026-04-01' AND visited_on <= '2026-06-30'")
	if int64(len(rows)-1) != want || rows[0][1] != "走访日期" {
		t.Errorf("xlsx has %d visits (header %v), want %d", len(rows)-1, rows[0], want)
	}

	// a specialist sees the visits of the enterprises assigned to them
	sp := a.user("sp", domain.RoleSpecialist, "310115", nil)
	var eid int64
	if err := a.db.R.Raw("SELECT enterprise_id FROM visits WHERE " + inPudong + " ORDER BY id LIMIT 1").Scan(&eid).Error; err != nil {
		t.Fatal(err)
	}
	if err := a.db.W.Exec("UPDATE assignments SET ended_at = CURRENT_TIMESTAMP WHERE enterprise_id = ? AND ended_at IS NULL", eid).Error; err != nil {
		t.Fatal(err)
	}
	if err := a.db.W.Exec("INSERT INTO assignments (enterprise_id, specialist_id, assigned_at) VALUES (?, ?, CURRENT_TIMESTAMP)", eid, sp.ID).Error; err != nil {
		t.Fatal(err)
	}
	r = a.as(sp).get("/service/visits?from=2000-01-01")
	wantStatus(t, r, http.StatusOK)
	if got, want := number(t, r.doc.Find(`[data-testid="total"]`).Text()), dbCount(t, a.db, "SELECT COUNT(*) FROM visits WHERE enterprise_id = ?", eid); got != want {
		t.Errorf("specialist: %d visits listed, %d of their enterprise", got, want)
	}

	// enterprise accounts have no visit list
	ent := a.as(a.user("ent", domain.RoleEnterprise, "", &eid))
	wantStatus(t, ent.get("/service/visits"), http.StatusForbidden)
	wantStatus(t, ent.get("/service/visits/export.csv"), http.StatusForbidden)
}

// TestDrillListsKeepScope: the drill-down lists never widen a district officer's view.
func TestDrillListsKeepScope(t *testing.T) {
	a := newDashboardApp(t)
	pd := a.as(a.user("pd", domain.RoleDistrict, "310115", nil))
	r := pd.get("/enterprises?district=310104&at_least=specialized")
	wantStatus(t, r, http.StatusOK)
	if got := number(t, r.doc.Find(`[data-testid="total"]`).Text()); got != 0 {
		t.Errorf("district officer sees %d enterprises of another district", got)
	}
	if !strings.Contains(r.doc.Find(`[data-testid="drill-label"]`).Text(), "专精特新") {
		t.Error("the drill-down filter is not shown")
	}
	r = pd.get("/benefits/grants?district=310104")
	wantStatus(t, r, http.StatusOK)
	want := dbCount(t, a.db, "SELECT COUNT(*) FROM benefit_grants WHERE enterprise_id IN (SELECT id FROM enterprises WHERE district_code = '310115')")
	if got := number(t, r.doc.Find(`[data-testid="total"]`).Text()); got != want {
		t.Errorf("grant list: %d, district has %d", got, want)
	}
	r.doc.Find(`[data-testid="grant-row"] td:nth-child(2)`).Each(func(_ int, s *goquery.Selection) {
		if s.Text() != "浦东新区" {
			t.Errorf("grant of %s listed", s.Text())
		}
	})
	// the drill filters survive paging and the export link
	r = a.get("/enterprises?held=innovative&held_on=2025-12-31")
	if href := r.doc.Find(`[data-testid="export-csv"]`).First().AttrOr("href", ""); !strings.Contains(href, "held_on=2025-12-31") {
		t.Errorf("export link drops the drill filter: %s", href)
	}
}
