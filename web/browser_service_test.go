package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// TestBrowserVisitOnPhone: the demo specialist, on a 390px phone, logs a visit with two
// demands in one submit. The enterprise picker offers only their own enterprises.
func TestBrowserVisitOnPhone(t *testing.T) {
	ctx := newBrowserSize(t, phoneW, phoneH)
	base, db := startBrowserApp(t)
	bg := context.Background()
	me, err := store.NewUsers(db).GetByUsername(bg, "specialist")
	if err != nil {
		t.Fatal(err)
	}
	own, err := store.NewService(db).AssignedEnterprises(bg, me.ID)
	if err != nil || len(own) == 0 {
		t.Fatalf("demo specialist serves %d enterprises (%v)", len(own), err)
	}

	login(ctx, t, base, "specialist")
	do(ctx, t, "workbench", chromedp.WaitVisible(chromedp.CSS(`[data-testid=owed]`)))
	screenshot(ctx, t, "phone-workbench")
	do(ctx, t, "open visit form", chromedp.Click(chromedp.CSS(`[data-testid=log-visit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=visit-form]`)))

	// Only the specialist's own enterprises are offered.
	offered := run(ctx, t, "options", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('[data-testid=visit-enterprise] option'), o => o.value).filter(v => v)`))
	if len(offered) != len(own) {
		t.Errorf("%d enterprises offered, want the specialist's %d", len(offered), len(own))
	}
	mine := map[string]bool{}
	for _, e := range own {
		mine[fmt.Sprint(e.ID)] = true
	}
	for _, v := range offered {
		if !mine[v] {
			t.Errorf("enterprise %s offered but not the specialist's", v)
		}
	}

	target := own[0]
	do(ctx, t, "fill visit",
		chromedp.SetValue(chromedp.CSS(`#enterprise_id`), fmt.Sprint(target.ID)),
		chromedp.SetValue(chromedp.CSS(`#kind`), string(domain.VisitOnSite)),
		chromedp.SendKeys(chromedp.CSS(`#participants`), "总经理 张伟"),
		chromedp.SendKeys(chromedp.CSS(`#summary`), "现场了解扩产计划，企业提出两项诉求"),
		chromedp.SetValue(chromedp.CSS(`#demand_1_category`), string(domain.DemandFinance)),
		chromedp.SendKeys(chromedp.CSS(`#demand_1_description`), "需要两千万元流动资金贷款"),
		chromedp.Click(chromedp.CSS(`[data-testid=add-demand]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=demand-2]`)),
	)
	// What was typed survives adding a row.
	if got := value(ctx, t, `#summary`); !strings.Contains(got, "扩产计划") {
		t.Fatalf("summary after adding a demand row: %q", got)
	}
	do(ctx, t, "second demand",
		chromedp.SetValue(chromedp.CSS(`#demand_2_category`), string(domain.DemandTalent)),
		chromedp.SendKeys(chromedp.CSS(`#demand_2_description`), "三名博士落户"),
	)
	if sw := run(ctx, t, "scroll width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); sw > phoneW+1 {
		t.Errorf("visit form is %dpx wide on a %dpx screen", sw, phoneW)
	}
	screenshot(ctx, t, "phone-visit-form")

	before, _ := store.NewService(db).DemandsFor(bg, target.ID, 100)
	do(ctx, t, "submit", chromedp.Click(chromedp.CSS(`[data-testid=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=flash]`)))
	if got := text(ctx, t, `[data-testid=flash]`); !strings.Contains(got, "2 条诉求") {
		t.Errorf("flash %q", got)
	}
	after, _ := store.NewService(db).DemandsFor(bg, target.ID, 100)
	if len(after) != len(before)+2 {
		t.Fatalf("%d demands after the submit, want %d", len(after), len(before)+2)
	}
	if after[0].VisitID == nil || after[1].VisitID == nil || *after[0].VisitID != *after[1].VisitID {
		t.Error("the two demands are not attached to one visit")
	}
	if !strings.Contains(text(ctx, t, `[data-testid=service]`), "需要两千万元流动资金贷款") {
		t.Error("new demand not on the enterprise page")
	}
	screenshot(ctx, t, "phone-visit-saved")
}
