package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/domain/benefits"
)

const (
	tGrants           = "benefit_grants"
	tBenefitOverrides = "benefit_parameter_overrides"
)

// Benefits keeps benefit grants and the benefit-parameter overrides, and reads the registry
// in bulk for matching.
type Benefits struct {
	db *DB

	mu     sync.Mutex
	params *benefits.ParamSet
	seen   int64
}

func NewBenefits(db *DB) *Benefits { return &Benefits{db: db} }

// GrantInvalid is a grant the rules refuse; Fields name the form fields.
type GrantInvalid struct{ Fields domain.FieldErrors }

func (e *GrantInvalid) Error() string { return "invalid grant" }

// Parameters returns the default benefit parameters with every override applied; they are
// re-read only when a newer override exists, so several instances stay in step.
func (s *Benefits) Parameters(ctx context.Context) (*benefits.ParamSet, error) {
	// The newest override's id, memoized: every enterprise page asks it.
	v, err := memoized(s.db.memo, "benefit-overrides-version", []string{tBenefitOverrides}, func() (int64, error) {
		var v int64
		err := s.db.R.WithContext(ctx).Table(tBenefitOverrides).Select("COALESCE(MAX(id), 0)").Scan(&v).Error
		return v, err
	})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.params != nil && v == s.seen {
		return s.params, nil
	}
	rows, err := s.Overrides(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := benefits.DefaultParameters().WithOverrides(toOverrides(rows))
	if err != nil {
		return nil, fmt.Errorf("benefit parameter overrides: %w", err)
	}
	s.params, s.seen = ps, v
	return ps, nil
}

func toOverrides(rows []ParameterOverride) []benefits.Override {
	ovs := make([]benefits.Override, len(rows))
	for i, r := range rows {
		ovs[i] = benefits.Override{Key: r.Key, EffectiveFrom: r.EffectiveFrom, Value: json.RawMessage(r.Value)}
	}
	return ovs
}

// Overrides lists every benefit-parameter override in the order made.
func (s *Benefits) Overrides(ctx context.Context) ([]ParameterOverride, error) {
	var os []ParameterOverride
	err := s.db.R.WithContext(ctx).Table(tBenefitOverrides).Order("id").Find(&os).Error
	return os, err
}

// AddOverride checks that the whole table compiles with o, records it and audits it.
func (s *Benefits) AddOverride(ctx context.Context, actor Actor, o *ParameterOverride) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var rows []ParameterOverride
		if err := tx.Table(tBenefitOverrides).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		rows = append(rows, *o)
		if _, err := benefits.DefaultParameters().WithOverrides(toOverrides(rows)); err != nil {
			return &GrantInvalid{domain.FieldErrors{"value": err.Error()}}
		}
		row := map[string]any{"key": o.Key, "effective_from": o.EffectiveFrom, "value": o.Value, "reason": o.Reason,
			"created_by": actor.Name, "created_at": tx.NowFunc()}
		if err := tx.Table(tBenefitOverrides).Create(row).Error; err != nil {
			return err
		}
		return WriteAudit(tx, actor, Audit{Action: "create", EntityType: "benefit_parameter", Summary: "修改政策匹配参数 " + o.Key,
			Changes: []Change{{Field: o.Key + "（自 " + o.EffectiveFrom.String() + " 起）", After: o.Value}, {Field: "理由", After: o.Reason}}})
	})
}

type grantRow struct {
	ID           int64
	EnterpriseID int64
	BenefitID    string
	AwardYear    int
	Status       string
	Amount       int64
	GrantedOn    domain.Date
	Note         string
	RecordedBy   string
	Version      int64
}

func (r grantRow) grant() benefits.Grant {
	return benefits.Grant{ID: r.ID, EnterpriseID: r.EnterpriseID, BenefitID: r.BenefitID, Year: r.AwardYear,
		Status: benefits.GrantStatus(r.Status), Amount: domain.Money(r.Amount), On: r.GrantedOn, Note: r.Note,
		RecordedBy: r.RecordedBy, Version: r.Version}
}

// Grants lists an enterprise's grants, newest award year first.
func (s *Benefits) Grants(ctx context.Context, enterpriseID int64) ([]benefits.Grant, error) {
	m, err := LoadGrantsFor(s.db.R.WithContext(ctx), []int64{enterpriseID})
	if err != nil {
		return nil, err
	}
	gs := m[enterpriseID]
	for i, j := 0, len(gs)-1; i < j; i, j = i+1, j-1 {
		gs[i], gs[j] = gs[j], gs[i]
	}
	return gs, nil
}

// LoadGrantsFor loads the grants of many enterprises with one query, oldest award year first.
func LoadGrantsFor(g *gorm.DB, ids []int64) (map[int64][]benefits.Grant, error) {
	out := map[int64][]benefits.Grant{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []grantRow
	if err := g.Table(tGrants).Where("enterprise_id IN ?", ids).Order("enterprise_id").Order("award_year").Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.EnterpriseID] = append(out[r.EnterpriseID], r.grant())
	}
	return out, nil
}

// RecordGrant records a benefit as confirmed or paid for an award year: the first record
// inserts, later ones (e.g. confirmed → paid) update the same row. A one-off benefit granted
// in another year is refused. The caller validated g (benefits.Grant.Validate).
func (s *Benefits) RecordGrant(ctx context.Context, actor Actor, sc domain.Scope, g *benefits.Grant) error {
	rule, ok := benefits.RuleByID(g.BenefitID)
	if !ok {
		return &GrantInvalid{domain.FieldErrors{"benefit": "请选择政策"}}
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		e, err := LoadEnterprise(tx, sc, g.EnterpriseID)
		if err != nil {
			return err
		}
		var rows []grantRow
		if err := tx.Table(tGrants).Where("enterprise_id = ? AND benefit_id = ?", g.EnterpriseID, g.BenefitID).Order("award_year").Find(&rows).Error; err != nil {
			return err
		}
		var cur *grantRow
		for i := range rows {
			if rows[i].AwardYear == g.Year {
				cur = &rows[i]
			} else if rule.OneOff {
				return &GrantInvalid{domain.FieldErrors{"year": fmt.Sprintf("%s为一次性奖励，已于 %d 年度兑现，不能重复登记", rule.Name, rows[i].AwardYear)}}
			}
		}
		now := tx.NowFunc()
		after := grantSnapshot(*g)
		if cur == nil {
			row := map[string]any{"enterprise_id": g.EnterpriseID, "benefit_id": g.BenefitID, "award_year": g.Year,
				"status": string(g.Status), "amount": int64(g.Amount), "granted_on": g.On, "note": g.Note,
				"recorded_by": actor.Name, "version": 1, "created_at": now, "updated_at": now}
			if err := tx.Table(tGrants).Create(row).Error; err != nil {
				return mapErr(err)
			}
			var id int64
			if err := tx.Table(tGrants).Select("id").Where("enterprise_id = ? AND benefit_id = ? AND award_year = ?", g.EnterpriseID, g.BenefitID, g.Year).Scan(&id).Error; err != nil {
				return err
			}
			g.ID, g.Version, g.RecordedBy = id, 1, actor.Name
			return WriteAudit(tx, actor, Audit{Action: "create", EntityType: "benefit_grant", EntityID: id, EnterpriseID: e.ID,
				Summary: fmt.Sprintf("登记政策兑现：%s（%d 年度）%s %s 万元", rule.Name, g.Year, g.Status.Label(), g.Amount.FormatWan()),
				Changes: Diff(nil, after)})
		}
		if g.Version != 0 && g.Version != cur.Version {
			return ErrStale
		}
		before := grantSnapshot(cur.grant())
		res := tx.Table(tGrants).Where("id = ? AND version = ?", cur.ID, cur.Version).Updates(map[string]any{
			"status": string(g.Status), "amount": int64(g.Amount), "granted_on": g.On, "note": g.Note,
			"recorded_by": actor.Name, "version": cur.Version + 1, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrStale
		}
		g.ID, g.Version, g.RecordedBy = cur.ID, cur.Version+1, actor.Name
		return WriteAudit(tx, actor, Audit{Action: "update", EntityType: "benefit_grant", EntityID: cur.ID, EnterpriseID: e.ID,
			Summary: fmt.Sprintf("更新政策兑现：%s（%d 年度）%s %s 万元", rule.Name, g.Year, g.Status.Label(), g.Amount.FormatWan()),
			Changes: Diff(before, after)})
	})
}

func grantSnapshot(g benefits.Grant) Snapshot {
	var s Snapshot
	name := g.BenefitID
	if r, ok := benefits.RuleByID(g.BenefitID); ok {
		name = r.Name
	}
	s.add("政策", name)
	s.add("奖励年度", strconv.Itoa(g.Year))
	s.add("状态", g.Status.Label())
	s.add("金额（万元）", g.Amount.FormatWan())
	s.add("日期", g.On.String())
	s.add("备注", g.Note)
	return s
}

// IsGrantInvalid returns the field errors of a refused grant or override.
func IsGrantInvalid(err error) (domain.FieldErrors, bool) {
	var gi *GrantInvalid
	if errors.As(err, &gi) {
		return gi.Fields, true
	}
	return nil, false
}

// CandidateFilter narrows a whole-registry read to the enterprises some benefit could match:
// first 规上 in one of AboveScaleSince, or a tier in Tiers, or (SME) an SME size class.
type CandidateFilter struct {
	Scope           domain.Scope
	District        string
	AboveScaleSince []int
	Tiers           []domain.Tier
	SME             bool
	all             bool // no prefilter: every enterprise in scope
}

const benefitColumns = "id, uscc, name, district_code, industry_group, tier, tier_valid_until, size, above_scale, above_scale_since"

// CandidatesAfter reads up to limit enterprises with id > afterID in id order that pass f,
// as benefit inputs without years, grants or facts (see Enrich).
func (s *Benefits) CandidatesAfter(ctx context.Context, f CandidateFilter, afterID int64, limit int) ([]benefits.Input, error) {
	q := applyScope(s.db.R.WithContext(ctx).Table(tEnterprises), f.Scope).Select(benefitColumns).Where("id > ?", afterID)
	if f.District != "" {
		q = q.Where("district_code = ?", f.District)
	}
	var ors []string
	var args []any
	if len(f.AboveScaleSince) > 0 {
		ors, args = append(ors, "(above_scale = ? AND above_scale_since IN ?)"), append(args, true, f.AboveScaleSince)
	}
	if len(f.Tiers) > 0 {
		ts := make([]string, len(f.Tiers))
		for i, t := range f.Tiers {
			ts[i] = string(t)
		}
		ors, args = append(ors, "tier IN ?"), append(args, ts)
	}
	if f.SME {
		ors, args = append(ors, "size IN ?"), append(args, []string{string(domain.SizeMicro), string(domain.SizeSmall), string(domain.SizeMedium)})
	}
	if len(ors) == 0 && !f.all {
		return nil, nil
	}
	if len(ors) > 0 {
		where := ors[0]
		for _, o := range ors[1:] {
			where += " OR " + o
		}
		q = q.Where("("+where+")", args...)
	}
	rows, err := q.Order("id").Limit(limit).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]benefits.Input, 0, limit)
	var v [10]any
	dst := make([]any, len(v))
	for i := range v {
		dst[i] = &v[i]
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		var c cols
		in := benefits.Input{EnterpriseID: c.int(v[0]), USCC: c.str(v[1]), Name: c.str(v[2]), District: c.str(v[3]),
			Industry: domain.IndustryGroup(c.str(v[4])), Tier: domain.Tier(c.str(v[5])), Size: domain.SizeClass(c.str(v[7])),
			AboveScale: c.bool(v[8]), AboveScaleSince: int(c.int(v[9]))}
		c.date(&in.TierValidUntil, v[6])
		if in.Tier == "" {
			in.Tier = domain.TierBase
		}
		if c.err != nil {
			return nil, fmt.Errorf("enterprise %d: %w", in.EnterpriseID, c.err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// Enrich loads what the rules read beyond the profile, only where a rule can use it: years
// for the inputs needYears selects, the 小巨人 certification date and the dishonesty flag for
// 小巨人, and every input's grants.
func (s *Benefits) Enrich(ctx context.Context, ins []benefits.Input, needYears func(*benefits.Input) bool) error {
	g := s.db.R.WithContext(ctx)
	all := make([]int64, len(ins))
	var yearIDs, lgIDs []int64
	for i := range ins {
		all[i] = ins[i].EnterpriseID
		if needYears(&ins[i]) {
			yearIDs = append(yearIDs, ins[i].EnterpriseID)
		}
		if ins[i].Tier == domain.TierLittleGiant {
			lgIDs = append(lgIDs, ins[i].EnterpriseID)
		}
	}
	years, err := LoadYearsFor(g, yearIDs)
	if err != nil {
		return err
	}
	grants, err := LoadGrantsFor(g, all)
	if err != nil {
		return err
	}
	since, dishonest, err := littleGiantFacts(g, lgIDs)
	if err != nil {
		return err
	}
	for i := range ins {
		id := ins[i].EnterpriseID
		ins[i].Years, ins[i].Grants = years[id], grants[id]
		if d, ok := since[id]; ok {
			ins[i].LittleGiantSince = d
		}
		if b, ok := dishonest[id]; ok {
			ins[i].SeriousDishonesty = b
		}
	}
	return nil
}

// littleGiantFacts reads, for 小巨人 enterprises, the earliest certification to little_giant in
// the tier history (certified or recorded after the fact) and the serious-dishonesty flag.
func littleGiantFacts(g *gorm.DB, ids []int64) (map[int64]domain.Date, map[int64]*bool, error) {
	since, dishonest := map[int64]domain.Date{}, map[int64]*bool{}
	if len(ids) == 0 {
		return since, dishonest, nil
	}
	var evs []struct {
		EnterpriseID int64
		EffectiveOn  domain.Date
	}
	if err := g.Table(tTierEvents).Select("enterprise_id, effective_on").
		Where("enterprise_id IN ? AND to_tier = ? AND kind IN ?", ids, string(domain.TierLittleGiant),
			[]string{string(domain.EventCertified), string(domain.EventRecorded)}).Find(&evs).Error; err != nil {
		return nil, nil, err
	}
	for _, e := range evs {
		if d, ok := since[e.EnterpriseID]; !ok || e.EffectiveOn.Before(d) {
			since[e.EnterpriseID] = e.EffectiveOn
		}
	}
	var fs []struct {
		EnterpriseID      int64
		SeriousDishonesty *bool
	}
	if err := g.Table(tFacts).Select("enterprise_id, serious_dishonesty").Where("enterprise_id IN ?", ids).Find(&fs).Error; err != nil {
		return nil, nil, err
	}
	for _, f := range fs {
		dishonest[f.EnterpriseID] = f.SeriousDishonesty
	}
	return since, dishonest, nil
}

// InputOf builds one enterprise's benefit input from records already loaded (the enterprise
// page), adding its grants.
func InputOf(e domain.Enterprise, years []domain.YearFigures, facts domain.EnterpriseFacts, events []domain.TierEvent, grants []benefits.Grant) benefits.Input {
	in := benefits.Input{EnterpriseID: e.ID, USCC: string(e.USCC), Name: e.Name, District: e.DistrictCode,
		Industry: e.IndustryGroup, Size: e.Size, Tier: e.Tier, TierValidUntil: e.TierValidUntil,
		AboveScale: e.AboveScale, AboveScaleSince: e.AboveScaleSince, SeriousDishonesty: facts.SeriousDishonesty,
		Years: years, Grants: grants}
	if in.Tier == "" {
		in.Tier = domain.TierBase
	}
	for _, ev := range events {
		if ev.ToTier == domain.TierLittleGiant && (ev.Kind == domain.EventCertified || ev.Kind == domain.EventRecorded) {
			if in.LittleGiantSince.IsZero() || ev.EffectiveOn.Before(in.LittleGiantSince) {
				in.LittleGiantSince = ev.EffectiveOn
			}
		}
	}
	return in
}

// ScanBatch is how many enterprises a whole-registry benefit scan reads per round trip.
const ScanBatch = 2000

// Scan walks the enterprises the need selects (within the filter's scope and district) in id
// order, a batch at a time, enriched for award year y, and calls fn with each batch. One
// goroutine reads the next batch of profiles while the current one is enriched and matched.
func (s *Benefits) Scan(ctx context.Context, f CandidateFilter, need benefits.Need, y int, fn func([]benefits.Input) error) error {
	f.AboveScaleSince, f.Tiers, f.SME = need.AboveScaleSince, need.Tiers, need.SME
	if need.SME {
		// Nearly every enterprise is an SME: filtering costs more than it saves.
		f.AboveScaleSince, f.Tiers, f.SME = nil, nil, false
		f.all = true
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// go-sqlite3 starts a goroutine per row read under a cancellable context; cancellation
	// is checked between batches instead.
	qctx := context.WithoutCancel(ctx)
	type page struct {
		ins []benefits.Input
		err error
	}
	pages := make(chan page, 2)
	go func() {
		defer close(pages)
		var after int64
		for ctx.Err() == nil {
			ins, err := s.CandidatesAfter(qctx, f, after, ScanBatch)
			if err != nil || len(ins) == 0 {
				if err != nil {
					pages <- page{err: err}
				}
				return
			}
			after = ins[len(ins)-1].EnterpriseID
			select {
			case pages <- page{ins: ins}:
			case <-ctx.Done():
				return
			}
		}
	}()
	for p := range pages {
		if p.err != nil {
			return p.err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.Enrich(qctx, p.ins, func(in *benefits.Input) bool { return benefits.NeedsYears(in, y) }); err != nil {
			return err
		}
		if err := fn(p.ins); err != nil {
			return err
		}
	}
	return ctx.Err()
}
