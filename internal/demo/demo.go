// Package demo generates synthetic but plausible registry data — enterprises, their yearly
// figures and tier history — for demonstrations, load tests and trying the eligibility engine.
// Output depends only on the seed and the reference date.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// Options controls a run.
type Options struct {
	Enterprises int
	Seed        int64
	Today       domain.Date // reference date for founding, figures and titles; zero means today in Shanghai
}

// Stats counts what Fill wrote.
type Stats struct {
	Enterprises int
	Years       int
	TierEvents  int
	ByTier      map[domain.Tier]int
}

// Data is a generated data set. Years and Events are grouped by enterprise in the order of
// Enterprises; their EnterpriseID is the 1-based position in Enterprises until Fill replaces
// it with the stored id (the same numbers in a fresh database).
type Data struct {
	Enterprises []domain.Enterprise
	Years       []domain.YearFigures
	Events      []domain.TierEvent
}

// shanghai is UTC+8 all year; a fixed zone needs no tz database.
var shanghai = time.FixedZone("CST", 8*3600)

// ErrNotEmpty refuses to mix demo data into a database that already holds enterprises.
var ErrNotEmpty = errors.New("database already has enterprises")

// Generate builds the data set for opt without touching a database.
func Generate(opt Options) Data {
	today := opt.Today
	if today.IsZero() {
		today = domain.DateOf(time.Now().In(shanghai))
	}
	// A fixed second word keeps the stream stable while the seed picks it.
	g := newGen(rand.New(rand.NewPCG(uint64(opt.Seed), 0x7a6a7478)), today, opt.Enterprises)
	for range opt.Enterprises {
		g.enterprise()
	}
	g.data.sortByName()
	return g.data
}

// sortByName orders enterprises by name, keeping each one's years and events with it.
// Inserting in name order turns the name-keyed indexes' random inserts into appends,
// which is most of the cost of a large fill.
func (d *Data) sortByName() {
	n := len(d.Enterprises)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(a, b int) int { return strings.Compare(d.Enterprises[a].Name, d.Enterprises[b].Name) })
	ents := make([]domain.Enterprise, n)
	for j, i := range perm {
		ents[j] = d.Enterprises[i]
	}
	d.Years = regroup(d.Years, perm, func(y *domain.YearFigures) *int64 { return &y.EnterpriseID })
	d.Events = regroup(d.Events, perm, func(e *domain.TierEvent) *int64 { return &e.EnterpriseID })
	d.Enterprises = ents
}

// regroup reorders rows grouped by 1-based owner position to follow perm, renumbering owners.
func regroup[T any](rows []T, perm []int, owner func(*T) *int64) []T {
	start := make([]int, len(perm)+1) // rows of owner position p are rows[start[p]:start[p+1]]
	for i := range rows {
		start[*owner(&rows[i])]++
	}
	for p := 1; p <= len(perm); p++ {
		start[p] += start[p-1]
	}
	out := make([]T, 0, len(rows))
	for j, i := range perm {
		for _, r := range rows[start[i]:start[i+1]] {
			*owner(&r) = int64(j + 1)
			out = append(out, r)
		}
	}
	return out
}

// Fill generates opt.Enterprises enterprises and stores them in one transaction: either all
// are written or none. It refuses a database that already has enterprises.
func Fill(ctx context.Context, db *store.DB, opt Options) (Stats, error) {
	if opt.Enterprises < 0 {
		return Stats{}, fmt.Errorf("enterprises must not be negative")
	}
	d := Generate(opt)
	now := time.Now().UTC().Truncate(time.Microsecond)
	err := db.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table("enterprises").Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w (%d)", ErrNotEmpty, n)
		}
		if err := d.insert(ctx, tx, db.Dialect, now); err != nil {
			return err
		}
		today := opt.Today
		if today.IsZero() {
			today = domain.DateOf(time.Now().In(shanghai))
		}
		if err := insertService(ctx, tx, db.Dialect, &d, opt.Seed, today, now); err != nil {
			return err
		}
		return insertListing(ctx, tx, db.Dialect, &d, opt.Seed, today, now)
	})
	if err != nil {
		return Stats{}, err
	}
	if err := db.AnalyzeAfterBulkLoad(ctx); err != nil {
		return Stats{}, fmt.Errorf("analyze: %w", err)
	}
	return d.Stats(), nil
}

// Stats counts the data set.
func (d Data) Stats() Stats {
	s := Stats{Enterprises: len(d.Enterprises), Years: len(d.Years), TierEvents: len(d.Events), ByTier: map[domain.Tier]int{}}
	for i := range d.Enterprises {
		s.ByTier[d.Enterprises[i].Tier]++
	}
	return s
}
