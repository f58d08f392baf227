package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

type serviceIDs struct{ demand, day, specialist int64 }

// seedService gives the security world a visit with a demand and a service day for
// enterprise, recorded by specialist.
func seedService(t *testing.T, db *store.DB, enterprise, specialist int64) serviceIDs {
	t.Helper()
	ctx := context.Background()
	svc := store.NewService(db)
	day := domain.ServiceDay{HeldOn: domain.MustDate("2026-06-01"), DistrictCode: "310115", Place: "张江", Theme: "政策宣讲"}
	if err := svc.CreateServiceDay(ctx, store.System, domain.Scope{All: true}, &day, []int64{enterprise}); err != nil {
		t.Fatal(err)
	}
	v := domain.Visit{EnterpriseID: enterprise, SpecialistID: &specialist, VisitedOn: domain.MustDate("2026-06-01"),
		Kind: domain.VisitServiceDay, Summary: "现场", ServiceDayID: &day.ID}
	ds := []domain.Demand{{Category: domain.DemandFinance, Description: "贷款"}}
	if err := svc.CreateVisit(ctx, store.System, domain.Scope{All: true}, &v, ds); err != nil {
		t.Fatal(err)
	}
	got, _ := svc.DemandsFor(ctx, enterprise, 1)
	return serviceIDs{demand: got[0].ID, day: day.ID, specialist: specialist}
}

// visitForm is a valid visit with n demands.
func visitForm(enterprise int64, n int) url.Values {
	f := url.Values{"enterprise_id": {fmt.Sprint(enterprise)}, "visited_on": {"2026-06-29"}, "kind": {"onsite"},
		"participants": {"总经理 张某"}, "summary": {"了解企业扩产计划"}, "op": {"save"}}
	cats := []string{"finance", "talent", "land"}
	for i := range n {
		f.Add("demand_category", cats[i%3])
		f.Add("demand_description", fmt.Sprintf("诉求%d", i+1))
		f.Add("demand_department", "")
	}
	return f
}

func TestVisitWithDemands(t *testing.T) {
	w := newWorld(t)
	spec := w.clients[domain.RoleSpecialist]

	// The form offers the specialist's own enterprise, not the other one.
	r := spec.get("/service/visits/new")
	wantStatus(t, r, http.StatusOK)
	opts := r.doc.Find(`[data-testid=visit-enterprise] option`).Text()
	if !strings.Contains(opts, w.own.Name) || strings.Contains(opts, w.other.Name) {
		t.Fatalf("enterprise options %q", opts)
	}
	// "Add a demand" re-renders with one more row and keeps what was typed.
	f := visitForm(w.own.ID, 1)
	f.Set("op", "add")
	r = spec.post("/service/visits", f)
	wantStatus(t, r, http.StatusOK)
	if n := r.doc.Find(`[name=demand_category]`).Length(); n != 2 {
		t.Fatalf("%d demand rows after adding, want 2", n)
	}
	if got := r.doc.Find(`#summary`).Text(); got != "了解企业扩产计划" {
		t.Errorf("summary lost: %q", got)
	}

	// Invalid: a demand row with a category but no text; everything typed comes back.
	f = visitForm(w.own.ID, 2)
	f["demand_description"][1] = ""
	r = spec.post("/service/visits", f)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "demand_2_description") == "" {
		t.Errorf("no error on the second demand")
	}
	if r.doc.Find(`[name=demand_description]`).First().Text() != "诉求1" {
		t.Errorf("first demand text lost")
	}

	// Valid: one submit, a visit and two demands.
	r = spec.post("/service/visits", visitForm(w.own.ID, 2))
	wantStatus(t, r, http.StatusSeeOther)
	ds, _ := store.NewService(w.db).DemandsFor(context.Background(), w.own.ID, 10)
	if len(ds) != 3 { // 1 seeded
		t.Fatalf("%d demands, want 3", len(ds))
	}
	r = spec.get(fmt.Sprintf("/enterprises/%d", w.own.ID))
	if n := r.doc.Find(`[data-testid=service] [data-testid=visit-row]`).Length(); n != 3 { // service day, seeded, new
		t.Errorf("%d visits on the enterprise page, want 3", n)
	}
	if !strings.Contains(r.doc.Find(`[data-testid=history]`).Text(), "记录走访") {
		t.Error("the visit is not in the enterprise's audit trail")
	}

	// A forged request for the other enterprise is refused and writes nothing.
	r = spec.post("/service/visits", visitForm(w.other.ID, 1))
	if r.Code != http.StatusNotFound {
		t.Fatalf("forged visit: %d, want 404", r.Code)
	}
	vs, _ := store.NewService(w.db).VisitsFor(context.Background(), w.other.ID, 10)
	if len(vs) != 0 {
		t.Fatalf("forged visit stored: %+v", vs)
	}
	// The same for the district officer of another district (徐汇 enterprise is not 浦东's).
	r = w.clients[domain.RoleDistrict].post("/service/visits", visitForm(w.other.ID, 0))
	if r.Code != http.StatusNotFound {
		t.Fatalf("district officer's out-of-district visit: %d", r.Code)
	}
}

func TestDemandStatusAndBoard(t *testing.T) {
	w := newWorld(t)
	id := w.service.demand
	path := fmt.Sprintf("/service/demands/%d", id)
	spec := w.clients[domain.RoleSpecialist]

	// Closing from 待受理 is not allowed; closing needs a resolution.
	r := spec.post(path+"/status", url.Values{"version": {"1"}, "to": {"closed"}, "resolution": {"x"}, "satisfaction": {"satisfied"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = spec.post(path+"/status", url.Values{"version": {"1"}, "to": {"in_progress"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = spec.post(path+"/status", url.Values{"version": {"2"}, "to": {"closed"}, "satisfaction": {"satisfied"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "resolution") == "" {
		t.Error("no resolution message")
	}
	// A stale version is a 409.
	r = spec.post(path+"/status", url.Values{"version": {"1"}, "to": {"closed"}, "resolution": {"已放款"}, "satisfaction": {"satisfied"}})
	wantStatus(t, r, http.StatusConflict)
	r = spec.post(path+"/status", url.Values{"version": {"2"}, "to": {"closed"}, "resolution": {"已放款"}, "satisfaction": {"fair"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = spec.get(path)
	if got := strings.TrimSpace(r.doc.Find(`[data-testid=demand-status]`).Text()); got != "已办结" {
		t.Errorf("status %q", got)
	}

	// Board: an overdue demand is marked; the 徐汇 officer does not see 浦东's.
	ctx := context.Background()
	v := domain.Visit{EnterpriseID: w.own.ID, VisitedOn: domain.MustDate("2026-01-05"), Kind: domain.VisitPhone, Summary: "电话回访"}
	if err := store.NewService(w.db).CreateVisit(ctx, store.System, all, &v, []domain.Demand{{Category: domain.DemandPolicy, Description: "补贴未到账"}}); err != nil {
		t.Fatal(err)
	}
	r = w.client.get("/service/demands")
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find(`[data-testid=board-table] [data-overdue=true] [data-testid=overdue]`).Length() != 1 {
		t.Errorf("overdue demand not marked:\n%s", r.doc.Find(`[data-testid=board-table]`).Text())
	}
	if r.doc.Find(`[data-testid=category-defaults] tbody tr`).Length() != len(domain.DemandCategories) {
		t.Error("category defaults table missing")
	}
	r = w.client.get("/service/demands?overdue=1&category=policy&district=310115")
	if n := r.doc.Find(`[data-testid=demand-row]`).Length(); n != 1 {
		t.Errorf("overdue filter: %d rows", n)
	}
	xuhui := w.as(w.user("xuhui", domain.RoleDistrict, "310104", nil))
	r = xuhui.get("/service/demands?status=all")
	if n := r.doc.Find(`[data-testid=demand-row]`).Length(); n != 0 {
		t.Errorf("徐汇 officer sees %d 浦东 demands", n)
	}
	wantStatus(t, xuhui.get(path), http.StatusNotFound)

	// Bulk routing accepts and routes.
	ds, _ := store.NewService(w.db).DemandsFor(ctx, w.own.ID, 10)
	r = w.clients[domain.RoleDistrict].post("/service/demands/route", url.Values{"id": {fmt.Sprint(ds[0].ID)}, "department": {"区财政局"}})
	wantStatus(t, r, http.StatusSeeOther)
	d, _ := store.NewService(w.db).GetDemand(ctx, all, ds[0].ID)
	if d.Department != "区财政局" || d.Status != domain.DemandInProgress {
		t.Errorf("routed demand: %+v", d.Demand)
	}
	// Routing a demand outside one's district moves nothing.
	r = xuhui.post("/service/demands/route", url.Values{"id": {fmt.Sprint(ds[0].ID)}, "department": {"徐汇"}})
	d, _ = store.NewService(w.db).GetDemand(ctx, all, ds[0].ID)
	if d.Department != "区财政局" {
		t.Errorf("another district re-routed it: %d %+v", r.Code, d.Demand)
	}
}

// TestConcurrentAssignmentRequests fires parallel assignment requests at one enterprise
// through the web layer; exactly one specialist ends up assigned.
func TestConcurrentAssignmentRequests(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.db.W.Exec("UPDATE enterprises SET tier = 'specialized' WHERE id = ?", w.other.ID).Error; err != nil {
		t.Fatal(err)
	}
	var specs []int64
	for i := range 4 {
		specs = append(specs, w.user(fmt.Sprintf("xh%d", i), domain.RoleSpecialist, "310104", nil).ID)
	}
	r := w.client.get("/service/unassigned")
	if !strings.Contains(r.doc.Find(`[data-testid=unassigned-table]`).Text(), w.other.Name) {
		t.Fatal("specialized enterprise without a specialist is not in the queue")
	}
	city := w.clients[domain.RoleCity]
	var wg sync.WaitGroup
	codes := make([]int, 12)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"id": {fmt.Sprint(w.other.ID)}, "specialist_id": {fmt.Sprint(specs[i%4])}}
			codes[i] = city.post("/service/assignments", form).Code
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			ok++
		case http.StatusConflict:
		default:
			t.Errorf("status %d", c)
		}
	}
	var open int64
	w.db.R.Table("assignments").Where("enterprise_id = ? AND ended_at IS NULL", w.other.ID).Count(&open)
	if ok != 1 || open != 1 {
		t.Fatalf("%d requests succeeded, %d open assignments; want exactly 1 of each", ok, open)
	}
	r = w.client.get("/service/unassigned")
	if strings.Contains(r.doc.Find(`[data-testid=unassigned-table]`).Text(), w.other.Name) {
		t.Error("still in the queue")
	}
	// Reassignment needs a reason and keeps history.
	cur, _ := store.NewService(w.db).Current(ctx, w.other.ID)
	next := specs[0]
	if cur.SpecialistID == next {
		next = specs[1]
	}
	path := fmt.Sprintf("/enterprises/%d/specialist", w.other.ID)
	r = city.post(path, url.Values{"specialist_id": {fmt.Sprint(next)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if fieldError(r, "reason") == "" {
		t.Error("no reason message")
	}
	r = city.post(path, url.Values{"specialist_id": {fmt.Sprint(w.service.specialist)}, "reason": {"调整"}})
	wantStatus(t, r, http.StatusUnprocessableEntity) // a 浦东 specialist cannot serve 徐汇
	r = city.post(path, url.Values{"specialist_id": {fmt.Sprint(next)}, "reason": {"工作调整"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = city.get(fmt.Sprintf("/enterprises/%d", w.other.ID))
	if n := r.doc.Find(`[data-testid=assignment-history] tbody tr`).Length(); n != 2 {
		t.Errorf("history rows %d, want 2", n)
	}
}

func TestSpecialistHomeAndCoverage(t *testing.T) {
	w := newWorld(t)
	if err := w.db.W.Exec("UPDATE enterprises SET tier = 'specialized', tier_valid_until = '2026-09-30' WHERE id = ?", w.own.ID).Error; err != nil {
		t.Fatal(err)
	}
	spec := w.clients[domain.RoleSpecialist]
	r := spec.get("/")
	if loc := r.Header().Get("Location"); loc != "/service/home" {
		t.Fatalf("specialist home → %s", loc)
	}
	r = spec.get("/service/home")
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find(`[data-testid=expiring-row]`).Length() != 1 {
		t.Error("expiring title not listed")
	}
	// The seeded demand (finance, raised 2026-06-01, due 2026-06-22) is overdue on 2026-06-30.
	if r.doc.Find(`[data-testid=due-soon] [data-testid=overdue]`).Length() != 1 {
		t.Errorf("overdue demand not on the workbench: %s", r.doc.Find(`[data-testid=due-soon]`).Text())
	}
	if r.doc.Find(`[data-testid=owed-row]`).Length() != 0 {
		t.Error("visited enterprise listed as owed")
	}
	r = w.client.get("/service/coverage")
	wantStatus(t, r, http.StatusOK)
	if n := r.doc.Find(`[data-testid=coverage-row]`).Length(); n != 1 {
		t.Errorf("%d coverage rows", n)
	}
	if !strings.Contains(r.doc.Find(`[data-testid=coverage-row]`).Text(), "100%") {
		t.Errorf("coverage: %s", r.doc.Find(`[data-testid=coverage-row]`).Text())
	}
	r = w.client.get(fmt.Sprintf("/service/specialists/%d", w.service.specialist))
	if r.doc.Find(`[data-testid=workload-row]`).Length() != 1 {
		t.Error("workload page")
	}
	// Service day form: an unknown code is refused by name.
	r = w.clients[domain.RoleDistrict].post("/service/days", url.Values{"held_on": {"2026-07-10"}, "district": {"310115"},
		"place": {"张江"}, "theme": {"融资"}, "enterprises": {string(w.own.USCC) + "\n" + string(w.other.USCC)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldError(r, "enterprises"), string(w.other.USCC)) {
		t.Errorf("enterprises error %q", fieldError(r, "enterprises"))
	}
	r = w.clients[domain.RoleDistrict].post("/service/days", url.Values{"held_on": {"2026-07-10"}, "district": {"310115"},
		"place": {"张江"}, "theme": {"融资"}, "enterprises": {string(w.own.USCC)}})
	wantStatus(t, r, http.StatusSeeOther)
	r = spec.get(r.Header().Get("Location"))
	if r.doc.Find(`[data-testid=visit-row]`).Length() != 1 {
		t.Error("service day visit missing")
	}
}
