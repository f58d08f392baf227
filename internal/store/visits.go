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

// VisitPage is one page of visits with the count of the whole filter.
type VisitPage struct {
	Items   []VisitListRow
	Total   int64
	Page    int
	PerPage int
}

// Pages is the number of pages for Total.
func (p VisitPage) Pages() int {
	return int((p.Total + int64(p.PerPage) - 1) / int64(max(p.PerPage, 1)))
}

// filteredVisits is visits under f, joined to their enterprise (as enterprises) when f
// needs it or join is set: counting and paging a city-wide range then never touch enterprises.
func (s *Service) filteredVisits(ctx context.Context, f VisitFilter, join bool) *gorm.DB {
	q := s.db.R.WithContext(ctx).Table(tVisits)
	if join || !f.Scope.All || f.District != "" || f.AtLeast.Valid() {
		q = applyScope(q.Joins("JOIN enterprises ON enterprises.id = visits.enterprise_id"), f.Scope)
	}
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

// Visits lists visits newest first, with how many the whole filter holds.
func (s *Service) Visits(ctx context.Context, f VisitFilter) (VisitPage, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	page := VisitPage{Page: f.Page, PerPage: f.PerPage}
	countable := f
	countable.Page, countable.PerPage = 0, 0
	total, err := memoized(s.db.memo, memoKey("visits", countable), []string{tVisits, tEnterprises, tAssignments}, func() (n int64, err error) {
		err = s.filteredVisits(ctx, f, false).Count(&n).Error
		return n, err
	})
	if err != nil {
		return page, err
	}
	page.Total = total
	// The page's ids first, then their rows with names: the sort never carries the joins.
	var ids []int64
	if err := s.filteredVisits(ctx, f, false).Order("visits.visited_on DESC").Order("visits.id DESC").
		Limit(f.PerPage).Offset((f.Page-1)*f.PerPage).Pluck("visits.id", &ids).Error; err != nil || len(ids) == 0 {
		return page, err
	}
	err = s.visitListRows(ctx).Where("visits.id IN ?", ids).
		Order("visits.visited_on DESC").Order("visits.id DESC").Find(&page.Items).Error
	return page, err
}

func (s *Service) visitListRows(ctx context.Context) *gorm.DB {
	return s.db.R.WithContext(ctx).Table(tVisits).Select(visitListCols).
		Joins("JOIN enterprises ON enterprises.id = visits.enterprise_id").
		Joins("LEFT JOIN users ON users.id = visits.specialist_id")
}
