package store

import (
	"context"

	"zjtx/internal/domain"
)

// Each calls fn with the enterprises matching f (every column, ignoring paging and
// sort), batch by batch in id order, so an export of the whole registry never sits in
// memory at once.
func (s *Enterprises) Each(ctx context.Context, f EnterpriseFilter, batch int, fn func([]domain.Enterprise) error) error {
	if batch <= 0 {
		batch = 1000
	}
	var after int64
	for {
		var es []domain.Enterprise
		if err := s.filtered(ctx, f).Where("id > ?", after).Order("id").Limit(batch).Find(&es).Error; err != nil {
			return err
		}
		if len(es) == 0 {
			return nil
		}
		if err := fn(es); err != nil {
			return err
		}
		if len(es) < batch {
			return nil
		}
		after = es[len(es)-1].ID
	}
}

// EachVisit calls fn with the visits matching f (ignoring paging), batch by batch in id
// order, like Each.
func (s *Service) EachVisit(ctx context.Context, f VisitFilter, batch int, fn func([]VisitListRow) error) error {
	if batch <= 0 {
		batch = 1000
	}
	var after int64
	for {
		var vs []VisitListRow
		if err := s.filteredVisits(ctx, f, true).Select(visitListCols).Joins("LEFT JOIN users ON users.id = visits.specialist_id").
			Where("visits.id > ?", after).Order("visits.id").Limit(batch).Find(&vs).Error; err != nil {
			return err
		}
		if len(vs) == 0 {
			return nil
		}
		if err := fn(vs); err != nil {
			return err
		}
		if len(vs) < batch {
			return nil
		}
		after = vs[len(vs)-1].ID
	}
}
