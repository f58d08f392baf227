package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	var ie *store.InvalidError
	if !errors.As(err, &ie) || ie.Fields[field] == "" {
		t.Fatalf("want a refusal on %s, got %v", field, err)
	}
}

func TestListingMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnterprise("91310000631696382C", "上市培育企业", "310115")
		if err := store.NewEnterprises(db).Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		s := store.NewListing(db)
		all := domain.Scope{All: true}
		actor := store.Actor{Name: "市级"}
		d := domain.MustDate
		move := func(to domain.ListingStage, on, reason string, pool *domain.PoolEntry) error {
			_, err := s.Move(ctx, actor, all, store.MoveRequest{EnterpriseID: e.ID, To: to, On: d(on), Reason: reason, Pool: pool})
			return err
		}
		if _, err := s.Pipeline(ctx, e.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("pipeline before entry: %v", err)
		}
		if err := move(domain.StageCandidate, "2025-01-02", "", nil); err != nil {
			t.Fatal(err)
		}
		wantInvalid(t, move(domain.StagePool, "2025-02-01", "", nil), "pool")
		wantInvalid(t, move(domain.StagePool, "2025-02-01", "", &domain.PoolEntry{CompanyForm: domain.FormLimited, AuditedYears: 2}), "restructure_by")
		wantInvalid(t, move(domain.StagePool, "2025-01-01", "", &domain.PoolEntry{CompanyForm: domain.FormJointStock}), "on")
		entry := &domain.PoolEntry{CompanyForm: domain.FormLimited, AuditedYears: 2, RestructureBy: d("2026-01-31"), CleanRecord: true}
		if err := move(domain.StagePool, "2025-02-01", "", entry); err != nil {
			t.Fatal(err)
		}
		wantInvalid(t, move(domain.StageTutoring, "2025-03-01", "", nil), "reason")
		if err := move(domain.StageRestructured, "2025-06-01", "", nil); err != nil {
			t.Fatal(err)
		}
		if err := move(domain.StageFiled, "2025-09-01", "股改后直接申报，辅导已在股改期间完成", nil); err != nil {
			t.Fatal(err)
		}
		wantInvalid(t, move(domain.StageWithdrawn, "2025-10-01", "", nil), "reason")
		if err := move(domain.StageWithdrawn, "2025-10-01", "企业主动撤回申报", nil); err != nil {
			t.Fatal(err)
		}
		if err := move(domain.StageCandidate, "2026-01-05", "", nil); err != nil {
			t.Fatal(err)
		}
		p, err := s.Pipeline(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Stage != domain.StageCandidate || p.StageSince != d("2026-01-05") || p.PoolEnteredOn != d("2025-02-01") ||
			p.AuditedYears != 2 || !p.CleanRecord || p.CompanyForm != domain.FormJointStock || p.Version != 6 {
			t.Fatalf("pipeline = %+v", p)
		}
		evs, err := s.Events(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []domain.ListingEventKind
		for _, ev := range evs {
			kinds = append(kinds, ev.Kind)
			if ev.MovedBy != "市级" {
				t.Errorf("event %d moved by %q", ev.ID, ev.MovedBy)
			}
		}
		if fmt.Sprint(kinds) != "[enter forward forward skip withdraw reenter]" || evs[3].Reason == "" || evs[4].FromStage != domain.StageFiled {
			t.Fatalf("history = %+v", evs)
		}
		rows, n, err := store.NewAuditLog(db).List(ctx, store.AuditFilter{EnterpriseID: e.ID, EntityType: "listing"})
		if err != nil || n != 6 || rows[0].Action != "move" {
			t.Fatalf("audit: %d rows, %v", n, err)
		}
		// A stale version is refused; the history is append-only.
		if _, err := s.Move(ctx, actor, all, store.MoveRequest{EnterpriseID: e.ID, To: domain.StagePool, On: d("2026-02-01"), Version: 1,
			Pool: &domain.PoolEntry{CompanyForm: domain.FormJointStock}}); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale move: %v", err)
		}
		if err := db.W.Exec("UPDATE listing_events SET reason = 'x'").Error; err == nil {
			t.Fatal("listing_events accepted an UPDATE")
		}
		// Out of scope is not found.
		if _, err := s.Move(ctx, actor, domain.Scope{District: "310104"}, store.MoveRequest{EnterpriseID: e.ID, To: domain.StageWithdrawn, On: d("2026-02-01"), Reason: "x"}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("out of scope move: %v", err)
		}
	})
}

func TestListingDetailsAndMarket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnterprise("91310000631696382C", "新三板企业", "310115")
		if err := store.NewEnterprises(db).Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		s := store.NewListing(db)
		all := domain.Scope{All: true}
		p := domain.ListingPipeline{EnterpriseID: e.ID, Version: 1, TargetBoard: domain.BoardNEEQInnovation}
		wantInvalid(t, s.SaveDetails(ctx, store.System, all, &p, domain.Date{}), "stage")
		if _, err := s.Move(ctx, store.System, all, store.MoveRequest{EnterpriseID: e.ID, To: domain.StageRegistered, On: domain.MustDate("2024-03-01"), Reason: "迁入时已注册"}); err != nil {
			t.Fatal(err)
		}
		p.Sponsor, p.Auditor = "某证券股份有限公司", "某会计师事务所"
		if err := s.SaveDetails(ctx, store.System, all, &p, domain.Date{}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveDetails(ctx, store.System, all, &p, domain.Date{}); err != nil || p.Version != 3 {
			t.Fatalf("second save: %v (version %d)", err, p.Version)
		}
		p.Version = 1
		if err := s.SaveDetails(ctx, store.System, all, &p, domain.Date{}); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale save: %v", err)
		}
		// Listing on the target board records the market board, and the 北交所 hint counts from it.
		if _, err := s.Move(ctx, store.System, all, store.MoveRequest{EnterpriseID: e.ID, To: domain.StageListed, On: domain.MustDate("2025-05-20")}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Pipeline(ctx, e.ID)
		if got.MarketBoard != domain.BoardNEEQInnovation || got.Sponsor != "某证券股份有限公司" {
			t.Fatalf("pipeline = %+v", got)
		}
		evs, _ := s.Events(ctx, e.ID)
		if h := domain.BSEHint(evs, domain.MustDate("2026-05-20")); h.Status != domain.HintMet {
			t.Errorf("BSE hint after 12 months: %+v", h)
		}
		if h := domain.BSEHint(evs, domain.MustDate("2026-05-19")); h.Status != domain.HintUnmet {
			t.Errorf("BSE hint a day early: %+v", h)
		}
		// Changing the market board needs a date and is kept in the history.
		got.MarketBoard = domain.BoardBSE
		wantInvalid(t, s.SaveDetails(ctx, store.System, all, &got, domain.Date{}), "market_on")
		if err := s.SaveDetails(ctx, store.System, all, &got, domain.MustDate("2026-06-01")); err != nil {
			t.Fatal(err)
		}
		evs, _ = s.Events(ctx, e.ID)
		if last := evs[len(evs)-1]; last.Kind != domain.MoveMarket || last.Board != domain.BoardBSE {
			t.Fatalf("last event = %+v", last)
		}
	})
}

// TestListingFunnelMatchesCounts builds a small pipeline and checks the funnel's
// numbers against direct SQL counts.
func TestListingFunnelMatchesCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		es := store.NewEnterprises(db)
		s := store.NewListing(db)
		all := domain.Scope{All: true}
		joint := &domain.PoolEntry{CompanyForm: domain.FormJointStock, AuditedYears: 3}
		paths := [][]domain.ListingStage{
			{domain.StageCandidate},
			{domain.StageCandidate, domain.StagePool},
			{domain.StagePool, domain.StageRestructured, domain.StageTutoring},
			{domain.StagePool, domain.StageRestructured, domain.StageTutoring, domain.StageFiled, domain.StageReview, domain.StageRegistered, domain.StageListed},
			{domain.StageCandidate, domain.StageWithdrawn},
			{domain.StageCandidate, domain.StagePool, domain.StageWithdrawn, domain.StagePool},
			{domain.StagePool, domain.StageFiled},
		}
		for i, path := range paths {
			district := "310115"
			if i%2 == 1 {
				district = "310104"
			}
			e := newEnterprise(usccFor(t, i), fmt.Sprintf("漏斗企业%d", i), district)
			if err := es.Create(ctx, store.System, e); err != nil {
				t.Fatal(err)
			}
			on := domain.MustDate("2025-01-01")
			for j, to := range path {
				req := store.MoveRequest{EnterpriseID: e.ID, To: to, On: on.AddDays(30 * j * (i + 1)), Reason: "测试"}
				if to == domain.StagePool {
					req.Pool = joint
				}
				if _, err := s.Move(ctx, store.System, all, req); err != nil {
					t.Fatalf("path %d step %d: %v", i, j, err)
				}
			}
		}
		asOf := domain.MustDate("2026-06-30")
		for _, f := range []store.ListingFilter{{Scope: all}, {Scope: domain.Scope{District: "310104"}}} {
			fn, err := s.Funnel(ctx, f, asOf)
			if err != nil {
				t.Fatal(err)
			}
			scopeSQL := ""
			if f.Scope.District != "" {
				scopeSQL = " AND enterprise_id IN (SELECT id FROM enterprises WHERE district_code = '" + f.Scope.District + "')"
			}
			direct := func(q string, args ...any) int {
				var n int
				if err := db.R.Raw(q+scopeSQL, args...).Scan(&n).Error; err != nil {
					t.Fatal(err)
				}
				return n
			}
			if got := direct("SELECT COUNT(*) FROM listing_pipelines WHERE 1=1"); fn.InPipeline != got {
				t.Errorf("in pipeline %d, direct %d", fn.InPipeline, got)
			}
			if got := direct("SELECT COUNT(*) FROM listing_pipelines WHERE stage = 'withdrawn'"); fn.Withdrawn != got {
				t.Errorf("withdrawn %d, direct %d", fn.Withdrawn, got)
			}
			if got := direct("SELECT COUNT(*) FROM listing_pipelines WHERE stage IN ('pool','restructured','tutoring','filed','review','registered')"); fn.PoolCount != got {
				t.Errorf("pool %d, direct %d", fn.PoolCount, got)
			}
			for i, st := range fn.Stages {
				if got := direct("SELECT COUNT(*) FROM listing_pipelines WHERE stage = ?", string(st.Stage)); st.Count != got {
					t.Errorf("%s: count %d, direct %d", st.Stage, st.Count, got)
				}
				later := []string{}
				for _, x := range domain.ListingStages[i:] {
					later = append(later, string(x))
				}
				if got := direct("SELECT COUNT(DISTINCT enterprise_id) FROM listing_events WHERE to_stage IN ?", later); st.Reached != got {
					t.Errorf("%s: reached %d, direct %d", st.Stage, st.Reached, got)
				}
			}
			if f.Scope.All && (fn.InPipeline != 7 || fn.Stages[domain.StageListed.Rank()].Count != 1) {
				t.Errorf("funnel = %+v", fn)
			}
		}
		// The funnel is memoized: a move must show in the next one at once.
		before, _ := s.Funnel(ctx, store.ListingFilter{Scope: all}, asOf)
		e := newEnterprise(usccFor(t, len(paths)), "漏斗企业新增", "310115")
		if err := es.Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Move(ctx, store.System, all, store.MoveRequest{EnterpriseID: e.ID, To: domain.StageCandidate, On: asOf, Reason: "测试"}); err != nil {
			t.Fatal(err)
		}
		if after, _ := s.Funnel(ctx, store.ListingFilter{Scope: all}, asOf); after.InPipeline != before.InPipeline+1 {
			t.Errorf("after a move: %d in the pipeline, want %d", after.InPipeline, before.InPipeline+1)
		}
	})
}

func TestListingBoardTableAndFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		es := store.NewEnterprises(db)
		s := store.NewListing(db)
		all := domain.Scope{All: true}
		today := domain.MustDate("2026-06-30")
		entries := []struct {
			on    string
			entry domain.PoolEntry
			flag  bool
		}{
			{"2026-01-01", domain.PoolEntry{CompanyForm: domain.FormLimited, RestructureBy: domain.MustDate("2027-06-30")}, false},
			{"2026-01-01", domain.PoolEntry{CompanyForm: domain.FormLimited, RestructureBy: domain.MustDate("2028-01-02")}, true},
			{"2024-06-29", domain.PoolEntry{CompanyForm: domain.FormLimited, RestructureBy: domain.MustDate("2026-06-01")}, true},
			{"2024-06-30", domain.PoolEntry{CompanyForm: domain.FormLimited, RestructureBy: domain.MustDate("2026-06-01")}, false},
			{"2020-01-01", domain.PoolEntry{CompanyForm: domain.FormJointStock}, false},
		}
		want := map[int64]bool{}
		for i, x := range entries {
			e := newEnterprise(usccFor(t, i), fmt.Sprintf("看板企业%d", i), "310115")
			if err := es.Create(ctx, store.System, e); err != nil {
				t.Fatal(err)
			}
			entry := x.entry
			if _, err := s.Move(ctx, store.System, all, store.MoveRequest{EnterpriseID: e.ID, To: domain.StagePool, On: domain.MustDate(x.on), Pool: &entry}); err != nil {
				t.Fatal(err)
			}
			p, _ := s.Pipeline(ctx, e.ID)
			if (domain.PoolFlag(p, today) != "") != x.flag {
				t.Fatalf("entry %d: PoolFlag = %q", i, domain.PoolFlag(p, today))
			}
			want[e.ID] = x.flag
		}
		page, err := s.Table(ctx, store.ListingFilter{Scope: all, Flagged: true, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			if !want[c.EnterpriseID] {
				t.Errorf("%s flagged in SQL but not by PoolFlag", c.Name)
			}
		}
		if page.Total != 2 {
			t.Errorf("flagged total = %d, want 2", page.Total)
		}
		cols, err := s.Board(ctx, store.ListingFilter{Scope: all, District: "310115"})
		if err != nil {
			t.Fatal(err)
		}
		if len(cols) != len(domain.ListingStages)+1 || cols[1].Stage != domain.StagePool || cols[1].Total != 5 || len(cols[1].Cards) != 5 ||
			cols[1].Cards[0].Name != "看板企业4" || cols[1].Cards[0].DistrictCode != "310115" {
			t.Fatalf("board = %+v", cols[1])
		}
		if cols, _ := s.Board(ctx, store.ListingFilter{Scope: all, District: "310104"}); cols[1].Total != 0 {
			t.Errorf("district filter ignored")
		}
		if cols, _ := s.Board(ctx, store.ListingFilter{Scope: all, Board: domain.BoardSTAR}); cols[1].Total != 0 {
			t.Errorf("board filter ignored")
		}
	})
}

func TestListingActivities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		es := store.NewEnterprises(db)
		a := newEnterprise(usccFor(t, 1), "路演企业甲", "310115")
		b := newEnterprise(usccFor(t, 2), "路演企业乙", "310104")
		for _, e := range []*domain.Enterprise{a, b} {
			if err := es.Create(ctx, store.System, e); err != nil {
				t.Fatal(err)
			}
		}
		s := store.NewListing(db)
		act := domain.ListingActivity{Kind: domain.ActivityRoadshow, Title: "集成电路产业链路演", HeldOn: domain.MustDate("2026-05-20"), Investors: "甲资本\n乙投资"}
		if err := s.CreateActivity(ctx, store.System, &act, []int64{a.ID, b.ID, a.ID}); err != nil {
			t.Fatal(err)
		}
		rows, err := s.Activities(ctx, "", 10)
		if err != nil || len(rows) != 1 || rows[0].Participants != 2 {
			t.Fatalf("activities = %+v, %v", rows, err)
		}
		_, ps, err := s.Activity(ctx, domain.Scope{District: "310115"}, act.ID)
		if err != nil || len(ps) != 1 || ps[0].Name != "路演企业甲" {
			t.Fatalf("participants in scope = %+v, %v", ps, err)
		}
		mine, err := s.ActivitiesFor(ctx, b.ID)
		if err != nil || len(mine) != 1 || len(mine[0].InvestorList()) != 2 {
			t.Fatalf("activities for b = %+v, %v", mine, err)
		}
	})
}

// usccFor makes the i-th valid test USCC in 浦东新区.
func usccFor(t *testing.T, i int) string {
	t.Helper()
	body := fmt.Sprintf("%08d", 61000000+i)
	first := "91310115" + body + string(domain.OrgCodeCheckChar(body))
	return first + string(domain.USCCCheckChar(first))
}
