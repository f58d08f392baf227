package web_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/PuerkitoBio/goquery"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

var _ = storetest.SQLite

// seedRequest files a submitted request for e proposing a new main product, with one PDF.
func seedRequest(t *testing.T, db *store.DB, e domain.Enterprise) (domain.UpdateRequest, int64) {
	t.Helper()
	ctx := context.Background()
	prop := e
	prop.MainProduct = "激光雷达"
	r := domain.UpdateRequest{EnterpriseID: e.ID, Items: domain.DiffRequest(e, prop, []string{"main_product"}, nil, nil)}
	sc := domain.Scope{EnterpriseID: e.ID}
	rs := store.NewRequests(db)
	if err := rs.Save(ctx, store.System, sc, &r, false); err != nil {
		t.Fatal(err)
	}
	f := domain.RequestFile{RequestID: r.ID, Filename: "证明.pdf", ContentType: "application/pdf", SHA256: "-", Data: []byte("%PDF-1.4 test")}
	if err := rs.AddFile(ctx, store.System, sc, &f); err != nil {
		t.Fatal(err)
	}
	if err := rs.Submit(ctx, store.System, sc, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	got, err := rs.Get(ctx, sc, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got, f.ID
}

// upload posts a multipart form with one file, as the browser's upload form does.
func (c *client) upload(path, field, filename string, data []byte) response {
	c.a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("_csrf", c.csrf)
	_ = mw.WriteField("field", field)
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestPortalRequestFlow(t *testing.T) {
	w := newWorld(t)
	ent, district := w.clients[domain.RoleEnterprise], w.clients[domain.RoleDistrict]

	res := ent.get("/")
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/portal" {
		t.Fatalf("enterprise home → %d %s", res.Code, res.Header().Get("Location"))
	}
	res = ent.get("/portal")
	wantStatus(t, res, http.StatusOK)
	for _, id := range []string{"annual", "next-rung", "benefits", "specialist", "demands", "direct", "policy"} {
		if res.doc.Find(`[data-testid="`+id+`"]`).Length() == 0 {
			t.Errorf("portal has no %s section", id)
		}
	}
	if got := strings.TrimSpace(res.doc.Find(`[data-testid=specialist-name]`).Text()); got != "spec" {
		t.Errorf("specialist = %q", got)
	}

	// A bad value: 422 with the field's message and what was typed kept.
	form := url.Values{"year": {"2024"}, "revenue": {"12,000"}, "rd_expense": {"abc"}, "action": {"submit"}}
	res = ent.post("/portal/requests", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if fieldError(res, "rd_expense") == "" || inputValue(res, "revenue") != "12,000" || inputValue(res, "rd_expense") != "abc" {
		t.Fatalf("bad value: error %q, revenue %q", fieldError(res, "rd_expense"), inputValue(res, "revenue"))
	}
	form.Set("rd_expense", "800")
	res = ent.post("/portal/requests", form)
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header().Get("Location")
	var rid int64
	fmt.Sscanf(loc, "/portal/requests/%d", &rid)
	r, err := store.NewRequests(w.db).Get(context.Background(), all, rid)
	if err != nil || r.Status != domain.RequestSubmitted || len(r.Items) != 2 {
		t.Fatalf("request: %+v %v", r, err)
	}
	if _, err := store.NewEnterprises(w.db).Year(context.Background(), w.own.ID, 2024); err == nil {
		t.Fatal("a submitted request wrote figures")
	}

	// The district officer sees it with its eligibility effect and approves revenue only.
	res = district.get("/review")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body.String(), fmt.Sprintf("#%d", rid)) {
		t.Error("request not in the district's queue")
	}
	res = district.get(fmt.Sprintf("/review/%d", rid))
	wantStatus(t, res, http.StatusOK)
	if res.doc.Find(`[data-testid=effect] li`).Length() != 3 {
		t.Errorf("effect lines: %q", res.doc.Find(`[data-testid=effect]`).Text())
	}
	res = district.post(fmt.Sprintf("/review/%d/approve", rid), url.Values{"version": {fmt.Sprint(r.Version)}, "fields": {"year.revenue"}, "note": {"研发费用请附审计报告"}})
	wantStatus(t, res, http.StatusSeeOther)
	y, err := store.NewEnterprises(w.db).Year(context.Background(), w.own.ID, 2024)
	if err != nil || y.Revenue == nil || *y.Revenue != domain.Wan(12000) || y.RDExpense != nil {
		t.Fatalf("registry after partial approval: %+v %v", y, err)
	}
	res = ent.get(loc)
	wantStatus(t, res, http.StatusOK)
	if st, _ := res.doc.Find(`[data-testid=request-status]`).Attr("data-status"); st != "partial" || !strings.Contains(res.doc.Find(`[data-testid=review-reason]`).Text(), "审计报告") {
		t.Errorf("enterprise sees status %s, reason %q", st, res.doc.Find(`[data-testid=review-reason]`).Text())
	}
}

func TestPortalConflict(t *testing.T) {
	w := newWorld(t)
	// Staff change the main product after the seeded request proposed one.
	cur, _ := store.NewEnterprises(w.db).Get(context.Background(), all, w.own.ID)
	cur.MainProduct = "工业相机"
	if err := store.NewEnterprises(w.db).Update(context.Background(), store.System, &cur); err != nil {
		t.Fatal(err)
	}
	city := w.clients[domain.RoleCity]
	res := city.get(fmt.Sprintf("/review/%d", w.request.ID))
	wantStatus(t, res, http.StatusOK)
	if res.doc.Find(`[data-testid=conflict]`).Length() != 1 {
		t.Error("review page does not flag the conflict")
	}
	res = city.post(fmt.Sprintf("/review/%d/approve", w.request.ID), url.Values{"version": {fmt.Sprint(w.request.Version)}, "fields": {"main_product"}})
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(fieldError(res, "fields"), "冲突") || !strings.Contains(res.doc.Find(`[data-testid=conflict]`).Text(), "工业相机") {
		t.Errorf("conflict message %q", fieldError(res, "fields"))
	}
	if got, _ := store.NewEnterprises(w.db).Get(context.Background(), all, w.own.ID); got.MainProduct != "工业相机" {
		t.Fatalf("conflicting value overwritten: %s", got.MainProduct)
	}
	// Returned with a reason, the enterprise sees it and can edit.
	res = city.post(fmt.Sprintf("/review/%d/return", w.request.ID), url.Values{"version": {fmt.Sprint(w.request.Version)}, "reason": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = city.post(fmt.Sprintf("/review/%d/return", w.request.ID), url.Values{"version": {fmt.Sprint(w.request.Version)}, "reason": {"主导产品已由区里更新，请核对"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = w.clients[domain.RoleEnterprise].get(fmt.Sprintf("/portal/requests/%d/edit", w.request.ID))
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.doc.Find(`[data-testid=returned-reason]`).Text(), "请核对") {
		t.Error("the enterprise does not see the reason when editing")
	}
}

func TestPortalIsolationAndUploads(t *testing.T) {
	w := newWorld(t)
	ent := w.clients[domain.RoleEnterprise]
	theirs, theirFile := seedRequest(t, w.db, w.other)
	for _, p := range []string{fmt.Sprintf("/portal/requests/%d", theirs.ID), fmt.Sprintf("/portal/requests/%d/edit", theirs.ID),
		fmt.Sprintf("/requests/%d/files/%d", theirs.ID, theirFile), fmt.Sprintf("/requests/%d/files/%d", w.request.ID, theirFile)} {
		if res := ent.get(p); res.Code != http.StatusNotFound {
			t.Errorf("enterprise GET %s: %d, want 404", p, res.Code)
		}
	}
	if res := ent.post(fmt.Sprintf("/portal/requests/%d", theirs.ID), url.Values{"main_product": {"x"}, "version": {"1"}}); res.Code != http.StatusNotFound {
		t.Errorf("editing another's request: %d", res.Code)
	}
	if res := w.clients[domain.RoleDistrict].get(fmt.Sprintf("/requests/%d/files/%d", theirs.ID, theirFile)); res.Code != http.StatusNotFound {
		t.Errorf("district officer downloads another district's evidence: %d", res.Code)
	}
	// A forged enterprise id in the form is ignored: the request is the account's own.
	res := ent.post("/portal/requests", url.Values{"enterprise_id": {fmt.Sprint(w.other.ID)}, "main_product": {"伪造"}, "action": {"draft"}})
	wantStatus(t, res, http.StatusSeeOther)
	var rid int64
	fmt.Sscanf(res.Header().Get("Location"), "/portal/requests/%d", &rid)
	mine, err := store.NewRequests(w.db).Get(context.Background(), all, rid)
	if err != nil || mine.EnterpriseID != w.own.ID {
		t.Fatalf("forged request: %+v %v", mine, err)
	}
	// Own evidence downloads; uploads are checked by content and size.
	res = ent.get(fmt.Sprintf("/requests/%d/files/%d", w.request.ID, w.file))
	wantStatus(t, res, http.StatusOK)
	if res.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body.String(), "%PDF") {
		t.Errorf("download: %s", res.Header().Get("Content-Type"))
	}
	up := fmt.Sprintf("/portal/requests/%d/files", rid)
	res = ent.upload(up, "main_product", "营业执照.pdf", []byte("\x89PNG\r\n\x1a\n....."))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldError(res, "file"), "不符") {
		t.Errorf("mislabelled upload: %q", fieldError(res, "file"))
	}
	res = ent.upload(up, "main_product", "大文件.pdf", append([]byte("%PDF-1.7"), make([]byte, domain.MaxEvidenceBytes+10)...))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldError(res, "file"), "过大") {
		t.Errorf("oversized upload: %q", fieldError(res, "file"))
	}
	res = ent.upload(up, "main_product", "产品照片.png", []byte("\x89PNG\r\n\x1a\n....."))
	wantStatus(t, res, http.StatusSeeOther)
	if got, _ := store.NewRequests(w.db).Get(context.Background(), all, rid); len(got.Files) != 1 || got.Files[0].ContentType != "image/png" {
		t.Errorf("files: %+v", got.Files)
	}
}

func TestAnnualMissingAndPolicy(t *testing.T) {
	w := newWorld(t)
	if err := w.db.W.Exec("UPDATE enterprises SET tier = 'specialized' WHERE id IN (?, ?)", w.own.ID, w.other.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.db.W.Exec("DELETE FROM year_figures WHERE year = 2025").Error; err != nil {
		t.Fatal(err)
	}
	res := w.clients[domain.RoleDistrict].get("/review/annual")
	wantStatus(t, res, http.StatusOK)
	if n := res.doc.Find(`[data-testid=annual-row]`).Length(); n != 1 || !strings.Contains(res.Body.String(), w.own.Name) {
		t.Errorf("district sees %d rows", n)
	}
	res = w.clients[domain.RoleEnterprise].get("/portal")
	if st, _ := res.doc.Find(`[data-testid=annual-state]`).Attr("data-state"); st != "overdue" {
		t.Errorf("annual state = %q", st)
	}
	// The admin makes the main product direct; the portal's direct form then carries it.
	wantStatus(t, w.post("/admin/portal-fields", policyForm(w.get("/admin/portal-fields"), "main_product", "contact_phone", "name")), http.StatusSeeOther)
	res = w.clients[domain.RoleEnterprise].get("/portal")
	if res.doc.Find(`[data-testid=direct-form] [name=main_product]`).Length() != 1 || res.doc.Find(`[data-testid=direct-form] [name=name]`).Length() != 0 {
		t.Error("direct form does not follow the policy")
	}
	res = w.clients[domain.RoleEnterprise].post("/portal/contact", url.Values{"version": {fmt.Sprint(mustGet(t, w).Version)}, "main_product": {"智能传感器"}, "contact_phone": {"bad!"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = w.clients[domain.RoleEnterprise].post("/portal/contact", url.Values{"version": {fmt.Sprint(mustGet(t, w).Version)}, "main_product": {"智能传感器"}, "contact_phone": {"021-61234567"}})
	wantStatus(t, res, http.StatusSeeOther)
	if got := mustGet(t, w); got.MainProduct != "智能传感器" || got.ContactPhone != "021-61234567" {
		t.Errorf("direct edit: %+v", got)
	}
}

// policyForm is the field-policy form as a page showed it (its was_direct lock) with
// the given boxes ticked.
func policyForm(page response, direct ...string) url.Values {
	form := url.Values{"direct": direct}
	page.doc.Find(`[data-testid=policy-form] input[name=was_direct]`).Each(func(_ int, s *goquery.Selection) {
		form.Add("was_direct", s.AttrOr("value", ""))
	})
	return form
}

// Two administrators edit the field policy from pages read at the same time: the
// second save is refused with what changed, keeps its ticks, and stores nothing until
// it is saved again from the refreshed page.
func TestFieldPolicyConcurrentEdits(t *testing.T) {
	w := newTestApp(t)
	other := w.as(w.user("admin2", domain.RoleAdmin, "", nil))
	first, second := w.get("/admin/portal-fields"), other.get("/admin/portal-fields")
	wantStatus(t, w.post("/admin/portal-fields", policyForm(first, "main_product", "contact_phone")), http.StatusSeeOther)

	res := other.post("/admin/portal-fields", policyForm(second, "contact_phone", "address"))
	wantStatus(t, res, http.StatusConflict)
	msg := res.doc.Find(`[data-testid=policy-conflict]`).Text()
	if !strings.Contains(msg, "已被他人修改") || !strings.Contains(msg, "现为企业直接修改") {
		t.Errorf("conflict message: %q", msg)
	}
	if _, ok := res.doc.Find(`[data-testid=policy-form] input[name=direct][value=address]`).Attr("checked"); !ok {
		t.Error("the refused form lost the box its editor ticked")
	}
	p, err := store.NewRequests(w.db).Policy(context.Background())
	if err != nil || !p.Direct("main_product") || p.Direct("address") {
		t.Fatalf("after the refused save: %v %v", p, err)
	}
	// Saving again from the refused page is a deliberate overwrite, based on what is stored now.
	wantStatus(t, other.post("/admin/portal-fields", policyForm(res, "contact_phone", "address")), http.StatusSeeOther)
	if p, _ = store.NewRequests(w.db).Policy(context.Background()); p.Direct("main_product") || !p.Direct("address") {
		t.Errorf("after the second save: %v", p)
	}
}

func mustGet(t *testing.T, w *world) domain.Enterprise {
	e, err := store.NewEnterprises(w.db).Get(context.Background(), all, w.own.ID)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
