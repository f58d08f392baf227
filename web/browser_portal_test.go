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

// TestBrowserPortal: the demo enterprise files its missing year of figures, gets a field
// error without losing what it typed, submits; the district officer approves part of it;
// the registry and audit log hold exactly the approved fields; the enterprise sees the result.
func TestBrowserPortal(t *testing.T) {
	ent := newBrowser(t)
	base, db := startBrowserApp(t)
	ctx := context.Background()
	var eid int64
	if err := db.R.Raw("SELECT enterprise_id FROM users WHERE username = 'enterprise'").Scan(&eid).Error; err != nil || eid == 0 {
		t.Fatalf("demo enterprise: %v", err)
	}
	// The demo data has every enterprise's 2025 figures; this one has not filed them yet.
	if err := db.W.Exec("DELETE FROM year_figures WHERE enterprise_id = ? AND year = 2025", eid).Error; err != nil {
		t.Fatal(err)
	}

	login(ent, t, base, "enterprise")
	navigate(ent, t, base+"/", `[data-testid=annual]`)
	if st := attr(ent, t, `[data-testid=annual-state]`, "data-state"); st != "overdue" {
		t.Errorf("annual state = %q, want overdue on 2026-06-30", st)
	}
	if n := count(ent, t, `[data-testid=gap], [data-testid=next-rung]`); n == 0 {
		t.Error("no gap to the next rung")
	}
	screenshot(ent, t, "portal-home")
	do(ent, t, "open the annual filing", chromedp.Click(chromedp.CSS(`[data-testid=annual-file]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=request-form]`)))
	if y := value(ent, t, `#year`); y != "2025" {
		t.Errorf("year = %q", y)
	}
	do(ent, t, "fill with a bad value",
		chromedp.SendKeys(chromedp.CSS(`#employees`), "150"),
		chromedp.SendKeys(chromedp.CSS(`#revenue`), "8000"),
		chromedp.SendKeys(chromedp.CSS(`#rd_expense`), "五百"),
		chromedp.Click(chromedp.CSS(`[data-testid=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-rd_expense]`)))
	if v := value(ent, t, `#revenue`); v != "8000" || value(ent, t, `#rd_expense`) != "五百" {
		t.Errorf("typed values lost: revenue %q", v)
	}
	screenshot(ent, t, "portal-request-error")
	do(ent, t, "fix and submit",
		chromedp.SetValue(chromedp.CSS(`#rd_expense`), "500"),
		chromedp.Click(chromedp.CSS(`[data-testid=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=request]`)))
	if st := attr(ent, t, `[data-testid=request-status]`, "data-status"); st != "submitted" {
		t.Fatalf("status = %q", st)
	}
	var rid int64
	fmt.Sscanf(location(ent, t), base+"/portal/requests/%d", &rid)
	if rid == 0 {
		t.Fatalf("no request id in %s", location(ent, t))
	}

	// The district officer approves revenue and head count, not the R&D expense.
	off := newBrowser(t)
	login(off, t, base, "district")
	navigate(off, t, fmt.Sprintf("%s/review/%d", base, rid), `[data-testid=approve-form]`)
	if n := count(off, t, `[data-testid=effect] li`); n != 3 {
		t.Errorf("effect lines = %d", n)
	}
	if n := count(off, t, `[data-testid=diff-row]`); n != 3 {
		t.Errorf("diff rows = %d", n)
	}
	screenshot(off, t, "portal-review")
	do(off, t, "approve part",
		chromedp.Click(chromedp.CSS(`[data-field="year.rd_expense"] input[name=fields]`)),
		chromedp.SendKeys(chromedp.CSS(`#note`), "研发费用请附审计报告后另行申请"),
		chromedp.Click(chromedp.CSS(`[data-testid=approve]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=flash]`)))
	if st := attr(off, t, `[data-testid=request-status]`, "data-status"); st != "partial" {
		t.Errorf("status after review = %q", st)
	}

	y, err := store.NewEnterprises(db).Year(ctx, eid, 2025)
	if err != nil || y.Revenue == nil || *y.Revenue != domain.Wan(8000) || y.Employees == nil || *y.Employees != 150 || y.RDExpense != nil {
		t.Fatalf("registry: %+v %v", y, err)
	}
	rows, _, err := store.NewAuditLog(db).List(ctx, store.AuditFilter{EnterpriseID: eid, EntityType: "year_figures"})
	if err != nil || len(rows) == 0 || !strings.Contains(rows[0].Summary, fmt.Sprintf("变更申请 #%d", rid)) {
		t.Fatalf("audit: %+v %v", rows, err)
	}
	var fields []string
	for _, ch := range rows[0].ChangeList() {
		fields = append(fields, ch.Field)
	}
	if got := strings.Join(fields, ","); got != "年度,从业人员（人）,营业收入" {
		t.Errorf("audited fields = %s", got)
	}

	// The enterprise sees the outcome per field and the reviewer's note.
	navigate(ent, t, fmt.Sprintf("%s/portal/requests/%d", base, rid), `[data-testid=request]`)
	if st := attr(ent, t, `[data-testid=request-status]`, "data-status"); st != "partial" {
		t.Errorf("enterprise sees %q", st)
	}
	if o := attr(ent, t, `[data-field="year.rd_expense"]`, "data-outcome"); o != "rejected" {
		t.Errorf("rd_expense outcome = %q", o)
	}
	if !strings.Contains(text(ent, t, `[data-testid=review-reason]`), "审计报告") {
		t.Error("reviewer's note not shown")
	}
	screenshot(ent, t, "portal-request-result")
	navigate(ent, t, base+"/portal", `[data-testid=annual]`)
	if st := attr(ent, t, `[data-testid=annual-state]`, "data-state"); st != "done" {
		t.Errorf("annual state after approval = %q", st)
	}
	if v := text(ent, t, `[data-testid=revenue-2025]`); v != "8,000.00" {
		t.Errorf("portal revenue = %q", v)
	}
}
