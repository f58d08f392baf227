package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/domain/benefits"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// TestBenefitsMatchesOneByOne checks that `zjtx benefits` (prefiltered batch scan, no
// explanations) reports exactly the matches that matching each enterprise on its own, fully
// loaded and explained, gives — and that the amounts and totals add up.
func TestBenefitsMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "b.db")
	db := storetest.SQLitePath(t, path)
	const n = 2500
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: n, Seed: 7, Today: domain.MustDate("2026-03-20")}); err != nil {
		t.Fatal(err)
	}
	ents := store.NewEnterprises(db)
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"benefits", "--db", path, "--year", "2025"}, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" }}); err != nil {
		t.Fatalf("benefits: %v\n%s", err, errOut.String())
	}
	var rep BenefitsReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not the report JSON: %v", err)
	}
	if rep.Year != 2025 || rep.AsOf.String() != "2025-12-31" || len(rep.Benefits) != len(benefits.Rules()) {
		t.Fatalf("header: %d %s %d", rep.Year, rep.AsOf, len(rep.Benefits))
	}
	got := map[string]string{}
	perBenefit := map[string]int{}
	for _, m := range rep.Matches {
		amt := ""
		if m.AmountWan != nil {
			amt = m.AmountWan.String()
		}
		got[fmt.Sprintf("%d/%s", m.EnterpriseID, m.Benefit)] = amt
		perBenefit[m.Benefit]++
	}
	want := map[string]string{}
	ps := benefits.DefaultParameters()
	asOf := domain.MustDate("2025-12-31")
	all := domain.Scope{All: true}
	facts := store.NewFacts(db)
	for id := int64(1); id <= n; id++ {
		e, err := ents.Get(ctx, all, id)
		if err != nil {
			t.Fatal(err)
		}
		years, _ := ents.Years(ctx, id)
		sheet, _ := facts.FactSheets(ctx, []int64{id})
		events, _ := ents.TierEvents(ctx, id)
		var f domain.EnterpriseFacts
		if s := sheet[id]; s != nil {
			f = s.Facts
		}
		in := store.InputOf(e, years, f, events, nil)
		for _, r := range benefits.Match(&in, 2025, asOf, ps) {
			if r.Outcome == benefits.Matched {
				amt := ""
				if r.AmountKnown {
					amt = r.Amount.FormatWan()
				}
				want[fmt.Sprintf("%d/%s", id, r.Rule.ID)] = amt
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d matches, one by one %d", len(got), len(want))
	}
	var diffs []string
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			diffs = append(diffs, fmt.Sprintf("%s: got %q (present %v), want %q", k, g, ok, v))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%d differences, e.g. %v", len(diffs), diffs[:min(5, len(diffs))])
	}
	for _, b := range []string{benefits.B14Water, benefits.B10Procurement, benefits.B12Digital} {
		if perBenefit[b] == 0 {
			t.Errorf("demo registry should match some %s in 2025", b)
		}
	}
	for _, tot := range rep.Totals {
		if tot.District == "" && tot.Count != perBenefit[tot.Benefit] {
			t.Errorf("%s: city total %d, matches %d", tot.Benefit, tot.Count, perBenefit[tot.Benefit])
		}
	}

	// One benefit, one district, explained.
	out.Reset()
	if err := run(ctx, []string{"benefits", "--db", path, "--year", "2025", "--benefit", "B14-water", "--district", "310115", "--explain"},
		env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}); err != nil {
		t.Fatal(err)
	}
	var one BenefitsReport
	if err := json.Unmarshal(out.Bytes(), &one); err != nil {
		t.Fatal(err)
	}
	if len(one.Benefits) != 1 || len(one.Matches) == 0 {
		t.Fatalf("filtered report: %d benefits, %d matches", len(one.Benefits), len(one.Matches))
	}
	for _, m := range one.Matches {
		if m.District != "310115" || m.Benefit != "B14-water" || len(m.Conditions) == 0 {
			t.Fatalf("filtered match: %+v", m)
		}
	}
	// 2026: B14 is over.
	out.Reset()
	if err := run(ctx, []string{"benefits", "--db", path, "--year", "2026", "--benefit", "B14-water"},
		env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out.Bytes(), &one); err != nil || len(one.Matches) != 0 || one.Benefits[0].Active {
		t.Errorf("B14 in 2026: %d matches, active %v", len(one.Matches), one.Benefits[0].Active)
	}
	if err := run(ctx, []string{"benefits", "--db", path}, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" }}); err == nil {
		t.Error("--year is required")
	}
}
