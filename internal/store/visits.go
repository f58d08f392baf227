package store

import (
	"context"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// VisitFilter selects visits for the visit list and its export. Zero values mean "any".
type VisitFilter struct {
	Scope        domain.Scope
	District     string // the enterprise's district
	SpecialistID int64
	EnterpriseID int64
	Kind         domain.VisitKind
	From, To     domain.Date // visited_on, inclusive
	AtLeast      domain.Tier // the enterprise's current tier at or above this one
	Page         int         // from 1
	PerPage      int
}

// VisitListRow is a visit with its enterprise's code and district.
type VisitListRow struct {
	VisitRow
	EnterpriseUSCC string
	DistrictCode   string
}

// VisitPage is one page of visits with the totals of the whole filter.
type VisitPage struct {
	Items       []VisitListRow
	Total       int64
	Enterprises int64 // distinct enterprises visited
	Page        int
	PerPage     int
}

// Pages is the number of pages for Total.
func (p VisitPage) Pages() int {
	return int((p.Total + int64(p.PerPage) - 1) / int64(max(p.PerPage, 1)))
}

// filteredVisits is visits joined to their enterprise (as enterprises) under f.
func (s *Service) filteredVisits(ctx context.Context, f VisitFilter) *gorm.DB {
	q := applyScope(s.db.R.WithContext(ctx).Table(tVisits).Joins("JOIN enterprises ON enterprises.id = visits.enterprise_id"), f.Scope)
	if f.District != "" {
		q = q.Where("enterprises.district_code = ?", f.District)
	}
	if f.SpecialistID != 0 {
		q = q.Where("visits.specialist_id = ?", f.SpecialistID)
	}
	if f.EnterpriseID != 0 {
		q = q.Where("visits.enterprise_id = ?", f.EnterpriseID)
	}
	if f.Kind.Valid() {
		q = q.Where("visits.kind = ?", string(f.Kind))
	}
	if !f.From.IsZero() {
		q = q.Where("visits.visited_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("visits.visited_on <= ?", f.To)
	}
	if f.AtLeast.Valid() {
		q = EnterpriseDrill{AtLeast: f.AtLeast}.apply(q)
	}
	return q
}

const visitListCols = `visits.*, enterprises.name AS enterprise_name, enterprises.uscc AS enterprise_uscc, enterprises.district_code,
	COALESCE(NULLIF(users.display_name, ''), users.username, '') AS specialist_name`

// Visits lists visits newest first, with how many visits and distinct enterprises the
// whole filter holds.
func (s *Service) Visits(ctx context.Context, f VisitFilter) (VisitPage, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	page := VisitPage{Page: f.Page, PerPage: f.PerPage}
	var tot struct{ N, E int64 }
	if err := s.filteredVisits(ctx, f).Select("COUNT(*) AS n, COUNT(DISTINCT visits.enterprise_id) AS e").Scan(&tot).Error; err != nil {
		return page, err
	}
	page.Total, page.Enterprises = tot.N, tot.E
	err := s.filteredVisits(ctx, f).Select(visitListCols).Joins("LEFT JOIN users ON users.id = visits.specialist_id").
		Order("visits.visited_on DESC").Order("visits.id DESC").
		Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&page.Items).Error
	return page, err
}
