package store_test

import (
	"context"
	"errors"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

func TestFactSheetRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnterprise("91310000631696382C", "事实测试企业", "310115")
		if err := store.NewEnterprises(db).Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		s := store.NewFacts(db)
		empty, err := s.Get(ctx, e.ID)
		if err != nil || empty.Facts.EnterpriseID != 0 {
			t.Fatalf("fresh enterprise: %+v %v", empty, err)
		}
		yes, share, lvl, inst := true, 12.5, int64(3), "provincial"
		rank := int64(2)
		sheet := store.FactSheet{
			Facts:     domain.EnterpriseFacts{EnterpriseID: e.ID, IPClass1: count(4), MajorIncident3Y: &yes, MarketShareDomestic: &share, DigitalLevel: &lvl, RDInstitution: &inst, AwardsReported: true},
			Awards:    []domain.Award{{Level: "provincial", Rank: &rank, Year: 2024, Name: "上海市科技进步奖"}},
			DevScores: []domain.DevScore{{Year: 2025, Score: 62.5}},
		}
		if err := s.SaveFacts(ctx, store.System, sheet); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		f := got.Facts
		if *f.IPClass1 != 4 || !*f.MajorIncident3Y || *f.MarketShareDomestic != 12.5 || *f.RDInstitution != "provincial" || f.IPClass2 != nil || f.Version != 1 {
			t.Fatalf("facts = %+v", f)
		}
		if len(got.Awards) != 1 || *got.Awards[0].Rank != 2 || len(got.DevScores) != 1 || got.DevScores[0].Score != 62.5 {
			t.Fatalf("awards %+v scores %+v", got.Awards, got.DevScores)
		}
		// A second save with the old version is refused.
		if err := s.SaveFacts(ctx, store.System, sheet); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale save: %v", err)
		}
		sheet.Facts.Version = 1
		sheet.Awards = nil
		if err := s.SaveFacts(ctx, store.System, sheet); err != nil {
			t.Fatal(err)
		}
		many, err := s.FactSheets(ctx, []int64{e.ID})
		if err != nil || len(many[e.ID].Awards) != 0 || many[e.ID].Facts.Version != 2 {
			t.Fatalf("batch load: %+v %v", many[e.ID], err)
		}
	})
}

// Concurrent saves from the same version: exactly one wins, the others are refused as
// stale (on PostgreSQL the version read alone let two saves of one version both pass).
func TestFactSheetConcurrentSaves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnterprise("91310000631696382C", "事实并发企业", "310115")
		if err := store.NewEnterprises(db).Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		s := store.NewFacts(db)
		for version := int64(0); version < 2; version++ {
			const n = 8
			errs := make(chan error, n)
			for i := range n {
				go func() {
					sheet := store.FactSheet{Facts: domain.EnterpriseFacts{EnterpriseID: e.ID, IPClass1: count(int64(i)), Version: version}}
					errs <- s.SaveFacts(ctx, store.System, sheet)
				}()
			}
			won := 0
			for range n {
				switch err := <-errs; {
				case err == nil:
					won++
				case !errors.Is(err, store.ErrStale):
					t.Fatalf("version %d: %v", version, err)
				}
			}
			got, err := s.Get(ctx, e.ID)
			if won != 1 || err != nil || got.Facts.Version != version+1 {
				t.Fatalf("version %d: %d saves won, stored version %d (%v); want exactly 1 and %d", version, won, got.Facts.Version, err, version+1)
			}
		}
	})
}
