package dashboard

import (
	"testing"
	"time"
)

// A scope whose computation is slow is recomputed less often after writes, so a stream
// of writes keeps at most 1/refreshCost of a core busy per scope — but never staler than TTL.
func TestRefreshAfterScalesWithComputationTime(t *testing.T) {
	c := NewCache(nil, time.Minute, 10*time.Second)
	for _, tc := range []struct {
		took, want time.Duration
	}{
		{10 * time.Millisecond, 10 * time.Second},   // a small registry: MinRefresh
		{1800 * time.Millisecond, 36 * time.Second}, // the city at 200k enterprises
		{10 * time.Second, time.Minute},             // capped at the TTL
	} {
		if got := c.refreshAfter(&entry{took: tc.took}); got != tc.want {
			t.Errorf("computation of %v: recompute after %v, want %v", tc.took, got, tc.want)
		}
	}
}
