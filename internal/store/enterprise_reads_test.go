package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// The hand-written record read returns what gorm's generic reads of each table return,
// keeps to the scope, and tells which histories hold rows.
func TestEnterpriseRecordMatchesGenericReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.NewEnterprises(db)
		e := newEnterprise("91310000631696382C", "记录读取企业", "310115")
		e.HighTech, e.AboveScale, e.AboveScaleSince, e.Listed, e.ListedBoard = true, true, 2021, true, "科创板"
		e.Address, e.ContactPhone, e.IndustryCode = "浦东新区张江路1号", "021-12345678", "C3562"
		if err := s.Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		bare := newEnterprise("9131012056010553X5", "空白企业", "310101")
		if err := s.Create(ctx, store.System, bare); err != nil {
			t.Fatal(err)
		}
		for _, y := range []int{2024, 2022, 2023} {
			rev, loss, n := domain.Wan(3000+int64(y)), domain.Money(-12345), int64(40+y-2022)
			fig := domain.YearFigures{EnterpriseID: e.ID, Year: y, Revenue: &rev, NetProfit: &loss, Employees: &n}
			if err := s.SaveYear(ctx, store.System, &fig); err != nil {
				t.Fatal(err)
			}
		}
		yes, no, share, inst, rank := true, false, 12.5, "provincial", int64(2)
		sheet := store.FactSheet{
			Facts: domain.EnterpriseFacts{EnterpriseID: e.ID, IPClass1: count(4), IPClass2: count(0), MajorIncident3Y: &yes,
				TaxViolation3Y: &no, MarketShareDomestic: &share, RDInstitution: &inst, AwardsReported: true},
			Awards:    []domain.Award{{Level: "provincial", Rank: &rank, Year: 2023, Name: "甲"}, {Level: "national", Year: 2024}},
			DevScores: []domain.DevScore{{Year: 2025, Score: 62.5}, {Year: 2024, Score: 58}},
		}
		if err := store.NewFacts(db).SaveFacts(ctx, store.System, sheet); err != nil {
			t.Fatal(err)
		}
		err := db.Tx(ctx, func(tx *gorm.DB) error {
			for _, ev := range []domain.TierEvent{
				{EnterpriseID: e.ID, Kind: domain.EventCertified, FromTier: domain.TierBase, ToTier: domain.TierInnovative,
					EffectiveOn: domain.MustDate("2023-03-01"), ValidUntil: domain.MustDate("2026-03-01"), CertificateNo: "C-1", Batch: "2023年第一批"},
				{EnterpriseID: e.ID, Kind: domain.EventCertified, FromTier: domain.TierInnovative, ToTier: domain.TierSpecialized,
					EffectiveOn: domain.MustDate("2024-05-01"), ValidUntil: domain.MustDate("2027-05-01"), DecidedBy: "市经济信息化委"},
			} {
				if err := store.AddTierEvent(tx, &ev); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		rec, err := store.LoadEnterpriseRecord(db.R.WithContext(ctx), all, e.ID, store.RecordReads{TierEvents: true, Grants: true, Histories: true, Requests: true})
		if err != nil {
			t.Fatal(err)
		}
		var want domain.Enterprise
		if err := db.R.Table("enterprises").Where("id = ?", e.ID).Take(&want).Error; err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rec.Enterprise, want) {
			t.Errorf("enterprise\n got %+v\nwant %+v", rec.Enterprise, want)
		}
		if rec.Enterprise.Tier != domain.TierSpecialized || rec.Enterprise.ListedBoard != "科创板" || !rec.Enterprise.HighTech {
			t.Errorf("enterprise fields: %+v", rec.Enterprise)
		}
		var wantYears []domain.YearFigures
		if err := db.R.Table("year_figures").Where("enterprise_id = ?", e.ID).Order("year").Find(&wantYears).Error; err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rec.Years, wantYears) || len(rec.Years) != 3 || rec.Years[0].Year != 2022 || *rec.Years[2].NetProfit != -12345 {
			t.Errorf("years\n got %+v\nwant %+v", rec.Years, wantYears)
		}
		var wantFacts domain.EnterpriseFacts
		if err := db.R.Table("enterprise_facts").Where("enterprise_id = ?", e.ID).Take(&wantFacts).Error; err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rec.Facts, wantFacts) || *rec.Facts.IPClass2 != 0 || *rec.Facts.TaxViolation3Y || rec.Facts.IPClass1HighValue != nil {
			t.Errorf("facts\n got %+v\nwant %+v", rec.Facts, wantFacts)
		}
		if len(rec.Awards) != 2 || rec.Awards[0].Year != 2024 || rec.Awards[0].Rank != nil || *rec.Awards[1].Rank != 2 || rec.Awards[1].Name != "甲" {
			t.Errorf("awards newest first: %+v", rec.Awards)
		}
		if len(rec.DevScores) != 2 || rec.DevScores[0].Year != 2024 || rec.DevScores[1].Score != 62.5 {
			t.Errorf("scores oldest first: %+v", rec.DevScores)
		}
		events, err := s.TierEvents(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wantEvents []domain.TierEvent
		if err := db.R.Table("tier_events").Where("enterprise_id = ?", e.ID).Order("effective_on DESC").Order("id DESC").Find(&wantEvents).Error; err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rec.TierEvents, wantEvents) || !reflect.DeepEqual(events, wantEvents) ||
			len(events) != 2 || events[0].ToTier != domain.TierSpecialized || events[1].CertificateNo != "C-1" {
			t.Errorf("tier events\n got %+v\n and %+v\nwant %+v", rec.TierEvents, events, wantEvents)
		}
		if want := (store.Histories{Audit: true}); rec.Has != want {
			t.Errorf("histories = %+v, want %+v", rec.Has, want)
		}

		// The page's other reads: decisions without their JSON bodies, the latest audit rows.
		uid := int64(7)
		d := domain.Decision{EnterpriseID: e.ID, Kind: domain.DecisionPromotion, Outcome: domain.OutcomeRefused,
			FromTier: domain.TierSpecialized, ToTier: domain.TierLittleGiant, AsOf: domain.MustDate("2025-01-02"),
			RuleSet: "r1", Facts: "{}", Verdict: "{}", Reason: "不符合", DecidedBy: "审核员", DeciderID: &uid}
		if err := db.Tx(ctx, func(tx *gorm.DB) error { return store.AddDecision(tx, &d) }); err != nil {
			t.Fatal(err)
		}
		ds, err := store.NewDecisions(db).ForEnterprise(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wantDs []domain.Decision
		if err := db.R.Table("tier_decisions").Omit("facts", "verdict").Where("enterprise_id = ?", e.ID).Order("id DESC").Find(&wantDs).Error; err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ds, wantDs) || len(ds) != 1 || *ds[0].DeciderID != 7 || ds[0].ApplicationID != nil || ds[0].Facts != "" || ds[0].Reason != "不符合" {
			t.Errorf("decisions\n got %+v\nwant %+v", ds, wantDs)
		}
		audit := store.NewAuditLog(db)
		recent, err := audit.Recent(ctx, e.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		listed, total, err := audit.List(ctx, store.AuditFilter{EnterpriseID: e.ID, PerPage: 2})
		if err != nil {
			t.Fatal(err)
		}
		if total < 3 || len(recent) != 2 || !reflect.DeepEqual(recent, listed) {
			t.Errorf("recent audit\n got %+v\nwant %+v", recent, listed)
		}
		if rec, err = store.LoadEnterpriseRecord(db.R.WithContext(ctx), all, e.ID, store.RecordReads{Histories: true}); err != nil {
			t.Fatal(err)
		}
		if want := (store.Histories{Audit: true, Decisions: true}); rec.Has != want || rec.TierEvents != nil {
			t.Errorf("histories = %+v, want %+v (events not asked: %v)", rec.Has, want, rec.TierEvents)
		}
		// An update request shows in the requests probe, only when asked for.
		r := proposal(*e, 2025, 5000, 4000)
		if err := store.NewRequests(db).Save(ctx, store.Actor{Name: "企业"}, domain.Scope{EnterpriseID: e.ID}, &r, false); err != nil {
			t.Fatal(err)
		}
		if rec, err = store.LoadEnterpriseRecord(db.R.WithContext(ctx), all, e.ID, store.RecordReads{Requests: true, Grants: true}); err != nil {
			t.Fatal(err)
		}
		if want := (store.Histories{Requests: true}); rec.Has != want {
			t.Errorf("histories = %+v, want %+v", rec.Has, want)
		}

		// Nothing recorded: no facts, no lists, no histories beyond the creation's audit row.
		empty, err := store.LoadEnterpriseRecord(db.R.WithContext(ctx), all, bare.ID, store.RecordReads{TierEvents: true, Grants: true, Histories: true, Requests: true})
		if err != nil {
			t.Fatal(err)
		}
		if empty.Facts.EnterpriseID != 0 || len(empty.Years)+len(empty.Awards)+len(empty.DevScores)+len(empty.TierEvents) != 0 || empty.Enterprise.Name != "空白企业" {
			t.Errorf("bare record: %+v", empty)
		}

		// Scopes: another district, another enterprise and no scope see nothing.
		for _, sc := range []domain.Scope{{District: "310101"}, {EnterpriseID: bare.ID}, {}, {SpecialistID: 42}} {
			if _, err := store.LoadEnterpriseRecord(db.R.WithContext(ctx), sc, e.ID, store.RecordReads{}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("scope %+v: err = %v, want ErrNotFound", sc, err)
			}
			if _, err := store.LoadEnterprise(db.R.WithContext(ctx), sc, e.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("LoadEnterprise scope %+v: err = %v, want ErrNotFound", sc, err)
			}
		}
		for _, sc := range []domain.Scope{{District: "310115"}, {EnterpriseID: e.ID}} {
			if r, err := store.LoadEnterpriseRecord(db.R.WithContext(ctx), sc, e.ID, store.RecordReads{}); err != nil || r.Enterprise.ID != e.ID {
				t.Errorf("scope %+v: %v", sc, err)
			}
		}
	})
}
