package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Listing stores the 改制上市培育库: pipelines, their dated history, and the roadshows
// and trainings enterprises took part in.
type Listing struct{ db *DB }

func NewListing(db *DB) *Listing { return &Listing{db: db} }

const (
	tPipelines    = "listing_pipelines"
	tListEvents   = "listing_events"
	tActivities   = "listing_activities"
	tParticipants = "listing_participants"
)

// InvalidError is a write refused for its input, with a message per form field.
type InvalidError struct{ Fields domain.FieldErrors }

func (e *InvalidError) Error() string {
	var parts []string
	for k, v := range e.Fields {
		parts = append(parts, k+": "+v)
	}
	return "invalid: " + strings.Join(parts, "; ")
}

func invalid(field, msg string) error { return &InvalidError{Fields: domain.FieldErrors{field: msg}} }

// Pipeline loads an enterprise's pipeline row; ErrNotFound when it was never entered.
func (s *Listing) Pipeline(ctx context.Context, enterpriseID int64) (domain.ListingPipeline, error) {
	var p domain.ListingPipeline
	err := s.db.R.WithContext(ctx).Table(tPipelines).Where("enterprise_id = ?", enterpriseID).Take(&p).Error
	return p, mapErr(err)
}

// Events lists an enterprise's pipeline history, oldest first.
func (s *Listing) Events(ctx context.Context, enterpriseID int64) ([]domain.ListingEvent, error) {
	var evs []domain.ListingEvent
	err := s.db.R.WithContext(ctx).Table(tListEvents).Where("enterprise_id = ?", enterpriseID).
		Order("on_date").Order("id").Find(&evs).Error
	return evs, err
}

// MoveRequest asks to move an enterprise to a stage.
type MoveRequest struct {
	EnterpriseID int64
	To           domain.ListingStage
	On           domain.Date // the move's date; not before the current stage began
	Reason       string
	Version      int64             // the pipeline version the user saw; 0 skips the check
	Pool         *domain.PoolEntry // the 入库 checklist, required on entering the pool
}

// Move applies one stage move within sc, recording the event and the audit row together.
// A refused move is an *InvalidError naming the field; a stale version is ErrStale.
func (s *Listing) Move(ctx context.Context, actor Actor, sc domain.Scope, req MoveRequest) (domain.ListingEvent, error) {
	var ev domain.ListingEvent
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		e, err := LoadEnterprise(tx, sc, req.EnterpriseID)
		if err != nil {
			return err
		}
		var rows []domain.ListingPipeline
		if err := tx.Table(tPipelines).Where("enterprise_id = ?", e.ID).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		var p *domain.ListingPipeline
		var from domain.ListingStage
		if len(rows) == 1 {
			p, from = &rows[0], rows[0].Stage
			if req.Version != 0 && req.Version != p.Version {
				return ErrStale
			}
		}
		kind, err := domain.CheckMove(from, req.To, req.Reason)
		if err != nil {
			var me *domain.MoveError
			if errors.As(err, &me) {
				return invalid(me.Field, me.Message)
			}
			return err
		}
		if req.On.IsZero() {
			return invalid("on", "请填写日期")
		}
		if p != nil && req.On.Before(p.StageSince) {
			return invalid("on", "日期不能早于进入当前阶段的日期 "+p.StageSince.String())
		}
		now := tx.NowFunc()
		isNew := p == nil
		if isNew {
			p = &domain.ListingPipeline{EnterpriseID: e.ID, CreatedAt: now}
		}
		before := *p
		enteringPool := req.To == domain.StagePool && kind != domain.MoveBack
		if enteringPool {
			if req.Pool == nil {
				return invalid("pool", "移入“入库培育”须填写入库核查表（经审计年数、公司形式、股改计划），请使用表单")
			}
			entry := *req.Pool
			if fe := entry.Validate(req.On); len(fe) > 0 {
				return &InvalidError{Fields: fe}
			}
			entry.PoolEnteredOn = req.On
			p.PoolEntry = entry
		}
		if req.To == domain.StageRestructured && p.CompanyForm == domain.FormLimited {
			p.CompanyForm = domain.FormJointStock // 股改 makes it a 股份有限公司
		}
		p.Stage, p.StageSince, p.UpdatedAt = req.To, req.On, now
		ev = domain.ListingEvent{EnterpriseID: e.ID, Kind: kind, FromStage: from, ToStage: req.To, Board: p.TargetBoard,
			OnDate: req.On, Reason: strings.TrimSpace(req.Reason), MovedBy: actor.Name, CreatedAt: now}
		if actor.UserID != 0 {
			ev.MoverID = &actor.UserID
		}
		if err := tx.Table(tListEvents).Create(&ev).Error; err != nil {
			return err
		}
		if req.To == domain.StageListed && p.TargetBoard != "" && p.TargetBoard != p.MarketBoard {
			if err := addMarketEvent(tx, actor, e.ID, p.TargetBoard, req.On, "发行上市"); err != nil {
				return err
			}
			p.MarketBoard = p.TargetBoard
		}
		if isNew {
			p.Version = 1
			if err := tx.Table(tPipelines).Create(p).Error; err != nil {
				return mapErr(err)
			}
		} else if err := updatePipeline(tx, p); err != nil {
			return err
		}
		changes := []Change{{Field: "阶段", Before: stageText(before.Stage, isNew), After: req.To.Label()},
			{Field: "日期", After: req.On.String()}}
		if ev.Reason != "" {
			changes = append(changes, Change{Field: "理由", After: ev.Reason})
		}
		if enteringPool {
			changes = append(changes, poolChanges(p.PoolEntry)...)
		}
		return WriteAudit(tx, actor, Audit{Action: "move", EntityType: "listing", EntityID: e.ID, EnterpriseID: e.ID,
			Summary: "上市培育" + kind.Label() + "：" + stageText(before.Stage, isNew) + " → " + req.To.Label(), Changes: changes})
	})
	return ev, err
}

func stageText(s domain.ListingStage, isNew bool) string {
	if isNew {
		return "未纳入"
	}
	return s.Label()
}

func poolChanges(p domain.PoolEntry) []Change {
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	return []Change{{Field: "经审计年数", After: strconv.Itoa(p.AuditedYears)}, {Field: "公司形式", After: p.CompanyForm.Label()},
		{Field: "股改计划完成日期", After: p.RestructureBy.String()}, {Field: "近三年无重大违法违规", After: yes(p.CleanRecord)},
		{Field: "实际控制人稳定", After: yes(p.ControllerStable)}}
}

// updatePipeline saves p under its version and bumps it.
func updatePipeline(tx *gorm.DB, p *domain.ListingPipeline) error {
	res := tx.Table(tPipelines).Where("enterprise_id = ? AND version = ?", p.EnterpriseID, p.Version).Updates(map[string]any{
		"stage": string(p.Stage), "stage_since": p.StageSince, "target_board": string(p.TargetBoard),
		"market_board": string(p.MarketBoard), "sponsor": p.Sponsor, "law_firm": p.LawFirm, "auditor": p.Auditor,
		"planned_filing_on": p.PlannedFilingOn, "notes": p.Notes, "pool_entered_on": p.PoolEnteredOn,
		"audited_years": p.AuditedYears, "company_form": string(p.CompanyForm), "restructure_by": p.RestructureBy,
		"clean_record": p.CleanRecord, "controller_stable": p.ControllerStable,
		"version": p.Version + 1, "updated_at": tx.NowFunc(),
	})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	p.Version++
	return nil
}

func addMarketEvent(tx *gorm.DB, actor Actor, enterpriseID int64, board domain.ListingBoard, on domain.Date, reason string) error {
	ev := domain.ListingEvent{EnterpriseID: enterpriseID, Kind: domain.MoveMarket, Board: board, OnDate: on, Reason: reason,
		MovedBy: actor.Name, CreatedAt: tx.NowFunc()}
	if actor.UserID != 0 {
		ev.MoverID = &actor.UserID
	}
	return tx.Table(tListEvents).Create(&ev).Error
}

// SaveDetails saves the pipeline's facts (target board, intermediaries, planned filing,
// notes, market board) under p.Version. A changed market board is recorded as a market
// event dated marketOn.
func (s *Listing) SaveDetails(ctx context.Context, actor Actor, sc domain.Scope, p *domain.ListingPipeline, marketOn domain.Date) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := LoadEnterprise(tx, sc, p.EnterpriseID); err != nil {
			return err
		}
		var cur domain.ListingPipeline
		if err := tx.Table(tPipelines).Where("enterprise_id = ?", p.EnterpriseID).Take(&cur).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return invalid("stage", "该企业尚未纳入上市培育，请先纳入")
			}
			return err
		}
		if cur.Version != p.Version {
			return ErrStale
		}
		next := cur
		next.TargetBoard, next.Sponsor, next.LawFirm, next.Auditor = p.TargetBoard, p.Sponsor, p.LawFirm, p.Auditor
		next.PlannedFilingOn, next.Notes, next.MarketBoard = p.PlannedFilingOn, p.Notes, p.MarketBoard
		if next.MarketBoard != cur.MarketBoard {
			if marketOn.IsZero() {
				return invalid("market_on", "挂牌/上市板块变更须填写变更日期")
			}
			if err := addMarketEvent(tx, actor, p.EnterpriseID, next.MarketBoard, marketOn, "挂牌/上市板块变更"); err != nil {
				return err
			}
		}
		if err := updatePipeline(tx, &next); err != nil {
			return err
		}
		*p = next
		return WriteAudit(tx, actor, Audit{Action: "update", EntityType: "listing", EntityID: p.EnterpriseID, EnterpriseID: p.EnterpriseID,
			Summary: "修改上市培育信息", Changes: Diff(pipelineSnapshot(cur), pipelineSnapshot(next))})
	})
}

func pipelineSnapshot(p domain.ListingPipeline) Snapshot {
	var s Snapshot
	s.add("目标板块", boardText(p.TargetBoard))
	s.add("保荐机构", p.Sponsor)
	s.add("律师事务所", p.LawFirm)
	s.add("会计师事务所", p.Auditor)
	s.add("计划申报日期", p.PlannedFilingOn.String())
	s.add("挂牌/上市板块", boardText(p.MarketBoard))
	s.add("备注", p.Notes)
	return s
}

func boardText(b domain.ListingBoard) string {
	if b == "" {
		return ""
	}
	return b.Label()
}

// ListingFilter selects pipelines for the board, the table, the funnel and exports.
// Zero values mean "any".
type ListingFilter struct {
	Scope    domain.Scope
	District string
	Tier     domain.Tier
	Board    domain.ListingBoard // target board
	Stage    domain.ListingStage
	Flagged  bool // pool entries without a credible 股改 plan (PoolFlag), as of Today
	Today    domain.Date
	Page     int
	PerPage  int
}

// ListingCard is a pipeline with the enterprise facts the board and table show.
type ListingCard struct {
	domain.ListingPipeline
	Name         string
	USCC         string
	DistrictCode string
	Tier         domain.Tier
}

const cardColumns = "listing_pipelines.*, enterprises.name, enterprises.uscc, enterprises.district_code, enterprises.tier"

func (s *Listing) filtered(ctx context.Context, f ListingFilter) *gorm.DB {
	return s.filter(ctx, f, true)
}

// filter builds the pipeline query; the enterprises join is left out when nothing needs it
// (counts over the whole city), which keeps the funnel off the 200k-row table.
func (s *Listing) filter(ctx context.Context, f ListingFilter, withEnterprises bool) *gorm.DB {
	q := s.db.R.WithContext(ctx).Table(tPipelines)
	if withEnterprises || !f.Scope.All || f.District != "" || f.Tier != "" {
		q = q.Joins("JOIN enterprises ON enterprises.id = listing_pipelines.enterprise_id")
	}
	q = applyScope(q, f.Scope)
	if f.District != "" {
		q = q.Where("enterprises.district_code = ?", f.District)
	}
	if f.Tier != "" {
		q = q.Where("enterprises.tier = ?", string(f.Tier))
	}
	if f.Board != "" {
		q = q.Where("listing_pipelines.target_board = ?", string(f.Board))
	}
	if f.Stage != "" {
		q = q.Where("listing_pipelines.stage = ?", string(f.Stage))
	}
	if f.Flagged {
		// PoolFlag in SQL: a 有限公司 at pool with no plan, a plan past two years, or two years gone.
		limit := f.Today.AddYears(-domain.PoolRestructureYears)
		q = q.Where("listing_pipelines.stage = ? AND listing_pipelines.company_form = ? AND listing_pipelines.pool_entered_on IS NOT NULL", string(domain.StagePool), string(domain.FormLimited))
		q = q.Where(s.flagSQL(), limit)
	}
	return q
}

// flagSQL is the date part of PoolFlag; the plan-versus-entry comparison needs date
// arithmetic, which the two databases spell differently.
func (s *Listing) flagSQL() string {
	plusTwo := "date(listing_pipelines.pool_entered_on, '+2 years')"
	if s.db.Dialect == Postgres {
		plusTwo = "(listing_pipelines.pool_entered_on + INTERVAL '2 years')::date"
	}
	return "(listing_pipelines.restructure_by IS NULL OR listing_pipelines.pool_entered_on < ? OR listing_pipelines.restructure_by > " + plusTwo + ")"
}

// BoardColumn is one stage's column: its total and its longest-waiting cards.
type BoardColumn struct {
	Stage domain.ListingStage
	Total int64
	Cards []ListingCard
}

// BoardColumnLimit caps the cards per column; the table pages through the rest.
const BoardColumnLimit = 60

// Board returns a column per stage, withdrawn last, each ordered by time in stage.
func (s *Listing) Board(ctx context.Context, f ListingFilter) ([]BoardColumn, error) {
	f.Stage = ""
	var counts []struct {
		Stage string
		N     int64
	}
	if err := s.filter(ctx, f, false).Select("listing_pipelines.stage AS stage, COUNT(*) AS n").Group("listing_pipelines.stage").Scan(&counts).Error; err != nil {
		return nil, err
	}
	byStage := map[domain.ListingStage]int64{}
	for _, c := range counts {
		byStage[domain.ListingStage(c.Stage)] = c.N
	}
	stages := append(append([]domain.ListingStage(nil), domain.ListingStages...), domain.StageWithdrawn)
	cols := make([]BoardColumn, 0, len(stages))
	for _, st := range stages {
		col := BoardColumn{Stage: st, Total: byStage[st]}
		if col.Total > 0 {
			g := f
			g.Stage = st
			if err := s.filtered(ctx, g).Select(cardColumns).Order("listing_pipelines.stage_since").Order("listing_pipelines.enterprise_id").
				Limit(BoardColumnLimit).Find(&col.Cards).Error; err != nil {
				return nil, err
			}
		}
		cols = append(cols, col)
	}
	return cols, nil
}

// ListingPage is one page of the table view.
type ListingPage struct {
	Items   []ListingCard
	Total   int64
	Page    int
	PerPage int
}

func (p ListingPage) Pages() int {
	if p.PerPage == 0 {
		return 0
	}
	return int((p.Total + int64(p.PerPage) - 1) / int64(p.PerPage))
}

// Table lists pipelines in stage order, then by time in stage; PerPage up to 1000 for exports.
func (s *Listing) Table(ctx context.Context, f ListingFilter) (ListingPage, error) {
	if f.PerPage <= 0 || f.PerPage > 1000 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	page := ListingPage{Page: f.Page, PerPage: f.PerPage}
	if err := s.filtered(ctx, f).Count(&page.Total).Error; err != nil {
		return page, err
	}
	err := s.filtered(ctx, f).Select(cardColumns).Order(stageOrderSQL()).Order("listing_pipelines.stage_since").
		Order("listing_pipelines.enterprise_id").Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&page.Items).Error
	return page, err
}

// stageOrderSQL orders rows by pipeline stage, withdrawn last.
func stageOrderSQL() string {
	var b strings.Builder
	b.WriteString("CASE listing_pipelines.stage")
	for i, st := range domain.ListingStages {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", st, i) // fixed constants, not input
	}
	fmt.Fprintf(&b, " ELSE %d END", len(domain.ListingStages))
	return b.String()
}

// Funnel computes the funnel for the pipelines f selects (f.Stage and paging ignored).
// The funnel replays every pipeline's history, ~50 ms for the city; the board, the table
// and the dashboard show it on every view, and pipelines move a few times a day, so the
// result is memoized until a listing table (or an enterprise's tier or district) changes.
// The returned Funnel is shared and must not be modified.
func (s *Listing) Funnel(ctx context.Context, f ListingFilter, asOf domain.Date) (domain.Funnel, error) {
	f.Stage, f.Flagged, f.Page, f.PerPage = "", false, 0, 0
	key := memoKey("funnel", struct {
		F    ListingFilter
		AsOf domain.Date
	}{f, asOf})
	return memoized(s.db.memo, key, []string{tPipelines, tListEvents, tEnterprises, tAssignments}, func() (domain.Funnel, error) {
		return s.funnel(ctx, f, asOf)
	})
}

func (s *Listing) funnel(ctx context.Context, f ListingFilter, asOf domain.Date) (domain.Funnel, error) {
	var ps []struct {
		EnterpriseID int64
		Stage        string
	}
	if err := s.filter(ctx, f, false).Select("listing_pipelines.enterprise_id, listing_pipelines.stage").
		Order("listing_pipelines.enterprise_id").Scan(&ps).Error; err != nil {
		return domain.Funnel{}, err
	}
	var evs []domain.ListingEvent
	q := s.db.R.WithContext(ctx).Table(tListEvents).Select("enterprise_id", "kind", "to_stage", "on_date", "id").
		Where("kind <> ?", string(domain.MoveMarket))
	if !f.Scope.All || f.District != "" || f.Tier != "" || f.Board != "" {
		q = q.Where("enterprise_id IN (?)", s.filter(ctx, f, false).Select("listing_pipelines.enterprise_id"))
	}
	if err := q.Order("enterprise_id").Order("on_date").Order("id").Find(&evs).Error; err != nil {
		return domain.Funnel{}, err
	}
	in := make([]domain.FunnelInput, len(ps))
	idx := make(map[int64]int, len(ps))
	for i, p := range ps {
		in[i].Stage = domain.ListingStage(p.Stage)
		idx[p.EnterpriseID] = i
	}
	for _, ev := range evs {
		if i, ok := idx[ev.EnterpriseID]; ok {
			in[i].Events = append(in[i].Events, ev)
		}
	}
	return domain.ComputeFunnel(in, asOf), nil
}

// --- Roadshows and trainings ---------------------------------------------------------

// CreateActivity records an activity with its participants and audits it.
func (s *Listing) CreateActivity(ctx context.Context, actor Actor, a *domain.ListingActivity, enterpriseIDs []int64) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		a.CreatedBy, a.CreatedAt = actor.Name, tx.NowFunc()
		if err := tx.Table(tActivities).Create(a).Error; err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, id := range enterpriseIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			if err := tx.Table(tParticipants).Create(map[string]any{"activity_id": a.ID, "enterprise_id": id}).Error; err != nil {
				return mapErr(err)
			}
		}
		return WriteAudit(tx, actor, Audit{Action: "create", EntityType: "listing_activity", EntityID: a.ID,
			Summary: "登记" + a.Kind.Label() + "：" + a.Title,
			Changes: []Change{{Field: "日期", After: a.HeldOn.String()}, {Field: "参加企业数", After: strconv.Itoa(len(seen))},
				{Field: "对接投资机构", After: strings.Join(a.InvestorList(), "、")}}})
	})
}

// ActivityRow is an activity with its participant count.
type ActivityRow struct {
	domain.ListingActivity
	Participants int64
}

// Activities lists activities, newest first, optionally of one kind.
func (s *Listing) Activities(ctx context.Context, kind domain.ActivityKind, limit int) ([]ActivityRow, error) {
	var rows []ActivityRow
	q := s.db.R.WithContext(ctx).Table(tActivities).
		Select("listing_activities.*, (SELECT COUNT(*) FROM listing_participants p WHERE p.activity_id = listing_activities.id) AS participants")
	if kind != "" {
		q = q.Where("kind = ?", string(kind))
	}
	err := q.Order("held_on DESC").Order("id DESC").Limit(limit).Find(&rows).Error
	return rows, err
}

// Participant is an enterprise that took part in an activity.
type Participant struct {
	EnterpriseID int64
	Name         string
	USCC         string
	DistrictCode string
	Stage        string
}

// Activity loads one activity and the participants sc may see.
func (s *Listing) Activity(ctx context.Context, sc domain.Scope, id int64) (domain.ListingActivity, []Participant, error) {
	var a domain.ListingActivity
	g := s.db.R.WithContext(ctx)
	if err := g.Table(tActivities).Where("id = ?", id).Take(&a).Error; err != nil {
		return a, nil, mapErr(err)
	}
	var ps []Participant
	q := g.Table(tParticipants).
		Select("enterprises.id AS enterprise_id, enterprises.name, enterprises.uscc, enterprises.district_code, COALESCE(listing_pipelines.stage, '') AS stage").
		Joins("JOIN enterprises ON enterprises.id = listing_participants.enterprise_id").
		Joins("LEFT JOIN listing_pipelines ON listing_pipelines.enterprise_id = enterprises.id").
		Where("listing_participants.activity_id = ?", id)
	err := applyScope(q, sc).Order("enterprises.name").Find(&ps).Error
	return a, ps, err
}

// ActivitiesFor lists the activities an enterprise took part in, newest first.
func (s *Listing) ActivitiesFor(ctx context.Context, enterpriseID int64) ([]domain.ListingActivity, error) {
	var as []domain.ListingActivity
	err := s.db.R.WithContext(ctx).Table(tActivities).
		Where("id IN (SELECT activity_id FROM listing_participants WHERE enterprise_id = ?)", enterpriseID).
		Order("held_on DESC").Order("id DESC").Find(&as).Error
	return as, err
}
