package eligibility

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"

	"zjtx/internal/domain"
)

// Status is a criterion's outcome; it marshals as "pass", "fail" or "missing".
type Status uint8

const (
	Pass Status = iota + 1
	Fail
	Missing
)

var statusNames = [...]string{"", "pass", "fail", "missing"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "invalid"
}

func (s Status) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

func (s *Status) UnmarshalJSON(b []byte) error {
	var x string
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	for i, n := range statusNames {
		if n == x && i > 0 {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("未知状态 %q", x)
}

// Route names the route a criterion belongs to.
type Route uint8

const (
	RouteNone     Route = iota
	RouteCommon         // common.* conditions of every tier
	RouteRequired       // a condition the tier requires
	RouteScore          // the points test or one of its indicators
	RouteDirect         // inn.direct
	RouteTechSME        // inn.tech_sme
)

var routeNamesJSON = [...]string{"", "common", "required", "score", "direct", "tech_sme"}

func (r Route) String() string {
	if int(r) < len(routeNamesJSON) {
		return routeNamesJSON[r]
	}
	return ""
}

func (r Route) MarshalJSON() ([]byte, error) { return []byte(`"` + r.String() + `"`), nil }

func (r *Route) UnmarshalJSON(b []byte) error {
	var x string
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*r = RouteNone
	for i, n := range routeNamesJSON {
		if n == x {
			*r = Route(i)
		}
	}
	return nil
}

// Unit is the unit of a criterion's value and threshold.
type Unit uint8

const (
	UnitNone Unit = iota
	UnitPercent
	UnitWan
	UnitItems
	UnitPoints
	UnitYears
	UnitCount
)

var unitNames = [...]string{"", "%", "万元", "件", "分", "年", "项"}

func (u Unit) String() string {
	if int(u) < len(unitNames) {
		return unitNames[u]
	}
	return ""
}

func (u Unit) MarshalJSON() ([]byte, error) { return json.Marshal(u.String()) }

func (u *Unit) UnmarshalJSON(b []byte) error {
	var x string
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*u = UnitNone
	for i, n := range unitNames {
		if n == x {
			*u = Unit(i)
		}
	}
	return nil
}

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

// Value is a criterion's value or threshold: null, a number, a boolean or a string. It holds
// no pointers (strings are interned in a table), so that building a verdict neither allocates
// for it nor costs GC write barriers.
type Value struct {
	kind uint8 // 0 null, 1 number, 2 bool, 3 string (n is the index in valueStrings)
	n    float64
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

// builtinValues are the string values criteria report; strV interns into them. Strings met only
// when decoding stored verdicts go to extraValues, under a lock, so the hot path reads an
// immutable table.
var (
	builtinValues = [...]string{"micro|small|medium", "micro", "small", "medium", "large",
		"base", "innovative", "specialized", "little_giant",
		"none", "supporting", "key_link", "below_municipal", "municipal", "provincial", "national",
		"任一直接认定条件", "award", "rd_institution", "equity",
		"honour:high_tech", "honour:tech_innovation_demo", "honour:ip_advantage", "honour:ip_demo"}
	extraMu     sync.RWMutex
	extraValues []string
)

func strV(s string) Value {
	for i, x := range builtinValues {
		if x == s {
			return Value{kind: 3, n: float64(i)}
		}
	}
	return internSlow(s)
}

func internSlow(s string) Value {
	extraMu.Lock()
	defer extraMu.Unlock()
	for i, x := range extraValues {
		if x == s {
			return Value{kind: 3, n: float64(len(builtinValues) + i)}
		}
	}
	extraValues = append(extraValues, s)
	return Value{kind: 3, n: float64(len(builtinValues) + len(extraValues) - 1)}
}

func (v Value) str() string {
	i := int(v.n)
	if i < len(builtinValues) {
		return builtinValues[i]
	}
	extraMu.RLock()
	defer extraMu.RUnlock()
	return extraValues[i-len(builtinValues)]
}

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
		return v.str()
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
		return json.Marshal(v.str())
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
	Unit      Unit   `json:"unit,omitempty"`
	Clause    string `json:"clause"`
	Message   string `json:"message"`
	// Route is the route the criterion belongs to: common, required, score (the points test or
	// an indicator), direct, tech_sme.
	Route Route `json:"route,omitempty"`
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
