package store_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// List totals are cached, so every way of writing an enterprise must show in the
// next total at once: a create, a rename (name index), a district change (filter),
// a raw statement, and a write a transaction makes before it commits.
func TestListTotalsFollowWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.NewEnterprises(db)
		total := func(f store.EnterpriseFilter) int64 {
			t.Helper()
			f.Scope = all
			p, err := s.List(ctx, f)
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			if int64(len(p.Items)) != p.Total && p.Total <= int64(p.PerPage) {
				t.Fatalf("total %d but %d rows on the only page", p.Total, len(p.Items))
			}
			return p.Total
		}
		pudong := store.EnterpriseFilter{District: "310115"}
		search := store.EnterpriseFilter{Query: "精密仪器"}
		if n := total(pudong); n != 0 {
			t.Fatalf("empty registry: %d", n)
		}

		a := newEnterprise("91310000631696382C", "上海精密仪器有限公司", "310115")
		if err := s.Create(ctx, store.System, a); err != nil {
			t.Fatal(err)
		}
		if n, m := total(pudong), total(search); n != 1 || m != 1 {
			t.Fatalf("after create: district %d, search %d; want 1, 1", n, m)
		}

		a.Name, a.DistrictCode = "上海光学器件有限公司", "310101"
		if err := s.Update(ctx, store.System, a); err != nil {
			t.Fatal(err)
		}
		if n, m := total(pudong), total(search); n != 0 || m != 0 {
			t.Fatalf("after rename and move: district %d, search %d; want 0, 0", n, m)
		}

		if err := db.W.Exec("UPDATE enterprises SET district_code = ? WHERE id = ?", "310115", a.ID).Error; err != nil {
			t.Fatal(err)
		}
		if n := total(pudong); n != 1 {
			t.Fatalf("after a raw update: district %d, want 1", n)
		}

		// A reader that counts between a write and its commit must not keep that total.
		b := newEnterprise("91310115MA1H7U6X4B", "上海精密仪器二厂有限公司", "310115")
		err := db.Tx(ctx, func(tx *gorm.DB) error {
			if err := store.CreateEnterprise(tx, b); err != nil {
				return err
			}
			if n := total(pudong); n != 1 {
				t.Errorf("uncommitted row counted: %d", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, m := total(pudong), total(search); n != 2 || m != 1 {
			t.Fatalf("after commit: district %d, search %d; want 2, 1", n, m)
		}
	})
}

// An import writes with bulk statements that gorm's callbacks never see; its commit
// must still show in the next list total.
func TestListTotalsFollowImports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		es := store.NewEnterprises(db)
		total := func() int64 {
			t.Helper()
			p, err := es.List(ctx, store.EnterpriseFilter{Scope: all})
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		if n := total(); n != 0 {
			t.Fatalf("empty registry: %d", n)
		}
		if err := store.NewImports(db).Commit(ctx, store.System, checkCSV(t, db, generated(t, 40, 0)), 0); err != nil {
			t.Fatal(err)
		}
		if n := total(); n != 40 {
			t.Fatalf("after importing 40: total %d", n)
		}
	})
}

// A dashboard drill-down total reads visits: a new visit must show in it at once.
func TestDrillTotalsFollowVisits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newServiceFixture(t, db)
		since := domain.MustDate("2026-06-01")
		total := func() int64 {
			t.Helper()
			p, err := store.NewEnterprises(db).List(ctx, store.EnterpriseFilter{Scope: all, Drill: store.EnterpriseDrill{VisitedFrom: since}})
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		before := total()
		v := domain.Visit{EnterpriseID: f.ent.ID, VisitedOn: domain.MustDate("2026-06-30"), Kind: domain.VisitPhone, Summary: "电话回访"}
		if err := f.svc.CreateVisit(ctx, store.System, all, &v, nil); err != nil {
			t.Fatal(err)
		}
		if n := total(); n != before+1 {
			t.Fatalf("visited since %s: %d after a first visit, want %d", since, n, before+1)
		}
	})
}
