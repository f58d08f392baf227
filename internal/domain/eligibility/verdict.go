package eligibility

import (
	"encoding/json"
	"math"
	"strconv"

	"zjtx/internal/domain"
)

// Status is a criterion's outcome.
type Status string

const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Missing Status = "missing"
)

// allOf combines conditions that must all hold: a definite failure wins over missing data.
func allOf(a, b Status) Status {
	switch {
	case a == Fail || b == Fail:
		return Fail
	case a == Missing || b == Missing:
		return Missing
	}
	return Pass
}

// anyOf combines alternatives: one pass suffices; otherwise missing data leaves it open.
func anyOf(a, b Status) Status {
	switch {
	case a == Pass || b == Pass:
		return Pass
	case a == Missing || b == Missing:
		return Missing
	}
	return Fail
}

func statusOf(ok bool) Status {
	if ok {
		return Pass
	}
	return Fail
}

// Value is a criterion's value or threshold: null, a number, a boolean or a string. It is a
// small value type so that Evaluate does not allocate for it.
type Value struct {
	kind uint8 // 0 null, 1 number, 2 bool, 3 string
	n    float64
	s    string
}

func numV(x float64) Value {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Value{}
	}
	return Value{kind: 1, n: x}
}

// pctV reports a ratio as a percentage, rounded to 6 decimals to drop float noise.
func pctV(r float64) Value { return numV(math.Round(r*100*1e6) / 1e6) }

func boolV(b bool) Value {
	if b {
		return Value{kind: 2, n: 1}
	}
	return Value{kind: 2}
}

func strV(s string) Value { return Value{kind: 3, s: s} }

// IsNull reports an absent value.
func (v Value) IsNull() bool { return v.kind == 0 }

// Float returns a numeric value.
func (v Value) Float() (float64, bool) { return v.n, v.kind == 1 }

// Any returns the value as nil, float64, bool or string.
func (v Value) Any() any {
	switch v.kind {
	case 1:
		return v.n
	case 2:
		return v.n != 0
	case 3:
		return v.s
	}
	return nil
}

func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case 1:
		return strconv.AppendFloat(nil, v.n, 'f', -1, 64), nil
	case 2:
		return strconv.AppendBool(nil, v.n != 0), nil
	case 3:
		return json.Marshal(v.s)
	}
	return []byte("null"), nil
}

func (v *Value) UnmarshalJSON(b []byte) error {
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	switch t := x.(type) {
	case nil:
		*v = Value{}
	case float64:
		*v = numV(t)
	case bool:
		*v = boolV(t)
	case string:
		*v = strV(t)
	default:
		*v = strV(string(b))
	}
	return nil
}

// OptNum is an optional number, omitted from JSON (with omitzero) when unset.
type OptNum struct {
	V   float64
	Set bool
}

func optNum(x float64) OptNum { return OptNum{V: x, Set: true} }

func (o OptNum) IsZero() bool { return !o.Set }

func (o OptNum) MarshalJSON() ([]byte, error) {
	if !o.Set {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, o.V, 'f', -1, 64), nil
}

func (o *OptNum) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = OptNum{}
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*o = optNum(x)
	return nil
}

// Criterion is one explained condition of a tier (ELIGIBILITY.md §0 Every criterion is explained).
// Percentages are reported as percent numbers (3.5 for 3.5%, Unit "%").
type Criterion struct {
	ID        string `json:"id"`
	Status    Status `json:"status"`
	Value     Value  `json:"value"`
	Threshold Value  `json:"threshold"`
	Unit      string `json:"unit,omitempty"`
	Clause    string `json:"clause"`
	Message   string `json:"message"`
	// Route names the route the criterion belongs to: "common", "required", "score" (a points
	// indicator or the score test), "direct", "tech_sme".
	Route string `json:"route,omitempty"`
	// Points and MaxPoints are set on points-table indicators.
	Points    OptNum `json:"points,omitzero"`
	MaxPoints OptNum `json:"max_points,omitzero"`

	msgStart, msgEnd int32
}

// Subscore is a points-table group total, e.g. 创新能力 28 of 40.
type Subscore struct {
	Name   string  `json:"name"`
	Points float64 `json:"points"`
	Max    float64 `json:"max"`
	Min    float64 `json:"min,omitempty"` // the group minimum of a score route, if any
}

// TierResult is the verdict for one tier.
type TierResult struct {
	Eligible bool `json:"eligible"`
	// Routes lists the routes that pass, for an eligible tier ("score", "direct", "tech_sme"; a
	// tier with a single set of conditions reports "standard").
	Routes    []string    `json:"routes,omitempty"`
	Score     OptNum      `json:"score,omitzero"`
	Subscores []Subscore  `json:"subscores,omitempty"`
	Criteria  []Criterion `json:"criteria"`
}

// TierResults holds the three tiers.
type TierResults struct {
	Innovative  TierResult `json:"innovative"`
	Specialized TierResult `json:"specialized"`
	LittleGiant TierResult `json:"little_giant"`
}

// Get returns the result for a tier (nil for base or unknown).
func (t *TierResults) Get(tier domain.Tier) *TierResult {
	switch tier {
	case domain.TierInnovative:
		return &t.Innovative
	case domain.TierSpecialized:
		return &t.Specialized
	case domain.TierLittleGiant:
		return &t.LittleGiant
	}
	return nil
}

// Verdict is the answer of `zjtx eval` (ELIGIBILITY.md §7), with a few extra fields.
type Verdict struct {
	AsOf          domain.Date  `json:"as_of"`
	RuleSet       string       `json:"rule_set"`
	Size          string       `json:"size"` // micro, small, medium, large or "unknown"
	USCC          string       `json:"uscc,omitempty"`
	Name          string       `json:"name,omitempty"`
	CurrentTier   domain.Tier  `json:"current_tier"`
	Renewal       bool         `json:"renewal"`
	Tiers         TierResults  `json:"tiers"`
	NextTier      *domain.Tier `json:"next_tier"` // null at the top rung
	ParamsVersion string       `json:"params_version"`
}

// Gap lists the failed and missing criteria of a tier, for the gap view.
func Gap(v Verdict, tier domain.Tier) []Criterion {
	r := v.Tiers.Get(tier)
	if r == nil {
		return nil
	}
	var out []Criterion
	for _, c := range r.Criteria {
		if c.Status != Pass {
			out = append(out, c)
		}
	}
	return out
}

// Criterion returns a tier's criterion by id.
func (r *TierResult) Criterion(id string) (Criterion, bool) {
	for _, c := range r.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}
