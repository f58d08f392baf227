package store_test

import (
	"context"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// TestWorkloadAndExpiring: a specialist's portfolio shows each enterprise's last visit,
// open and overdue demands, never-visited first; the titles expiring soon picked from it
// are exactly what the registry lists for the specialist's scope.
func TestWorkloadAndExpiring(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newServiceFixture(t, db)
		all := domain.Scope{All: true}
		ents := store.NewEnterprises(db)
		third := domain.Enterprise{USCC: "91310115MA1K3BTQ0X", Name: "浦东传感器", DistrictCode: "310115", IndustryGroup: domain.GroupIndustrial}
		fourth := domain.Enterprise{USCC: "91310115MA1K3BTR9N", Name: "浦东机器人", DistrictCode: "310115", IndustryGroup: domain.GroupIndustrial}
		for _, e := range []*domain.Enterprise{&third, &fourth} {
			if err := ents.Create(ctx, store.System, e); err != nil {
				t.Fatal(err)
			}
		}
		set := func(id int64, tier, until string) {
			var u any
			if until != "" {
				u = domain.MustDate(until)
			}
			if err := db.W.Exec("UPDATE enterprises SET tier = ?, tier_valid_until = ? WHERE id = ?", tier, u, id).Error; err != nil {
				t.Fatal(err)
			}
		}
		set(f.ent.ID, "specialized", "2026-09-30") // expires within six months
		set(third.ID, "specialized", "2026-08-31") // expires sooner
		set(fourth.ID, "innovative", "2028-06-30") // not soon
		if _, err := f.svc.Assign(ctx, store.System, all, []int64{f.ent.ID, third.ID, fourth.ID}, f.spec.ID); err != nil {
			t.Fatal(err)
		}
		today := domain.MustDate("2026-06-30")
		actor := store.Actor{UserID: f.spec.ID, Name: "spec1"}
		old := domain.Visit{EnterpriseID: third.ID, SpecialistID: &f.spec.ID, VisitedOn: domain.MustDate("2026-01-05"), Kind: domain.VisitOnSite, Summary: "年初走访"}
		if err := f.svc.CreateVisit(ctx, actor, f.spec.Scope(), &old, []domain.Demand{
			{Category: domain.DemandFinance, Description: "贷款"}, // due long ago: overdue
		}); err != nil {
			t.Fatal(err)
		}
		recent := domain.Visit{EnterpriseID: f.ent.ID, SpecialistID: &f.spec.ID, VisitedOn: today, Kind: domain.VisitPhone, Summary: "电话回访"}
		if err := f.svc.CreateVisit(ctx, actor, f.spec.Scope(), &recent, []domain.Demand{
			{Category: domain.DemandTalent, Description: "落户"}, {Category: domain.DemandFinance, Description: "担保"},
		}); err != nil {
			t.Fatal(err)
		}

		w, err := f.svc.Workload(ctx, f.spec.ID, today)
		if err != nil || len(w) != 3 {
			t.Fatalf("workload: %+v %v", w, err)
		}
		type row struct {
			id            int64
			last          string
			open, overdue int
			until         string
		}
		want := []row{{fourth.ID, "", 0, 0, "2028-06-30"}, {third.ID, "2026-01-05", 1, 1, "2026-08-31"}, {f.ent.ID, "2026-06-30", 2, 0, "2026-09-30"}}
		for i, r := range w {
			last := ""
			if !r.LastVisit.IsZero() {
				last = r.LastVisit.String()
			}
			got := row{r.ID, last, r.OpenDemands, r.Overdue, r.TierValidUntil.String()}
			if got != want[i] {
				t.Errorf("workload row %d: %+v, want %+v", i, got, want[i])
			}
		}

		until := today.AddDays(183)
		picked, ok := store.ExpiringIn(w, today, until, 200)
		listed, err := ents.Expiring(ctx, f.spec.Scope(), today, until, 200)
		if !ok || err != nil || len(picked) != 2 || len(listed) != 2 {
			t.Fatalf("expiring: picked %+v (ok %v), listed %+v (%v)", picked, ok, listed, err)
		}
		for i := range picked {
			p, l := picked[i], listed[i]
			if p.ID != l.ID || p.Name != l.Name || p.Tier != l.Tier || p.TierValidUntil != l.TierValidUntil {
				t.Errorf("expiring %d: picked %+v, listed %+v", i, p, l)
			}
		}
		if picked[0].ID != third.ID {
			t.Errorf("soonest first: %d, want %d", picked[0].ID, third.ID)
		}
		if one, _ := store.ExpiringIn(w, today, until, 1); len(one) != 1 || one[0].ID != third.ID {
			t.Errorf("limit 1: %+v", one)
		}

		// The workbench reads the same portfolio and due list, whether its overdue counts
		// come from a complete due list or, when the list was cut, from the demands.
		dueBy := domain.AddWorkingDays(today, 5)
		for _, limit := range []int{200, 1} {
			wb, due, err := f.svc.Workbench(ctx, f.spec.ID, today, dueBy, limit)
			soon, err2 := f.svc.DueSoon(ctx, f.spec.ID, dueBy, limit)
			if err != nil || err2 != nil || len(wb) != len(w) || len(due) != len(soon) || len(due) == 0 {
				t.Fatalf("workbench (limit %d): %+v %+v %v %v", limit, wb, due, err, err2)
			}
			for i := range w {
				if wb[i] != w[i] {
					t.Errorf("workbench (limit %d) row %d: %+v, want %+v", limit, i, wb[i], w[i])
				}
			}
			for i := range soon {
				if due[i].ID != soon[i].ID {
					t.Errorf("workbench (limit %d) due %d: %d, want %d", limit, i, due[i].ID, soon[i].ID)
				}
			}
		}
	})
}

// TestOpenDemandCounts: the open demands the workbench and the board show stay exact
// through every way a demand changes — recorded, routed, returned, closed, deleted with
// its enterprise, or moved by a raw statement.
func TestOpenDemandCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newServiceFixture(t, db)
		all := domain.Scope{All: true}
		f.assign(t, f.ent, f.spec)
		f.assign(t, f.other, f.xuhui)
		today := domain.MustDate("2026-06-30")
		visit := func(e domain.Enterprise, spec domain.User, n int) {
			t.Helper()
			v := domain.Visit{EnterpriseID: e.ID, SpecialistID: &spec.ID, VisitedOn: today, Kind: domain.VisitPhone, Summary: "回访"}
			var ds []domain.Demand
			for range n {
				ds = append(ds, domain.Demand{Category: domain.DemandFinance, Description: "融资"})
			}
			if err := f.svc.CreateVisit(ctx, store.Actor{UserID: spec.ID, Name: spec.Username}, spec.Scope(), &v, ds); err != nil {
				t.Fatal(err)
			}
		}
		check := func(step string) {
			t.Helper()
			var pudong, xuhui, city int64
			db.R.Raw("SELECT COUNT(*) FROM demands WHERE enterprise_id = ? AND is_open", f.ent.ID).Scan(&pudong)
			db.R.Raw("SELECT COUNT(*) FROM demands WHERE district_code = ? AND is_open", "310104").Scan(&xuhui)
			db.R.Raw("SELECT COUNT(*) FROM demands WHERE is_open").Scan(&city)
			w, err := f.svc.Workload(ctx, f.spec.ID, today)
			if err != nil || len(w) != 1 || int64(w[0].OpenDemands) != pudong {
				t.Errorf("%s: workload %+v (%v), want %d open", step, w, err, pudong)
			}
			for _, c := range []struct {
				f    store.BoardFilter
				want int64
			}{
				{store.BoardFilter{Scope: all, Today: today}, city},
				{store.BoardFilter{Scope: all, District: "310104", Today: today}, xuhui},
				{store.BoardFilter{Scope: domain.Scope{District: "310104"}, Today: today}, xuhui},
				{store.BoardFilter{Scope: domain.Scope{District: "310104"}, District: "310115", Today: today}, 0},
				{store.BoardFilter{Scope: domain.Scope{None: true}, Today: today}, 0},
			} {
				b, err := f.svc.Board(ctx, c.f)
				if err != nil || b.Total != c.want || int64(len(b.Items)) != min(c.want, 50) {
					t.Errorf("%s: board %+v: total %d, %d rows (%v), want %d", step, c.f, b.Total, len(b.Items), err, c.want)
				}
			}
		}
		check("empty")
		visit(f.ent, f.spec, 3)
		visit(f.other, f.xuhui, 2)
		check("recorded")
		ds, _ := f.svc.DemandsFor(ctx, f.ent.ID, 10)
		if n, err := f.svc.RouteDemands(ctx, store.System, all, []int64{ds[0].ID, ds[1].ID}, "区金融办"); err != nil || n != 2 {
			t.Fatalf("route: %d %v", n, err)
		}
		check("routed")
		actor := store.Actor{UserID: f.spec.ID, Name: "spec1"}
		if err := f.svc.MoveDemand(ctx, actor, f.spec.Scope(), ds[0].ID, 2, domain.Transition{To: domain.DemandClosed, Resolution: "已办结", Satisfaction: domain.Satisfied}, today); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MoveDemand(ctx, actor, f.spec.Scope(), ds[2].ID, 1, domain.Transition{To: domain.DemandReturned, Reason: "不属于受理范围"}, today); err != nil {
			t.Fatal(err)
		}
		check("closed and returned")
		// A statement outside the store: reopen one, and move another to 徐汇.
		if err := db.W.Exec("UPDATE demands SET is_open = ?, status = ? WHERE id = ?", true, "pending", ds[0].ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.W.Exec("UPDATE demands SET district_code = ? WHERE id = ?", "310104", ds[1].ID).Error; err != nil {
			t.Fatal(err)
		}
		check("raw updates")
		if err := db.W.Exec("DELETE FROM demands WHERE id = ?", ds[1].ID).Error; err != nil {
			t.Fatal(err)
		}
		check("deleted")
	})
}

// TestLastVisitKept: the last visit kept on the enterprise (migration 0013) follows its
// visits — a late-recorded (补录) visit does not move it back, deleting the latest visit or
// moving a visit to another enterprise recomputes it — and the workbench and the coverage
// figures read it.
func TestLastVisitKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newServiceFixture(t, db)
		all := domain.Scope{All: true}
		f.assign(t, f.ent, f.spec)
		actor := store.Actor{UserID: f.spec.ID, Name: "spec1"}
		visit := func(id int64, on string) domain.Visit {
			t.Helper()
			v := domain.Visit{EnterpriseID: id, SpecialistID: &f.spec.ID, VisitedOn: domain.MustDate(on), Kind: domain.VisitOnSite, Summary: "走访"}
			if err := f.svc.CreateVisit(ctx, actor, all, &v, nil); err != nil {
				t.Fatal(err)
			}
			return v
		}
		lastVisit := func(id int64) string {
			t.Helper()
			var got, want *string
			if err := db.R.Raw("SELECT last_visit_on FROM enterprises WHERE id = ?", id).Scan(&got).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.R.Raw("SELECT MAX(visited_on) FROM visits WHERE enterprise_id = ?", id).Scan(&want).Error; err != nil {
				t.Fatal(err)
			}
			g, w := "", ""
			if got != nil {
				g = (*got)[:10] // PostgreSQL returns a date as a timestamp
			}
			if want != nil {
				w = (*want)[:10]
			}
			if g != w {
				t.Fatalf("enterprise %d: last_visit_on %q, but its latest visit is %q", id, g, w)
			}
			return g
		}
		if got := lastVisit(f.ent.ID); got != "" {
			t.Fatalf("never visited: %q", got)
		}
		visit(f.ent.ID, "2026-03-10")
		latest := visit(f.ent.ID, "2026-06-01")
		visit(f.ent.ID, "2026-02-01") // recorded late: the last visit stays
		if got := lastVisit(f.ent.ID); got != "2026-06-01" {
			t.Fatalf("after a late visit: %q, want 2026-06-01", got)
		}
		if err := db.W.Exec("DELETE FROM visits WHERE id = ?", latest.ID).Error; err != nil {
			t.Fatal(err)
		}
		if got := lastVisit(f.ent.ID); got != "2026-03-10" {
			t.Fatalf("after deleting the latest: %q, want 2026-03-10", got)
		}
		if err := db.W.Exec("UPDATE visits SET visited_on = ? WHERE enterprise_id = ? AND visited_on = ?", domain.MustDate("2026-01-15"), f.ent.ID, domain.MustDate("2026-03-10")).Error; err != nil {
			t.Fatal(err)
		}
		if got := lastVisit(f.ent.ID); got != "2026-02-01" {
			t.Fatalf("after moving a date back: %q, want 2026-02-01", got)
		}
		if err := db.W.Exec("UPDATE visits SET enterprise_id = ? WHERE enterprise_id = ?", f.other.ID, f.ent.ID).Error; err != nil {
			t.Fatal(err)
		}
		if a, b := lastVisit(f.ent.ID), lastVisit(f.other.ID); a != "" || b != "2026-02-01" {
			t.Fatalf("after moving the visits: %q and %q", a, b)
		}

		// What the pages read: the workbench's last visit, the quarter's coverage.
		visit(f.ent.ID, "2026-05-20")
		today := domain.MustDate("2026-06-30")
		w, err := f.svc.Workload(ctx, f.spec.ID, today)
		if err != nil || len(w) != 1 || w[0].LastVisit != domain.MustDate("2026-05-20") {
			t.Fatalf("workload: %+v %v", w, err)
		}
		cov, err := f.svc.CoverageByDistrict(ctx, all, today, 90)
		if err != nil || len(cov) != 2 {
			t.Fatalf("coverage: %+v %v", cov, err)
		}
		for _, r := range cov { // 浦东: visited 05-20, this quarter; 徐汇: last 02-01, 149 days ago
			q, st := int64(1), int64(0)
			if r.Key == "310104" {
				q, st = 0, 1
			}
			if r.Quarter != q || r.Stale != st {
				t.Errorf("coverage %s: quarter %d stale %d, want %d %d", r.Key, r.Quarter, r.Stale, q, st)
			}
		}
	})
}
