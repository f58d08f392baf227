package tiers_test

import (
	"fmt"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
	"zjtx/internal/tiers"
)

// Concurrent promotions of one enterprise: exactly one is granted, the others are
// refused by the ladder (it is already 创新型), and one tier event is written.
func TestConcurrentPromotionsGrantOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := tiers.New(db)
		e := seedQualified(t, db)
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() {
				_, err := promote(s, e.ID, domain.TierInnovative, fmt.Sprintf("沪创新2026-%05d", i))
				errs <- err
			}()
		}
		granted := 0
		for range n {
			switch err := <-errs; {
			case err == nil:
				granted++
			default:
				if _, ok := tiers.IsRefusal(err); !ok {
					t.Fatalf("promotion: %v", err)
				}
			}
		}
		var events, decisions int64
		db.R.Table("tier_events").Where("enterprise_id = ? AND to_tier = ?", e.ID, "innovative").Count(&events)
		db.R.Table("tier_decisions").Where("enterprise_id = ? AND outcome = ?", e.ID, "granted").Count(&decisions)
		if granted != 1 || events != 1 || decisions != 1 {
			t.Fatalf("%d promotions granted, %d granted decisions, %d tier events; want 1 each", granted, decisions, events)
		}
	})
}
