package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// memoTTL bounds how stale a memoized read may be. Writes through this process
// invalidate at once; the TTL covers writes made by another instance on the same
// PostgreSQL database.
const memoTTL = 10 * time.Second

// maxMemoEntries caps the memo; past it the memo starts over (filters are few,
// search terms are many).
const maxMemoEntries = 4096

// memo keeps the results of reads that are asked far more often than their tables
// change: the totals of paged lists (a total over 200k enterprises costs a millisecond
// or more of index scanning per page view; the rows of the page are always read
// fresh) and small reference lists such as a district's specialists.
//
// Each entry remembers the write generations of the tables it read. gorm callbacks
// bump a table's generation on every statement that writes it, and DB.Tx bumps the
// tables it touched again after commit, so a result read inside the window between
// a write and its commit cannot outlive the commit.
type memo struct {
	mu      sync.Mutex
	entries map[string]memoEntry
	gens    sync.Map // table name → *atomic.Uint64
	all     atomic.Uint64
}

type memoEntry struct {
	v   any
	gen uint64
	at  time.Time
}

func newMemo() *memo { return &memo{entries: map[string]memoEntry{}} }

func (c *memo) gen(table string) *atomic.Uint64 {
	if g, ok := c.gens.Load(table); ok {
		return g.(*atomic.Uint64)
	}
	g, _ := c.gens.LoadOrStore(table, new(atomic.Uint64))
	return g.(*atomic.Uint64)
}

// bump records a write to table; "" (a raw statement whose table gorm cannot name)
// invalidates every total.
func (c *memo) bump(table string) {
	if table == "" {
		c.all.Add(1)
		return
	}
	c.gen(table).Add(1)
}

// stamp sums the generations of tables; any write to one of them changes it.
func (c *memo) stamp(tables []string) uint64 {
	s := c.all.Load()
	for _, t := range tables {
		s += c.gen(t).Load()
	}
	return s
}

// memoized returns the result kept under key, or runs read and keeps its result.
// tables lists every table read touches (joins and subqueries included). Callers
// must treat a returned slice as read-only: it is shared.
func memoized[T any](c *memo, key string, tables []string, read func() (T, error)) (T, error) {
	stamp := c.stamp(tables)
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if v, isT := e.v.(T); ok && isT && e.gen == stamp && now.Sub(e.at) < memoTTL {
		return v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxMemoEntries {
		c.entries = map[string]memoEntry{}
	}
	c.entries[key] = memoEntry{v: v, gen: stamp, at: now}
	c.mu.Unlock()
	return v, nil
}

type touchedKey struct{}

// touched collects the tables a transaction wrote, to bump them again after commit.
type touched struct {
	memo   *memo
	mu     sync.Mutex
	tables map[string]struct{}
}

// touch records writes that bypass gorm's callbacks (bulk inserts and prepared
// statements on the connection) inside a DB.Tx, so memoized reads of those tables are
// dropped now and again after the commit.
func touch(tx *gorm.DB, tables ...string) {
	t, ok := tx.Statement.Context.Value(touchedKey{}).(*touched)
	if !ok {
		return
	}
	for _, table := range tables {
		t.memo.bump(table)
		t.add(table)
	}
}

func (t *touched) add(table string) {
	t.mu.Lock()
	t.tables[table] = struct{}{}
	t.mu.Unlock()
}

// registerCountInvalidation hooks the write callbacks of g so every write bumps the
// generation of its table.
func (c *memo) registerCountInvalidation(g *gorm.DB) error {
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
	if err := cb.Create().After("gorm:create").Register("zjtx:memo_create", after); err != nil {
		return err
	}
	if err := cb.Update().After("gorm:update").Register("zjtx:memo_update", after); err != nil {
		return err
	}
	if err := cb.Delete().After("gorm:delete").Register("zjtx:memo_delete", after); err != nil {
		return err
	}
	return cb.Raw().After("gorm:raw").Register("zjtx:memo_raw", func(db *gorm.DB) {
		db.Statement.Table = "" // Exec names no table gorm can trust
		after(db)
	})
}

// withTouched returns ctx collecting written tables, and the function to call after commit.
func (c *memo) withTouched(ctx context.Context) (context.Context, func()) {
	t := &touched{memo: c, tables: map[string]struct{}{}}
	return context.WithValue(ctx, touchedKey{}, t), func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		for table := range t.tables {
			c.bump(table)
		}
	}
}

// memoKey names a memoized read: its kind and its arguments, printed with field names.
func memoKey(kind string, args any) string { return kind + fmt.Sprintf("%+v", args) }
