package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// The 改制上市培育库 of the demo: a few percent of enterprises (more of the higher rungs) in
// the listing pipeline with their dated history and 入库 checklist — about 1.4% of a 200k
// registry, some 1,800 of them in the pool against the 1,000 target — plus monthly
// 一月一链 roadshows and quarterly 浦江之光 trainings. Small registries get a denser
// pipeline so the board has something in every lane. Own random stream, like the service data.

var (
	pipelineCols = []string{"enterprise_id", "stage", "stage_since", "target_board", "market_board", "sponsor", "law_firm", "auditor",
		"planned_filing_on", "notes", "pool_entered_on", "audited_years", "company_form", "restructure_by", "clean_record",
		"controller_stable", "version", "created_at", "updated_at"}
	listingEventCols = []string{"enterprise_id", "kind", "from_stage", "to_stage", "board", "on_date", "reason", "moved_by", "created_at"}
	activityCols     = []string{"kind", "title", "held_on", "chain", "venue", "investors", "notes", "created_by", "created_at"}

	// pipelineShare is the chance an enterprise on a rung is in the pipeline (at 10,000+ enterprises).
	pipelineShare = map[domain.Tier]float64{domain.TierLittleGiant: 0.20, domain.TierSpecialized: 0.06, domain.TierInnovative: 0.015, domain.TierBase: 0.002}
	// stageShare is where pipeline enterprises stand, withdrawn last.
	stageShare  = []int{25, 34, 11, 8, 5, 4, 2, 5, 6}
	boardShare2 = []int{8, 5, 30, 20, 20, 3, 7, 4, 3, 0} // domain.ListingBoards order
	sponsors    = []string{"申江证券股份有限公司", "浦江证券有限责任公司", "东海岸证券股份有限公司", "沪联证券股份有限公司", "长三角证券有限公司"}
	lawFirms    = []string{"申衡律师事务所", "外滩律师事务所", "陆家嘴律师事务所", "黄浦江律师事务所"}
	auditors    = []string{"立衡会计师事务所（特殊普通合伙）", "沪信会计师事务所（特殊普通合伙）", "华东会计师事务所（特殊普通合伙）"}
	chains      = []string{"集成电路", "生物医药", "人工智能", "高端装备", "新材料", "新能源汽车", "航空航天", "智能终端", "数字经济", "绿色低碳", "时尚消费品", "量子科技"}
	investors   = []string{"上海科创基金", "浦江创新投资", "临港科技创投", "张江资本", "海通创新", "国投创合", "启明投资", "深创投华东", "元禾控股", "君联资本上海", "中金资本", "上海国投孚腾"}
	venues      = []string{"上海市中小企业发展服务中心", "张江科学会堂", "临港新片区管委会", "漕河泾开发区", "市北高新园区"}
	withdrawWhy = []string{"企业主动撤回申报材料", "审核问询后决定暂缓上市", "业绩下滑，终止上市计划", "股东意见不一，暂停改制"}
	skipWhy     = []string{"股改期间同步完成辅导备案", "迁入本市时已完成股改", "由新三板转板，直接申报"}
)

type demoPipeline struct {
	p      domain.ListingPipeline
	events []domain.ListingEvent
}

// insertListing writes the listing pipeline for d (ids already stored) inside tx.
func insertListing(ctx context.Context, tx *gorm.DB, dialect store.Dialect, d *Data, seed int64, today domain.Date, now time.Time) error {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x11571a6))
	boost := max(1, 10000/float64(max(len(d.Enterprises), 1)))
	stages := append(append([]domain.ListingStage(nil), domain.ListingStages...), domain.StageWithdrawn)
	stagePick, boardPick := newPicker(stageShare), newPicker(boardShare2)
	var ps []demoPipeline
	for i := range d.Enterprises {
		e := &d.Enterprises[i]
		if e.Listed || rng.Float64() >= min(1, pipelineShare[e.Tier]*boost) {
			continue
		}
		ps = append(ps, genPipeline(rng, e.ID, stages[stagePick.pick(rng)], domain.ListingBoards[boardPick.pick(rng)], today, now))
	}
	var events []domain.ListingEvent
	for _, p := range ps {
		events = append(events, p.events...)
	}
	err := store.BulkInsert(ctx, tx, dialect, "listing_pipelines", pipelineCols, len(ps), func(i int, a []any) []any {
		p := &ps[i].p
		return append(a, p.EnterpriseID, string(p.Stage), p.StageSince, string(p.TargetBoard), string(p.MarketBoard), p.Sponsor,
			p.LawFirm, p.Auditor, p.PlannedFilingOn, p.Notes, p.PoolEnteredOn, p.AuditedYears, string(p.CompanyForm),
			p.RestructureBy, p.CleanRecord, p.ControllerStable, p.Version, now, now)
	})
	if err != nil {
		return err
	}
	err = store.BulkInsert(ctx, tx, dialect, "listing_events", listingEventCols, len(events), func(i int, a []any) []any {
		ev := &events[i]
		return append(a, ev.EnterpriseID, string(ev.Kind), string(ev.FromStage), string(ev.ToStage), string(ev.Board), ev.OnDate,
			ev.Reason, ev.MovedBy, now)
	})
	if err != nil {
		return err
	}
	return insertActivities(ctx, tx, dialect, rng, ps, today, now)
}

// genPipeline builds one enterprise's history up to stage, oldest first, ending before today.
func genPipeline(rng *rand.Rand, id int64, stage domain.ListingStage, board domain.ListingBoard, today domain.Date, now time.Time) demoPipeline {
	reached := stage
	if stage == domain.StageWithdrawn {
		reached = domain.ListingStages[rng.IntN(domain.StageRegistered.Rank()+1)]
	}
	start := 0 // enter at candidate, or straight into the pool
	if reached.Rank() >= domain.StagePool.Rank() && rng.Float64() < 0.45 {
		start = domain.StagePool.Rank()
	}
	path := append([]domain.ListingStage(nil), domain.ListingStages[start:reached.Rank()+1]...)
	// One in ten skips a stage on the way, with a reason.
	skipAt := -1
	if len(path) >= 4 && rng.Float64() < 0.1 {
		skipAt = 2 + rng.IntN(len(path)-3)
		path = append(path[:skipAt], path[skipAt+1:]...)
	}
	if stage == domain.StageWithdrawn {
		path = append(path, domain.StageWithdrawn)
	}
	// Dates: spread the moves over a span that grows with how far the enterprise got.
	span := 60 + rng.IntN(240) + 150*len(path)
	offsets := make([]int, len(path))
	for i := range offsets {
		offsets[i] = rng.IntN(span)
	}
	sort.Ints(offsets)
	first := today.AddDays(-span - 1)
	mover := pickOne(rng, []string{"市经济信息化委", "市中小企业发展服务中心", "区经委"})
	p := demoPipeline{p: domain.ListingPipeline{EnterpriseID: id, TargetBoard: board, Version: int64(len(path)), CreatedAt: now, UpdatedAt: now}}
	var from domain.ListingStage
	for i, to := range path {
		on := first.AddDays(offsets[i])
		kind, reason := domain.MoveForward, ""
		switch {
		case i == 0:
			kind = domain.MoveEnter
		case to == domain.StageWithdrawn:
			kind, reason = domain.MoveWithdraw, pickOne(rng, withdrawWhy)
		case to.Rank() > from.Rank()+1:
			kind, reason = domain.MoveSkip, pickOne(rng, skipWhy)
		}
		p.events = append(p.events, domain.ListingEvent{EnterpriseID: id, Kind: kind, FromStage: from, ToStage: to, Board: board,
			OnDate: on, Reason: reason, MovedBy: mover})
		if to == domain.StagePool {
			p.p.PoolEntry = genPoolEntry(rng, on)
		}
		if to == domain.StageListed && board != "" {
			p.events = append(p.events, domain.ListingEvent{EnterpriseID: id, Kind: domain.MoveMarket, Board: board, OnDate: on, Reason: "发行上市", MovedBy: mover})
			p.p.MarketBoard = board
		}
		from = to
		p.p.Stage, p.p.StageSince = to, on
	}
	if reached.Rank() >= domain.StageRestructured.Rank() {
		p.p.CompanyForm = domain.FormJointStock
	}
	// Some heading for 北交所 already trade on 新三板创新层.
	if board == domain.BoardBSE && p.p.MarketBoard == "" && rng.Float64() < 0.5 {
		on := first.AddDays(-rng.IntN(700))
		p.events = append([]domain.ListingEvent{{EnterpriseID: id, Kind: domain.MoveMarket, Board: domain.BoardNEEQInnovation, OnDate: on,
			Reason: "新三板创新层挂牌", MovedBy: mover}}, p.events...)
		p.p.MarketBoard = domain.BoardNEEQInnovation
	}
	if reached.Rank() >= domain.StageTutoring.Rank() {
		p.p.Sponsor, p.p.LawFirm, p.p.Auditor = pickOne(rng, sponsors), pickOne(rng, lawFirms), pickOne(rng, auditors)
		if reached.Rank() < domain.StageFiled.Rank() && stage != domain.StageWithdrawn {
			p.p.PlannedFilingOn = today.AddDays(60 + rng.IntN(400))
		}
	}
	return p
}

// genPoolEntry is an 入库 checklist; about one 有限公司 in eight plans its 股改 too late.
func genPoolEntry(rng *rand.Rand, on domain.Date) domain.PoolEntry {
	e := domain.PoolEntry{PoolEnteredOn: on, AuditedYears: 1 + rng.IntN(4), CleanRecord: rng.Float64() < 0.92, ControllerStable: rng.Float64() < 0.88}
	if rng.Float64() < 0.2 {
		e.CompanyForm = domain.FormJointStock
		return e
	}
	e.CompanyForm = domain.FormLimited
	days := 90 + rng.IntN(600)
	if rng.Float64() < 0.12 {
		days = 740 + rng.IntN(400)
	}
	e.RestructureBy = on.AddDays(days)
	return e
}

// insertActivities writes 18 months of roadshows and trainings with participants from ps.
func insertActivities(ctx context.Context, tx *gorm.DB, dialect store.Dialect, rng *rand.Rand, ps []demoPipeline, today domain.Date, now time.Time) error {
	if len(ps) == 0 {
		return nil
	}
	var acts []domain.ListingActivity
	var parts [][]int64
	draw := func(n int) []int64 {
		n = min(n, len(ps))
		seen := map[int64]bool{}
		var ids []int64
		for len(ids) < n {
			id := ps[rng.IntN(len(ps))].p.EnterpriseID
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		return ids
	}
	for m := 18; m >= 1; m-- {
		first := domain.NewDate(today.Year(), today.Time().Month(), 1).Time().AddDate(0, -m, 0)
		held := domain.DateOf(first.AddDate(0, 0, 9+rng.IntN(15)))
		chain := chains[(18-m)%len(chains)]
		var inv []string
		for _, i := range rng.Perm(len(investors))[:4+rng.IntN(5)] {
			inv = append(inv, investors[i])
		}
		acts = append(acts, domain.ListingActivity{Kind: domain.ActivityRoadshow, HeldOn: held, Chain: chain, Venue: pickOne(rng, venues),
			Title: fmt.Sprintf("“一月一链”%s产业链投融资路演（%d年%d月）", chain, held.Year(), held.Time().Month()), Investors: strings.Join(inv, "\n")})
		parts = append(parts, draw(6+rng.IntN(10)))
		if m%3 == 0 {
			acts = append(acts, domain.ListingActivity{Kind: domain.ActivityTraining, HeldOn: held.AddDays(5), Venue: pickOne(rng, venues),
				Title: fmt.Sprintf("“浦江之光”改制上市培训（%d年第%d期）", held.Year(), (int(held.Time().Month())+2)/3),
				Notes: "股改规范、财务内控与上市审核要点"})
			parts = append(parts, draw(15+rng.IntN(30)))
		}
	}
	err := store.BulkInsert(ctx, tx, dialect, "listing_activities", activityCols, len(acts), func(i int, a []any) []any {
		x := &acts[i]
		return append(a, string(x.Kind), x.Title, x.HeldOn, x.Chain, x.Venue, x.Investors, x.Notes, "市经济信息化委", now)
	})
	if err != nil {
		return err
	}
	var rows []struct {
		ID    int64
		Title string
	}
	if err := tx.Table("listing_activities").Select("id", "title").Scan(&rows).Error; err != nil {
		return err
	}
	ids := map[string]int64{}
	for _, r := range rows {
		ids[r.Title] = r.ID
	}
	type pair struct{ a, e int64 }
	var pairs []pair
	for i, x := range acts {
		for _, e := range parts[i] {
			pairs = append(pairs, pair{ids[x.Title], e})
		}
	}
	return store.BulkInsert(ctx, tx, dialect, "listing_participants", []string{"activity_id", "enterprise_id"}, len(pairs), func(i int, a []any) []any {
		return append(a, pairs[i].a, pairs[i].e)
	})
}
