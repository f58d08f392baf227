package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"zjtx/internal/domain"
	"zjtx/internal/domain/benefits"
	"zjtx/internal/store"
)

func init() {
	register("benefits", "按奖励年度匹配名录中全部企业的免申即享政策，输出匹配结果 JSON", runBenefits)
}

// BenefitsReport is what `zjtx benefits` prints: every matched (enterprise, benefit) of the
// award year, with the capped amount where the registry fixes it, and totals per benefit and
// district.
type BenefitsReport struct {
	Year          int            `json:"year"`
	AsOf          domain.Date    `json:"as_of"`
	ParamsVersion string         `json:"params_version"`
	Benefits      []BenefitInfo  `json:"benefits"`
	Matches       []BenefitMatch `json:"matches"`
	Totals        []BenefitTotal `json:"totals"`
	Scanned       int            `json:"enterprises_scanned"`
	Elapsed       float64        `json:"elapsed_seconds"`
}

// BenefitInfo describes a benefit as in force on the evaluation date.
type BenefitInfo struct {
	ID     string      `json:"id"`
	Name   string      `json:"name"`
	Clause string      `json:"clause"`
	Kind   string      `json:"kind"` // auto (免申即享, amount known), calculator, info
	OneOff bool        `json:"one_off"`
	From   domain.Date `json:"effective_from"`
	To     domain.Date `json:"effective_to"` // null: open-ended
	Active bool        `json:"active"`
}

// BenefitMatch is one enterprise matching one benefit. Amounts are 万元, exact decimals.
type BenefitMatch struct {
	EnterpriseID int64                `json:"enterprise_id"`
	USCC         string               `json:"uscc"`
	Name         string               `json:"name"`
	District     string               `json:"district"`
	Benefit      string               `json:"benefit"`
	AmountWan    *json.Number         `json:"amount_wan"` // null: set by project figures (calculator) or none (info)
	Grant        *BenefitGrant        `json:"grant,omitempty"`
	Conditions   []benefits.Condition `json:"conditions,omitempty"`
}

// BenefitGrant is the grant on record for the match's award year.
type BenefitGrant struct {
	Status    string      `json:"status"`
	AmountWan json.Number `json:"amount_wan"`
	On        domain.Date `json:"on"`
}

// BenefitTotal is a benefit's count and capped amount in a district ("" = city).
type BenefitTotal struct {
	Benefit          string      `json:"benefit"`
	District         string      `json:"district"`
	Count            int         `json:"count"`
	AmountWan        json.Number `json:"amount_wan"`
	Granted          int         `json:"granted"`
	GrantedAmountWan json.Number `json:"granted_amount_wan"`
}

func runBenefits(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("benefits", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := fs.String("db", defaultDB(e), "SQLite file, or a postgres:// URL (env ZJTX_DB)")
	year := fs.Int("year", 0, "award year Y (required)")
	asOfFlag := fs.String("as-of", "", "evaluation date YYYY-MM-DD (default: Y-12-31, or today if earlier)")
	only := fs.String("benefit", "", "only this benefit id, e.g. B02-growth")
	district := fs.String("district", "", "only this district code, e.g. 310115")
	explain := fs.Bool("explain", false, "include every condition of each match")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 || *year < 2000 || *year > 2200 {
		fmt.Fprintln(e.stderr, "zjtx benefits: 需要 --year（奖励年度，如 2025），不接受位置参数")
		return errUsage
	}
	var ids []string
	if *only != "" {
		if _, ok := benefits.RuleByID(*only); !ok {
			return fmt.Errorf("--benefit: 未知政策 %q", *only)
		}
		ids = []string{*only}
	}
	if *district != "" && !domain.IsDistrict(*district) {
		return fmt.Errorf("--district: 不是上海市的区代码 %q", *district)
	}
	asOf := benefits.EvalDate(*year, domain.DateOf(time.Now().In(shanghaiZone)))
	if *asOfFlag != "" {
		d, err := domain.ParseDate(*asOfFlag)
		if err != nil {
			return fmt.Errorf("--as-of: %w", err)
		}
		asOf = d
	}
	start := time.Now()
	db, err := store.Open(*dsn, store.Options{Logger: newLogger(e), SlowThreshold: time.Minute})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	bs := store.NewBenefits(db)
	ps, err := bs.Parameters(ctx)
	if err != nil {
		return err
	}
	snap := ps.At(asOf)
	rep := BenefitsReport{Year: *year, AsOf: asOf, ParamsVersion: snap.Version(), Matches: []BenefitMatch{}, Totals: []BenefitTotal{}}
	for _, r := range benefits.Rules() {
		if len(ids) > 0 && r.ID != ids[0] {
			continue
		}
		w := snap.Window(r.ID)
		rep.Benefits = append(rep.Benefits, BenefitInfo{ID: r.ID, Name: r.Name, Clause: r.Clause, Kind: string(r.Kind), OneOff: r.OneOff,
			From: w.From, To: w.To, Active: w.Contains(asOf)})
	}
	totals := benefits.NewTotals()
	buf := make([]benefits.Result, 0, 16)
	err = bs.Scan(ctx, store.CandidateFilter{Scope: domain.Scope{All: true}, District: *district}, snap.NeedFor(ids, *year), *year,
		func(ins []benefits.Input) error {
			for i := range ins {
				in := &ins[i]
				rep.Scanned++
				buf = buf[:0]
				if len(ids) > 0 {
					r, _ := snap.MatchOne(in, ids[0], *year, asOf, false)
					buf = append(buf, r)
				} else {
					buf = snap.Match(in, *year, asOf, false, buf)
				}
				for j := range buf {
					r := &buf[j]
					if r.Outcome != benefits.Matched {
						continue
					}
					totals.Add(in.District, r)
					m := BenefitMatch{EnterpriseID: in.EnterpriseID, USCC: in.USCC, Name: in.Name, District: in.District, Benefit: r.Rule.ID}
					if r.AmountKnown {
						n := json.Number(r.Amount.FormatWan())
						m.AmountWan = &n
					}
					if r.Grant != nil {
						m.Grant = &BenefitGrant{Status: string(r.Grant.Status), AmountWan: json.Number(r.Grant.Amount.FormatWan()), On: r.Grant.On}
					}
					if *explain {
						x, _ := snap.MatchOne(in, r.Rule.ID, *year, asOf, true)
						m.Conditions = x.Conditions
					}
					rep.Matches = append(rep.Matches, m)
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	for _, b := range rep.Benefits {
		city := totals.City(b.ID)
		rep.Totals = append(rep.Totals, total(b.ID, "", city))
		for _, d := range totals.Districts(b.ID) {
			rep.Totals = append(rep.Totals, total(b.ID, d.District, d.Tally))
		}
	}
	rep.Elapsed = float64(time.Since(start).Milliseconds()) / 1000
	w := bufio.NewWriterSize(e.stdout, 1<<16)
	// Compact: a registry-wide report runs to hundreds of thousands of matches.
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		return err
	}
	return w.Flush()
}

func total(benefit, district string, t benefits.Tally) BenefitTotal {
	return BenefitTotal{Benefit: benefit, District: district, Count: t.Count, AmountWan: json.Number(t.Amount.FormatWan()),
		Granted: t.Granted, GrantedAmountWan: json.Number(t.GrantedAmount.FormatWan())}
}
