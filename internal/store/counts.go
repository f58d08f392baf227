package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// countTTL bounds how stale a cached list total may be. Writes through this process
// invalidate at once; the TTL covers writes made by another instance on the same
// PostgreSQL database.
const countTTL = 10 * time.Second

// maxCountEntries caps the cache; past it the cache starts over (filters are few,
// search terms are many).
const maxCountEntries = 4096

// counts caches the totals of paged lists. A total over 200k enterprises costs a
// millisecond or more of index scanning and barely changes between page views; the
// rows of the page itself are always read fresh.
//
// Each entry remembers the write generations of the tables it counts. gorm callbacks
// bump a table's generation on every statement that writes it, and DB.Tx bumps the
// tables it touched again after commit, so a total computed inside the window between
// a write and its commit cannot outlive the commit.
type counts struct {
	mu      sync.Mutex
	entries map[string]countEntry
	gens    sync.Map // table name → *atomic.Uint64
	all     atomic.Uint64
}

type countEntry struct {
	n   int64
	gen uint64
	at  time.Time
}

func newCounts() *counts { return &counts{entries: map[string]countEntry{}} }

func (c *counts) gen(table string) *atomic.Uint64 {
	if g, ok := c.gens.Load(table); ok {
		return g.(*atomic.Uint64)
	}
	g, _ := c.gens.LoadOrStore(table, new(atomic.Uint64))
	return g.(*atomic.Uint64)
}

// bump records a write to table; "" (a raw statement whose table gorm cannot name)
// invalidates every total.
func (c *counts) bump(table string) {
	if table == "" {
		c.all.Add(1)
		return
	}
	c.gen(table).Add(1)
}

// stamp sums the generations of tables; any write to one of them changes it.
func (c *counts) stamp(tables []string) uint64 {
	s := c.all.Load()
	for _, t := range tables {
		s += c.gen(t).Load()
	}
	return s
}

// Count returns the cached total under key, or runs count and caches its result.
// tables lists every table the count reads (joins and subqueries included).
func (c *counts) Count(key string, tables []string, count func() (int64, error)) (int64, error) {
	stamp := c.stamp(tables)
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.gen == stamp && now.Sub(e.at) < countTTL {
		return e.n, nil
	}
	n, err := count()
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxCountEntries {
		c.entries = map[string]countEntry{}
	}
	c.entries[key] = countEntry{n: n, gen: stamp, at: now}
	c.mu.Unlock()
	return n, nil
}

type touchedKey struct{}

// touched collects the tables a transaction wrote, to bump them again after commit.
type touched struct {
	mu     sync.Mutex
	tables map[string]struct{}
}

func (t *touched) add(table string) {
	t.mu.Lock()
	t.tables[table] = struct{}{}
	t.mu.Unlock()
}

// registerCountInvalidation hooks the write callbacks of g so every write bumps the
// generation of its table.
func (c *counts) registerCountInvalidation(g *gorm.DB) error {
	after := func(db *gorm.DB) {
		if db.Error != nil || db.Statement == nil {
			return
		}
		table := db.Statement.Table
		if table == "" && db.Statement.Schema != nil {
			table = db.Statement.Schema.Table
		}
		c.bump(table)
		if ctx := db.Statement.Context; ctx != nil {
			if t, ok := ctx.Value(touchedKey{}).(*touched); ok {
				t.add(table)
			}
		}
	}
	cb := g.Callback()
	if err := cb.Create().After("gorm:create").Register("zjtx:counts_create", after); err != nil {
		return err
	}
	if err := cb.Update().After("gorm:update").Register("zjtx:counts_update", after); err != nil {
		return err
	}
	if err := cb.Delete().After("gorm:delete").Register("zjtx:counts_delete", after); err != nil {
		return err
	}
	return cb.Raw().After("gorm:raw").Register("zjtx:counts_raw", func(db *gorm.DB) {
		db.Statement.Table = "" // Exec names no table gorm can trust
		after(db)
	})
}

// withTouched returns ctx collecting written tables, and the function to call after commit.
func (c *counts) withTouched(ctx context.Context) (context.Context, func()) {
	t := &touched{tables: map[string]struct{}{}}
	return context.WithValue(ctx, touchedKey{}, t), func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		for table := range t.tables {
			c.bump(table)
		}
	}
}

// countKey names a cached total: the list kind and its filter, printed with field names.
func countKey(kind string, filter any) string { return kind + fmt.Sprintf("%+v", filter) }
