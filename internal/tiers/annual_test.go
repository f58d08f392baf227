package tiers_test

import (
	"context"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store/storetest"
	"zjtx/internal/tiers"
)

// TestRenewBlockedByMissedAnnualUpdate: ELIGIBILITY.md §6, a missed annual update blocks renewal.
func TestRenewBlockedByMissedAnnualUpdate(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	s := tiers.New(db)
	e := seedQualified(t, db)
	if _, err := promote(s, e.ID, domain.TierInnovative, "沪创新2026-00009"); err != nil {
		t.Fatal(err)
	}
	var latest int
	db.R.Raw("SELECT MAX(year) FROM year_figures WHERE enterprise_id = ?", e.ID).Scan(&latest)
	// Figures for Y−1 are missing after the deadline of year Y (2027-05-31 for 2026's figures).
	asOf := domain.NewDate(latest+2, 6, 1)
	_, err := s.Renew(ctx, city, all, e.ID, asOf)
	r, ok := tiers.IsRefusal(err)
	if !ok || !strings.Contains(r.Message, "年度数据") || !strings.Contains(r.Message, "逾期") {
		t.Fatalf("renewal with the annual update missed: %v", err)
	}
	// Before the deadline it is not yet overdue, and the renewal runs the rules.
	if _, err := s.Renew(ctx, city, all, e.ID, domain.NewDate(latest+2, 5, 31)); err != nil {
		if r, ok := tiers.IsRefusal(err); ok && strings.Contains(r.Message, "逾期") {
			t.Fatalf("blocked before the deadline: %v", err)
		}
	}
}
