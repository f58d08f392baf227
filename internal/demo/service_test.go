package demo_test

import (
	"context"
	"testing"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// TestFillService: specialists per district, every enterprise at specialized and above
// with exactly one specialist, ~5 visits and ~1.5 demands per enterprise, some overdue.
func TestFillService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 2000
		ctx := context.Background()
		if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: n, Seed: 3, Today: today}); err != nil {
			t.Fatal(err)
		}
		if err := demo.CreateAccounts(ctx, db); err != nil {
			t.Fatal(err)
		}
		var visits, demands, overdue, missing, districts int64
		db.R.Table("visits").Count(&visits)
		db.R.Table("demands").Count(&demands)
		db.R.Table("demands").Where("is_open = ? AND due_on < ?", true, today).Count(&overdue)
		db.R.Table("enterprises").Where("tier IN ? AND id NOT IN (SELECT enterprise_id FROM assignments WHERE ended_at IS NULL)",
			[]string{"specialized", "little_giant"}).Count(&missing)
		db.R.Table("users").Where("role = ?", "specialist").Distinct("district_code").Count(&districts)
		t.Logf("visits %d, demands %d, overdue %d", visits, demands, overdue)
		if visits < 4*n || visits > 6*n || demands < n || demands > 2*n {
			t.Errorf("visits %d, demands %d for %d enterprises; want ~5 and ~1.5 each", visits, demands, n)
		}
		if overdue == 0 || overdue > demands/5 {
			t.Errorf("%d overdue of %d", overdue, demands)
		}
		if missing != 0 {
			t.Errorf("%d enterprises at specialized+ without a specialist", missing)
		}
		if districts != int64(len(domain.Districts)) {
			t.Errorf("specialists in %d districts", districts)
		}
		var bad int64
		db.R.Table("demands").Joins("JOIN visits ON visits.id = demands.visit_id").
			Where("visits.enterprise_id <> demands.enterprise_id OR visits.visited_on <> demands.raised_on").Count(&bad)
		if bad != 0 {
			t.Errorf("%d demands point at another enterprise's visit", bad)
		}
	})
}
