package tiers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
)

// Service runs evaluations and tier decisions against the store.
type Service struct {
	db        *store.DB
	decisions *store.Decisions

	mu         sync.Mutex
	params     *eligibility.ParameterSet
	paramsSeen int64 // newest override id folded into params
}

func New(db *store.DB) *Service {
	return &Service{db: db, decisions: store.NewDecisions(db)}
}

// Refusal is a decision the rules or the ladder refused; it carries what to show.
type Refusal struct {
	Message  string
	Decision *domain.Decision // the recorded refusal, when an evaluation ran
	Verdict  *eligibility.Verdict
}

func (r *Refusal) Error() string { return r.Message }

// IsRefusal reports whether err is a Refusal, and returns it.
func IsRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

// Parameters returns the default parameters with every administrator override applied.
// Overrides are re-read only when a newer one exists, so several instances stay in step.
func (s *Service) Parameters(ctx context.Context) (*eligibility.ParameterSet, error) {
	v, err := s.decisions.OverridesVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.params != nil && v == s.paramsSeen {
		return s.params, nil
	}
	rows, err := s.decisions.Overrides(ctx)
	if err != nil {
		return nil, err
	}
	ovs := make([]eligibility.Override, len(rows))
	for i, r := range rows {
		ovs[i] = eligibility.Override{Key: r.Key, EffectiveFrom: r.EffectiveFrom, Value: json.RawMessage(r.Value)}
	}
	ps, err := eligibility.DefaultParameters().WithOverrides(ovs)
	if err != nil {
		return nil, fmt.Errorf("rule parameter overrides: %w", err)
	}
	s.params, s.paramsSeen = ps, v
	return ps, nil
}

// Assessment is a record evaluated on a date.
type Assessment struct {
	Record  Record
	Facts   eligibility.Facts
	Verdict eligibility.Verdict
	// Filled by AssessPage only, as asked: the tier history, and which other histories hold rows.
	TierEvents []domain.TierEvent
	Has        store.Histories
}

// Assess evaluates an enterprise the scope may see, as of asOf.
func (s *Service) Assess(ctx context.Context, sc domain.Scope, enterpriseID int64, asOf domain.Date, renewal bool) (Assessment, error) {
	return s.assess(ctx, sc, enterpriseID, asOf, renewal, store.RecordReads{})
}

// AssessPage is Assess (not a renewal) for the pages that also show the tier history
// or other histories: want says which come with the record's reads.
func (s *Service) AssessPage(ctx context.Context, sc domain.Scope, enterpriseID int64, asOf domain.Date, want store.RecordReads) (Assessment, error) {
	return s.assess(ctx, sc, enterpriseID, asOf, false, want)
}

func (s *Service) assess(ctx context.Context, sc domain.Scope, enterpriseID int64, asOf domain.Date, renewal bool, want store.RecordReads) (Assessment, error) {
	rec, err := store.LoadEnterpriseRecord(s.db.R.WithContext(ctx), sc, enterpriseID, want)
	if err != nil {
		return Assessment{}, err
	}
	ps, err := s.Parameters(ctx)
	if err != nil {
		return Assessment{}, err
	}
	r := recordOf(rec)
	f := BuildFacts(r, asOf, renewal)
	return Assessment{Record: r, Facts: f, Verdict: eligibility.Evaluate(f, ps), TierEvents: rec.TierEvents, Has: rec.Has}, nil
}

// load reads a record within g (a transaction for decisions, so what is evaluated is what is decided on).
func (s *Service) load(g *gorm.DB, sc domain.Scope, id int64) (Record, error) {
	rec, err := store.LoadEnterpriseRecord(g, sc, id, store.RecordReads{})
	if err != nil {
		return Record{}, err
	}
	return recordOf(rec), nil
}

func recordOf(rec store.EnterpriseRecord) Record {
	return Record{Enterprise: rec.Enterprise, Years: rec.Years, Facts: rec.Facts, Awards: rec.Awards, DevScores: rec.DevScores}
}

// loadLocked is load inside a write transaction, after taking the enterprise's row lock
// on PostgreSQL: decisions read the tier and then change it, and without the lock
// concurrent decisions on one enterprise all pass the ladder check (SQLite's single
// writer already runs them one after another).
func (s *Service) loadLocked(tx *gorm.DB, sc domain.Scope, id int64) (Record, error) {
	if err := s.lockEnterprise(tx, id); err != nil {
		return Record{}, err
	}
	return s.load(tx, sc, id)
}

func (s *Service) lockEnterprise(tx *gorm.DB, id int64) error {
	if s.db.Dialect != store.Postgres {
		return nil
	}
	return tx.Exec("SELECT id FROM enterprises WHERE id = ? FOR UPDATE", id).Error
}

// PromoteRequest is the city's 认定 of the next rung, or the recording of MIIT's.
type PromoteRequest struct {
	EnterpriseID  int64
	ToTier        domain.Tier
	AsOf          domain.Date // the day the rules are evaluated on (today)
	CertificateNo string
	Batch         string
	CertifiedOn   domain.Date // zero: AsOf
	DecidedBy     string      // the deciding body shown in history, e.g. 市经济信息化委
}

func (p *PromoteRequest) validate() domain.FieldErrors {
	fe := domain.FieldErrors{}
	p.CertificateNo, p.Batch = strings.TrimSpace(p.CertificateNo), strings.TrimSpace(p.Batch)
	if p.CertificateNo == "" {
		fe.Add("certificate_no", "请填写证书编号")
	}
	if p.Batch == "" {
		fe.Add("batch", "请填写认定批次")
	}
	if p.CertifiedOn.IsZero() {
		p.CertifiedOn = p.AsOf
	}
	if p.CertifiedOn.After(p.AsOf) {
		fe.Add("certified_on", "认定日期不能晚于今天")
	}
	return fe
}

// FormError is a request the user must correct before anything is evaluated.
type FormError struct{ Fields domain.FieldErrors }

func (e *FormError) Error() string { return "invalid request" }

// ladderCheck refuses what the ladder forbids before any evaluation: skipping a rung,
// promoting beyond the top, or applying while barred.
func ladderCheck(e domain.Enterprise, to domain.Tier, asOf domain.Date) string {
	cur := e.Tier
	if cur == "" {
		cur = domain.TierBase
	}
	switch {
	case !to.Valid() || to == domain.TierBase:
		return "目标层级无效"
	case to.Rank() <= cur.Rank():
		return fmt.Sprintf("企业已是%s，不能再认定为%s", cur.Label(), to.Label())
	case to != cur.Next():
		return fmt.Sprintf("梯度培育须逐级认定：当前为%s，下一级是%s，不能直接认定为%s", cur.Label(), cur.Next().Label(), to.Label())
	case !e.BarredUntil.IsZero() && !asOf.After(e.BarredUntil):
		return fmt.Sprintf("该企业因弄虚作假被撤销称号，%s 前不得再次申请", e.BarredUntil.String())
	}
	return ""
}

// Promote certifies the next rung (innovative or specialized) after the rules pass
// on the facts as they stand. A refusal is recorded too, and returned as *Refusal.
func (s *Service) Promote(ctx context.Context, actor store.Actor, sc domain.Scope, req PromoteRequest) (domain.Decision, error) {
	if fe := req.validate(); len(fe) > 0 {
		return domain.Decision{}, &FormError{fe}
	}
	if req.ToTier == domain.TierLittleGiant {
		return domain.Decision{}, &Refusal{Message: "专精特新“小巨人”由工业和信息化部认定：请先“推荐至工信部”，再录入认定结果"}
	}
	if req.DecidedBy == "" {
		req.DecidedBy = "市经济信息化委"
	}
	return s.decide(ctx, actor, sc, req.EnterpriseID, req.ToTier, req.AsOf, func(tx *gorm.DB, r Record, d *domain.Decision) error {
		d.Kind, d.Outcome = domain.DecisionPromotion, domain.OutcomeGranted
		d.CertificateNo, d.Batch, d.CertifiedOn = req.CertificateNo, req.Batch, req.CertifiedOn
		d.ValidUntil = req.CertifiedOn.AddYears(domain.TitleValidityYears)
		if app, err := store.OpenApplication(tx, r.Enterprise.ID); err == nil && app.ToTier == req.ToTier {
			d.ApplicationID = &app.ID
			if err := store.SetApplicationStatus(tx, &app, domain.AppGranted, ""); err != nil {
				return err
			}
		}
		return s.grant(tx, r, d, req.DecidedBy)
	})
}

// grant moves the enterprise up and writes its history entry.
func (s *Service) grant(tx *gorm.DB, r Record, d *domain.Decision, decidedBy string) error {
	if err := store.AddDecision(tx, d); err != nil {
		return err
	}
	return store.AddTierEvent(tx, &domain.TierEvent{
		EnterpriseID: r.Enterprise.ID, Kind: domain.EventCertified, FromTier: r.Enterprise.Tier, ToTier: d.ToTier,
		EffectiveOn: d.CertifiedOn, ValidUntil: d.ValidUntil, CertificateNo: d.CertificateNo, Batch: d.Batch,
		DecidedBy: decidedBy, Reason: fmt.Sprintf("决定记录 #%d", d.ID),
	})
}

// decide is the shared shape of every rule-checked decision: in one write transaction,
// load the record, check the ladder, evaluate, and either record a refusal (committed,
// returned as *Refusal) or call onPass to record the decision and its effects.
func (s *Service) decide(ctx context.Context, actor store.Actor, sc domain.Scope, id int64, to domain.Tier, asOf domain.Date,
	onPass func(tx *gorm.DB, r Record, d *domain.Decision) error) (domain.Decision, error) {
	ps, err := s.Parameters(ctx)
	if err != nil {
		return domain.Decision{}, err
	}
	var d domain.Decision
	var refusal *Refusal
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, err := s.loadLocked(tx, sc, id)
		if err != nil {
			return err
		}
		if msg := ladderCheck(r.Enterprise, to, asOf); msg != "" {
			refusal = &Refusal{Message: msg}
			return nil
		}
		f := BuildFacts(r, asOf, false)
		v := eligibility.Evaluate(f, ps)
		d = newDecision(actor, r, to, f, v)
		if tr := v.Tiers.Get(to); tr == nil || !tr.Eligible {
			d.Kind, d.Outcome = domain.DecisionPromotion, domain.OutcomeRefused
			d.Reason = refusalReason(v, to)
			if err := store.AddDecision(tx, &d); err != nil {
				return err
			}
			if err := store.WriteAudit(tx, actor, store.Audit{Action: "refuse", EntityType: "tier_decision", EntityID: d.ID,
				EnterpriseID: id, Summary: "认定为" + to.Label() + "未通过：" + d.Reason}); err != nil {
				return err
			}
			refusal = &Refusal{Message: "不符合" + to.Label() + "认定条件，已拒绝：" + d.Reason, Decision: &d, Verdict: &v}
			return nil
		}
		if err := onPass(tx, r, &d); err != nil {
			return err
		}
		return store.WriteAudit(tx, actor, store.Audit{Action: string(d.Kind), EntityType: "tier_decision", EntityID: d.ID,
			EnterpriseID: id, Summary: d.Kind.Label() + " " + d.ToTier.Label() + "：" + d.Outcome.Label()})
	})
	if err != nil {
		return domain.Decision{}, err
	}
	if refusal != nil {
		return d, refusal
	}
	return d, nil
}

func newDecision(actor store.Actor, r Record, to domain.Tier, f eligibility.Facts, v eligibility.Verdict) domain.Decision {
	fj, _ := json.Marshal(f)
	vj, _ := json.Marshal(v)
	d := domain.Decision{
		EnterpriseID: r.Enterprise.ID, FromTier: r.Enterprise.Tier, ToTier: to, AsOf: f.AsOf,
		RuleSet: v.RuleSet, ParamsVersion: v.ParamsVersion, Facts: string(fj), Verdict: string(vj),
		DecidedBy: actor.Name,
	}
	if actor.UserID != 0 {
		d.DeciderID = &actor.UserID
	}
	return d
}

// refusalReason names the failing and missing criteria of a tier in one line.
func refusalReason(v eligibility.Verdict, to domain.Tier) string {
	var parts []string
	for _, c := range eligibility.Gap(v, to) {
		parts = append(parts, c.Message)
	}
	if len(parts) == 0 {
		return "未满足条件"
	}
	return strings.Join(parts, "；")
}
