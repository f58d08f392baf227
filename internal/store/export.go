package store

import (
	"context"

	"zjtx/internal/domain"
)

// Each calls fn with the enterprises matching f (every column, ignoring paging and
// sort), batch by batch in id order, so an export of the whole registry never sits in
// memory at once.
func (s *Enterprises) Each(ctx context.Context, f EnterpriseFilter, batch int, fn func([]domain.Enterprise) error) error {
	return eachBatch(batch, func(after int64, n int) ([]domain.Enterprise, error) {
		var es []domain.Enterprise
		err := s.filtered(ctx, f).Where("id > ?", after).Order("id").Limit(n).Find(&es).Error
		return es, err
	}, func(e domain.Enterprise) int64 { return e.ID }, fn)
}

// EachVisit calls fn with the visits matching f (ignoring paging), batch by batch in id
// order, like Each.
func (s *Service) EachVisit(ctx context.Context, f VisitFilter, batch int, fn func([]VisitListRow) error) error {
	return eachBatch(batch, func(after int64, n int) ([]VisitListRow, error) {
		var vs []VisitListRow
		err := s.filteredVisits(ctx, f, true).Select(visitListCols).Joins("LEFT JOIN users ON users.id = visits.specialist_id").
			Where("visits.id > ?", after).Order("visits.id").Limit(n).Find(&vs).Error
		return vs, err
	}, func(v VisitListRow) int64 { return v.ID }, fn)
}

// eachBatch pages through rows by id (keyset): load returns up to n rows with an id
// above after, in id order; fn gets each non-empty batch.
func eachBatch[T any](batch int, load func(after int64, n int) ([]T, error), id func(T) int64, fn func([]T) error) error {
	if batch <= 0 {
		batch = 1000
	}
	var after int64
	for {
		xs, err := load(after, batch)
		if err != nil || len(xs) == 0 {
			return err
		}
		if err := fn(xs); err != nil {
			return err
		}
		if len(xs) < batch {
			return nil
		}
		after = id(xs[len(xs)-1])
	}
}
