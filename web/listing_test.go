package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// seedListing puts an enterprise in the pool and records a roadshow it took part in;
// it returns the roadshow's id.
func seedListing(t *testing.T, db *store.DB, enterpriseID int64) int64 {
	t.Helper()
	ctx := context.Background()
	l := store.NewListing(db)
	if _, err := l.Move(ctx, store.System, domain.Scope{All: true}, store.MoveRequest{EnterpriseID: enterpriseID, To: domain.StagePool,
		On: domain.MustDate("2026-01-05"), Pool: &domain.PoolEntry{CompanyForm: domain.FormJointStock, AuditedYears: 3}}); err != nil {
		t.Fatal(err)
	}
	a := domain.ListingActivity{Kind: domain.ActivityRoadshow, Title: "“一月一链”生物医药专场", HeldOn: domain.MustDate("2026-05-18"), Investors: "浦江创投"}
	if err := l.CreateActivity(ctx, store.System, &a, []int64{enterpriseID}); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// htmxPost posts a form as htmx does for a drop on the board.
func (c *client) htmxPost(path string, form url.Values) response {
	c.a.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "board")
	req.Header.Set("X-CSRF-Token", c.csrf)
	return c.do(req)
}

func TestListingMoveByForm(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "培育表单企业", "310115")
	path := fmt.Sprintf("/enterprises/%d/listing", e.ID)
	r := a.get(path)
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find(`[data-testid=listing-none]`).Length() != 1 || r.doc.Find(`[data-testid=details-form]`).Length() != 0 {
		t.Fatal("a new enterprise should show it is not in the pipeline, and no details form")
	}
	wantStatus(t, a.post(path+"/move", url.Values{"to_stage": {"candidate"}, "on": {"2026-01-02"}}), http.StatusSeeOther)

	// Entering the pool needs the checklist; what was typed stays.
	r = a.post(path+"/move", url.Values{"to_stage": {"pool"}, "on": {"2026-02-01"}, "version": {"1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "pool") == "" {
		t.Error("no checklist message")
	}
	r = a.post(path+"/move", url.Values{"to_stage": {"pool"}, "on": {"2026-02-01"}, "version": {"1"}, "company_form": {"limited"}, "audited_years": {"2"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldError(r, "restructure_by"), "股改") || inputValue(r, "audited_years") != "2" {
		t.Errorf("restructure_by = %q, audited_years kept = %q", fieldError(r, "restructure_by"), inputValue(r, "audited_years"))
	}
	r = a.post(path+"/move", url.Values{"to_stage": {"pool"}, "on": {"2026-02-31"}, "version": {"1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "on") == "" {
		t.Error("a bad date is not refused")
	}
	r = a.post(path+"/move", url.Values{"to_stage": {"pool"}, "on": {"2026-02-01"}, "version": {"1"}, "company_form": {"limited"},
		"audited_years": {"2"}, "restructure_by": {"2027-06-30"}, "clean_record": {"on"}})
	wantStatus(t, r, http.StatusSeeOther)

	// Skipping needs a reason.
	r = a.post(path+"/move", url.Values{"to_stage": {"tutoring"}, "version": {"2"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldError(r, "reason"), "理由") || inputValue(r, "reason") != "" {
		t.Errorf("reason error = %q", fieldError(r, "reason"))
	}
	// A stale version is a conflict.
	wantStatus(t, a.post(path+"/move", url.Values{"to_stage": {"restructured"}, "version": {"1"}}), http.StatusConflict)
	// A card's form returns to the board it came from.
	r = a.post(path+"/move", url.Values{"to_stage": {"restructured"}, "version": {"2"}, "next": {"/listing?district=310115"}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Header().Get("Location"); loc != "/listing?district=310115" {
		t.Errorf("Location = %s", loc)
	}
	r = a.post(path+"/move", url.Values{"to_stage": {"withdrawn"}, "version": {"3"}, "reason": {"企业决定暂缓上市"}, "next": {"//evil.example/"}})
	if loc := r.Header().Get("Location"); loc != path {
		t.Errorf("open redirect through next: %s", loc)
	}
	r = a.get(path)
	if got := r.doc.Find(`[data-testid=listing-event]`).Length(); got != 4 {
		t.Errorf("history rows = %d, want 4", got)
	}
	if !strings.Contains(r.doc.Find(`[data-testid=listing-history]`).Text(), "企业决定暂缓上市") {
		t.Error("the withdrawal reason is not in the history")
	}
	// Details: saved with the version, refused when stale.
	r = a.post(path, url.Values{"version": {"4"}, "target_board": {"star"}, "sponsor": {"某证券"}, "planned_filing_on": {"2027-03-01"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = a.post(path, url.Values{"version": {"4"}, "target_board": {"star"}})
	wantStatus(t, r, http.StatusConflict)
	r = a.post(path, url.Values{"version": {"5"}, "target_board": {"nasdaq"}, "sponsor": {"某证券"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "target_board") == "" || inputValue(r, "sponsor") != "某证券" {
		t.Error("bad board not refused or typed values lost")
	}
	// The enterprise page shows the section.
	r = a.get(fmt.Sprintf("/enterprises/%d", e.ID))
	if got := strings.TrimSpace(r.doc.Find(`[data-testid=listing-stage]`).Text()); got != "撤回/终止" {
		t.Errorf("stage on the enterprise page = %q", got)
	}
	if r.doc.Find(`[data-testid=hint-star]`).Length() != 1 || r.doc.Find(`[data-testid=hint-bse]`).Length() != 1 {
		t.Error("board hints missing")
	}
	if !strings.Contains(r.doc.Find(`[data-testid=hint-star]`).Text(), "ip_class1") {
		t.Error("the invention-patent stand-in is not named")
	}
	n, _ := auditCount(t, a, e.ID)
	if n != 5 {
		t.Errorf("audit rows = %d, want 5 (4 moves, 1 details)", n)
	}
}

func auditCount(t *testing.T, a *testApp, enterpriseID int64) (int64, error) {
	t.Helper()
	_, n, err := store.NewAuditLog(a.db).List(context.Background(), store.AuditFilter{EnterpriseID: enterpriseID, EntityType: "listing"})
	return n, err
}

func TestListingDragAndBoard(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "拖动企业", "310115")
	other := a.seed("9131012056010553X5", "徐汇企业", "310104")
	seedListing(t, a.db, e.ID)
	seedListing(t, a.db, other.ID)
	move := fmt.Sprintf("/enterprises/%d/listing/move", e.ID)

	r := a.get("/listing")
	wantStatus(t, r, http.StatusOK)
	card := r.doc.Find(fmt.Sprintf(`[data-testid=lane-pool] [data-testid=card-%d]`, e.ID))
	if card.Length() != 1 {
		t.Fatal("the card is not in the pool lane")
	}
	if v, _ := card.Attr("data-next"); v != "restructured" {
		t.Errorf("data-next = %q", v)
	}
	if got := strings.TrimSpace(r.doc.Find(`[data-testid=pool-count]`).Text()); got != "2" {
		t.Errorf("pool count = %q", got)
	}

	// A drop on the next lane moves it and answers with the board region.
	r = a.htmxPost(move, url.Values{"to_stage": {"restructured"}, "version": {"1"}, "view": {"board"}, "district": {"310115"}})
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find(`#board`).Length() != 1 || r.doc.Find(`.sidenav`).Length() != 0 {
		t.Fatal("the drag response should be the board region alone")
	}
	if r.doc.Find(fmt.Sprintf(`[data-testid=lane-restructured] [data-testid=card-%d]`, e.ID)).Length() != 1 {
		t.Error("the card did not move lanes")
	}
	if r.doc.Find(fmt.Sprintf(`[data-testid=card-%d]`, other.ID)).Length() != 0 {
		t.Error("the district filter was lost in the drag response")
	}
	if !strings.Contains(r.doc.Find(`[data-testid=move-result]`).Text(), "完成股改") {
		t.Error("no result message")
	}
	// A drop two lanes ahead without a reason is refused, in the board region.
	r = a.htmxPost(move, url.Values{"to_stage": {"filed"}, "version": {"2"}, "view": {"board"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.doc.Find(`[data-testid=move-error]`).Text(), "理由") {
		t.Errorf("move error = %q", r.doc.Find(`[data-testid=move-error]`).Text())
	}
	r = a.htmxPost(move, url.Values{"to_stage": {"filed"}, "version": {"2"}, "view": {"board"}, "reason": {"辅导与股改同步"}})
	wantStatus(t, r, http.StatusOK)
	evs, _ := store.NewListing(a.db).Events(context.Background(), e.ID)
	if last := evs[len(evs)-1]; last.Kind != domain.MoveSkip || last.MovedBy != "admin" || last.OnDate != domain.MustDate("2026-06-30") {
		t.Errorf("last event = %+v", last)
	}

	// Table and funnel views with the stable filter parameters.
	r = a.get("/listing/table?stage=filed")
	wantStatus(t, r, http.StatusOK)
	if got := r.doc.Find(`[data-testid=listing-row]`).Length(); got != 1 {
		t.Errorf("table rows for stage=filed: %d", got)
	}
	r = a.get("/listing/table?district=310104&per_page=1000")
	if got := r.doc.Find(`[data-testid=listing-row]`).Length(); got != 1 {
		t.Errorf("table rows for district: %d", got)
	}
	wantStatus(t, a.get("/listing/funnel?tier=base"), http.StatusOK)

	// A district officer sees and moves only their district's enterprises.
	d := a.as(a.user("xuhui", domain.RoleDistrict, "310104", nil))
	r = d.get("/listing")
	if r.doc.Find(fmt.Sprintf(`[data-testid=card-%d]`, e.ID)).Length() != 0 || r.doc.Find(fmt.Sprintf(`[data-testid=card-%d]`, other.ID)).Length() != 1 {
		t.Error("district scope not applied to the board")
	}
	wantStatus(t, d.post(move, url.Values{"to_stage": {"review"}}), http.StatusNotFound)
	// An enterprise account sees its own stage read-only on its page.
	ent := a.as(a.user("qiye", domain.RoleEnterprise, "", &e.ID))
	r = ent.get(fmt.Sprintf("/enterprises/%d", e.ID))
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find(`[data-testid=listing-stage]`).Length() != 1 || r.doc.Find(`[data-testid=manage-listing]`).Length() != 0 {
		t.Error("enterprise account: stage should show, without the manage link")
	}
	if !strings.Contains(r.doc.Find(`[data-testid=participation]`).Text(), "生物医药专场") {
		t.Error("roadshow participation missing from the enterprise page")
	}
}

func TestListingActivitiesPages(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "路演企业", "310115")
	wantStatus(t, a.get("/listing/activities/new"), http.StatusOK)
	r := a.post("/listing/activities", url.Values{"kind": {"training"}, "title": {"浦江之光第3期"}, "held_on": {"2026-06-12"},
		"participants": {string(e.USCC) + "\n91310000631696382C"}, "investors": {"甲资本"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldError(r, "participants"), "91310000631696382C") || inputValue(r, "title") != "浦江之光第3期" {
		t.Errorf("participants error = %q", fieldError(r, "participants"))
	}
	r = a.post("/listing/activities", url.Values{"kind": {"training"}, "title": {""}, "held_on": {""}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "title") == "" || fieldError(r, "held_on") == "" {
		t.Error("missing title and date not refused")
	}
	r = a.post("/listing/activities", url.Values{"kind": {"training"}, "title": {"浦江之光第3期"}, "held_on": {"2026-06-12"},
		"participants": {strings.ToLower(string(e.USCC))}, "investors": {"甲资本、乙投资"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = a.get(r.Header().Get("Location"))
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.doc.Find(`[data-testid=participants]`).Text(), "路演企业") || !strings.Contains(r.doc.Find(`[data-testid=investors]`).Text(), "乙投资") {
		t.Error("activity page lacks its participant or investors")
	}
	r = a.get("/listing/activities?kind=training")
	if r.doc.Find(`[data-testid=activity-row]`).Length() != 1 {
		t.Error("activity not listed")
	}
	// District officers read events but do not record them.
	d := a.as(a.user("pd", domain.RoleDistrict, "310115", nil))
	wantStatus(t, d.get("/listing/activities"), http.StatusOK)
	wantStatus(t, d.post("/listing/activities", url.Values{"kind": {"training"}}), http.StatusForbidden)
}
