package store_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/domain/benefits"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

func TestBenefitGrantsAndScan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ents, bs := store.NewEnterprises(db), store.NewBenefits(db)
		// A: industrial, first 规上 2025 (B02-first). B: 小巨人 certified 2022 with growth (B03).
		a := newEnterprise("91310000631696382C", "甲精密仪器有限公司", "310115")
		a.AboveScale, a.AboveScaleSince = true, 2025
		b := newEnterprise("9131012056010553X5", "乙智能装备有限公司", "310104")
		b.AboveScale, b.AboveScaleSince = true, 2018
		c := newEnterprise("91310115MA1K3BTP2B", "丙软件有限公司", "310115")
		for _, e := range []*domain.Enterprise{a, b, c} {
			if err := ents.Create(ctx, store.System, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Tx(ctx, func(tx *gorm.DB) error {
			return store.AddTierEvent(tx, &domain.TierEvent{EnterpriseID: b.ID, Kind: domain.EventRecorded, FromTier: domain.TierSpecialized,
				ToTier: domain.TierLittleGiant, EffectiveOn: domain.MustDate("2022-07-01"), ValidUntil: domain.MustDate("2028-07-01")})
		}); err != nil {
			t.Fatal(err)
		}
		for y, v := range map[int]int64{2023: 10000, 2024: 12000, 2025: 14400} {
			fig := domain.YearFigures{EnterpriseID: b.ID, Year: y, OutputValue: money(v)}
			if err := ents.SaveYear(ctx, store.System, &fig); err != nil {
				t.Fatal(err)
			}
		}

		ps, err := bs.Parameters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		asOf := benefits.EvalDate(2025, domain.Date{})
		snap := ps.At(asOf)
		scan := func(district string) map[int64][]benefits.Result {
			out := map[int64][]benefits.Result{}
			err := bs.Scan(ctx, store.CandidateFilter{Scope: domain.Scope{All: true}, District: district}, snap.NeedFor(nil, 2025), 2025,
				func(ins []benefits.Input) error {
					for i := range ins {
						out[ins[i].EnterpriseID] = snap.Match(&ins[i], 2025, asOf, false, nil)
					}
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		outcome := func(rs []benefits.Result, id string) benefits.Outcome {
			for _, r := range rs {
				if r.Rule.ID == id {
					return r.Outcome
				}
			}
			return 0
		}
		got := scan("")
		if o := outcome(got[a.ID], benefits.B02First); o != benefits.Matched {
			t.Errorf("A B02-first: %s", o)
		}
		if o := outcome(got[b.ID], benefits.B03LittleGiant); o != benefits.Matched {
			t.Errorf("B B03 (certification from tier history, years loaded): %s", o)
		}
		for _, r := range got[c.ID] {
			if r.Outcome == benefits.Matched {
				t.Errorf("C (base, not 规上, size unknown) matched %s", r.Rule.ID)
			}
		}
		// One benefit: the prefilter reads only its candidates.
		seen := 0
		if err := bs.Scan(ctx, store.CandidateFilter{Scope: domain.Scope{All: true}}, snap.NeedFor([]string{benefits.B02First}, 2025), 2025,
			func(ins []benefits.Input) error {
				for _, in := range ins {
					seen++
					if in.EnterpriseID != a.ID {
						t.Errorf("prefilter let %d through", in.EnterpriseID)
					}
				}
				return nil
			}); err != nil || seen != 1 {
			t.Errorf("prefiltered scan: %d seen, %v", seen, err)
		}
		if got := scan("310104"); len(got) != 1 || got[b.ID] == nil {
			t.Errorf("district filter: %v", got)
		}

		// Grants: insert, update to paid, one-off refused in another year, audited, scoped.
		district := domain.Scope{District: "310104"}
		g := benefits.Grant{EnterpriseID: a.ID, BenefitID: benefits.B02First, Year: 2025, Status: benefits.GrantConfirmed,
			Amount: domain.Wan(50), On: domain.MustDate("2026-03-01")}
		if err := bs.RecordGrant(ctx, store.System, district, &g); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("out-of-scope grant: %v", err)
		}
		if err := bs.RecordGrant(ctx, store.System, domain.Scope{All: true}, &g); err != nil {
			t.Fatal(err)
		}
		g2 := g
		g2.Status, g2.On, g2.Version = benefits.GrantPaid, domain.MustDate("2026-04-01"), 1
		if err := bs.RecordGrant(ctx, store.System, domain.Scope{All: true}, &g2); err != nil {
			t.Fatal(err)
		}
		g2.Version = 1
		if err := bs.RecordGrant(ctx, store.System, domain.Scope{All: true}, &g2); !errors.Is(err, store.ErrStale) {
			t.Errorf("stale version: %v", err)
		}
		again := g
		again.Year = 2026
		err = bs.RecordGrant(ctx, store.System, domain.Scope{All: true}, &again)
		if fe, ok := store.IsGrantInvalid(err); !ok || fe["year"] == "" {
			t.Errorf("one-off granted twice: %v", err)
		}
		gs, err := bs.Grants(ctx, a.ID)
		if err != nil || len(gs) != 1 || gs[0].Status != benefits.GrantPaid || gs[0].Amount != domain.Wan(50) || gs[0].Version != 2 {
			t.Fatalf("grants: %+v %v", gs, err)
		}
		rows, _, err := store.NewAuditLog(db).List(ctx, store.AuditFilter{EnterpriseID: a.ID, EntityType: "benefit_grant"})
		if err != nil || len(rows) != 2 {
			t.Fatalf("audit rows: %d %v", len(rows), err)
		}
		// After the grant the scan carries it: matched for 2025 with its grant.
		for _, r := range scan("")[a.ID] {
			if r.Rule.ID == benefits.B02First && (r.Outcome != benefits.Matched || r.Grant == nil) {
				t.Errorf("granted year: %+v", r)
			}
		}

		// Overrides: validated against the whole table, then applied.
		bad := store.ParameterOverride{Key: "benefit.B12-digital.rate", EffectiveFrom: domain.MustDate("2026-01-01"), Value: `"x"`, Reason: "t"}
		if _, ok := store.IsGrantInvalid(bs.AddOverride(ctx, store.System, &bad)); !ok {
			t.Error("bad override accepted")
		}
		ok := store.ParameterOverride{Key: "benefit.B12-digital.rate", EffectiveFrom: domain.MustDate("2026-01-01"), Value: `25`, Reason: "沪经信企〔2025〕197号"}
		if err := bs.AddOverride(ctx, store.System, &ok); err != nil {
			t.Fatal(err)
		}
		ps2, err := bs.Parameters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := ps2.At(domain.MustDate("2026-06-01")).B12RateBP; got != 2500 {
			t.Errorf("override not applied: %d", got)
		}
		if got := ps2.At(domain.MustDate("2025-06-01")).B12RateBP; got != 3000 {
			t.Errorf("earlier date changed: %d", got)
		}
	})
}
