package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"zjtx/internal/dashboard"

	"github.com/PuerkitoBio/goquery"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// newDashboardApp is a test app over 600 demo enterprises (clock 2026-06-30).
func newDashboardApp(t *testing.T) *testApp {
	t.Helper()
	a := newTestApp(t)
	if _, err := demo.Fill(context.Background(), a.db, demo.Options{Enterprises: 600, Seed: 3, Today: domain.MustDate("2026-06-30")}); err != nil {
		t.Fatal(err)
	}
	// a few grants, so the benefit totals are not all zero
	if err := a.db.W.Exec(`INSERT INTO benefit_grants (enterprise_id, benefit_id, award_year, status, amount, granted_on, created_at, updated_at)
		SELECT id, 'test', 2026, CASE WHEN id % 2 = 0 THEN 'paid' ELSE 'confirmed' END, 500000, '2026-05-01', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
		FROM enterprises WHERE tier = 'little_giant'`).Error; err != nil {
		t.Fatal(err)
	}
	return a
}

var digits = regexp.MustCompile(`[0-9][0-9,]*`)

func number(t *testing.T, s string) int64 {
	t.Helper()
	m := digits.FindString(s)
	n, err := strconv.ParseInt(strings.ReplaceAll(m, ",", ""), 10, 64)
	if err != nil {
		t.Fatalf("no number in %q", s)
	}
	return n
}

func dbCount(t *testing.T, db *store.DB, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.R.Raw(sql, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func testidValue(t *testing.T, r response, id string) int64 {
	t.Helper()
	s := r.doc.Find(`[data-testid="` + id + `"]`)
	if s.Length() == 0 {
		t.Fatalf("no [data-testid=%s]", id)
	}
	v, ok := s.First().Attr("data-value")
	if !ok {
		return number(t, s.First().Text())
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// checkDashboard compares every dashboard number with a direct count over the data,
// within district ("" = city), and follows every drill-down link to compare the list's total.
func checkDashboard(t *testing.T, a *testApp, c *client, path, district string) {
	t.Helper()
	r := c.get(path)
	wantStatus(t, r, http.StatusOK)
	where, args := "1 = 1", []any{}
	if district != "" {
		where, args = "district_code = ?", []any{district}
	}
	ent := func(extra string, xs ...any) int64 {
		return dbCount(t, a.db, "SELECT COUNT(*) FROM enterprises WHERE "+where+" AND "+extra, append(append([]any{}, args...), xs...)...)
	}
	dem := func(extra string, xs ...any) int64 {
		return dbCount(t, a.db, "SELECT COUNT(*) FROM demands WHERE "+where+" AND "+extra, append(append([]any{}, args...), xs...)...)
	}
	for _, tier := range domain.Tiers {
		if got, want := testidValue(t, r, "tier-"+string(tier)), ent("tier = ?", string(tier)); got != want {
			t.Errorf("%s: tier %s = %d, direct count %d", path, tier, got, want)
		}
	}
	if got, want := testidValue(t, r, "tier-total"), ent("1 = 1"); got != want {
		t.Errorf("total = %d, want %d", got, want)
	}
	for _, d := range domain.Districts {
		if district != "" && d.Code != district {
			continue
		}
		for _, tier := range []domain.Tier{domain.TierInnovative, domain.TierSpecialized, domain.TierLittleGiant} {
			want := dbCount(t, a.db, "SELECT COUNT(*) FROM enterprises WHERE district_code = ? AND tier = ?", d.Code, string(tier))
			if got := testidValue(t, r, "d-"+d.Code+"-"+string(tier)); got != want {
				t.Errorf("district %s tier %s = %d, want %d", d.Code, tier, got, want)
			}
		}
	}
	today := "2026-06-30"
	checks := map[string]int64{
		"demands-raised":   dem("1 = 1"),
		"demands-open":     dem("is_open = ?", true),
		"demands-overdue":  dem("is_open = ? AND due_on < ?", true, today),
		"demands-closed":   dem("status = 'closed'"),
		"demands-returned": dem("status = 'returned'"),
	}
	evWhere := "1 = 1"
	if district != "" {
		evWhere = "enterprise_id IN (SELECT id FROM enterprises WHERE district_code = ?)"
	}
	checks["kpi-promotions"] = dbCount(t, a.db, "SELECT COUNT(DISTINCT enterprise_id) FROM tier_events WHERE "+evWhere+" AND kind = 'certified' AND effective_on >= '2026-04-01' AND effective_on <= ?", append(append([]any{}, args...), today)...)
	checks["kpi-expiries"] = dbCount(t, a.db, "SELECT COUNT(DISTINCT enterprise_id) FROM tier_events WHERE "+evWhere+" AND kind = 'expired' AND effective_on >= '2026-04-01' AND effective_on <= ?", append(append([]any{}, args...), today)...)
	checks["kpi-visits"] = dbCount(t, a.db, "SELECT COUNT(*) FROM visits WHERE "+evWhere+" AND visited_on >= '2026-04-01' AND visited_on <= ?", append(append([]any{}, args...), today)...)
	specialized := "tier IN ('specialized','little_giant')"
	checks["kpi-specialized-total"] = ent(specialized)
	checks["kpi-coverage-total"] = ent(specialized)
	checks["kpi-coverage-visited"] = ent(specialized + " AND EXISTS (SELECT 1 FROM visits v WHERE v.enterprise_id = enterprises.id AND v.visited_on >= '2026-04-01')")
	checks["kpi-coverage-stale"] = ent(specialized+" AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.enterprise_id = enterprises.id AND v.visited_on >= ?)", "2026-04-01")
	checks["kpi-coverage-unassigned"] = ent(specialized + " AND NOT EXISTS (SELECT 1 FROM assignments x WHERE x.enterprise_id = enterprises.id AND x.ended_at IS NULL)")
	checks["demands-ontime"] = dem("is_open = ? AND due_on >= ?", true, today)
	for _, sat := range []string{"satisfied", "fair", "dissatisfied"} {
		checks["demands-"+sat] = dem("status = 'closed' AND satisfaction = ?", sat)
	}
	checks["demands-unrated"] = dem("status = 'closed' AND satisfaction NOT IN ('satisfied', 'fair', 'dissatisfied')")
	for _, d := range domain.Districts {
		if district == "" || d.Code == district {
			checks["district-"+d.Code+"-specialized"] = dbCount(t, a.db, "SELECT COUNT(*) FROM enterprises WHERE district_code = ? AND "+specialized, d.Code)
		}
	}
	// year-end counts: each enterprise at the tier of its last event on or before the day
	for y := 2021; y <= 2026; y++ {
		on := fmt.Sprintf("%d-12-31", y)
		if y == 2026 {
			on = today
		}
		for _, tier := range []string{"innovative", "specialized", "little_giant"} {
			checks[fmt.Sprintf("history-%d-%s", y, tier)] = ent(`(SELECT te.to_tier FROM tier_events te WHERE te.enterprise_id = enterprises.id
				AND te.effective_on <= ? ORDER BY te.effective_on DESC, te.id DESC LIMIT 1) = ?`, on, tier)
		}
	}
	checks["kpi-pool-count"] = dbCount(t, a.db, "SELECT COUNT(*) FROM listing_pipelines p JOIN enterprises ON enterprises.id = p.enterprise_id WHERE "+
		strings.ReplaceAll(where, "district_code", "enterprises.district_code")+" AND p.stage IN ('pool','restructured','tutoring','filed','review','registered')", args...)
	checks["grants-confirmed"] = dbCount(t, a.db, "SELECT COUNT(*) FROM benefit_grants g WHERE g.status = 'confirmed' AND g.enterprise_id IN (SELECT id FROM enterprises WHERE "+where+")", args...)
	checks["grants-paid"] = dbCount(t, a.db, "SELECT COUNT(*) FROM benefit_grants g WHERE g.status = 'paid' AND g.enterprise_id IN (SELECT id FROM enterprises WHERE "+where+")", args...)
	for id, want := range checks {
		if got := testidValue(t, r, id); got != want {
			t.Errorf("%s: %s = %d, direct count %d", path, id, got, want)
		}
	}
	if checks["demands-raised"] == 0 || checks["kpi-coverage-visited"] == 0 || checks["kpi-visits"] == 0 || checks["kpi-promotions"] == 0 ||
		checks["history-2024-specialized"] == 0 || checks["demands-satisfied"] == 0 || checks["kpi-coverage-stale"] == 0 {
		t.Errorf("demo data too thin for the test: %v", checks)
	}
	// median days to close, from every closed demand
	var days []int
	rows, err := a.db.R.Raw("SELECT raised_on, closed_on FROM demands WHERE "+where+" AND status = 'closed' AND closed_on IS NOT NULL", args...).Rows()
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var from, to domain.Date
		if err := rows.Scan(&from, &to); err != nil {
			t.Fatal(err)
		}
		days = append(days, from.DaysUntil(to))
	}
	rows.Close()
	if len(days) > 0 {
		sort.Ints(days)
		want := days[(len(days)+1)/2-1]
		if got := number(t, r.doc.Find(`[data-testid="demands-median"]`).Text()); got != int64(want) {
			t.Errorf("median days = %d, want %d", got, want)
		}
	}

	// Every number is a drill-down link (the pool count opens the funnel it heads).
	r.doc.Find("[data-value]").Each(func(_ int, s *goquery.Selection) {
		if id := s.AttrOr("data-testid", ""); !s.Is("a[data-drill]") && id != "kpi-pool-count" {
			t.Errorf("%s: %s is not a drill-down link", path, id)
		}
	})
	// Every drill-down link opens a list whose total is the number.
	links := 0
	r.doc.Find("a[data-drill]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		v, _ := s.Attr("data-value")
		want, _ := strconv.ParseInt(v, 10, 64)
		lr := c.get(href)
		if lr.Code != http.StatusOK {
			t.Errorf("drill %s: status %d", href, lr.Code)
			return
		}
		links++
		got := number(t, lr.doc.Find(`[data-testid="total"]`).First().Text())
		if got != want {
			t.Errorf("drill %s: list total %d, dashboard %d", href, got, want)
		}
	})
	if want := 50; district == "" && links < want || links < 30 {
		t.Errorf("only %d drill-down links followed", links)
	}
	// the grant amounts equal their lists' totals
	for _, st := range []string{"confirmed", "paid"} {
		s := r.doc.Find(`[data-testid="grants-` + st + `-amount"]`)
		lr := c.get(s.AttrOr("href", ""))
		wantStatus(t, lr, http.StatusOK)
		if got, want := strings.TrimSpace(lr.doc.Find(`[data-testid="grant-amount"]`).Text()), strings.TrimSpace(s.Text()); got != want {
			t.Errorf("grants %s: list amount %s, dashboard %s", st, got, want)
		}
	}
	// chart segments link to the same lists as the table numbers
	var charts map[string]struct {
		Series []struct{ Hrefs []string }
	}
	if err := json.Unmarshal([]byte(r.doc.Find("script#dash-data").Text()), &charts); err != nil {
		t.Fatal(err)
	}
	tableHrefs := map[string]bool{}
	r.doc.Find("a[data-drill]").Each(func(_ int, s *goquery.Selection) { tableHrefs[s.AttrOr("href", "")] = true })
	for name, ch := range charts {
		for _, se := range ch.Series {
			for _, h := range se.Hrefs {
				if !tableHrefs[h] {
					t.Errorf("chart %s: segment link %q is not one of the table's drill-downs", name, h)
				}
			}
		}
	}
	// the coverage link opens the coverage page with the same district figures
	cov, _ := r.doc.Find(`[data-testid="kpi-coverage-visited"]`).Attr("href")
	wantStatus(t, c.get(cov), http.StatusOK)
	// charts: a JSON data block, the chart containers and both scripts, no inline script
	if r.doc.Find(`script#dash-data[type="application/json"]`).Length() != 1 {
		t.Error("no chart data block")
	}
	if n := r.doc.Find("[data-chart]").Length(); n < 4 {
		t.Errorf("%d chart containers", n)
	}
	if !strings.Contains(r.Body.String(), "echarts-5.6.0.min.js") || !strings.Contains(r.Body.String(), "dashboard.js") {
		t.Error("chart scripts not loaded")
	}
	r.doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if _, src := s.Attr("src"); !src && s.AttrOr("type", "") != "application/json" {
			t.Error("inline script on the dashboard")
		}
	})
}

func TestDashboardCityNumbersEqualDirectCounts(t *testing.T) {
	a := newDashboardApp(t)
	checkDashboard(t, a, a.client, "/dashboard", "")
	// the city user's home is the dashboard; the enterprise list stays reachable
	city := a.as(a.user("city1", domain.RoleCity, "", nil))
	if r := city.get("/"); r.Code != http.StatusSeeOther || r.Header().Get("Location") != "/dashboard" {
		t.Errorf("home: %d %s", r.Code, r.Header().Get("Location"))
	}
	wantStatus(t, city.get("/enterprises"), http.StatusOK)
	// a city user viewing one district
	checkDashboard(t, a, city, "/dashboard?district=310104", "310104")
}

func TestDashboardDistrictNumbersEqualDirectCounts(t *testing.T) {
	a := newDashboardApp(t)
	pd := a.as(a.user("pd", domain.RoleDistrict, "310115", nil))
	if r := pd.get("/"); r.Header().Get("Location") != "/dashboard" {
		t.Errorf("district home: %s", r.Header().Get("Location"))
	}
	// ?district= cannot widen a district officer's view
	checkDashboard(t, a, pd, "/dashboard?district=310104", "310115")
	wantStatus(t, pd.get("/dashboard/evaluation"), http.StatusForbidden)
}

func TestDistrictEvaluation(t *testing.T) {
	a := newDashboardApp(t)
	r := a.get("/dashboard/evaluation?year=2026")
	wantStatus(t, r, http.StatusOK)
	if n := r.doc.Find(`[data-testid^="rank-"]`).Length(); n != 16 {
		t.Fatalf("%d districts ranked", n)
	}
	// ranks ascend with descending totals; each total is the sum of its weighted parts
	prev := 1e9
	r.doc.Find(`[data-testid^="rank-"]`).Each(func(_ int, s *goquery.Selection) {
		tot, _ := strconv.ParseFloat(strings.TrimSpace(s.Find(`[data-testid="total"]`).Text()), 64)
		if tot > prev+0.05 {
			t.Errorf("ranking not in order: %v after %v", tot, prev)
		}
		prev = tot
		sum := 0.0
		s.Find(`td[data-testid^="score-"] small`).Each(func(_ int, x *goquery.Selection) {
			parts := strings.Split(x.Text(), "→")
			f, _ := strconv.ParseFloat(strings.TrimSpace(parts[len(parts)-1]), 64)
			sum += f
		})
		if sum < tot-0.35 || sum > tot+0.35 {
			t.Errorf("%s: parts add to %.1f, total %.1f", s.AttrOr("data-testid", ""), sum, tot)
		}
	})

	// weights: invalid keeps what was typed (422), valid is saved and audited (303)
	form := url.Values{"year": {"2026"}, "growth": {"50"}, "policy": {"abc"}, "coverage": {"10"}, "closure": {"10"}, "speed": {"10"}, "satisfaction": {"10"}}
	r = a.post("/dashboard/evaluation/weights", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if inputValue(r, "policy") != "abc" || fieldError(r, "policy") == "" {
		t.Errorf("typed value or message lost: %q %q", inputValue(r, "policy"), fieldError(r, "policy"))
	}
	form.Set("policy", "20")
	r = a.post("/dashboard/evaluation/weights", form)
	wantStatus(t, r, http.StatusUnprocessableEntity) // sums to 110
	form.Set("growth", "40")
	r = a.post("/dashboard/evaluation/weights", form)
	wantStatus(t, r, http.StatusSeeOther)
	r = a.get("/dashboard/evaluation?year=2026")
	if inputValue(r, "growth") != "40" {
		t.Errorf("growth weight = %q after save", inputValue(r, "growth"))
	}
	if n := dbCount(t, a.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'evaluation_weights'"); n != 1 {
		t.Errorf("%d weight audit rows", n)
	}
	city := a.as(a.user("city2", domain.RoleCity, "", nil))
	wantStatus(t, city.post("/dashboard/evaluation/weights", form), http.StatusForbidden)

	// CSV: BOM, Chinese headers, 16 rows
	res := a.get("/dashboard/evaluation/export?year=2026")
	wantStatus(t, res, http.StatusOK)
	body := res.Body.String()
	if !strings.HasPrefix(body, "\uFEFF评价年度,名次,区划代码,区,综合得分") {
		t.Errorf("CSV head: %q", truncate(body, 80))
	}
	if n := strings.Count(strings.TrimSpace(body), "\n"); n != 16 {
		t.Errorf("CSV has %d data lines", n)
	}
}

// TestDashboardSeesWritesThroughTheApp: a visit recorded through the app reaches the
// dashboard without waiting for the cache's TTL; the page right after the write is served
// from the previous figures, never blocked on the recomputation.
func TestDashboardSeesWritesThroughTheApp(t *testing.T) {
	a := newDashboardApp(t)
	before := testidValue(t, a.get("/dashboard"), "kpi-visits")
	var eid int64
	if err := a.db.R.Raw("SELECT MIN(id) FROM enterprises").Scan(&eid).Error; err != nil {
		t.Fatal(err)
	}
	wantStatus(t, a.post("/service/visits", visitForm(eid, 0)), http.StatusSeeOther)
	// Within MinRefresh (the figures were computed just before the write) plus one computation.
	deadline := time.Now().Add(dashboard.MinRefresh + 20*time.Second)
	for {
		now := testidValue(t, a.get("/dashboard"), "kpi-visits")
		if now == before+1 {
			break
		}
		if now != before || time.Now().After(deadline) {
			t.Fatalf("visits this quarter: %d before the write, %d after", before, now)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
