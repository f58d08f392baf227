package demo_test

import (
	"context"
	"testing"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// TestFillListing: the demo pipeline is consistent with its own history (each stage and
// its date are the last move's) and fills every lane of a small board.
func TestFillListing(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 600, Seed: 3, Today: today}); err != nil {
		t.Fatal(err)
	}
	l := store.NewListing(db)
	page, err := l.Table(ctx, store.ListingFilter{Scope: domain.Scope{All: true}, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total < 30 {
		t.Fatalf("only %d enterprises in the pipeline", page.Total)
	}
	stages := map[domain.ListingStage]int{}
	for _, c := range page.Items {
		stages[c.Stage]++
		evs, err := l.Events(ctx, c.EnterpriseID)
		if err != nil {
			t.Fatal(err)
		}
		var last domain.ListingEvent
		for _, ev := range evs {
			if ev.Kind != domain.MoveMarket {
				last = ev
			}
		}
		if last.ToStage != c.Stage || last.OnDate != c.StageSince || c.StageSince.After(today) {
			t.Fatalf("%s: stage %s since %s, last move %+v", c.Name, c.Stage, c.StageSince, last)
		}
		if c.Stage.InPool() && c.Stage != domain.StageRestructured && c.PoolEnteredOn.IsZero() && evs[0].ToStage.Rank() <= domain.StagePool.Rank() {
			t.Errorf("%s went through the pool without a checklist", c.Name)
		}
		if c.Stage == domain.StageListed && c.MarketBoard != c.TargetBoard {
			t.Errorf("%s listed on %q, target %q", c.Name, c.MarketBoard, c.TargetBoard)
		}
	}
	for _, st := range domain.ListingStages[:domain.StageTutoring.Rank()+1] {
		if stages[st] == 0 {
			t.Errorf("no enterprise at %s: %v", st, stages)
		}
	}
	acts, err := l.Activities(ctx, "", 100)
	if err != nil || len(acts) < 18 || acts[0].Participants == 0 {
		t.Fatalf("activities: %d, %v", len(acts), err)
	}
	f, err := l.Funnel(ctx, store.ListingFilter{Scope: domain.Scope{All: true}}, today)
	if err != nil || f.InPipeline != int(page.Total) || f.PoolCount == 0 {
		t.Fatalf("funnel %+v, %v", f, err)
	}
	t.Logf("pipeline %d, pool %d, stages %v", f.InPipeline, f.PoolCount, stages)
}
