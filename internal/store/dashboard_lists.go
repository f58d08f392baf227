package store

import (
	"context"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/domain/benefits"
)

// EnterpriseDrill narrows the enterprise list to the enterprises behind one dashboard
// figure (issue #9: every number links to the list that makes it up). Zero fields mean "any".
type EnterpriseDrill struct {
	AtLeast domain.Tier // current tier at or above this one

	// HeldTier with HeldOn: the tier the tier history left the enterprise at on HeldOn
	// (its last event on or before that day, ties by id) — the dashboard's year-end counts.
	HeldTier domain.Tier
	HeldOn   domain.Date

	// Event with EventFrom..EventTo: had a tier event of that kind in the range (inclusive).
	Event              domain.TierEventKind
	EventFrom, EventTo domain.Date

	VisitedFrom    domain.Date // visited on or after this day
	NotVisitedFrom domain.Date // not visited on or after this day
}

// IsZero reports a drill that narrows nothing.
func (d EnterpriseDrill) IsZero() bool { return d == EnterpriseDrill{} }

func (d EnterpriseDrill) apply(q *gorm.DB) *gorm.DB {
	if d.AtLeast.Valid() {
		var ts []string
		for _, t := range domain.Tiers {
			if t.Rank() >= d.AtLeast.Rank() {
				ts = append(ts, string(t))
			}
		}
		q = q.Where("enterprises.tier IN ?", ts)
	}
	if d.HeldTier.Valid() && !d.HeldOn.IsZero() {
		q = q.Where(`enterprises.id IN (SELECT te.enterprise_id FROM tier_events te
			WHERE te.effective_on <= ? AND te.to_tier = ? AND NOT EXISTS (SELECT 1 FROM tier_events t2
				WHERE t2.enterprise_id = te.enterprise_id AND t2.effective_on <= ?
				AND (t2.effective_on > te.effective_on OR (t2.effective_on = te.effective_on AND t2.id > te.id))))`,
			d.HeldOn, string(d.HeldTier), d.HeldOn)
	}
	if d.Event != "" && !d.EventFrom.IsZero() && !d.EventTo.IsZero() {
		q = q.Where("enterprises.id IN (SELECT enterprise_id FROM tier_events WHERE kind = ? AND effective_on >= ? AND effective_on <= ?)",
			string(d.Event), d.EventFrom, d.EventTo)
	}
	if !d.VisitedFrom.IsZero() {
		q = q.Where("enterprises.last_visit_on >= ?", d.VisitedFrom) // kept by triggers on visits (0013)
	}
	if !d.NotVisitedFrom.IsZero() {
		q = q.Where("(enterprises.last_visit_on IS NULL OR enterprises.last_visit_on < ?)", d.NotVisitedFrom)
	}
	return q
}

// ---- Benefit grants ----

// GrantFilter selects benefit grant records. Zero values mean "any".
type GrantFilter struct {
	Scope    domain.Scope
	District string
	Status   benefits.GrantStatus
	Year     int // award year
	Benefit  string
	Page     int // from 1
	PerPage  int
}

// GrantRow is one grant with its enterprise.
type GrantRow struct {
	benefits.Grant
	USCC, Name, DistrictCode string
}

// GrantPage is one page of grants with the totals of the whole filter.
type GrantPage struct {
	Items   []GrantRow
	Total   int64
	Amount  domain.Money
	Page    int
	PerPage int
}

// Pages is the number of pages for Total.
func (p GrantPage) Pages() int {
	return int((p.Total + int64(p.PerPage) - 1) / int64(max(p.PerPage, 1)))
}

// GrantList lists grant records, newest first, with the count and amount of the whole filter.
func (s *Benefits) GrantList(ctx context.Context, f GrantFilter) (GrantPage, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	page := GrantPage{Page: f.Page, PerPage: f.PerPage}
	q := func() *gorm.DB {
		g := applyScope(s.db.R.WithContext(ctx).Table(tGrants).Joins("JOIN enterprises ON enterprises.id = benefit_grants.enterprise_id"), f.Scope)
		if f.District != "" {
			g = g.Where("enterprises.district_code = ?", f.District)
		}
		if f.Status.Valid() {
			g = g.Where("benefit_grants.status = ?", string(f.Status))
		}
		if f.Year != 0 {
			g = g.Where("benefit_grants.award_year = ?", f.Year)
		}
		if f.Benefit != "" {
			g = g.Where("benefit_grants.benefit_id = ?", f.Benefit)
		}
		return g
	}
	var tot struct {
		N      int64
		Amount int64
	}
	if err := q().Select("COUNT(*) AS n, COALESCE(SUM(benefit_grants.amount), 0) AS amount").Scan(&tot).Error; err != nil {
		return page, err
	}
	page.Total, page.Amount = tot.N, domain.Money(tot.Amount)
	var rows []struct {
		grantRow
		USCC, Name, DistrictCode string
	}
	err := q().Select("benefit_grants.*, enterprises.uscc, enterprises.name, enterprises.district_code").
		Order("benefit_grants.granted_on DESC").Order("benefit_grants.id DESC").
		Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&rows).Error
	for _, r := range rows {
		page.Items = append(page.Items, GrantRow{Grant: r.grant(), USCC: r.USCC, Name: r.Name, DistrictCode: r.DistrictCode})
	}
	return page, err
}
