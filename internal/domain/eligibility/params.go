package eligibility

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"zjtx/internal/domain"
)

// Rule-set names (ELIGIBILITY.md §0).
const (
	RuleSet2022 = "miit-2022"
	RuleSet2026 = "miit-2026"
)

// Param is one dated parameter, like an OpenFisca parameter: every threshold and every points
// band is one, so an administrator can correct a number without a code change and a past
// verdict can be replayed with the values in force on its as_of.
type Param struct {
	Key          string  `json:"key"`
	Kind         string  `json:"kind"` // number, bands, points, strings, string
	Unit         string  `json:"unit,omitempty"`
	Description  string  `json:"description"`
	Clause       string  `json:"clause"`
	SingleSource bool    `json:"single_source,omitempty"`
	Unconfirmed  bool    `json:"unconfirmed,omitempty"`
	Values       []Dated `json:"values"`
}

// Dated is a parameter value in force from From until the next value's From.
type Dated struct {
	From   domain.Date     `json:"from"`
	Value  json.RawMessage `json:"value"`
	Source string          `json:"source,omitempty"` // "default" or "override"
}

// Override is an administrator's correction: Value holds for Key from EffectiveFrom on
// (superseding later default values of that key); earlier dates keep their old values.
type Override struct {
	Key           string          `json:"key"`
	EffectiveFrom domain.Date     `json:"effective_from"`
	Value         json.RawMessage `json:"value"`
}

// ParameterSet is the whole dated parameter table, with one compiled Snapshot per interval
// between value changes. It is immutable and safe for concurrent use.
type ParameterSet struct {
	params []Param
	byKey  map[string]int
	starts []domain.Date
	snaps  []*Snapshot
}

//go:embed params/*.json
var paramFiles embed.FS

var (
	defaultOnce sync.Once
	defaultSet  *ParameterSet
)

// DefaultParameters is the shipped parameter table (params/*.json). It panics if the embedded
// data is broken, which the package tests rule out.
func DefaultParameters() *ParameterSet {
	defaultOnce.Do(func() {
		ps, err := loadDefaults()
		if err != nil {
			panic("eligibility: embedded parameters: " + err.Error())
		}
		defaultSet = ps
	})
	return defaultSet
}

func loadDefaults() (*ParameterSet, error) {
	names, err := fs.Glob(paramFiles, "params/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []Param
	for _, n := range names {
		b, err := paramFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var ps []Param
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ps); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		for i := range ps {
			for j := range ps[i].Values {
				ps[i].Values[j].Source = "default"
			}
		}
		all = append(all, ps...)
	}
	return newParameterSet(all)
}

func newParameterSet(params []Param) (*ParameterSet, error) {
	sort.Slice(params, func(i, j int) bool { return params[i].Key < params[j].Key })
	ps := &ParameterSet{params: params, byKey: make(map[string]int, len(params))}
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

// WithOverrides returns a new set with the administrator's overrides applied on top. Each
// override must name a known key and a value of the key's kind.
func (ps *ParameterSet) WithOverrides(ovs []Override) (*ParameterSet, error) {
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
		kept := p.Values[:0]
		for _, v := range p.Values {
			if v.From.Before(o.EffectiveFrom) {
				kept = append(kept, v)
			}
		}
		p.Values = append(kept, Dated{From: o.EffectiveFrom, Value: o.Value, Source: "override"})
		if err := checkKind(p, o.Value); err != nil {
			return nil, err
		}
	}
	return newParameterSet(params)
}

// LoadOverrides decodes a JSON array of overrides (the `zjtx eval --params` file).
func LoadOverrides(data []byte) ([]Override, error) {
	var ovs []Override
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ovs); err != nil {
		return nil, fmt.Errorf("参数覆盖文件应为 [{key, effective_from, value}] 数组: %w", err)
	}
	return ovs, nil
}

// List returns every parameter with its description, clause, marks and dated values, for the
// administrator's UI. The result is a copy.
func (ps *ParameterSet) List() []Param {
	out := make([]Param, len(ps.params))
	for i, p := range ps.params {
		p.Values = append([]Dated(nil), p.Values...)
		out[i] = p
	}
	return out
}

// Lookup returns one parameter by key.
func (ps *ParameterSet) Lookup(key string) (Param, bool) {
	i, ok := ps.byKey[key]
	if !ok {
		return Param{}, false
	}
	p := ps.params[i]
	p.Values = append([]Dated(nil), p.Values...)
	return p, true
}

// At returns the compiled parameters in force on asOf. Dates before the first value take the
// earliest values.
func (ps *ParameterSet) At(asOf domain.Date) *Snapshot {
	i := sort.Search(len(ps.starts), func(i int) bool { return asOf.Before(ps.starts[i]) }) - 1
	if i < 0 {
		i = 0
	}
	return ps.snaps[i]
}

// Version is the fingerprint of the parameter values in force on asOf.
func (ps *ParameterSet) Version(asOf domain.Date) string { return ps.At(asOf).Version() }

func valueAt(p *Param, d domain.Date) (json.RawMessage, bool) {
	var v json.RawMessage
	for _, x := range p.Values {
		if x.From.After(d) {
			break
		}
		v = x.Value
	}
	if v == nil && len(p.Values) > 0 && d.Before(p.Values[0].From) {
		return nil, false
	}
	return v, v != nil
}

// Bands is a points table. GE tables award Points[i] to a value ≥ Edges[i] (edges descending);
// LE tables to a value ≤ Edges[i] (edges ascending). A value on an edge belongs to the better
// band (ELIGIBILITY.md §0 Boundaries). Else is the points below the last band.
type Bands struct {
	LE     bool
	Edges  []float64
	Points []float64
	Else   float64
}

// Score returns the points for x and the index of the band (len(Edges) for the else band).
func (b *Bands) Score(x float64) (float64, int) {
	for i, e := range b.Edges {
		if (!b.LE && ge(x, e)) || (b.LE && le(x, e)) {
			return b.Points[i], i
		}
	}
	return b.Else, len(b.Edges)
}

// Max is the best band's points.
func (b *Bands) Max() float64 {
	m := b.Else
	for _, p := range b.Points {
		m = max(m, p)
	}
	return m
}

// Top is the edge of the best band.
func (b *Bands) Top() float64 {
	if len(b.Edges) == 0 {
		return 0
	}
	return b.Edges[0]
}

// paramReader decodes values in force on one date, keeping the first error.
type paramReader struct {
	ps   *ParameterSet
	d    domain.Date
	err  error
	used []string
}

func (r *paramReader) raw(key, kind string) json.RawMessage {
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
	v, ok := valueAt(p, r.d)
	if !ok {
		r.err = fmt.Errorf("参数 %s 在 %s 没有生效的取值", key, r.d)
		return nil
	}
	return v
}

func (r *paramReader) num(key string) float64 {
	var v float64
	if raw := r.raw(key, "number"); raw != nil {
		if err := json.Unmarshal(raw, &v); err != nil {
			r.err = fmt.Errorf("参数 %s 应为数字", key)
		}
	}
	return v
}

// pct reads a percentage parameter (stored as 3 for 3%) as a fraction (0.03).
func (r *paramReader) pct(key string) float64 { return r.num(key) / 100 }

func (r *paramReader) str(key string) string {
	var v string
	if raw := r.raw(key, "string"); raw != nil {
		if err := json.Unmarshal(raw, &v); err != nil {
			r.err = fmt.Errorf("参数 %s 应为字符串", key)
		}
	}
	return v
}

func (r *paramReader) strs(key string) []string {
	var v []string
	if raw := r.raw(key, "strings"); raw != nil {
		if err := json.Unmarshal(raw, &v); err != nil {
			r.err = fmt.Errorf("参数 %s 应为字符串数组", key)
		}
	}
	return v
}

// points reads a name → points object and requires the given names.
func (r *paramReader) points(key string, names ...string) map[string]float64 {
	var v map[string]float64
	if raw := r.raw(key, "points"); raw != nil {
		if err := json.Unmarshal(raw, &v); err != nil {
			r.err = fmt.Errorf("参数 %s 应为 {名称: 分值} 对象", key)
			return nil
		}
		for _, n := range names {
			if _, ok := v[n]; !ok {
				r.err = fmt.Errorf("参数 %s 缺少 %s", key, n)
			}
		}
	}
	return v
}

type bandsJSON struct {
	GE   [][2]float64 `json:"ge"`
	LE   [][2]float64 `json:"le"`
	Else float64      `json:"else"`
}

// bands reads a points table; scale divides the edges (100 for percentages).
func (r *paramReader) bands(key string, scale float64) Bands {
	raw := r.raw(key, "bands")
	if raw == nil {
		return Bands{}
	}
	b, err := parseBands(raw, scale)
	if err != nil {
		r.err = fmt.Errorf("参数 %s: %w", key, err)
	}
	return b
}

func parseBands(raw json.RawMessage, scale float64) (Bands, error) {
	var j bandsJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Bands{}, errors.New(`分档表应为 {"ge"|"le": [[界值, 分值], ...], "else": 分值}`)
	}
	if (len(j.GE) == 0) == (len(j.LE) == 0) {
		return Bands{}, errors.New(`分档表需且只需 "ge" 或 "le" 之一`)
	}
	b := Bands{LE: len(j.LE) > 0, Else: j.Else}
	rows := j.GE
	if b.LE {
		rows = j.LE
	}
	for i, row := range rows {
		if i > 0 && ((!b.LE && row[0] >= rows[i-1][0]) || (b.LE && row[0] <= rows[i-1][0])) {
			return Bands{}, errors.New("分档界值应按从优到劣排列（ge 递减，le 递增）")
		}
		b.Edges = append(b.Edges, row[0]/scale)
		b.Points = append(b.Points, row[1])
	}
	return b, nil
}

// checkKind verifies that an override value has the parameter's kind.
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
	case "points":
		var x map[string]float64
		err = json.Unmarshal(v, &x)
	case "bands":
		_, err = parseBands(v, 1)
	default:
		err = fmt.Errorf("未知类型 %s", p.Kind)
	}
	if err != nil {
		return fmt.Errorf("参数 %s 的覆盖值应为 %s: %v", p.Key, p.Kind, err)
	}
	return nil
}

// fingerprint hashes every value in force on d.
func (ps *ParameterSet) fingerprint(d domain.Date) string {
	h := sha256.New()
	for i := range ps.params {
		p := &ps.params[i]
		if v, ok := valueAt(p, d); ok {
			h.Write([]byte(p.Key))
			h.Write([]byte{'='})
			h.Write(v)
			h.Write([]byte{'\n'})
		}
	}
	return "params-" + hex.EncodeToString(h.Sum(nil))[:16]
}
