package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/tiers"
)

// pickForPromotion finds, among the demo enterprises, one at from whose next rung is
// (eligible) or is not (!eligible) met on the test date.
func pickForPromotion(t *testing.T, db *store.DB, from domain.Tier, eligible bool) domain.Enterprise {
	t.Helper()
	ctx := context.Background()
	svc := tiers.New(db)
	page, err := store.NewEnterprises(db).List(ctx, store.EnterpriseFilter{Scope: domain.Scope{All: true}, Tier: from, PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Items {
		a, err := svc.Assess(ctx, domain.Scope{All: true}, e.ID, domain.MustDate("2026-06-30"), false)
		if err != nil {
			t.Fatal(err)
		}
		if r := a.Verdict.Tiers.Get(from.Next()); r != nil && r.Eligible == eligible {
			return a.Record.Enterprise
		}
	}
	t.Fatalf("no demo enterprise at %s with next rung eligible=%v", from, eligible)
	return domain.Enterprise{}
}

func TestBrowserPromotion(t *testing.T) {
	ctx := newBrowser(t)
	base, db := startBrowserApp(t)
	login(ctx, t, base, "city")

	// A refused promotion shows the failing criteria, and nothing changes.
	weak := pickForPromotion(t, db, domain.TierInnovative, false)
	navigate(ctx, t, fmt.Sprintf("%s/enterprises/%d", base, weak.ID), `[data-testid=promote-form]`)
	do(ctx, t, "promote weak", chromedp.SendKeys(chromedp.CSS(`[data-testid=promote-form] [name=certificate_no]`), "沪专精2026-09001"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=promote-form] [name=batch]`), "2026年第一批"),
		chromedp.Click(chromedp.CSS(`[data-testid=promote]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=refusal]`)))
	if msg := text(ctx, t, `[data-testid=refusal]`); !strings.Contains(msg, "不符合") {
		t.Errorf("refusal = %q", msg)
	}
	if n := count(ctx, t, `[data-testid=gap] li`); n == 0 {
		t.Error("the failing criteria are not listed")
	}
	if n := count(ctx, t, `[data-testid=verdict-specialized] tr[data-status=fail], [data-testid=verdict-specialized] tr[data-status=missing]`); n == 0 {
		t.Error("the specialized verdict shows no failing criterion")
	}
	screenshot(ctx, t, "promotion-refused")
	if got, _ := store.NewEnterprises(db).Get(context.Background(), domain.Scope{All: true}, weak.ID); got.Tier != domain.TierInnovative {
		t.Fatalf("refused promotion changed the tier to %s", got.Tier)
	}

	// Skipping a rung: even with the form tampered to ask for 专精特新, a base enterprise is refused.
	strong := pickForPromotion(t, db, domain.TierBase, true)
	navigate(ctx, t, fmt.Sprintf("%s/enterprises/%d", base, strong.ID), `[data-testid=promote-form]`)
	do(ctx, t, "tamper", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=promote-form] [name=to_tier]').value = 'specialized'`),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=promote-form] [name=certificate_no]`), "X-1"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=promote-form] [name=batch]`), "B"),
		chromedp.Click(chromedp.CSS(`[data-testid=promote]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=refusal]`)))
	if msg := text(ctx, t, `[data-testid=refusal]`); !strings.Contains(msg, "逐级") {
		t.Errorf("skip refusal = %q", msg)
	}
	screenshot(ctx, t, "promotion-skip-refused")

	// A granted promotion shows its decision record with the facts and verdict as evaluated.
	do(ctx, t, "promote strong", chromedp.SendKeys(chromedp.CSS(`[data-testid=promote-form] [name=certificate_no]`), "沪创新2026-09002"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=promote-form] [name=batch]`), "2026年第一批"),
		chromedp.Click(chromedp.CSS(`[data-testid=promote]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=flash]`)))
	if msg := text(ctx, t, `[data-testid=flash]`); !strings.Contains(msg, "已认定为") {
		t.Fatalf("flash = %q", msg)
	}
	do(ctx, t, "open decision", chromedp.Click(chromedp.CSS(`[data-testid=decisions] tr[data-outcome=granted] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=decision]`)))
	if facts := text(ctx, t, `[data-testid=facts-json]`); !strings.Contains(facts, string(strong.USCC)) {
		t.Error("decision record does not show the facts evaluated")
	}
	if v := attr(ctx, t, `[data-testid=verdict-innovative]`, "data-eligible"); v != "true" {
		t.Errorf("decision verdict innovative eligible = %q", v)
	}
	screenshot(ctx, t, "decision-record")
}
