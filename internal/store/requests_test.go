package store_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// proposal builds a request for e proposing a new main product and year figures.
func proposal(e domain.Enterprise, year int, revenue, mainRevenue int64) domain.UpdateRequest {
	prop := e
	prop.MainProduct = "新一代激光雷达"
	y := domain.YearFigures{Year: year, Revenue: money(revenue), MainRevenue: money(mainRevenue), Employees: count(120)}
	return domain.UpdateRequest{EnterpriseID: e.ID, Year: &year,
		Items: domain.DiffRequest(e, prop, []string{"main_product", "name"}, nil, &y)}
}

func TestRequestReviewFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		es, rs := store.NewEnterprises(db), store.NewRequests(db)
		e := newEnterprise("91310000631696382C", "上海精密仪器有限公司", "310115")
		if err := es.Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		other := newEnterprise("9131012056010553X5", "他区企业", "310104")
		if err := es.Create(ctx, store.System, other); err != nil {
			t.Fatal(err)
		}
		own := domain.Scope{EnterpriseID: e.ID}
		ent := store.Actor{Name: "企业"}
		r := proposal(*e, 2025, 5000, 4000)
		if len(r.Items) != 4 { // main_product, employees, revenue, main_revenue
			t.Fatalf("items = %+v", r.Items)
		}
		if err := rs.Save(ctx, ent, own, &r, false); err != nil {
			t.Fatal(err)
		}
		// Another enterprise's scope neither sees nor files for it.
		if _, err := rs.Get(ctx, domain.Scope{EnterpriseID: other.ID}, r.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("other enterprise reads the request: %v", err)
		}
		forged := proposal(*e, 2025, 1, 1)
		if err := rs.Save(ctx, ent, domain.Scope{EnterpriseID: other.ID}, &forged, true); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("filing for another enterprise: %v", err)
		}
		if err := rs.Submit(ctx, ent, own, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		got, err := rs.Get(ctx, own, r.ID)
		if err != nil || got.Status != domain.RequestSubmitted || len(got.Items) != 4 {
			t.Fatalf("submitted: %+v %v", got, err)
		}
		// Nothing reached the registry yet.
		if cur, _ := es.Get(ctx, all, e.ID); cur.MainProduct != "" {
			t.Fatal("a submitted request changed the registry")
		}
		// Staff approve some fields: the year's revenue and head count, not the product.
		staff := store.Actor{Name: "区级审核员"}
		err = rs.Approve(ctx, staff, domain.Scope{District: "310115"}, r.ID, got.Version, []string{"year.revenue", "year.employees"}, "", domain.MustDate("2026-06-30"))
		if err != nil {
			t.Fatal(err)
		}
		y, err := es.Year(ctx, e.ID, 2025)
		if err != nil || *y.Revenue != domain.Wan(5000) || *y.Employees != 120 || y.MainRevenue != nil {
			t.Fatalf("year after approval: %+v %v", y, err)
		}
		if cur, _ := es.Get(ctx, all, e.ID); cur.MainProduct != "" {
			t.Error("an unapproved field was applied")
		}
		got, _ = rs.Get(ctx, own, r.ID)
		if got.Status != domain.RequestPartial {
			t.Errorf("status = %s", got.Status)
		}
		outcomes := map[string]string{}
		for _, it := range got.Items {
			outcomes[it.Field] = it.Outcome
		}
		if outcomes["year.revenue"] != "approved" || outcomes["main_product"] != "rejected" {
			t.Errorf("outcomes = %v", outcomes)
		}
		rows, _, err := store.NewAuditLog(db).List(ctx, store.AuditFilter{EnterpriseID: e.ID, EntityType: "year_figures"})
		if err != nil || len(rows) != 1 || !strings.Contains(rows[0].Summary, "变更申请 #") || len(rows[0].ChangeList()) != 3 { // 年度, 从业人员, 营业收入
			t.Fatalf("audit = %+v %v", rows, err)
		}
		// A finished request cannot be reviewed again.
		if err := rs.Return(ctx, staff, all, r.ID, got.Version, "x"); !errors.Is(err, store.ErrRequestState) {
			t.Errorf("return after approval: %v", err)
		}
	})
}

func TestRequestConflictAndReturn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		es, rs := store.NewEnterprises(db), store.NewRequests(db)
		e := newEnterprise("91310000631696382C", "上海精密仪器有限公司", "310115")
		if err := es.Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		own := domain.Scope{EnterpriseID: e.ID}
		r := proposal(*e, 2025, 5000, 4000)
		if err := rs.Save(ctx, store.System, own, &r, true); err != nil {
			t.Fatal(err)
		}
		// Staff edit the product meanwhile.
		cur, _ := es.Get(ctx, all, e.ID)
		cur.MainProduct = "工业机器人"
		if err := es.Update(ctx, store.System, &cur); err != nil {
			t.Fatal(err)
		}
		err := rs.Approve(ctx, store.System, all, r.ID, r.Version, []string{"main_product", "year.revenue"}, "", domain.MustDate("2026-06-30"))
		var conflict *store.ReviewConflict
		if !errors.As(err, &conflict) || len(conflict.Items) != 1 || conflict.Items[0].Field != "main_product" || *conflict.Items[0].Current != "工业机器人" {
			t.Fatalf("approve over a changed field: %v", err)
		}
		if cur, _ := es.Get(ctx, all, e.ID); cur.MainProduct != "工业机器人" {
			t.Fatal("conflicting value overwritten")
		}
		if _, err := es.Year(ctx, e.ID, 2025); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("a refused approval wrote figures")
		}
		// An invalid combination is refused: main revenue above a revenue left unreported is fine,
		// but approving main revenue above the approved revenue is not.
		r2 := proposal(*e, 2024, 100, 900)
		if err := rs.Save(ctx, store.System, own, &r2, true); err != nil {
			t.Fatal(err)
		}
		var invalid *store.ReviewInvalid
		if err := rs.Approve(ctx, store.System, all, r2.ID, r2.Version, []string{"year.revenue", "year.main_revenue"}, "", domain.MustDate("2026-06-30")); !errors.As(err, &invalid) || invalid.Fields["year.main_revenue"] == "" {
			t.Fatalf("invalid approval: %v", err)
		}
		// Return with a reason; the enterprise edits and resubmits.
		if err := rs.Return(ctx, store.System, all, r.ID, r.Version, ""); !errors.As(err, &invalid) {
			t.Fatalf("return without reason: %v", err)
		}
		if err := rs.Return(ctx, store.System, all, r.ID, r.Version, "请补充审计报告"); err != nil {
			t.Fatal(err)
		}
		got, _ := rs.Get(ctx, own, r.ID)
		if got.Status != domain.RequestReturned || got.Reason != "请补充审计报告" {
			t.Fatalf("returned: %+v", got)
		}
		again := proposal(cur, 2025, 5100, 4000)
		again.ID, again.Version = got.ID, got.Version
		if err := rs.Save(ctx, store.System, own, &again, true); err != nil {
			t.Fatal(err)
		}
		if err := rs.Approve(ctx, store.System, all, again.ID, again.Version, []string{"main_product"}, "", domain.MustDate("2026-06-30")); err != nil {
			t.Fatalf("approve resubmitted: %v", err)
		}
		if cur, _ := es.Get(ctx, all, e.ID); cur.MainProduct != "新一代激光雷达" {
			t.Errorf("product = %s", cur.MainProduct)
		}
	})
}

func TestRequestFilesPolicyAndAnnual(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		es, rs := store.NewEnterprises(db), store.NewRequests(db)
		e := newEnterprise("91310000631696382C", "上海精密仪器有限公司", "310115")
		if err := es.Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		own := domain.Scope{EnterpriseID: e.ID}
		r := proposal(*e, 2025, 5000, 4000)
		if err := rs.Save(ctx, store.System, own, &r, false); err != nil {
			t.Fatal(err)
		}
		data := []byte("%PDF-1.4 \x00\x01\x02\xff binary")
		f := domain.RequestFile{RequestID: r.ID, Field: "year.revenue", Filename: "审计报告.pdf", ContentType: "application/pdf", SHA256: "x", Data: data}
		if err := rs.AddFile(ctx, store.System, own, &f); err != nil {
			t.Fatal(err)
		}
		got, err := rs.File(ctx, own, r.ID, f.ID)
		if err != nil || string(got.Data) != string(data) || got.Size != int64(len(data)) {
			t.Fatalf("file round trip: %v %q", err, got.Data)
		}
		if _, err := rs.File(ctx, domain.Scope{EnterpriseID: e.ID + 1}, r.ID, f.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("file out of scope: %v", err)
		}
		if req, _ := rs.Get(ctx, own, r.ID); len(req.Files) != 1 || req.Files[0].Data != nil {
			t.Errorf("listing files: %+v", req.Files)
		}

		p, err := rs.Policy(ctx)
		if err != nil || !p.Direct("contact_phone") || p.Direct("main_product") {
			t.Fatalf("default policy: %v %v", p, err)
		}
		shown := maps.Clone(p)
		p["main_product"], p["address"] = true, false
		if err := rs.SetPolicy(ctx, store.System, shown, p); err != nil {
			t.Fatal(err)
		}
		if p, _ = rs.Policy(ctx); !p.Direct("main_product") || p.Direct("address") || !p.Direct("contact_person") {
			t.Errorf("stored policy: %v", p)
		}
		// A second editor still looking at the page as it was before that save is refused,
		// told what is stored now, and changes nothing.
		late := maps.Clone(shown)
		late["contact_phone"] = false
		var stale *store.PolicyStale
		if err := rs.SetPolicy(ctx, store.System, shown, late); !errors.As(err, &stale) || !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale save: %v, want *PolicyStale", err)
		} else if !stale.Current.Direct("main_product") {
			t.Errorf("stale error's current policy: %v", stale.Current)
		}
		if p, _ = rs.Policy(ctx); !p.Direct("main_product") || !p.Direct("contact_phone") {
			t.Errorf("a refused save changed the policy: %v", p)
		}

		// Annual update: a specialized enterprise with no 2025 figures is listed until they exist.
		if err := db.W.Exec("UPDATE enterprises SET tier = 'specialized' WHERE id = ?", e.ID).Error; err != nil {
			t.Fatal(err)
		}
		items, total, _, err := rs.MissingAnnual(ctx, domain.Scope{District: "310115"}, 2025, 1, 50)
		if err != nil || total != 1 || items[0].ID != e.ID {
			t.Fatalf("missing: %v %d %v", items, total, err)
		}
		if _, total, _, _ = rs.MissingAnnual(ctx, domain.Scope{District: "310104"}, 2025, 1, 50); total != 0 {
			t.Error("another district sees it")
		}
		y := domain.YearFigures{EnterpriseID: e.ID, Year: 2025}
		if err := es.SaveYear(ctx, store.System, &y); err != nil {
			t.Fatal(err)
		}
		if _, total, _, _ = rs.MissingAnnual(ctx, all, 2025, 1, 50); total != 0 {
			t.Error("still missing after filing")
		}
		rows, n, err := rs.List(ctx, store.RequestFilter{Scope: all})
		if err != nil || n != 1 || rows[0].EnterpriseName != e.Name || rows[0].ItemCount != 4 {
			t.Fatalf("list: %+v %d %v", rows, n, err)
		}
		if recent, err := rs.Recent(ctx, store.RequestFilter{Scope: domain.Scope{EnterpriseID: e.ID}, EnterpriseID: e.ID, PerPage: 5}); err != nil ||
			len(recent) != 1 || recent[0].ID != rows[0].ID || recent[0].ItemCount != 4 {
			t.Fatalf("recent: %+v %v", recent, err)
		}
		if recent, _ := rs.Recent(ctx, store.RequestFilter{Scope: domain.Scope{EnterpriseID: e.ID + 1}, EnterpriseID: e.ID}); len(recent) != 0 {
			t.Errorf("recent out of scope: %+v", recent)
		}
	})
}

// The portal home's reads: the enterprise's specialist, its demands and the field policy.
func TestPortalHomeReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newServiceFixture(t, db)
		rs := store.NewRequests(db)
		all := domain.Scope{All: true}

		if sp, err := rs.Specialist(ctx, f.ent.ID); err != nil || sp != nil {
			t.Fatalf("unassigned enterprise's specialist: %+v %v", sp, err)
		}
		if ds, err := rs.Demands(ctx, f.ent.ID); err != nil || len(ds) != 0 {
			t.Fatalf("demands before any: %+v %v", ds, err)
		}
		f.assign(t, f.ent, f.spec)
		if sp, err := rs.Specialist(ctx, f.ent.ID); err != nil || sp == nil || sp.Name != "spec1" {
			t.Fatalf("specialist: %+v %v", sp, err)
		}
		if err := f.svc.Reassign(ctx, store.System, all, f.ent.ID, f.spec2.ID, "工作调整"); err != nil {
			t.Fatal(err)
		}
		if sp, err := rs.Specialist(ctx, f.ent.ID); err != nil || sp == nil || sp.Name != "spec2" {
			t.Fatalf("specialist after reassignment: %+v %v", sp, err)
		}

		today := domain.MustDate("2026-06-30")
		v := domain.Visit{EnterpriseID: f.ent.ID, SpecialistID: &f.spec2.ID, VisitedOn: today, Kind: domain.VisitOnSite, Summary: "了解经营情况"}
		if err := f.svc.CreateVisit(ctx, store.Actor{UserID: f.spec2.ID, Name: "spec2"}, f.spec2.Scope(), &v, []domain.Demand{
			{Category: domain.DemandFinance, Description: "需要流动资金贷款"},
			{Category: domain.DemandTalent, Description: "引进博士落户"},
		}); err != nil {
			t.Fatal(err)
		}
		ds, err := rs.Demands(ctx, f.ent.ID)
		if err != nil || len(ds) != 2 {
			t.Fatalf("demands: %+v %v", ds, err)
		}
		if ds[0].Category != string(domain.DemandTalent) || ds[1].Description != "需要流动资金贷款" ||
			ds[1].RaisedOn != today || ds[1].DueOn.String() != "2026-07-21" || ds[1].Status != string(domain.DemandPending) {
			t.Errorf("demands, newest first: %+v", ds)
		}
		if ds, _ := rs.Demands(ctx, f.other.ID); len(ds) != 0 {
			t.Errorf("another enterprise's demands: %+v", ds)
		}

		// More than a page of demands: the newest 20, newest first.
		for i := 0; i < 11; i++ {
			if err := f.svc.CreateVisit(ctx, store.Actor{UserID: f.spec2.ID, Name: "spec2"}, f.spec2.Scope(),
				&domain.Visit{EnterpriseID: f.ent.ID, SpecialistID: &f.spec2.ID, VisitedOn: today, Kind: domain.VisitOnSite, Summary: "回访"},
				[]domain.Demand{{Category: domain.DemandFinance, Description: "a"}, {Category: domain.DemandTalent, Description: "b"}}); err != nil {
				t.Fatal(err)
			}
		}
		if ds, err = rs.Demands(ctx, f.ent.ID); err != nil || len(ds) != 20 || ds[0].Description != "b" || ds[19].Description != "a" {
			t.Fatalf("newest 20 of 24 demands: %d %v", len(ds), err)
		}
		for i := 1; i < len(ds); i++ {
			if ds[i].ID >= ds[i-1].ID {
				t.Fatalf("demands not newest first: %d after %d", ds[i].ID, ds[i-1].ID)
			}
		}

		// The policy is the caller's own: changing it changes nothing stored.
		p, err := rs.Policy(ctx)
		if err != nil || p.Direct("main_product") {
			t.Fatalf("default policy: %v %v", p, err)
		}
		p["main_product"] = true
		if p, _ = rs.Policy(ctx); p.Direct("main_product") {
			t.Errorf("a caller's change leaked into the policy: %v", p)
		}
	})
}
