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
