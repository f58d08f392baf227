package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserBenefits: the demo enterprise first became 规上 in 2025 and holds an innovative
// title. Its portal and its enterprise page show 小升规 matched with the capped amount and each
// condition, and the 专精特新 benefits as near matches naming the missing title; it computes a
// digital-transformation subsidy for itself. City staff record the 小升规 award as confirmed
// (an over-cap amount first refused, typed values kept), and the match then carries the grant.
func TestBrowserBenefits(t *testing.T) {
	ent := newBrowser(t)
	base, db := startBrowserApp(t)
	var eid int64
	if err := db.R.Raw("SELECT enterprise_id FROM users WHERE username = 'enterprise'").Scan(&eid).Error; err != nil || eid == 0 {
		t.Fatalf("demo enterprise: %v", err)
	}
	if err := db.W.Exec(`UPDATE enterprises SET industry_group = 'industrial', above_scale = ?, above_scale_since = 2025,
		tier = 'innovative', tier_valid_until = '2028-05-01' WHERE id = ?`, true, eid).Error; err != nil {
		t.Fatal(err)
	}

	login(ent, t, base, "enterprise")
	navigate(ent, t, base+"/portal", `[data-testid=benefits]`)
	checkMatches := func(where string) {
		t.Helper()
		card := `[data-testid=benefit][data-benefit="B02-first-above-scale"]`
		if o := attr(ent, t, card, "data-outcome"); o != "matched" {
			t.Fatalf("%s: 小升规 outcome %q", where, o)
		}
		if amt := text(ent, t, card+` [data-testid=benefit-amount]`); amt != "最高 50 万元" {
			t.Errorf("%s: amount %q", where, amt)
		}
		reasons := strings.Join(texts(ent, t, card+` [data-testid=benefit-condition]`), "\n")
		for _, want := range []string{"2025 年首次纳入规上", "属于适用行业", "此前未兑现"} {
			if !strings.Contains(reasons, want) {
				t.Errorf("%s: reasons lack %q:\n%s", where, want, reasons)
			}
		}
		near := `[data-testid=benefit][data-benefit="B12-digital"]`
		if o := attr(ent, t, near, "data-outcome"); o != "near" {
			t.Errorf("%s: B12 outcome %q, want near", where, o)
		}
		if miss := text(ent, t, near+` [data-testid=benefit-missing]`); !strings.Contains(miss, "专精特新") {
			t.Errorf("%s: B12 missing %q", where, miss)
		}
	}
	checkMatches("portal")
	screenshot(ent, t, "benefits-portal")
	navigate(ent, t, fmt.Sprintf("%s/enterprises/%d", base, eid), `[data-testid=benefits]`)
	checkMatches("enterprise page")
	screenshot(ent, t, "benefits-enterprise-page")

	// The enterprise's own calculator.
	navigate(ent, t, base+"/benefits/calculator?benefit=B12-digital", `[data-testid=calc-form]`)
	do(ent, t, "compute B12",
		chromedp.SendKeys(chromedp.CSS(`#amount`), "120"),
		chromedp.Click(chromedp.CSS(`[data-testid=calc-submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=calc-result]`)))
	if got := text(ent, t, `[data-testid=calc-support]`); got != "36" {
		t.Errorf("B12 support %q, want 36", got)
	}
	if c := text(ent, t, `[data-testid=calc-clause]`); !strings.Contains(c, "措施（十二）") {
		t.Errorf("clause %q", c)
	}
	if n := count(ent, t, `[data-testid=calc-ineligible]`); n != 1 {
		t.Error("an innovative enterprise should be told it does not yet qualify")
	}

	// City staff record the award.
	city := newBrowser(t)
	login(city, t, base, "city")
	navigate(city, t, fmt.Sprintf("%s/enterprises/%d/benefits", base, eid), `[data-testid=grant-form]`)
	do(city, t, "grant over the cap",
		chromedp.SetValue(chromedp.CSS(`#benefit`), "B02-first-above-scale"),
		chromedp.SetValue(chromedp.CSS(`#status`), "confirmed"),
		chromedp.SendKeys(chromedp.CSS(`#amount`), "60"),
		chromedp.SetValue(chromedp.CSS(`#on`), "2026-06-01"),
		chromedp.Click(chromedp.CSS(`[data-testid=grant-submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-amount]`)))
	if v := value(city, t, `#amount`); v != "60" {
		t.Errorf("typed amount lost: %q", v)
	}
	do(city, t, "grant within the cap",
		chromedp.SetValue(chromedp.CSS(`#amount`), "50"),
		chromedp.Click(chromedp.CSS(`[data-testid=grant-submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=grant-row]`)))
	if g := text(city, t, `[data-benefit="B02-first-above-scale"] [data-testid=benefit-grant]`); !strings.Contains(g, "已确认") || !strings.Contains(g, "50") {
		t.Errorf("grant on the match: %q", g)
	}
	screenshot(city, t, "benefits-grant")

	// The list for 2025 holds it with its grant.
	navigate(city, t, base+"/benefits?benefit=B02-first-above-scale&year=2025", `[data-testid=benefit-table]`)
	rows := strings.Join(texts(city, t, `[data-testid=benefit-row]`), "\n")
	if !strings.Contains(rows, "已确认 50") {
		t.Errorf("list rows lack the grant:\n%s", rows)
	}
	if n := count(city, t, `[data-testid=district-total]`); n == 0 {
		t.Error("no district totals")
	}
	screenshot(city, t, "benefits-list")
}
