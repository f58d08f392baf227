package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
	"zjtx/internal/tiers"
)

func init() {
	register("eval-all", "按当前规则参数评估名录中全部企业，输出各层级统计 JSON", runEvalAll)
}

// evalAllBatch is how many enterprises are read per round trip: large enough that the
// per-query cost vanishes, small enough to stay well under every driver's bind-parameter limit.
const evalAllBatch = 2000

// EvalAllReport is what `zjtx eval-all` prints.
type EvalAllReport struct {
	AsOf           domain.Date            `json:"as_of"`
	RuleSet        string                 `json:"rule_set"`
	ParamsVersion  string                 `json:"params_version"`
	Enterprises    int                    `json:"enterprises"`
	ByTier         map[domain.Tier]int    `json:"by_tier"`     // current tier → enterprises
	Eligibility    map[domain.Tier]*Tally `json:"eligibility"` // tier → eligible / not
	NextRung       map[domain.Tier]int    `json:"next_rung_candidates"`
	ElapsedSeconds float64                `json:"elapsed_seconds"`
}

// Tally counts the enterprises eligible for a tier and those not.
type Tally struct {
	Eligible    int `json:"eligible"`
	NotEligible int `json:"not_eligible"`
}

// evalCounts is one worker's share of the report.
type evalCounts struct {
	n        int
	byTier   [4]int
	eligible [3][2]int // tier index 0..2 (innovative..little_giant) × {eligible, not}
	next     [4]int    // by current tier rank: eligible for the rung above
}

func (c *evalCounts) add(cur domain.Tier, d *eligibility.Decision) {
	c.n++
	r := cur.Rank()
	if r < 0 {
		r = 0
	}
	c.byTier[r]++
	for i, td := range []*eligibility.TierDecision{&d.Innovative, &d.Specialized, &d.LittleGiant} {
		if td.Eligible {
			c.eligible[i][0]++
		} else {
			c.eligible[i][1]++
		}
	}
	if next := d.NextTier; next != "" {
		var td *eligibility.TierDecision
		switch next {
		case domain.TierInnovative:
			td = &d.Innovative
		case domain.TierSpecialized:
			td = &d.Specialized
		case domain.TierLittleGiant:
			td = &d.LittleGiant
		}
		if td != nil && td.Eligible {
			c.next[r]++
		}
	}
}

func (c *evalCounts) merge(o *evalCounts) {
	c.n += o.n
	for i := range c.byTier {
		c.byTier[i] += o.byTier[i]
		c.next[i] += o.next[i]
	}
	for i := range c.eligible {
		c.eligible[i][0] += o.eligible[i][0]
		c.eligible[i][1] += o.eligible[i][1]
	}
}

// runEvalAll evaluates every enterprise in the registry as of a date, with the parameters
// in force (administrator overrides applied), and prints the counts as JSON. Records are read
// in id order, one batch of enterprises with their years and fact sheets at a time, while
// workers evaluate the previous batches with the explanation-free eligibility.Decide.
func runEvalAll(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("eval-all", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := fs.String("db", defaultDB(e), "SQLite file, or a postgres:// URL (env ZJTX_DB)")
	asOfFlag := fs.String("as-of", "", "assessment date YYYY-MM-DD (default: today in Shanghai)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "zjtx eval-all: 不接受位置参数")
		return errUsage
	}
	asOf := domain.DateOf(time.Now().In(shanghaiZone))
	if *asOfFlag != "" {
		d, err := domain.ParseDate(*asOfFlag)
		if err != nil {
			return fmt.Errorf("--as-of: %w", err)
		}
		asOf = d
	}
	start := time.Now()
	// Reading the whole registry is slow by design; don't log each batch as a slow query.
	log := newLogger(e)
	db, err := store.Open(*dsn, store.Options{Logger: log, SlowThreshold: time.Minute})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	ps, err := tiers.New(db).Parameters(ctx)
	if err != nil {
		return err
	}
	counts, err := evalAll(ctx, db, ps.At(asOf), asOf)
	if err != nil {
		return err
	}
	snap := ps.At(asOf)
	rep := EvalAllReport{AsOf: asOf, RuleSet: snap.RuleSet, ParamsVersion: snap.Version(), Enterprises: counts.n,
		ByTier: map[domain.Tier]int{}, Eligibility: map[domain.Tier]*Tally{}, NextRung: map[domain.Tier]int{}}
	for i, t := range domain.Tiers {
		rep.ByTier[t] = counts.byTier[i]
		if t != domain.TierLittleGiant {
			rep.NextRung[t] = counts.next[i]
		}
		if i > 0 {
			rep.Eligibility[t] = &Tally{Eligible: counts.eligible[i-1][0], NotEligible: counts.eligible[i-1][1]}
		}
	}
	rep.ElapsedSeconds = float64(time.Since(start).Milliseconds()) / 1000
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

func evalAll(ctx context.Context, db *store.DB, snap *eligibility.Snapshot, asOf domain.Date) (evalCounts, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// go-sqlite3 starts a goroutine per row read under a cancellable context, which triples
	// the cost of reading; cancellation is checked between batches instead.
	qctx := context.WithoutCancel(ctx)
	ents, facts := store.NewEnterprises(db), store.NewFacts(db)
	workers := max(2, runtime.GOMAXPROCS(0))
	pages := make(chan []domain.Enterprise, workers)
	var (
		wg           sync.WaitGroup
		mu           sync.Mutex
		total        evalCounts
		firstErr     error
		pageErr      error
		pagesDrained = make(chan struct{})
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	// One reader walks the registry in id order (keyset pages); the workers load each page's
	// years and fact sheets and evaluate it, so reading and evaluating overlap on every core.
	go func() {
		defer close(pagesDrained)
		defer close(pages)
		var after int64
		for ctx.Err() == nil {
			es, err := ents.RuleInputsAfter(qctx, after, evalAllBatch)
			if err != nil {
				pageErr = err
				return
			}
			if len(es) == 0 {
				return
			}
			after = es[len(es)-1].ID
			select {
			case pages <- es:
			case <-ctx.Done():
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c evalCounts
			for es := range pages {
				if ctx.Err() != nil {
					continue // drain
				}
				if err := evalPage(qctx, ents, facts, snap, asOf, es, &c); err != nil {
					fail(err)
				}
			}
			mu.Lock()
			total.merge(&c)
			mu.Unlock()
		}()
	}
	wg.Wait()
	<-pagesDrained
	switch {
	case pageErr != nil:
		return total, pageErr
	case firstErr != nil:
		return total, firstErr
	}
	return total, ctx.Err()
}

// evalPage loads one page's years and fact sheets and counts its decisions into c.
func evalPage(ctx context.Context, ents *store.Enterprises, facts *store.Facts, snap *eligibility.Snapshot,
	asOf domain.Date, es []domain.Enterprise, c *evalCounts) error {
	ids := make([]int64, len(es))
	for i := range es {
		ids[i] = es[i].ID
	}
	years, err := ents.YearsFor(ctx, ids)
	if err != nil {
		return err
	}
	sheets, err := facts.FactSheets(ctx, ids)
	if err != nil {
		return err
	}
	for i := range es {
		r := tiers.Record{Enterprise: es[i], Years: years[es[i].ID]}
		if fs := sheets[es[i].ID]; fs != nil {
			r.Facts, r.Awards, r.DevScores = fs.Facts, fs.Awards, fs.DevScores
		}
		f := tiers.BuildFacts(r, asOf, false)
		d := snap.Decide(&f)
		c.add(f.CurrentTier, &d)
	}
	return nil
}

// shanghaiZone is where "today" is taken; time/tzdata is embedded (serve.go).
var shanghaiZone = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()
