package dashboard_test

import (
	"context"
	"testing"
	"time"

	"zjtx/internal/dashboard"
	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/domain/benefits"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// TestDrillDownListsMatchFigures runs the drill-down lists' queries on both databases
// (date arithmetic and subqueries differ) and checks each list's total against the figure
// it stands behind, for the city and one district.
func TestDrillDownListsMatchFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		today := domain.MustDate("2026-06-30")
		if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 300, Seed: 2, Today: today}); err != nil {
			t.Fatal(err)
		}
		if err := db.W.Exec(`INSERT INTO benefit_grants (enterprise_id, benefit_id, award_year, status, amount, granted_on, created_at, updated_at)
			SELECT id, 'test', 2026, CASE WHEN id % 2 = 0 THEN 'paid' ELSE 'confirmed' END, 500000, '2026-05-01', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
			FROM enterprises WHERE tier = 'little_giant'`).Error; err != nil {
			t.Fatal(err)
		}
		ents, svc, bs := store.NewEnterprises(db), store.NewService(db), store.NewBenefits(db)
		all := domain.Scope{All: true}
		for _, district := range []string{"", "310115"} {
			d, err := dashboard.Compute(ctx, db, district, today)
			if err != nil {
				t.Fatal(err)
			}
			count := func(name string, want int64, drill store.EnterpriseDrill) {
				t.Helper()
				p, err := ents.List(ctx, store.EnterpriseFilter{Scope: all, District: district, Drill: drill})
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != want {
					t.Errorf("%q %s: list %d, figure %d", district, name, p.Total, want)
				}
			}
			spec := domain.TierSpecialized
			count("specialized", d.Specialized, store.EnterpriseDrill{AtLeast: spec})
			count("promotions", d.Promotions, store.EnterpriseDrill{Event: domain.EventCertified, EventFrom: d.Quarter, EventTo: today})
			count("expiries", d.Expiries, store.EnterpriseDrill{Event: domain.EventExpired, EventFrom: d.Quarter, EventTo: today})
			count("visited", d.Coverage.Visited, store.EnterpriseDrill{AtLeast: spec, VisitedFrom: d.Quarter})
			count("stale", d.Coverage.Stale, store.EnterpriseDrill{AtLeast: spec, NotVisitedFrom: today.AddDays(-domain.DefaultStaleDays)})
			for _, y := range d.History {
				for _, tier := range []domain.Tier{domain.TierInnovative, spec, domain.TierLittleGiant} {
					count(y.On.String()+" "+string(tier), y.Counts[tier], store.EnterpriseDrill{HeldTier: tier, HeldOn: y.On})
				}
			}
			if d.Promotions == 0 || d.Coverage.Visited == 0 || d.QuarterVisits == 0 {
				t.Errorf("%q: demo data too thin: %+v", district, d)
			}

			vp, err := svc.Visits(ctx, store.VisitFilter{Scope: all, District: district, From: d.Quarter, To: today})
			if err != nil {
				t.Fatal(err)
			}
			if vp.Total != d.QuarterVisits || len(vp.Items) == 0 {
				t.Errorf("%q visits: list %d, figure %d", district, vp.Total, d.QuarterVisits)
			}
			for i := 1; i < len(vp.Items); i++ {
				if vp.Items[i].VisitedOn.After(vp.Items[i-1].VisitedOn) || vp.Items[i].EnterpriseName == "" {
					t.Fatalf("%q visits out of date order or without a name at %d", district, i)
				}
			}

			for st, want := range map[benefits.GrantStatus][2]int64{
				benefits.GrantConfirmed: {d.Grants.Confirmed, int64(d.Grants.ConfirmedAmount)},
				benefits.GrantPaid:      {d.Grants.Paid, int64(d.Grants.PaidAmount)},
			} {
				gp, err := bs.GrantList(ctx, store.GrantFilter{Scope: all, District: district, Status: st})
				if err != nil {
					t.Fatal(err)
				}
				if gp.Total != want[0] || int64(gp.Amount) != want[1] || (want[0] == 0 && district == "") {
					t.Errorf("%q grants %s: list %d / %d, figure %v", district, st, gp.Total, gp.Amount, want)
				}
			}

			for sat, want := range map[string]int64{"satisfied": d.Demands.Satisfied, "fair": d.Demands.Fair,
				"dissatisfied": d.Demands.Dissatisfied, "unrated": d.Demands.Unrated} {
				bp, err := svc.Board(ctx, store.BoardFilter{Scope: all, District: district, Status: "closed", Satisfied: sat, Today: today})
				if err != nil {
					t.Fatal(err)
				}
				if bp.Total != want {
					t.Errorf("%q demands %s: list %d, figure %d", district, sat, bp.Total, want)
				}
			}
			bp, err := svc.Board(ctx, store.BoardFilter{Scope: all, District: district, OnTime: true, Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if want := d.Demands.Open - d.Demands.Overdue; bp.Total != want {
				t.Errorf("%q demands on time: list %d, figure %d", district, bp.Total, want)
			}
		}
	})
}

// TestCacheInvalidate: after Invalidate the previous figures are still served at once,
// one recomputation starts, and the next figures include the write.
func TestCacheInvalidate(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	today := domain.MustDate("2026-06-30")
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 50, Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	c := dashboard.NewCache(db, time.Hour, 0)
	first, _, err := c.Get(ctx, "", today)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.W.Exec("UPDATE enterprises SET tier = 'little_giant' WHERE id = (SELECT MIN(id) FROM enterprises WHERE tier = 'base')").Error; err != nil {
		t.Fatal(err)
	}
	if d, _, _ := c.Get(ctx, "", today); d != first {
		t.Fatal("a write without Invalidate changed the cached figures within the TTL")
	}
	c.Invalidate()
	c.Invalidate() // a burst of writes: still one stale entry, one recomputation
	if d, _, _ := c.Get(ctx, "", today); d != first {
		t.Fatal("the stale entry was not served at once after Invalidate")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		d, _, _ := c.Get(ctx, "", today)
		if d != first {
			if d.TierCount(domain.TierLittleGiant) != first.TierCount(domain.TierLittleGiant)+1 {
				t.Errorf("recomputed figures miss the write: %d → %d", first.TierCount(domain.TierLittleGiant), d.TierCount(domain.TierLittleGiant))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("never recomputed after Invalidate")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCacheMinRefresh: writes keep invalidating, but a scope is not recomputed again
// until its figures are minRefresh old, so a stream of writes cannot keep a core busy.
func TestCacheMinRefresh(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	today := domain.MustDate("2026-06-30")
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 50, Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	c := dashboard.NewCache(db, time.Hour, 300*time.Millisecond)
	first, _, err := c.Get(ctx, "", today)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.W.Exec("UPDATE enterprises SET tier = 'little_giant' WHERE id = (SELECT MIN(id) FROM enterprises WHERE tier = 'base')").Error; err != nil {
		t.Fatal(err)
	}
	c.Invalidate()
	for range 20 {
		if d, _, _ := c.Get(ctx, "", today); d != first {
			t.Fatal("recomputed within minRefresh of the last computation")
		}
		time.Sleep(5 * time.Millisecond)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		d, _, _ := c.Get(ctx, "", today)
		if d != first {
			if d.TierCount(domain.TierLittleGiant) != first.TierCount(domain.TierLittleGiant)+1 {
				t.Errorf("recomputed figures miss the write")
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("never recomputed after minRefresh")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
