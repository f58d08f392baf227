package store

import (
	"testing"
	"time"

	"zjtx/internal/domain"
)

// scanDate must read exactly what domain.Date.Scan reads, and refuse what it refuses.
func TestScanDateIsDateScan(t *testing.T) {
	for _, src := range []any{nil, "2026-11-28", "2024-02-29", "2023-02-29", "2026-13-01", "2026-00-10", "2026-01-00",
		"0999-01-31", "2026-04-31", "2026-11-28 00:00:00+00:00", "2026-1-28", "20261128", "abcd-ef-gh", "", []byte("2026-11-28"),
		time.Date(2026, 11, 28, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))} {
		var got, want domain.Date
		errGot, errWant := scanDate(&got, src), want.Scan(src)
		if got != want || (errGot == nil) != (errWant == nil) {
			t.Errorf("%#v: scanDate %v (%v), Date.Scan %v (%v)", src, got, errGot, want, errWant)
		}
	}
}

// Filters whose totals may differ never share a memo key; page and order do not matter.
func TestCountKeysDistinguishFilters(t *testing.T) {
	fs := []EnterpriseFilter{
		{Scope: domain.Scope{All: true}},
		{Scope: domain.Scope{District: "310115"}},
		{Scope: domain.Scope{SpecialistID: 7}},
		{Scope: domain.Scope{EnterpriseID: 7}},
		{Scope: domain.Scope{None: true}},
		{Scope: domain.Scope{All: true}, District: "310115"},
		{Scope: domain.Scope{All: true}, Query: "310115"},
		{Scope: domain.Scope{All: true}, Tier: "specialized"},
		{Scope: domain.Scope{All: true}, Group: "a 1:b"},
		{Scope: domain.Scope{All: true}, Group: "a", Label: "b"},
		{Scope: domain.Scope{All: true}, Size: "small"},
		{Scope: domain.Scope{All: true}, Query: "精密", Size: "small"},
	}
	seen := map[string]int{}
	for i, f := range fs {
		k := f.countKey("enterprises")
		if j, dup := seen[k]; dup {
			t.Errorf("filters %d and %d share key %q", j, i, k)
		}
		seen[k] = i
		g := f
		g.Page, g.PerPage, g.Sort, g.Desc, g.Query = 3, 50, SortFounded, true, " "+f.Query+" "
		if g.countKey("enterprises") != k {
			t.Errorf("filter %d: page, order or spaces change the key", i)
		}
	}
}
