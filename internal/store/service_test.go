package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

type serviceFixture struct {
	db          *store.DB
	svc         *store.Service
	ent, other  domain.Enterprise // 浦东 (specialized), 徐汇
	spec, spec2 domain.User       // 浦东 specialists
	xuhui       domain.User       // a 徐汇 specialist
}

func newServiceFixture(t *testing.T, db *store.DB) serviceFixture {
	t.Helper()
	ctx := context.Background()
	f := serviceFixture{db: db, svc: store.NewService(db)}
	ents := store.NewEnterprises(db)
	f.ent = domain.Enterprise{USCC: "91310115MA1K3BTP2B", Name: "浦东精密", DistrictCode: "310115", IndustryGroup: domain.GroupIndustrial}
	f.other = domain.Enterprise{USCC: "9131012056010553X5", Name: "徐汇软件", DistrictCode: "310104", IndustryGroup: domain.GroupIndustrial}
	for _, e := range []*domain.Enterprise{&f.ent, &f.other} {
		if err := ents.Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.W.Exec("UPDATE enterprises SET tier = ? WHERE id IN ?", "specialized", []int64{f.ent.ID, f.other.ID}).Error; err != nil {
		t.Fatal(err)
	}
	users := store.NewUsers(db)
	mk := func(name, district string) domain.User {
		u := domain.User{Username: name, DisplayName: name, PasswordHash: "x", Role: domain.RoleSpecialist, DistrictCode: district}
		if err := users.Create(ctx, store.System, &u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.spec, f.spec2, f.xuhui = mk("spec1", "310115"), mk("spec2", "310115"), mk("spec3", "310104")
	return f
}

// assign makes spec the specialist of e (as the system, city-wide), failing the test if refused.
func (f serviceFixture) assign(t *testing.T, e domain.Enterprise, spec domain.User) {
	t.Helper()
	if _, err := f.svc.Assign(context.Background(), store.System, domain.Scope{All: true}, []int64{e.ID}, spec.ID); err != nil {
		t.Fatal(err)
	}
}

func TestAssignments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newServiceFixture(t, db)
		all := domain.Scope{All: true}

		q, err := f.svc.Unassigned(ctx, store.UnassignedFilter{Scope: all})
		if err != nil || q.Total != 2 {
			t.Fatalf("unassigned queue: %d %v, want both specialized enterprises", q.Total, err)
		}
		// A 徐汇 specialist may not serve a 浦东 enterprise.
		if _, err := f.svc.Assign(ctx, store.System, all, []int64{f.ent.ID}, f.xuhui.ID); !errors.Is(err, store.ErrNotSpecialist) {
			t.Fatalf("cross-district assign: %v", err)
		}
		// A district officer's scope cannot reach another district's enterprise.
		if _, err := f.svc.Assign(ctx, store.System, domain.Scope{District: "310115"}, []int64{f.other.ID}, f.spec.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("out-of-scope assign: %v", err)
		}
		if n, err := f.svc.Assign(ctx, store.System, all, []int64{f.ent.ID}, f.spec.ID); err != nil || n != 1 {
			t.Fatalf("assign: %d %v", n, err)
		}
		if _, err := f.svc.Assign(ctx, store.System, all, []int64{f.ent.ID}, f.spec2.ID); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second assign: %v, want conflict", err)
		}
		if err := f.svc.Reassign(ctx, store.System, all, f.ent.ID, f.spec2.ID, ""); !errors.Is(err, store.ErrReasonRequired) {
			t.Fatalf("reassign without reason: %v", err)
		}
		if err := f.svc.Reassign(ctx, store.System, all, f.ent.ID, f.spec2.ID, "工作调整"); err != nil {
			t.Fatal(err)
		}
		cur, err := f.svc.Current(ctx, f.ent.ID)
		if err != nil || cur.SpecialistID != f.spec2.ID {
			t.Fatalf("current: %+v %v", cur, err)
		}
		hist, _ := f.svc.AssignmentHistory(ctx, f.ent.ID)
		if len(hist) != 2 || hist[0].Reason != "工作调整" || hist[1].EndedAt == nil {
			t.Fatalf("history: %+v", hist)
		}
		q, _ = f.svc.Unassigned(ctx, store.UnassignedFilter{Scope: all})
		if q.Total != 1 || q.Items[0].ID != f.other.ID {
			t.Fatalf("queue after assigning: %+v", q.Items)
		}
		// The specialist's scope now holds the enterprise; the previous one's does not.
		if _, err := store.NewEnterprises(db).Get(ctx, f.spec2.Scope(), f.ent.ID); err != nil {
			t.Error(err)
		}
		if _, err := store.NewEnterprises(db).Get(ctx, f.spec.Scope(), f.ent.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("former specialist still sees it: %v", err)
		}
		var audits int64
		db.R.Table("audit_log").Where("entity_type = ? AND enterprise_id = ?", "assignment", f.ent.ID).Count(&audits)
		if audits != 2 {
			t.Errorf("%d assignment audit rows, want 2", audits)
		}
	})
}

// TestConcurrentAssignment: many writers race to give one enterprise a specialist
// (fresh assignments and reassignments); at most one open assignment ever results.
func TestConcurrentAssignment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newServiceFixture(t, db)
		all := domain.Scope{All: true}
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sp := []int64{f.spec.ID, f.spec2.ID}[i%2]
				var err error
				if i < 8 {
					_, err = f.svc.Assign(ctx, store.System, all, []int64{f.ent.ID}, sp)
				} else {
					err = f.svc.Reassign(ctx, store.System, all, f.ent.ID, sp, "并发测试")
				}
				if err == nil && i < 8 {
					mu.Lock()
					wins++
					mu.Unlock()
				}
				if err != nil && !errors.Is(err, store.ErrConflict) {
					t.Errorf("writer %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		var open int64
		db.R.Table("assignments").Where("enterprise_id = ? AND ended_at IS NULL", f.ent.ID).Count(&open)
		if open != 1 {
			t.Fatalf("%d open assignments, want exactly 1", open)
		}
		if wins > 1 {
			t.Errorf("%d fresh assignments succeeded, want at most 1", wins)
		}
		// The database refuses a second open row whatever the code does.
		err := db.W.Exec("INSERT INTO assignments (enterprise_id, specialist_id, assigned_at) VALUES (?, ?, CURRENT_TIMESTAMP)", f.ent.ID, f.spec.ID).Error
		if err == nil {
			t.Fatal("the unique index let a second open assignment in")
		}
	})
}

func TestVisitsAndDemands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newServiceFixture(t, db)
		all := domain.Scope{All: true}
		f.assign(t, f.ent, f.spec)
		today := domain.MustDate("2026-06-30")
		actor := store.Actor{UserID: f.spec.ID, Name: "spec1"}
		v := domain.Visit{EnterpriseID: f.ent.ID, SpecialistID: &f.spec.ID, VisitedOn: today, Kind: domain.VisitOnSite, Summary: "了解经营情况"}
		ds := []domain.Demand{
			{Category: domain.DemandFinance, Description: "需要流动资金贷款"},
			{Category: domain.DemandTalent, Description: "引进博士落户", Department: "浦东新区人才局"},
		}
		// Another specialist's enterprise is out of scope.
		bad := v
		bad.EnterpriseID = f.other.ID
		if err := f.svc.CreateVisit(ctx, actor, f.spec.Scope(), &bad, nil); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("visit to another's enterprise: %v", err)
		}
		if err := f.svc.CreateVisit(ctx, actor, f.spec.Scope(), &v, ds); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.DemandsFor(ctx, f.ent.ID, 10)
		if err != nil || len(got) != 2 {
			t.Fatalf("demands: %d %v", len(got), err)
		}
		fin := got[1]
		if fin.Category != domain.DemandFinance || fin.Department != "市地方金融管理局" || fin.DueOn.String() != "2026-07-21" ||
			fin.Status != domain.DemandPending || !fin.IsOpen || fin.DistrictCode != "310115" || *fin.VisitID != v.ID {
			t.Fatalf("finance demand defaults: %+v", fin.Demand)
		}
		if got[0].Department != "浦东新区人才局" {
			t.Errorf("typed department lost: %q", got[0].Department)
		}
		vs, _ := f.svc.VisitsFor(ctx, f.ent.ID, 10)
		if len(vs) != 1 || vs[0].SpecialistName != "spec1" {
			t.Fatalf("visits: %+v", vs)
		}

		// Status flow under the version.
		if err := f.svc.MoveDemand(ctx, actor, f.spec.Scope(), fin.ID, 1, domain.Transition{To: domain.DemandClosed, Resolution: "x", Satisfaction: domain.Satisfied}, today); !errors.Is(err, store.ErrStale) {
			t.Fatalf("pending → closed: %v", err)
		}
		if n, err := f.svc.RouteDemands(ctx, store.System, domain.Scope{District: "310115"}, []int64{fin.ID}, "区金融办"); err != nil || n != 1 {
			t.Fatalf("route: %d %v", n, err)
		}
		if err := f.svc.MoveDemand(ctx, actor, f.spec.Scope(), fin.ID, 1, domain.Transition{To: domain.DemandClosed, Resolution: "x", Satisfaction: domain.Satisfied}, today); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale version: %v", err)
		}
		if err := f.svc.MoveDemand(ctx, actor, f.spec.Scope(), fin.ID, 2, domain.Transition{To: domain.DemandClosed, Resolution: "已对接银行授信500万元", Satisfaction: domain.Satisfied}, today); err != nil {
			t.Fatal(err)
		}
		d, _ := f.svc.GetDemand(ctx, all, fin.ID)
		if d.Status != domain.DemandClosed || d.IsOpen || d.Department != "区金融办" || d.Satisfaction != domain.Satisfied || d.ClosedOn != today {
			t.Fatalf("closed demand: %+v", d.Demand)
		}
		if _, err := f.svc.GetDemand(ctx, domain.Scope{District: "310104"}, fin.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another district sees the demand: %v", err)
		}

		// Board: open by default, overdue filter, district scope.
		b, err := f.svc.Board(ctx, store.BoardFilter{Scope: all, Today: today})
		if err != nil || b.Total != 1 || b.Items[0].EnterpriseName != "浦东精密" {
			t.Fatalf("board: %+v %v", b, err)
		}
		b, _ = f.svc.Board(ctx, store.BoardFilter{Scope: all, Overdue: true, Today: domain.MustDate("2026-12-31")})
		if b.Total != 1 {
			t.Errorf("overdue board: %d", b.Total)
		}
		b, _ = f.svc.Board(ctx, store.BoardFilter{Scope: domain.Scope{District: "310104"}, Status: "all", Today: today})
		if b.Total != 0 {
			t.Errorf("徐汇 sees %d", b.Total)
		}
		b, _ = f.svc.Board(ctx, store.BoardFilter{Scope: all, Status: "closed", Today: today})
		if b.Total != 1 {
			t.Errorf("closed: %d", b.Total)
		}

		// Workload, due soon and coverage.
		w, err := f.svc.Workload(ctx, f.spec.ID, today)
		if err != nil || len(w) != 1 || w[0].LastVisit != today || w[0].OpenDemands != 1 {
			t.Fatalf("workload: %+v %v", w, err)
		}
		due, err := f.svc.DueSoon(ctx, f.spec.ID, domain.AddWorkingDays(today, 30), 10)
		if err != nil || len(due) != 1 {
			t.Fatalf("due soon: %+v %v", due, err)
		}
		cov, err := f.svc.CoverageByDistrict(ctx, all, today, 90)
		if err != nil || len(cov) != 2 {
			t.Fatalf("coverage: %+v %v", cov, err)
		}
		for _, r := range cov {
			want := store.CoverageRow{Key: r.Key, Name: r.Name, District: r.District, Total: 1, Quarter: 1, Stale: 0, Unassigned: 0}
			if r.Key == "310104" {
				want.Quarter, want.Stale, want.Unassigned = 0, 1, 1
			}
			if r != want {
				t.Errorf("coverage row %+v, want %+v", r, want)
			}
		}
		sc, err := f.svc.CoverageBySpecialist(ctx, "", today, 90)
		if err != nil || len(sc) != 1 || sc[0].Total != 1 || sc[0].Quarter != 1 {
			t.Fatalf("specialist coverage: %+v %v", sc, err)
		}

		// Service day: visits for each enterprise served, demands raised there.
		day := domain.ServiceDay{HeldOn: today, DistrictCode: "310115", Place: "张江科学会堂", Theme: "融资对接"}
		if err := f.svc.CreateServiceDay(ctx, store.System, domain.Scope{District: "310115"}, &day, []int64{f.other.ID}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("service day with another district's enterprise: %v", err)
		}
		if err := f.svc.CreateServiceDay(ctx, store.System, domain.Scope{District: "310115"}, &day, []int64{f.ent.ID}); err != nil {
			t.Fatal(err)
		}
		v2 := domain.Visit{EnterpriseID: f.ent.ID, VisitedOn: today, Kind: domain.VisitServiceDay, Summary: "现场诉求", ServiceDayID: &day.ID}
		if err := f.svc.CreateVisit(ctx, store.System, all, &v2, []domain.Demand{{Category: domain.DemandListing, Description: "上市辅导"}}); err != nil {
			t.Fatal(err)
		}
		days, err := f.svc.ServiceDays(ctx, all, 10)
		if err != nil || len(days) != 1 || days[0].Enterprises != 1 || days[0].Demands != 1 {
			t.Fatalf("service days: %+v %v", days, err)
		}
		if *v2.SpecialistID != f.spec.ID {
			t.Errorf("visit by staff not attributed to the enterprise's specialist")
		}
	})
}
