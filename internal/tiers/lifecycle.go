package tiers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
)

// Recommend records a first-step recommendation after the rules pass: a district
// officer's 区级初审 of innovative/specialized (the city then confirms with Promote),
// or the city's recommendation of a 小巨人 to MIIT (then RecordMIITResult).
func (s *Service) Recommend(ctx context.Context, actor store.Actor, sc domain.Scope, id int64, to domain.Tier, asOf domain.Date, note string) (domain.Decision, error) {
	status := domain.AppDistrictRecommended
	if to == domain.TierLittleGiant {
		status = domain.AppMIITPending
	}
	return s.decide(ctx, actor, sc, id, to, asOf, func(tx *gorm.DB, r Record, d *domain.Decision) error {
		if _, err := store.OpenApplication(tx, id); err == nil {
			return &Refusal{Message: "该企业已有待处理的推荐，请先处理"}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		app := domain.Application{EnterpriseID: id, ToTier: to, Status: status, OpenedBy: actor.Name, Note: strings.TrimSpace(note)}
		if err := store.CreateApplication(tx, &app); err != nil {
			return err
		}
		d.Kind, d.Outcome, d.ApplicationID, d.Reason = domain.DecisionRecommendation, domain.OutcomeRecommended, &app.ID, app.Note
		return store.AddDecision(tx, d)
	})
}

// RejectApplication returns an open application with a reason (the city's 退回).
func (s *Service) RejectApplication(ctx context.Context, actor store.Actor, sc domain.Scope, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return &FormError{domain.FieldErrors{"reason": "请填写退回理由"}}
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockEnterprise(tx, id); err != nil {
			return err
		}
		if _, err := store.LoadEnterprise(tx, sc, id); err != nil {
			return err
		}
		app, err := store.OpenApplication(tx, id)
		if err != nil {
			return err
		}
		if err := store.SetApplicationStatus(tx, &app, domain.AppRejected, reason); err != nil {
			return err
		}
		return store.WriteAudit(tx, actor, store.Audit{Action: "reject", EntityType: "tier_application", EntityID: app.ID,
			EnterpriseID: id, Summary: "退回" + app.ToTier.Label() + "推荐：" + reason})
	})
}

// MIITResult is what MIIT decided on a 小巨人 recommendation.
type MIITResult struct {
	Granted       bool
	CertificateNo string
	Batch         string
	CertifiedOn   domain.Date
	Reason        string
}

// RecordMIITResult records MIIT's decision on the open 小巨人 recommendation. MIIT decides,
// so the result is recorded as given, with the evaluation of the day kept beside it.
func (s *Service) RecordMIITResult(ctx context.Context, actor store.Actor, sc domain.Scope, id int64, asOf domain.Date, res MIITResult) (domain.Decision, error) {
	fe := domain.FieldErrors{}
	if res.Granted {
		req := PromoteRequest{CertificateNo: res.CertificateNo, Batch: res.Batch, CertifiedOn: res.CertifiedOn, AsOf: asOf}
		fe = req.validate()
		res.CertificateNo, res.Batch, res.CertifiedOn = req.CertificateNo, req.Batch, req.CertifiedOn
	}
	if len(fe) > 0 {
		return domain.Decision{}, &FormError{fe}
	}
	ps, err := s.Parameters(ctx)
	if err != nil {
		return domain.Decision{}, err
	}
	var d domain.Decision
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, err := s.loadLocked(tx, sc, id)
		if err != nil {
			return err
		}
		app, err := store.OpenApplication(tx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && app.Status != domain.AppMIITPending) {
			return &Refusal{Message: "该企业没有待工信部认定的小巨人推荐"}
		} else if err != nil {
			return err
		}
		f := BuildFacts(r, asOf, false)
		d = newDecision(actor, r, domain.TierLittleGiant, f, eligibility.Evaluate(f, ps))
		d.Kind, d.ApplicationID, d.Reason = domain.DecisionMIITResult, &app.ID, strings.TrimSpace(res.Reason)
		if !res.Granted {
			d.Outcome = domain.OutcomeNotGranted
			if err := store.SetApplicationStatus(tx, &app, domain.AppNotGranted, d.Reason); err != nil {
				return err
			}
			if err := store.AddDecision(tx, &d); err != nil {
				return err
			}
		} else {
			d.Outcome, d.CertificateNo, d.Batch, d.CertifiedOn = domain.OutcomeGranted, res.CertificateNo, res.Batch, res.CertifiedOn
			d.ValidUntil = res.CertifiedOn.AddYears(domain.TitleValidityYears)
			if err := store.SetApplicationStatus(tx, &app, domain.AppGranted, ""); err != nil {
				return err
			}
			if err := s.grant(tx, r, &d, "工业和信息化部"); err != nil {
				return err
			}
		}
		return store.WriteAudit(tx, actor, store.Audit{Action: "miit_result", EntityType: "tier_decision", EntityID: d.ID,
			EnterpriseID: id, Summary: "工信部认定结果：" + d.Outcome.Label()})
	})
	return d, err
}

// Renew runs the review (复核) of the title held, with renewal: true. Passing extends the
// title three years from its current expiry; failing records a refusal and leaves the
// title to expire on its date.
func (s *Service) Renew(ctx context.Context, actor store.Actor, sc domain.Scope, id int64, asOf domain.Date) (domain.Decision, error) {
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
		e := r.Enterprise
		if e.Tier == domain.TierBase || e.Tier == "" {
			refusal = &Refusal{Message: "该企业未持有梯度称号，无需复核"}
			return nil
		}
		if !e.TierValidUntil.IsZero() && e.TierValidUntil.Before(asOf) {
			refusal = &Refusal{Message: "称号已于 " + e.TierValidUntil.String() + " 到期，不能复核，须重新申请"}
			return nil
		}
		if a := AnnualUpdate(r, asOf); a.Overdue {
			refusal = &Refusal{Message: fmt.Sprintf("未按期完成年度数据更新：%d 年度数据应于 %s 前报送，逾期未报不能复核（ELIGIBILITY.md §6）", a.Year, a.Deadline)}
			return nil
		}
		f := BuildFacts(r, asOf, true)
		v := eligibility.Evaluate(f, ps)
		d = newDecision(actor, r, e.Tier, f, v)
		d.Kind = domain.DecisionRenewal
		if tr := v.Tiers.Get(e.Tier); tr == nil || !tr.Eligible {
			d.Outcome, d.Reason = domain.OutcomeRefused, refusalReason(v, e.Tier)
			if err := store.AddDecision(tx, &d); err != nil {
				return err
			}
			refusal = &Refusal{Message: "复核未通过：" + d.Reason, Decision: &d, Verdict: &v}
			return store.WriteAudit(tx, actor, store.Audit{Action: "renewal", EntityType: "tier_decision", EntityID: d.ID,
				EnterpriseID: id, Summary: "复核" + e.Tier.Label() + "未通过"})
		}
		base := e.TierValidUntil
		if base.IsZero() {
			base = asOf
		}
		d.Outcome, d.CertifiedOn, d.ValidUntil = domain.OutcomeRenewed, asOf, base.AddYears(domain.TitleValidityYears)
		if err := store.AddDecision(tx, &d); err != nil {
			return err
		}
		if err := store.AddTierEvent(tx, &domain.TierEvent{EnterpriseID: id, Kind: domain.EventRenewed, FromTier: e.Tier, ToTier: e.Tier,
			EffectiveOn: asOf, ValidUntil: d.ValidUntil, DecidedBy: "市经济信息化委", Reason: fmt.Sprintf("决定记录 #%d", d.ID)}); err != nil {
			return err
		}
		return store.WriteAudit(tx, actor, store.Audit{Action: "renewal", EntityType: "tier_decision", EntityID: d.ID,
			EnterpriseID: id, Summary: "复核通过，有效期延至 " + d.ValidUntil.String()})
	})
	if err != nil {
		return domain.Decision{}, err
	}
	if refusal != nil {
		return d, refusal
	}
	return d, nil
}

// RevokeRequest is an administrator's revocation.
type RevokeRequest struct {
	Reason   domain.RevocationReason
	Evidence string
	AsOf     domain.Date
}

// Revoke withdraws the enterprise's title (back to 小微企业). Falsified data also
// bars applications for three years.
func (s *Service) Revoke(ctx context.Context, actor store.Actor, sc domain.Scope, id int64, req RevokeRequest) (domain.Decision, error) {
	fe := domain.FieldErrors{}
	if !req.Reason.Valid() {
		fe.Add("reason", "请选择撤销原因")
	}
	if req.Evidence = strings.TrimSpace(req.Evidence); req.Evidence == "" {
		fe.Add("evidence", "请填写证据材料说明")
	}
	if len(fe) > 0 {
		return domain.Decision{}, &FormError{fe}
	}
	var d domain.Decision
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockEnterprise(tx, id); err != nil {
			return err
		}
		e, err := store.LoadEnterprise(tx, sc, id)
		if err != nil {
			return err
		}
		if e.Tier == domain.TierBase {
			return &Refusal{Message: "该企业未持有梯度称号"}
		}
		d = domain.Decision{EnterpriseID: id, Kind: domain.DecisionRevocation, Outcome: domain.OutcomeRevoked,
			FromTier: e.Tier, ToTier: domain.TierBase, AsOf: req.AsOf, Reason: req.Reason.Label(), Evidence: req.Evidence,
			DecidedBy: actor.Name}
		if actor.UserID != 0 {
			d.DeciderID = &actor.UserID
		}
		if err := store.AddDecision(tx, &d); err != nil {
			return err
		}
		if err := store.AddTierEvent(tx, &domain.TierEvent{EnterpriseID: id, Kind: domain.EventRevoked, FromTier: e.Tier,
			ToTier: domain.TierBase, EffectiveOn: req.AsOf, DecidedBy: "市经济信息化委", Reason: req.Reason.Label()}); err != nil {
			return err
		}
		if req.Reason == domain.RevokeFalsified {
			if err := store.SetBarredUntil(tx, id, req.AsOf.AddYears(domain.FalsifiedBarYears)); err != nil {
				return err
			}
		}
		return store.WriteAudit(tx, actor, store.Audit{Action: "revoke", EntityType: "tier_decision", EntityID: d.ID, EnterpriseID: id,
			Summary: "撤销" + e.Tier.Label() + "称号：" + req.Reason.Label(), Changes: []store.Change{{Field: "证据", After: req.Evidence}}})
	})
	return d, err
}

// ExpireDue drops every title whose validity ended before today, recording each expiry.
// It is idempotent and safe to run from several instances at once.
func (s *Service) ExpireDue(ctx context.Context, today domain.Date) (int, error) {
	total := 0
	for {
		n, err := s.expireBatch(ctx, today)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

func (s *Service) expireBatch(ctx context.Context, today domain.Date) (int, error) {
	due, err := store.NewEnterprises(s.db).ExpiredTitles(ctx, today, 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range due {
		err := s.db.Tx(ctx, func(tx *gorm.DB) error {
			ok, err := store.DropExpiredTitle(tx, e.ID, e.Tier, e.TierValidUntil)
			if err != nil || !ok {
				return err // !ok: another instance got there first
			}
			d := domain.Decision{EnterpriseID: e.ID, Kind: domain.DecisionExpiry, Outcome: domain.OutcomeExpired,
				FromTier: e.Tier, ToTier: domain.TierBase, AsOf: today, ValidUntil: e.TierValidUntil,
				Reason: "称号有效期至 " + e.TierValidUntil.String() + "，未通过复核", DecidedBy: store.System.Name}
			if err := store.AddDecision(tx, &d); err != nil {
				return err
			}
			if err := store.AddTierEvent(tx, &domain.TierEvent{EnterpriseID: e.ID, Kind: domain.EventExpired, FromTier: e.Tier,
				ToTier: domain.TierBase, EffectiveOn: e.TierValidUntil.AddDays(1), DecidedBy: "系统", Reason: d.Reason}); err != nil {
				return err
			}
			n++
			return store.WriteAudit(tx, store.System, store.Audit{Action: "expire", EntityType: "tier_decision", EntityID: d.ID,
				EnterpriseID: e.ID, Summary: e.Tier.Label() + "称号到期失效"})
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// AnnualUpdate is the record's annual data update for the cycle of asOf: the registry
// holds only approved figures, so a year on record is a year reported.
func AnnualUpdate(r Record, asOf domain.Date) domain.AnnualUpdate {
	return domain.AnnualUpdateStatus(r.Enterprise.Tier, func(year int) bool {
		for _, y := range r.Years {
			if y.Year == year {
				return true
			}
		}
		return false
	}, asOf)
}
