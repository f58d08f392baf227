package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
	"zjtx/internal/tiers"
)

// TestEvalAllMatchesOneByOne fills a registry, gives a few enterprises fact sheets, and checks
// that eval-all's batched counts equal evaluating each enterprise on its own, the way the web
// app does (full Evaluate on records loaded one at a time).
func TestEvalAllMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "all.db")
	db := storetest.SQLitePath(t, path)
	const n = 4500 // more than two batches
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: n, Seed: 5, Today: domain.MustDate("2026-03-20")}); err != nil {
		t.Fatal(err)
	}
	facts := store.NewFacts(db)
	yes, no := true, false
	rank, five := int64(1), int64(5)
	inst, chain := eligibility.InstProvincial, eligibility.ChainKeyLink
	for id := int64(1); id <= n; id += 97 {
		sheet := store.FactSheet{
			Facts: domain.EnterpriseFacts{EnterpriseID: id, IPClass1: &five, IPClass1SelfDeveloped: &five, IPClass1InUse: &five,
				RDInstitution: &inst, ChainRole: &chain, StrategicEmerging: &yes, OwnBrand: &yes, InfoSystemCoreBusiness: &yes,
				MgmtCertification: &yes, MarketPositionAttested: &yes, PriorityField: &no, AwardsReported: true},
			Awards:    []domain.Award{{Level: "provincial", Rank: &rank, Year: 2025}},
			DevScores: []domain.DevScore{{Year: 2026, Score: 72}, {Year: 2025, Score: 55}},
		}
		if err := facts.SaveFacts(ctx, store.System, sheet); err != nil {
			t.Fatal(err)
		}
	}

	for _, asOf := range []string{"2026-03-20", "2026-06-30"} {
		var out, errOut bytes.Buffer
		err := run(ctx, []string{"eval-all", "--db", path, "--as-of", asOf}, env{
			stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }})
		if err != nil {
			t.Fatalf("eval-all: %v\n%s", err, errOut.String())
		}
		var got EvalAllReport
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("output is not the report JSON: %v\n%s", err, out.String())
		}
		want := oneByOne(t, db, domain.MustDate(asOf))
		if got.Enterprises != n || got.AsOf.String() != asOf || got.RuleSet != want.RuleSet || got.ParamsVersion != want.ParamsVersion {
			t.Errorf("%s: header = %d %s %s %s, want %d %s %s", asOf, got.Enterprises, got.AsOf, got.RuleSet, got.ParamsVersion, n, want.RuleSet, want.ParamsVersion)
		}
		for _, tier := range domain.Tiers {
			if got.ByTier[tier] != want.ByTier[tier] {
				t.Errorf("%s: by_tier[%s] = %d, want %d", asOf, tier, got.ByTier[tier], want.ByTier[tier])
			}
			if tier == domain.TierBase {
				continue
			}
			if g, w := got.Eligibility[tier], want.Eligibility[tier]; g == nil || *g != *w {
				t.Errorf("%s: eligibility[%s] = %+v, want %+v", asOf, tier, g, w)
			}
		}
		for tier, w := range want.NextRung {
			if got.NextRung[tier] != w {
				t.Errorf("%s: next_rung_candidates[%s] = %d, want %d", asOf, tier, got.NextRung[tier], w)
			}
		}
		if got.Eligibility[domain.TierInnovative].Eligible == 0 || got.NextRung[domain.TierBase] == 0 {
			t.Errorf("%s: nobody eligible — the test data no longer exercises the counts: %s", asOf, out.String())
		}
		if got.ElapsedSeconds <= 0 {
			t.Errorf("elapsed_seconds = %v", got.ElapsedSeconds)
		}
	}
}

func oneByOne(t *testing.T, db *store.DB, asOf domain.Date) EvalAllReport {
	t.Helper()
	ctx := context.Background()
	ps, err := tiers.New(db).Parameters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := db.R.Table("enterprises").Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	rep := EvalAllReport{ByTier: map[domain.Tier]int{}, Eligibility: map[domain.Tier]*Tally{}, NextRung: map[domain.Tier]int{}}
	for _, tier := range domain.Tiers[1:] {
		rep.Eligibility[tier] = &Tally{}
	}
	for _, id := range ids {
		e, err := store.LoadEnterprise(db.R, domain.Scope{All: true}, id)
		if err != nil {
			t.Fatal(err)
		}
		r := tiers.Record{Enterprise: e}
		if r.Years, err = store.LoadYears(db.R, id); err != nil {
			t.Fatal(err)
		}
		sheet, err := store.LoadFactSheet(db.R, id)
		if err != nil {
			t.Fatal(err)
		}
		r.Facts, r.Awards, r.DevScores = sheet.Facts, sheet.Awards, sheet.DevScores
		v := eligibility.Evaluate(tiers.BuildFacts(r, asOf, false), ps)
		rep.RuleSet, rep.ParamsVersion = v.RuleSet, v.ParamsVersion
		rep.ByTier[v.CurrentTier]++
		for _, tier := range domain.Tiers[1:] {
			if v.Tiers.Get(tier).Eligible {
				rep.Eligibility[tier].Eligible++
			} else {
				rep.Eligibility[tier].NotEligible++
			}
		}
		if v.NextTier != nil && v.Tiers.Get(*v.NextTier).Eligible {
			rep.NextRung[v.CurrentTier]++
		}
	}
	return rep
}

func TestEvalAllFlags(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--db", filepath.Join(dir, "a.db"), "--as-of", "2026-02-30"},
		{"--bogus"},
		{"--db", filepath.Join(dir, "b.db"), "extra"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"eval-all"}, args...), env{
			stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }})
		if err == nil {
			t.Errorf("eval-all %v: accepted", args)
		}
	}
}
