package store

import (
	"context"
	"database/sql"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Decisions stores tier decisions (append-only) and two-step applications.
type Decisions struct{ db *DB }

func NewDecisions(db *DB) *Decisions { return &Decisions{db: db} }

const (
	tDecisions    = "tier_decisions"
	tApplications = "tier_applications"
	tOverrides    = "parameter_overrides"
)

// AddDecision appends a decision record inside the caller's transaction.
func AddDecision(tx *gorm.DB, d *domain.Decision) error {
	d.CreatedAt = tx.NowFunc()
	return tx.Table(tDecisions).Create(d).Error
}

// Get loads one decision, if sc may see its enterprise.
func (s *Decisions) Get(ctx context.Context, sc domain.Scope, id int64) (domain.Decision, error) {
	var d domain.Decision
	q := s.db.R.WithContext(ctx).Table(tDecisions).Where("tier_decisions.id = ?", id).
		Where("tier_decisions.enterprise_id IN (?)", applyScope(s.db.R.Table(tEnterprises).Select("id"), sc))
	err := q.Take(&d).Error
	return d, mapErr(err)
}

// ForEnterprise lists an enterprise's decisions, newest first, without the JSON bodies.
func (s *Decisions) ForEnterprise(ctx context.Context, enterpriseID int64) ([]domain.Decision, error) {
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT id, enterprise_id, kind, outcome, from_tier, to_tier, as_of, rule_set,
 params_version, certificate_no, batch, certified_on, valid_until, reason, evidence, decided_by, decider_id,
 application_id, created_at FROM tier_decisions WHERE enterprise_id = ? ORDER BY id DESC`, enterpriseID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ds := make([]domain.Decision, 0)
	for rows.Next() {
		var d domain.Decision
		var decider, app sql.NullInt64
		if err := rows.Scan(&d.ID, &d.EnterpriseID, (*string)(&d.Kind), (*string)(&d.Outcome), (*string)(&d.FromTier),
			(*string)(&d.ToTier), &d.AsOf, &d.RuleSet, &d.ParamsVersion, &d.CertificateNo, &d.Batch, &d.CertifiedOn,
			&d.ValidUntil, &d.Reason, &d.Evidence, &d.DecidedBy, &decider, &app, &d.CreatedAt); err != nil {
			return nil, err
		}
		d.DeciderID, d.ApplicationID = intP(decider), intP(app)
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// CreateApplication opens a two-step promotion inside the caller's transaction.
func CreateApplication(tx *gorm.DB, a *domain.Application) error {
	now := tx.NowFunc()
	a.CreatedAt, a.UpdatedAt, a.Version = now, now, 1
	return tx.Table(tApplications).Create(a).Error
}

// SetApplicationStatus moves an application on, under its version.
func SetApplicationStatus(tx *gorm.DB, a *domain.Application, status domain.ApplicationStatus, note string) error {
	res := tx.Table(tApplications).Where("id = ? AND version = ?", a.ID, a.Version).Updates(map[string]any{
		"status": string(status), "note": note, "version": a.Version + 1, "updated_at": tx.NowFunc(),
	})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	a.Status, a.Note, a.Version = status, note, a.Version+1
	return nil
}

// OpenApplication returns the enterprise's open application, or ErrNotFound.
func OpenApplication(tx *gorm.DB, enterpriseID int64) (domain.Application, error) {
	var a domain.Application
	err := tx.Table(tApplications).Where("enterprise_id = ? AND status IN ?", enterpriseID,
		[]string{string(domain.AppDistrictRecommended), string(domain.AppMIITPending)}).Order("id DESC").Take(&a).Error
	return a, mapErr(err)
}

// ApplicationRow is an open application with its enterprise, for the queues.
type ApplicationRow struct {
	domain.Application
	Name         string
	USCC         string
	DistrictCode string
	Tier         domain.Tier
}

// Applications lists applications with a status, within sc, oldest first.
func (s *Decisions) Applications(ctx context.Context, sc domain.Scope, status domain.ApplicationStatus) ([]ApplicationRow, error) {
	var rows []ApplicationRow
	q := s.db.R.WithContext(ctx).Table(tApplications).
		Select("tier_applications.*, enterprises.name, enterprises.uscc, enterprises.district_code, enterprises.tier").
		Joins("JOIN enterprises ON enterprises.id = tier_applications.enterprise_id").
		Where("tier_applications.status = ?", string(status))
	err := applyScope(q, sc).Order("tier_applications.id").Limit(500).Find(&rows).Error
	return rows, err
}

// ApplicationsFor lists an enterprise's applications, newest first.
func (s *Decisions) ApplicationsFor(ctx context.Context, enterpriseID int64) ([]domain.Application, error) {
	var as []domain.Application
	err := s.db.R.WithContext(ctx).Table(tApplications).Where("enterprise_id = ?", enterpriseID).Order("id DESC").Find(&as).Error
	return as, err
}

// ParameterOverride is an administrator's dated correction of a rule parameter.
type ParameterOverride struct {
	ID            int64
	Key           string
	EffectiveFrom domain.Date
	Value         string
	Reason        string
	CreatedBy     string
}

// Overrides lists every override in the order made, and the highest id (for cache checks).
func (s *Decisions) Overrides(ctx context.Context) ([]ParameterOverride, error) {
	var os []ParameterOverride
	err := s.db.R.WithContext(ctx).Table(tOverrides).Order("id").Find(&os).Error
	return os, err
}

// OverridesVersion is the newest override's id, 0 when there are none. Every assessment
// asks it; it is memoized (an override written here is seen at once).
func (s *Decisions) OverridesVersion(ctx context.Context) (int64, error) {
	return memoized(s.db.memo, "overrides-version", []string{tOverrides}, func() (int64, error) {
		var v int64
		err := s.db.R.WithContext(ctx).Table(tOverrides).Select("COALESCE(MAX(id), 0)").Scan(&v).Error
		return v, err
	})
}

// AddOverride records an override and audits it.
func (s *Decisions) AddOverride(ctx context.Context, actor Actor, o *ParameterOverride) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		row := map[string]any{"key": o.Key, "effective_from": o.EffectiveFrom, "value": o.Value, "reason": o.Reason,
			"created_by": actor.Name, "created_at": tx.NowFunc()}
		if err := tx.Table(tOverrides).Create(row).Error; err != nil {
			return err
		}
		return WriteAudit(tx, actor, Audit{Action: "create", EntityType: "parameter", Summary: "修改规则参数 " + o.Key,
			Changes: []Change{{Field: o.Key + "（自 " + o.EffectiveFrom.String() + " 起）", After: o.Value}, {Field: "理由", After: o.Reason}}})
	})
}
