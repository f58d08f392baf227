package benefits

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
)

// The benefit parameters are dated like the tier rules' (eligibility.Param, eligibility.Override):
// every threshold, rate, cap and effective window is one, so an administrator can correct a
// number (those marked 未经确认 in particular) without a code change, and a past year can be
// replayed with the values then in force.

// Param, Dated and Override are the tier engine's types, reused as they are.
type (
	Param    = eligibility.Param
	Dated    = eligibility.Dated
	Override = eligibility.Override
)

//go:embed params/*.json
var paramFiles embed.FS

var (
	defaultOnce sync.Once
	defaultSet  *ParamSet
)

// ParamSet is the whole dated benefit-parameter table, compiled into one Snapshot per interval
// between value changes. It is immutable and safe for concurrent use.
type ParamSet struct {
	params []Param
	byKey  map[string]int
	starts []domain.Date
	snaps  []*Snapshot
}

// DefaultParameters is the shipped table (params/*.json); it panics if the embedded data is
// broken, which the package tests rule out.
func DefaultParameters() *ParamSet {
	defaultOnce.Do(func() {
		ps, err := loadDefaults()
		if err != nil {
			panic("benefits: embedded parameters: " + err.Error())
		}
		defaultSet = ps
	})
	return defaultSet
}

func loadDefaults() (*ParamSet, error) {
	b, err := paramFiles.ReadFile("params/benefits.json")
	if err != nil {
		return nil, err
	}
	var ps []Param
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ps); err != nil {
		return nil, err
	}
	for i := range ps {
		for j := range ps[i].Values {
			ps[i].Values[j].Source = "default"
		}
	}
	return newParamSet(ps)
}

func newParamSet(params []Param) (*ParamSet, error) {
	sort.Slice(params, func(i, j int) bool { return params[i].Key < params[j].Key })
	ps := &ParamSet{params: params, byKey: make(map[string]int, len(params))}
	startSet := map[domain.Date]bool{}
	for i := range params {
		p := &params[i]
		if _, dup := ps.byKey[p.Key]; dup {
			return nil, fmt.Errorf("参数 %s 重复", p.Key)
		}
		ps.byKey[p.Key] = i
		if len(p.Values) == 0 {
			return nil, fmt.Errorf("参数 %s 没有取值", p.Key)
		}
		sort.SliceStable(p.Values, func(a, b int) bool { return p.Values[a].From.Before(p.Values[b].From) })
		for j := range p.Values {
			var buf bytes.Buffer
			if err := json.Compact(&buf, p.Values[j].Value); err != nil {
				return nil, fmt.Errorf("参数 %s 取值不是合法 JSON: %w", p.Key, err)
			}
			p.Values[j].Value = buf.Bytes()
			startSet[p.Values[j].From] = true
		}
	}
	for d := range startSet {
		ps.starts = append(ps.starts, d)
	}
	sort.Slice(ps.starts, func(i, j int) bool { return ps.starts[i].Before(ps.starts[j]) })
	for _, d := range ps.starts {
		s, err := ps.compile(d)
		if err != nil {
			return nil, fmt.Errorf("%s 起的参数: %w", d, err)
		}
		ps.snaps = append(ps.snaps, s)
	}
	return ps, nil
}

// WithOverrides returns a new set with the administrator's overrides applied on top; it fails
// when an override names an unknown key, has the wrong kind, or leaves the table uncompilable.
func (ps *ParamSet) WithOverrides(ovs []Override) (*ParamSet, error) {
	params := make([]Param, len(ps.params))
	for i, p := range ps.params {
		p.Values = append([]Dated(nil), p.Values...)
		params[i] = p
	}
	sorted := append([]Override(nil), ovs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].EffectiveFrom.Before(sorted[j].EffectiveFrom) })
	for _, o := range sorted {
		i, ok := ps.byKey[o.Key]
		if !ok {
			return nil, fmt.Errorf("未知参数 %q", o.Key)
		}
		if o.EffectiveFrom.IsZero() {
			return nil, fmt.Errorf("参数 %s 的覆盖值缺少生效日期", o.Key)
		}
		p := &params[i]
		if err := checkKind(p, o.Value); err != nil {
			return nil, err
		}
		kept := p.Values[:0]
		for _, v := range p.Values {
			if v.From.Before(o.EffectiveFrom) {
				kept = append(kept, v)
			}
		}
		p.Values = append(kept, Dated{From: o.EffectiveFrom, Value: o.Value, Source: "override"})
	}
	return newParamSet(params)
}

func checkKind(p *Param, v json.RawMessage) error {
	var err error
	switch p.Kind {
	case "number":
		var x float64
		err = json.Unmarshal(v, &x)
	case "string":
		var x string
		err = json.Unmarshal(v, &x)
	case "strings":
		var x []string
		err = json.Unmarshal(v, &x)
	default:
		err = fmt.Errorf("未知类型 %s", p.Kind)
	}
	if err != nil {
		return fmt.Errorf("参数 %s 的覆盖值应为 %s: %v", p.Key, p.Kind, err)
	}
	return nil
}

// List returns every parameter (a copy), for the administrator's page.
func (ps *ParamSet) List() []Param {
	out := make([]Param, len(ps.params))
	for i, p := range ps.params {
		p.Values = append([]Dated(nil), p.Values...)
		out[i] = p
	}
	return out
}

// Lookup returns one parameter by key.
func (ps *ParamSet) Lookup(key string) (Param, bool) {
	i, ok := ps.byKey[key]
	if !ok {
		return Param{}, false
	}
	p := ps.params[i]
	p.Values = append([]Dated(nil), p.Values...)
	return p, true
}

// At returns the compiled parameters in force on d.
func (ps *ParamSet) At(d domain.Date) *Snapshot {
	i := sort.Search(len(ps.starts), func(i int) bool { return d.Before(ps.starts[i]) }) - 1
	if i < 0 {
		i = 0
	}
	return ps.snaps[i]
}

// Window is a benefit's effective period; a zero To is open-ended.
type Window struct{ From, To domain.Date }

// Contains reports whether d lies in the window, both ends included.
func (w Window) Contains(d domain.Date) bool {
	return !d.Before(w.From) && (w.To.IsZero() || !d.After(w.To))
}

func (w Window) String() string {
	if w.To.IsZero() {
		return w.From.String() + " 起"
	}
	return w.From.String() + " 至 " + w.To.String()
}

// Snapshot is the parameter table compiled for one interval of dates. Percentages are kept in
// basis points (30% → 3000) so that amounts in 分 are computed exactly; caps in 分.
type Snapshot struct {
	From    domain.Date
	version string

	TitleTiers   []domain.Tier
	NearMaxUnmet int
	Windows      map[string]Window

	B02Groups          []domain.IndustryGroup
	B02FirstCap        domain.Money
	B02GrowthMinBP     int64
	B02GrowthHighBP    int64
	B02GrowthCapLow    domain.Money
	B02GrowthCapHigh   domain.Money
	B03CertifiedByYear int
	B03GrowthMinBP     int64
	B03Cap             domain.Money
	B09RateBP          int64
	B09Cap             domain.Money
	B10ProjectMin      domain.Money
	B10ShareMinBP      int64
	B12RateBP          int64
	B13InterestRateBP  int64
	B13GuaranteeCap    domain.Money
	B19RateBP          int64
	windowByIndex      [len(catalogue)]Window
	titleByTier        [4]bool
	b02Group           map[domain.IndustryGroup]bool
}

// Version is the fingerprint of the values this snapshot was compiled from.
func (s *Snapshot) Version() string { return s.version }

// Window returns a benefit's effective period.
func (s *Snapshot) Window(id string) Window { return s.Windows[id] }

type reader struct {
	ps  *ParamSet
	d   domain.Date
	err error
}

func (r *reader) raw(key, kind string) json.RawMessage {
	if r.err != nil {
		return nil
	}
	i, ok := r.ps.byKey[key]
	if !ok {
		r.err = fmt.Errorf("缺少参数 %s", key)
		return nil
	}
	p := &r.ps.params[i]
	if p.Kind != kind {
		r.err = fmt.Errorf("参数 %s 类型为 %s，代码需要 %s", key, p.Kind, kind)
		return nil
	}
	var v json.RawMessage
	for _, x := range p.Values {
		if x.From.After(r.d) {
			break
		}
		v = x.Value
	}
	if v == nil {
		v = p.Values[0].Value // dates before the first value take the earliest
	}
	return v
}

func (r *reader) num(key string) float64 {
	var v float64
	if raw := r.raw(key, "number"); raw != nil {
		if err := json.Unmarshal(raw, &v); err != nil {
			r.err = fmt.Errorf("参数 %s 应为数字", key)
		} else if v < 0 || math.IsInf(v, 0) {
			r.err = fmt.Errorf("参数 %s 不能为负数", key)
		}
	}
	return v
}

func (r *reader) wan(key string) domain.Money {
	return domain.Money(math.Round(r.num(key) * domain.FenPerWan))
}

// bp reads a percentage (30 for 30%) as basis points.
func (r *reader) bp(key string) int64 { return int64(math.Round(r.num(key) * 100)) }

func (r *reader) str(key string) string {
	var v string
	if raw := r.raw(key, "string"); raw != nil {
		if err := json.Unmarshal(raw, &v); err != nil {
			r.err = fmt.Errorf("参数 %s 应为字符串", key)
		}
	}
	return v
}

func (r *reader) strs(key string) []string {
	var v []string
	if raw := r.raw(key, "strings"); raw != nil {
		if err := json.Unmarshal(raw, &v); err != nil {
			r.err = fmt.Errorf("参数 %s 应为字符串数组", key)
		}
	}
	return v
}

func (r *reader) date(key string, optional bool) domain.Date {
	s := strings.TrimSpace(r.str(key))
	if s == "" && optional {
		return domain.Date{}
	}
	d, err := domain.ParseDate(s)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("参数 %s: %v", key, err)
	}
	return d
}

func (ps *ParamSet) compile(d domain.Date) (*Snapshot, error) {
	r := &reader{ps: ps, d: d}
	s := &Snapshot{From: d, Windows: map[string]Window{}, b02Group: map[domain.IndustryGroup]bool{}}
	for _, t := range r.strs("benefit.title_tiers") {
		tier := domain.Tier(t)
		if !tier.Valid() && r.err == nil {
			r.err = fmt.Errorf("参数 benefit.title_tiers: 未知层级 %q", t)
			continue
		}
		s.TitleTiers = append(s.TitleTiers, tier)
		if tier.Valid() {
			s.titleByTier[tier.Rank()] = true
		}
	}
	s.NearMaxUnmet = int(r.num("benefit.near.max_unmet"))
	for i, rule := range catalogue {
		w := Window{From: r.date("benefit."+rule.ID+".effective_from", false), To: r.date("benefit."+rule.ID+".effective_to", true)}
		if !w.To.IsZero() && w.To.Before(w.From) && r.err == nil {
			r.err = fmt.Errorf("%s 的截止日期早于生效日期", rule.ID)
		}
		s.Windows[rule.ID] = w
		s.windowByIndex[i] = w
	}
	for _, g := range r.strs("benefit.B02.industry_groups") {
		ig := domain.IndustryGroup(g)
		if !ig.Valid() && r.err == nil {
			r.err = fmt.Errorf("参数 benefit.B02.industry_groups: 未知行业 %q", g)
		}
		s.B02Groups = append(s.B02Groups, ig)
		s.b02Group[ig] = true
	}
	s.B02FirstCap = r.wan("benefit.B02-first-above-scale.cap")
	s.B02GrowthMinBP = r.bp("benefit.B02-growth.growth_min")
	s.B02GrowthHighBP = r.bp("benefit.B02-growth.growth_high")
	s.B02GrowthCapLow = r.wan("benefit.B02-growth.cap_low")
	s.B02GrowthCapHigh = r.wan("benefit.B02-growth.cap_high")
	if r.err == nil && s.B02GrowthHighBP < s.B02GrowthMinBP {
		r.err = fmt.Errorf("benefit.B02-growth.growth_high 不能低于 growth_min")
	}
	s.B03CertifiedByYear = int(r.num("benefit.B03-little-giant-growth.certified_by_year"))
	s.B03GrowthMinBP = r.bp("benefit.B03-little-giant-growth.growth_min")
	s.B03Cap = r.wan("benefit.B03-little-giant-growth.cap")
	s.B09RateBP = r.bp("benefit.B09-tech-upgrade.rate")
	s.B09Cap = r.wan("benefit.B09-tech-upgrade.cap")
	s.B10ProjectMin = r.wan("benefit.B10-procurement.project_min")
	s.B10ShareMinBP = r.bp("benefit.B10-procurement.share_min")
	s.B12RateBP = r.bp("benefit.B12-digital.rate")
	s.B13InterestRateBP = r.bp("benefit.B13-credit-interest.rate")
	s.B13GuaranteeCap = r.wan("benefit.B13-guarantee.cap")
	s.B19RateBP = r.bp("benefit.B19-services.rate")
	if r.err != nil {
		return nil, r.err
	}
	s.version = ps.fingerprint(d)
	return s, nil
}

func (ps *ParamSet) fingerprint(d domain.Date) string {
	h := sha256.New()
	r := &reader{ps: ps, d: d}
	for i := range ps.params {
		h.Write([]byte(ps.params[i].Key))
		h.Write([]byte{'='})
		h.Write(r.raw(ps.params[i].Key, ps.params[i].Kind))
		h.Write([]byte{'\n'})
	}
	return "benefit-params-" + hex.EncodeToString(h.Sum(nil))[:16]
}
