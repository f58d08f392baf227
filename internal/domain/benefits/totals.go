package benefits

import (
	"sort"

	"zjtx/internal/domain"
)

// Tally counts the matched enterprises of a benefit and sums their capped amounts (where the
// registry fixes them) and what was granted (confirmed or paid) for the award year.
type Tally struct {
	Count         int
	Amount        domain.Money
	Granted       int
	GrantedAmount domain.Money
}

func (t *Tally) add(r *Result) {
	t.Count++
	if r.AmountKnown {
		t.Amount += r.Amount
	}
	if r.Grant != nil {
		t.Granted++
		t.GrantedAmount += r.Grant.Amount
	}
}

// Totals are tallies of matched results per benefit and district (measure 十八's district
// evaluation), with the city total per benefit.
type Totals struct {
	byKey map[totalKey]*Tally
}

type totalKey struct{ benefit, district string }

// NewTotals starts empty totals.
func NewTotals() *Totals { return &Totals{byKey: map[totalKey]*Tally{}} }

// Add counts a result if it is matched.
func (t *Totals) Add(district string, r *Result) {
	if r.Outcome != Matched {
		return
	}
	for _, k := range []totalKey{{r.Rule.ID, district}, {r.Rule.ID, ""}} {
		x := t.byKey[k]
		if x == nil {
			x = &Tally{}
			t.byKey[k] = x
		}
		x.add(r)
	}
}

// Merge adds another's counts.
func (t *Totals) Merge(o *Totals) {
	for k, v := range o.byKey {
		x := t.byKey[k]
		if x == nil {
			x = &Tally{}
			t.byKey[k] = x
		}
		x.Count += v.Count
		x.Amount += v.Amount
		x.Granted += v.Granted
		x.GrantedAmount += v.GrantedAmount
	}
}

// City is a benefit's city-wide tally.
func (t *Totals) City(benefit string) Tally {
	if x := t.byKey[totalKey{benefit, ""}]; x != nil {
		return *x
	}
	return Tally{}
}

// DistrictTally is one district's tally of a benefit.
type DistrictTally struct {
	District string
	Tally
}

// Districts lists a benefit's tallies by district code, in code order.
func (t *Totals) Districts(benefit string) []DistrictTally {
	var out []DistrictTally
	for k, v := range t.byKey {
		if k.benefit == benefit && k.district != "" {
			out = append(out, DistrictTally{District: k.district, Tally: *v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].District < out[j].District })
	return out
}
