package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// movableCards picks n demo pipelines whose next stage needs no checklist (not the pool)
// and is a real stage, with distinct next stages' lanes not mattering.
func movableCards(t *testing.T, db *store.DB, n int) []store.ListingCard {
	t.Helper()
	page, err := store.NewListing(db).Table(context.Background(), store.ListingFilter{Scope: domain.Scope{All: true}, PerPage: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []store.ListingCard
	for _, c := range page.Items {
		if r := c.Stage.Rank(); r >= domain.StagePool.Rank() && r < domain.StageRegistered.Rank() {
			out = append(out, c)
			if len(out) == n {
				return out
			}
		}
	}
	t.Fatalf("the demo pipeline has %d movable cards, want %d", len(out), n)
	return nil
}

// lastMove is an enterprise's latest stage move.
func lastMove(t *testing.T, db *store.DB, id int64) domain.ListingEvent {
	t.Helper()
	evs, err := store.NewListing(db).Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var last domain.ListingEvent
	for _, ev := range evs {
		if ev.Kind != domain.MoveMarket && (last.ID == 0 || ev.ID > last.ID) {
			last = ev
		}
	}
	return last
}

func TestBrowserListingBoard(t *testing.T) {
	ctx := newBrowser(t)
	base, db := startBrowserApp(t)
	login(ctx, t, base, "city")
	cards := movableCards(t, db, 2)
	dragged, formed := cards[0], cards[1]

	navigate(ctx, t, base+"/", `[data-testid=nav-listing]`)
	do(ctx, t, "open the board", chromedp.Click(chromedp.CSS(`[data-testid=nav-listing]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=board]`)))
	var poolDirect int64
	if err := db.R.Raw("SELECT COUNT(*) FROM listing_pipelines WHERE stage IN ('pool','restructured','tutoring','filed','review','registered')").Scan(&poolDirect).Error; err != nil {
		t.Fatal(err)
	}
	if got := text(ctx, t, `[data-testid=pool-count]`); got != strconv.FormatInt(poolDirect, 10) {
		t.Errorf("pool count on the board %s, direct count %d", got, poolDirect)
	}

	// Drag: the card's own drag handlers post the move through htmx and the board is swapped.
	card := fmt.Sprintf(`[data-testid=card-%d]`, dragged.EnterpriseID)
	next := dragged.Stage.Next()
	target := fmt.Sprintf(`[data-testid=lane-%s]`, next)
	do(ctx, t, "drag "+dragged.Name, chromedp.Evaluate[chromedp.Void](`(() => {
		const card = document.querySelector(`+js(card)+`), lane = document.querySelector(`+js(target)+`);
		const dt = new DataTransfer();
		card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
		lane.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
		lane.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
		card.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));
	})()`))
	waitUntil(ctx, t, "the card is in the next lane", `document.querySelector(`+js(target+" "+card)+`) !== null`)
	if msg := text(ctx, t, `[data-testid=move-result]`); !strings.Contains(msg, next.Label()) {
		t.Errorf("move result = %q", msg)
	}
	if ev := lastMove(t, db, dragged.EnterpriseID); ev.ToStage != next || ev.Kind != domain.MoveForward || ev.MovedBy == "" || ev.OnDate != domain.MustDate("2026-06-30") {
		t.Errorf("drag recorded %+v", ev)
	}
	screenshot(ctx, t, "listing-board-after-drag")

	// The plain form on a card: no JavaScript needed, 303 back to the board with a flash.
	card = fmt.Sprintf(`[data-testid=card-%d]`, formed.EnterpriseID)
	next = formed.Stage.Next()
	do(ctx, t, "move "+formed.Name+" by form", chromedp.Click(chromedp.CSS(card+` details.card-move summary`)),
		chromedp.WaitVisible(chromedp.CSS(card+` [data-testid=card-move-submit]`)))
	if v := value(ctx, t, card+` select[name=to_stage]`); v != string(next) {
		t.Errorf("the form proposes %q, want the next stage %q", v, next)
	}
	// The old page is marked, so the wait is for the flash on the page the 303 leads to: a
	// flash matched on the old page would vanish under the navigation.
	do(ctx, t, "submit the card form",
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = 'submit'`),
		chromedp.Click(chromedp.CSS(card+` [data-testid=card-move-submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-before]) [data-testid=flash]`)))
	if msg := text(ctx, t, `[data-testid=flash]`); !strings.Contains(msg, next.Label()) {
		t.Errorf("flash = %q", msg)
	}
	if n := count(ctx, t, fmt.Sprintf(`[data-testid=lane-%s] %s`, next, card)); n != 1 {
		t.Errorf("after the form the card is not in the %s lane", next)
	}
	if ev := lastMove(t, db, formed.EnterpriseID); ev.ToStage != next || ev.Kind != domain.MoveForward || ev.MovedBy == "" {
		t.Errorf("form move recorded %+v", ev)
	}

	// Both moves are on the enterprise's timeline.
	navigate(ctx, t, fmt.Sprintf("%s/enterprises/%d", base, dragged.EnterpriseID), `[data-testid=listing-section]`)
	if got := text(ctx, t, `[data-testid=listing-stage]`); got != dragged.Stage.Next().Label() {
		t.Errorf("stage on the enterprise page = %q", got)
	}
	if h := texts(ctx, t, `[data-testid=listing-history] [data-testid=listing-event]`); len(h) == 0 || !strings.Contains(h[0], "2026-06-30") {
		t.Errorf("latest history row = %v", h)
	}
	screenshot(ctx, t, "listing-enterprise-section")
}
