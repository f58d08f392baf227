package dashboard_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"zjtx/internal/dashboard"
	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// TestComputeAndEvaluate runs every aggregate on both databases and checks the
// dashboard's figures against direct counts (the web tests check every number on SQLite).
func TestComputeAndEvaluate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		today := domain.MustDate("2026-06-30")
		if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 300, Seed: 2, Today: today}); err != nil {
			t.Fatal(err)
		}
		n := func(sql string, args ...any) int64 {
			var x int64
			if err := db.R.Raw(sql, args...).Scan(&x).Error; err != nil {
				t.Fatal(err)
			}
			return x
		}
		for _, district := range []string{"", "310115"} {
			d, err := dashboard.Compute(ctx, db, district, today)
			if err != nil {
				t.Fatal(err)
			}
			where, args := "1 = 1", []any{}
			if district != "" {
				where, args = "district_code = ?", []any{district}
			}
			if want := n("SELECT COUNT(*) FROM enterprises WHERE "+where, args...); d.Total != want {
				t.Errorf("%q total %d, want %d", district, d.Total, want)
			}
			if want := n("SELECT COUNT(*) FROM enterprises WHERE tier IN ('specialized','little_giant') AND "+where, args...); d.Specialized != want {
				t.Errorf("%q specialized %d, want %d", district, d.Specialized, want)
			}
			if want := n("SELECT COUNT(*) FROM demands WHERE "+where, args...); d.Demands.Raised != want || want == 0 {
				t.Errorf("%q demands %d, want %d", district, d.Demands.Raised, want)
			}
			if want := n("SELECT COUNT(*) FROM demands WHERE is_open = ? AND due_on < ? AND "+where, append([]any{true, today}, args...)...); d.Demands.Overdue != want {
				t.Errorf("%q overdue %d, want %d", district, d.Demands.Overdue, want)
			}
			if !d.Demands.HasMedian || d.Demands.MedianDays < 0 {
				t.Errorf("%q median %v %d", district, d.Demands.HasMedian, d.Demands.MedianDays)
			}
			last := d.History[len(d.History)-1]
			if last.Year != 2026 || last.Counts[domain.TierSpecialized]+last.Counts[domain.TierLittleGiant] == 0 {
				t.Errorf("%q history %+v", district, last)
			}
		}
		ev, err := dashboard.Evaluate(ctx, db, 2026, today, dashboard.DefaultWeights())
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.Rows) != 16 || ev.Rows[0].Rank != 1 || ev.Rows[0].Total < ev.Rows[15].Total {
			t.Errorf("ranking %+v", ev.Rows)
		}
		w := dashboard.DefaultWeights()
		w["growth"], w["policy"] = 40, 15
		if err := dashboard.SaveWeights(ctx, db, store.System, dashboard.DefaultWeights(), w); err != nil {
			t.Fatal(err)
		}
		got, err := dashboard.LoadWeights(ctx, db)
		if err != nil || got["growth"] != 40 || got["policy"] != 15 || got.Sum() != 100 {
			t.Errorf("weights %v %v", got, err)
		}
	})
}

func TestParseWeights(t *testing.T) {
	ok := map[string]string{"growth": "30", "policy": "25", "coverage": "15", "closure": "15", "speed": "5", "satisfaction": "10"}
	if _, errs := dashboard.ParseWeights(ok); len(errs) != 0 {
		t.Errorf("defaults refused: %v", errs)
	}
	bad := map[string]string{"growth": "31", "policy": "25", "coverage": "15", "closure": "15", "speed": "5", "satisfaction": "10"}
	if _, errs := dashboard.ParseWeights(bad); errs["sum"] == "" {
		t.Errorf("sum 101 accepted: %v", errs)
	}
	bad["growth"] = "-1"
	if _, errs := dashboard.ParseWeights(bad); errs["growth"] == "" {
		t.Errorf("negative accepted: %v", errs)
	}
}

// TestCache: concurrent first viewers share one computation; a stale entry is served at
// once while it is recomputed in the background.
func TestCache(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	today := domain.MustDate("2026-06-30")
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 50, Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	c := dashboard.NewCache(db, 50*time.Millisecond, 0)
	got := make(chan *dashboard.Data, 8)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, _, err := c.Get(ctx, "", today)
			if err != nil {
				t.Error(err)
			}
			got <- d
		}()
	}
	wg.Wait()
	close(got)
	first := <-got
	for d := range got {
		if d != first {
			t.Fatal("concurrent first viewers got different computations")
		}
	}
	time.Sleep(60 * time.Millisecond)
	d, _, err := c.Get(ctx, "", today)
	if err != nil || d != first {
		t.Fatalf("stale entry not served at once: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		d, _, _ = c.Get(ctx, "", today)
		if d != first {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("stale entry never refreshed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if other, _, _ := c.Get(ctx, "310115", today); other == nil || other.District != "310115" {
		t.Fatal("district entry")
	}
}
