package dashboard

import (
	"context"
	"sync"
	"time"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// TTL is how stale a dashboard may be: a page shows figures computed at most TTL ago
// (plus one computation's time while a refresh runs in the background).
const TTL = 60 * time.Second

// MinRefresh is the least time between two computations of one scope when writes keep
// invalidating it. A city computation is about 1.8 s of CPU at 200k enterprises; under
// a steady stream of visits, recomputing after every write would keep a core busy.
// So a write shows on the dashboard within MinRefresh plus one computation — longer for a
// scope whose computation is slow (see refreshCost), never longer than TTL.
const MinRefresh = 10 * time.Second

// refreshCost bounds what one scope may cost under a steady stream of writes: it is not
// recomputed again until refreshCost times its last computation's (wall) time has passed,
// i.e. it keeps at most 1/refreshCost of a core busy. At 200k enterprises the city takes
// ~1.8 s, so it refreshes every ~36 s instead of every 10 s (the 10 s cadence cost ~8 % of
// the server's CPU under the load mix); a small registry still refreshes every MinRefresh.
// Wall time grows when the machine is busy, so a loaded server backs off further.
const refreshCost = 20

// Cache keeps computed dashboards per scope (district, "" for the city) and day.
// A fresh entry is served as is; a stale one is served while one goroutine recomputes
// it (so no viewer waits for the GROUP BYs once a scope has been computed); a missing
// one is computed by the first viewer while the others wait for that same computation.
// Invalidate makes every entry stale at once (a write through the app), the same way.
type Cache struct {
	db         *store.DB
	ttl        time.Duration
	minRefresh time.Duration
	now        func() time.Time

	mu      sync.Mutex
	entries map[cacheKey]*entry
	gen     uint64 // bumped by Invalidate; an entry computed under an older one is stale
}

type cacheKey struct {
	district string
	day      domain.Date
}

type entry struct {
	ready   chan struct{} // closed once data or err is set the first time
	data    *Data
	err     error
	at      time.Time
	took    time.Duration // wall time of the computation behind data
	gen     uint64        // Cache.gen when the computation behind data started
	running bool
}

// NewCache makes a cache over db with the given TTL (0 means TTL) and least time
// between recomputations after writes (minRefresh; 0 recomputes on the next view).
func NewCache(db *store.DB, ttl, minRefresh time.Duration) *Cache {
	if ttl == 0 {
		ttl = TTL
	}
	return &Cache{db: db, ttl: ttl, minRefresh: minRefresh, now: time.Now, entries: map[cacheKey]*entry{}}
}

// Get returns the dashboard of district ("" = city) as of today.
func (c *Cache) Get(ctx context.Context, district string, today domain.Date) (*Data, time.Time, error) {
	k := cacheKey{district, today}
	c.mu.Lock()
	e := c.entries[k]
	if e == nil {
		e = &entry{ready: make(chan struct{}), running: true}
		c.entries[k] = e
		c.dropOldDays(today)
		gen := c.gen
		c.mu.Unlock()
		c.refresh(context.WithoutCancel(ctx), k, e, gen)
	} else {
		age := c.now().Sub(e.at)
		if !e.running && e.data != nil && (e.gen != c.gen && age >= c.refreshAfter(e) || age > c.ttl) {
			e.running = true
			go c.refresh(context.WithoutCancel(ctx), k, e, c.gen)
		}
		c.mu.Unlock()
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, time.Time{}, ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.data == nil {
		err := e.err
		delete(c.entries, k) // the next viewer tries again
		return nil, time.Time{}, err
	}
	return e.data, e.at, nil
}

// refresh computes e; gen is the generation it started under, so a write committed while
// it ran (Invalidate bumps the generation) leaves the result stale for the next viewer.
func (c *Cache) refresh(ctx context.Context, k cacheKey, e *entry, gen uint64) {
	start := time.Now()
	d, err := Compute(ctx, c.db, k.district, k.day)
	took := time.Since(start)
	c.mu.Lock()
	defer c.mu.Unlock()
	e.running = false
	if err == nil {
		e.data, e.at, e.took, e.gen, e.err = d, c.now(), took, gen, nil
	} else if e.data == nil {
		e.err = err
	}
	select {
	case <-e.ready:
	default:
		close(e.ready)
	}
}

// refreshAfter is how old e must be before a write makes it recompute: minRefresh, or
// refreshCost times its last computation if that is longer, but never beyond the TTL.
func (c *Cache) refreshAfter(e *entry) time.Duration {
	return min(max(c.minRefresh, refreshCost*e.took), c.ttl)
}

// dropOldDays forgets entries of earlier days (called with mu held).
func (c *Cache) dropOldDays(today domain.Date) {
	for k, e := range c.entries {
		if k.day != today && !e.running {
			delete(c.entries, k)
		}
	}
}

// Invalidate marks every entry stale after a write that changes the figures: the next
// viewer of a scope still gets the previous figures at once and starts one recomputation
// once the entry is minRefresh old (a stream of writes costs at most one computation per
// scope per minRefresh, never a wait). A
// computation already running when Invalidate is called yields a stale entry, so the
// viewer after it recomputes again and sees the write.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
}
